using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure.Vaults;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.DependencyInjection;
using EdgeKv.Records.Security;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Management and data plane are separate: an operator who grants itself vault access out of band is flagged and
/// alerted; a principal granting itself a data-plane role through EdgeKv is audited and alerted; scoped role
/// assignments reach only their scope, without revealing other resources.
/// </summary>
[TestClass]
public sealed class PrivilegeEscalationTests
{
    private const string OperatorObjectId = "0b1d0c1a-0000-4000-8000-000000000005";
    private const string SecurityObjectId = "0b1d0c1a-0000-4000-8000-000000000004";
    private const string ReaderObjectId = "0b1d0c1a-0000-4000-8000-000000000002";
    private static SecuredHost secured = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) => secured = await SecuredHost.SharedAsync();

    [TestMethod]
    public async Task Operator_adding_itself_an_access_policy_out_of_band_is_flagged_and_alerted()
    {
        // On a resource of its own: the policy stays, and the classes sharing this host check, in parallel or after,
        // that ase-a's and ase-b's policies are all EdgeKv's (the authorization matrix, the security views).
        const string resource = "ase-oob";
        await secured.ActivateAsync(resource);
        string vaultName = secured.VaultNames[resource];
        VaultProperties vault = await secured.Host.Factory.GetVaultsClient().GetAsync(ProvisionedState.ResourceGroup,
            vaultName);
        await secured.Host.Factory.GetVaultsClient().UpdateAccessPoliciesAsync(ProvisionedState.ResourceGroup,
            vaultName, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(vault.TenantId, OperatorObjectId, ["get", "list"])]);

        using HttpResponseMessage response = await secured.SendAsync("auditor", HttpMethod.Get,
            $"/api/resources/{resource}/security/accessPolicies");
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        JsonElement entry = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray()
            .Single(e => e.GetProperty("objectId").GetString() == OperatorObjectId);
        Assert.IsTrue(entry.GetProperty("flagged").GetBoolean());
        Assert.AreEqual("Unknown principal", entry.GetProperty("who").GetString());

        using HttpResponseMessage summary = await secured.SendAsync("security-team", HttpMethod.Get,
            $"/api/resources/{resource}/security");
        JsonElement alerts = (await summary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alerts");
        Assert.AreEqual(1, alerts.EnumerateArray().Count(a => a.GetProperty("kind").GetString() == "AccessPolicyNotGrantedByEdgeKv"
            && a.GetProperty("principal").GetString() == OperatorObjectId),
                "one alert for the security team, not one per view");
        using HttpResponseMessage again = await secured.SendAsync("auditor", HttpMethod.Get,
            $"/api/resources/{resource}/security/accessPolicies");
        Assert.AreEqual(HttpStatusCode.OK, again.StatusCode);
    }

    [TestMethod]
    public async Task Self_granted_data_plane_role_is_audited_and_alerted_and_an_operator_cannot_grant_itself()
    {
        using HttpResponseMessage refused = await secured.SendAsync("operator", HttpMethod.Put,
            "/api/roleAssignments/op-self",
            new { principalId = OperatorObjectId, role = "SecurityTeam", scope = "/resources/ase-a" });
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);

        using HttpResponseMessage granted = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/sec-self",
            new { principalId = SecurityObjectId, role = "SecurityTeam", scope = "/resources/ase-b" });
        Assert.AreEqual(HttpStatusCode.OK, granted.StatusCode, await granted.Content.ReadAsStringAsync());

        using HttpResponseMessage audit = await secured.SendAsync("auditor", HttpMethod.Get, "/api/audit?top=1000");
        JsonElement records = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value");
        Assert.IsTrue(records.EnumerateArray().Any(r => r.GetProperty("operation").GetString() == "SelfGrantDataPlane" && r.GetProperty("principal").GetString() == SecurityObjectId));
        Assert.IsTrue(records.EnumerateArray().Any(r => r.GetProperty("operation").GetString() == "PUT /api/roleAssignments/{id}"
            && r.GetProperty("principal").GetString() == OperatorObjectId && r.GetProperty("result").GetString() == "Denied"));

        using HttpResponseMessage summary = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/resources/ase-b/security");
        JsonElement alerts = (await summary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alerts");
        JsonElement selfGrant = alerts.EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "SelfGrantedDataPlaneAccess" && a.GetProperty("principal").GetString() == SecurityObjectId);
        Assert.AreEqual(("Security", "Critical"),
            (selfGrant.GetProperty("category").GetString(), selfGrant.GetProperty("severity").GetString()));
        string alertId = selfGrant.GetProperty("id").GetString()!;

        // A sweep never resolves it; deleting the self-granted assignment does, and resolving it again is a no-op.
        using HttpResponseMessage byAuditor = await secured.SendAsync("auditor", HttpMethod.Post,
            $"/api/alerts/{alertId}/resolve");
        Assert.AreEqual(HttpStatusCode.Forbidden, byAuditor.StatusCode, "the security team's, not the auditor's");
        using HttpResponseMessage removed = await secured.SendAsync("security-team", HttpMethod.Delete,
            "/api/roleAssignments/sec-self");
        Assert.AreEqual(HttpStatusCode.OK, removed.StatusCode);
        using HttpResponseMessage listed = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/alerts?resource=ase-b&category=security");
        JsonElement item = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Single(a => a.GetProperty("id").GetString() == alertId);
        Assert.AreEqual(("Resolved", SecurityObjectId, "Security"),
            (item.GetProperty("state").GetString(), item.GetProperty("principal").GetString(),
                item.GetProperty("category").GetString()));
        using HttpResponseMessage resolved = await secured.SendAsync("security-team", HttpMethod.Post,
            $"/api/alerts/{alertId}/resolve");
        Assert.AreEqual(HttpStatusCode.OK, resolved.StatusCode, "already resolved: answered as it is");
        Assert.AreEqual("Resolved",
            (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        using HttpResponseMessage unknown = await secured.SendAsync("security-team", HttpMethod.Post,
            "/api/alerts/no-such-alert/resolve");
        Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.AreEqual("AlertNotFound",
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        using HttpResponseMessage badCategory = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/alerts?category=Nope");
        Assert.AreEqual(HttpStatusCode.BadRequest, badCategory.StatusCode);
        Assert.AreEqual("InvalidCategory",
            (await badCategory.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        using HttpResponseMessage verify = await secured.SendAsync("auditor", HttpMethod.Get, "/api/audit/verify");
        Assert.IsTrue((await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("intact").GetBoolean());
    }

    [TestMethod]
    public async Task A_resource_scoped_assignment_reaches_its_resource_only_and_answers_the_same_for_others_whether_they_exist_or_not()
    {
        using HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/scoped-operator",
            new { principalId = ReaderObjectId, role = "Operator", scope = "/resources/ase-b" });
        Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);

        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("/api/resources/ase-b"));
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("/api/resources/ase-b/security/secrets"));
        Assert.AreEqual(HttpStatusCode.Forbidden,
            await StatusAsync("/api/resources/ase-b/security/secrets?includeValues=true"));
        Assert.AreEqual(HttpStatusCode.Forbidden, await StatusAsync("/api/resources/ase-a"), "another resource");
        Assert.AreEqual(HttpStatusCode.Forbidden, await StatusAsync("/api/resources/does-not-exist"),
            "no hint that it does not exist");

        using HttpResponseMessage list = await SendAsReaderAsync("/api/resources");
        var names = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        CollectionAssert.AreEqual(new[] { SecuredHost.B }, names);

        using HttpResponseMessage delete = await secured.SendAsync("security-team", HttpMethod.Delete,
            "/api/roleAssignments/scoped-operator");
        Assert.AreEqual(HttpStatusCode.OK, delete.StatusCode);
        Assert.AreEqual(HttpStatusCode.Forbidden, await StatusAsync("/api/resources/ase-b"), "revoked at once");
    }

    [TestMethod]
    public async Task A_resource_scoped_auditor_lists_the_alerts_and_audit_records_of_its_resource_only()
    {
        // Alerts of another managed resource and of one EdgeKv no longer manages: neither is the scoped auditor's to
        // see.
        AlertStore store = secured.Host.Services.GetRequiredService<AlertStore>();
        await store.RaiseAsync(new AlertObservation(SecuredHost.A, AlertKind.VaultLockMissing, "test: ase-a's lock"));
        await store.RaiseAsync(new AlertObservation("ase-gone", AlertKind.VaultDeleted,
            "test: a resource no longer managed"));

        using HttpResponseMessage all = await secured.SendAsync("security-team", HttpMethod.Get, "/api/alerts");
        var everyone = (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(a => a.GetProperty("resource").GetString()).ToList();
        CollectionAssert.IsSubsetOf(new[] { SecuredHost.A, "ase-gone" }, everyone, "the service-wide view holds both");

        using HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/scoped-auditor",
            new { principalId = ReaderObjectId, role = "Auditor", scope = "/resources/ase-b" });
        Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);
        try
        {
            using HttpResponseMessage alerts = await SendAsReaderAsync("/api/alerts");
            Assert.AreEqual(HttpStatusCode.OK, alerts.StatusCode);
            Assert.IsTrue((await alerts.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().All(a => a.GetProperty("resource").GetString() == SecuredHost.B));

            // Small pages, followed to the end: every record is ase-b's, and there are some.
            var resources = new List<string?>();
            string? next = "/api/audit?top=3&scope=/resources/ase-b";
            while (next is not null)
            {
                using HttpResponseMessage page = await SendAsReaderAsync(next);
                Assert.AreEqual(HttpStatusCode.OK, page.StatusCode, await page.Content.ReadAsStringAsync());
                JsonElement body = await page.Content.ReadFromJsonAsync<JsonElement>();
                resources.AddRange(body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("resource").GetString()));
                next = body.GetProperty("nextLink").ValueKind == JsonValueKind.String ? new Uri(body.GetProperty("nextLink").GetString()!).PathAndQuery : null;
            }

            Assert.IsNotEmpty(resources);
            CollectionAssert.AreEqual(Enumerable.Repeat<string?>(SecuredHost.B, resources.Count).ToList(), resources);
        }
        finally
        {
            using HttpResponseMessage delete = await secured.SendAsync("security-team", HttpMethod.Delete,
                "/api/roleAssignments/scoped-auditor");
            await store.ApplySweepAsync([SecuredHost.A, "ase-gone"], [], CancellationToken.None);
        }
    }

    /// <summary>
    /// The escalation once found by a fuzzer: a principal given SecurityTeam on one resource tries to use it
    /// service-wide and to grant itself more. Every service-level step is refused (403), the role assignments and the
    /// audit trail read at the service or at a scope not its own included; a body naming its role twice is a 400; read
    /// at its own scope, and in the lists of resources and alerts, it sees that one scope's items, never the service's;
    /// nothing it tried was written.
    /// </summary>
    [TestMethod]
    public async Task A_resource_scoped_security_team_cannot_act_service_wide_or_grant_itself_more()
    {
        Guid principal = Guid.NewGuid();
        string p = principal.ToString();
        using (HttpResponseMessage granted = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/scoped1-" + p,
            new { principalId = p, role = "SecurityTeam", scope = "/resources/onlythis" }))
        {
            Assert.AreEqual(HttpStatusCode.OK, granted.StatusCode, await granted.Content.ReadAsStringAsync());
            Assert.AreEqual("SecurityTeam",
                (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        }

        string token = await secured.Host.IssueTokenAsync("no-roles", objectId: principal);
        (string Method, string Path, object? Body)[] refused =
        [
            ("PUT", "/api/roleAssignments/escalate1-" + p, new { principalId = p, role = "SecurityTeam", scope = "/" }),
            ("PUT", "/api/roleAssignments/escalate2-" + p,
                new { principalId = p, role = "SecurityTeam",
                    scope = "/resourceGroups/" + ProvisionedState.ResourceGroup }),
            ("PUT", "/api/roleAssignments/escalate3-" + p,
                new { principalId = p, role = "SecurityTeam", scope = "/resources/ase-a" }),
            ("PUT", "/api/roleAssignments/scoped1-" + p, new { principalId = p, role = "SecurityTeam", scope = "/" }),
            ("DELETE", "/api/roleAssignments/scoped-operator", null),
            ("POST", "/api/health/sweep", null),
            ("PUT", "/api/keys/esc-key-" + p[..8], new { type = "rsa-2048" }),
            ("POST", "/api/durabletask/orchestrators/HelloSequence", new[] { "Tokyo" }),
            ("GET", "/api/audit/verify", null),
            ("GET", "/api/health/sweeps", null),
            ("GET", "/api/keys", null),
            ("POST", "/admin/host/systemkeys/escalate_key", null),
            ("GET", "/api/roleAssignments", null),
            ("GET", "/api/audit?top=1", null),
            ("GET", "/api/roleAssignments?scope=/resources/ase-a", null),
            ("GET", "/api/audit?top=1&scope=/resourceGroups/" + ProvisionedState.ResourceGroup, null),
        ];
        foreach ((string method, string path, object? body) in refused)
        {
            using HttpResponseMessage response = await SendAsync(token, new HttpMethod(method), path, body);
            Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode,
                $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        }

        // The fuzzer's body: "role" and "Role" in one object is a 400, not the last one winning.
        using (var twice = new HttpRequestMessage(HttpMethod.Put, "/api/roleAssignments/escalate4-" + p))
        {
            twice.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                await secured.Host.IssueTokenAsync("security-team"));
            twice.Content = new StringContent($$"""{"principalId":"{{p}}","role":"Auditor","Role":"SecurityTeam","scope":"/resources/onlythis"}""",
                System.Text.Encoding.UTF8, "application/json");
            using var client = new HttpClient { BaseAddress = secured.Host.Api.BaseAddress };
            using HttpResponseMessage response = await client.SendAsync(twice);
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        }

        // Collections read at its own scope answer that scope's items; the lists of the service answer what it may see.
        using (HttpResponseMessage list = await SendAsync(token, HttpMethod.Get,
            "/api/roleAssignments?scope=/resources/onlythis", null))
        {
            Assert.AreEqual(HttpStatusCode.OK, list.StatusCode);
            string[] scopes = [.. (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(a => a.GetProperty("scope").GetString()!)];
            CollectionAssert.Contains(scopes, "/resources/onlythis");
            Assert.IsTrue(scopes.All(s => s == "/resources/onlythis"), string.Join(", ", scopes));
        }

        foreach (string path in new[] { "/api/audit?top=1000&scope=/resources/onlythis", "/api/resources",
            "/api/alerts" })
        {
            using HttpResponseMessage list = await SendAsync(token, HttpMethod.Get, path, null);
            Assert.AreEqual(HttpStatusCode.OK, list.StatusCode, path);
            JsonElement value = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value");
            Assert.IsTrue(value.EnumerateArray().All(e => (e.TryGetProperty("resource",
                out JsonElement r) ? r : e.GetProperty("name")).GetString() == "onlythis"), path + ": " + value);
        }

        // A narrower role at its own scope widens nothing: allowed, and removable by itself.
        using (HttpResponseMessage narrower = await SendAsync(token, HttpMethod.Put,
            "/api/roleAssignments/narrower-" + p,
            new { principalId = p, role = "Operator", scope = "/resources/onlythis" }))
        {
            Assert.AreEqual(HttpStatusCode.OK, narrower.StatusCode, await narrower.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage all = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/roleAssignments");
        JsonElement[] mine = [.. (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray()
            .Where(a => a.GetProperty("principalId").GetString() == p)];
        CollectionAssert.AreEquivalent(new[] { "/resources/onlythis", "/resources/onlythis" },
            mine.Select(a => a.GetProperty("scope").GetString()).ToArray());
        using HttpResponseMessage key = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/keys/esc-key-" + p[..8]);
        Assert.AreEqual(HttpStatusCode.NotFound, key.StatusCode);
    }

    /// <summary>
    /// A resource group's scope contains the resources EdgeKv records in it, and nothing above: its security team reads
    /// and grants at the group and its resources, never at the service or another group; the service's actions stay
    /// refused.
    /// </summary>
    [TestMethod]
    public async Task A_resource_group_scope_reaches_its_resources_and_grants_within_it_only()
    {
        using HttpResponseMessage read = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/resources/ase-a");
        string group = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resourceGroup").GetString()!;
        Guid principal = Guid.NewGuid();
        string p = principal.ToString();
        using (HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/rg-security-" + p,
            new { principalId = p, role = "SecurityTeam", scope = "/resourceGroups/" + group }))
        {
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);
        }

        string token = await secured.Host.IssueTokenAsync("no-roles", objectId: principal);
        string other = Guid.NewGuid().ToString();
        (string Method, string Path, object? Body, HttpStatusCode Expected)[] steps =
        [
            ("GET", "/api/resources/ase-a", null, HttpStatusCode.OK),
            ("GET", "/api/resources/ase-a/security/secrets?includeValues=true", null, HttpStatusCode.OK),
            ("GET", "/api/resources/ase-nope", null, HttpStatusCode.Forbidden),
            // not recorded in the group: no hint that it does not exist
            ("PUT", "/api/roleAssignments/rg-grant-a-" + p,
                new { principalId = other, role = "Operator", scope = "/resources/ase-a" }, HttpStatusCode.OK),
            ("PUT", "/api/roleAssignments/rg-grant-g-" + p,
                new { principalId = other, role = "Auditor", scope = "/resourceGroups/" + group }, HttpStatusCode.OK),
            ("PUT", "/api/roleAssignments/rg-grant-x-" + p,
                new { principalId = other, role = "Auditor", scope = "/resourceGroups/another-group" },
                HttpStatusCode.Forbidden),
            ("PUT", "/api/roleAssignments/rg-grant-s-" + p, new { principalId = other, role = "Auditor", scope = "/" },
                HttpStatusCode.Forbidden),
            ("PUT", "/api/roleAssignments/rg-grant-n-" + p,
                new { principalId = other, role = "Auditor", scope = "/resources/ase-nope" }, HttpStatusCode.Forbidden),
            ("DELETE", "/api/roleAssignments/rg-grant-a-" + p, null, HttpStatusCode.OK),
            ("GET", "/api/health/sweeps", null, HttpStatusCode.Forbidden),
            ("GET", "/api/audit/verify", null, HttpStatusCode.Forbidden),
            ("POST", "/api/durabletask/orchestrators/HelloSequence", new[] { "Tokyo" }, HttpStatusCode.Forbidden),
        ];
        foreach ((string method, string path, object? body, HttpStatusCode expected) in steps)
        {
            using HttpResponseMessage response = await SendAsync(token, new HttpMethod(method), path, body);
            Assert.AreEqual(expected, response.StatusCode,
                $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        }

        // Read at the group: its assignments, those of the group named with its subscription (a group without one holds
        // the groups of that name in every subscription) and those of the resources recorded in it, nothing else; at
        // '/' refused.
        using (HttpResponseMessage service = await SendAsync(token, HttpMethod.Get, "/api/roleAssignments", null))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, service.StatusCode);
        }

        var inGroup = new List<string>();
        foreach (string name in new[] { SecuredHost.A, SecuredHost.B })
        {
            using HttpResponseMessage resource = await secured.SendAsync("security-team", HttpMethod.Get,
                "/api/resources/" + name);
            if ((await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resourceGroup").GetString() == group) inGroup.Add("/resources/" + name);
        }

        using HttpResponseMessage list = await SendAsync(token, HttpMethod.Get,
            "/api/roleAssignments?scope=/resourceGroups/" + group, null);
        Assert.AreEqual(HttpStatusCode.OK, list.StatusCode, await list.Content.ReadAsStringAsync());
        string[] scopes = [.. (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(a => a.GetProperty("scope").GetString()!)];
        CollectionAssert.Contains(scopes, "/resourceGroups/" + group);
        Assert.IsTrue(scopes.All(s => s == "/resourceGroups/" + group || inGroup.Contains(s)
            || (RoleAssignment.SubscriptionOf(s) is not null && RoleAssignment.ResourceGroupOf(s) == group)),
                string.Join(", ", scopes.Distinct()));
    }

    /// <summary>
    /// An assignment to an Entra group applies to the members its token names in <c>groups</c>; a token whose groups
    /// were left out (overage) is refused with its own code, as EdgeKv does not ask Microsoft Graph.
    /// </summary>
    [TestMethod]
    public async Task A_group_assignment_applies_to_its_members_and_a_group_overage_is_refused_with_its_own_code()
    {
        Guid group = Guid.NewGuid();
        Guid member = Guid.NewGuid();
        using (HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
            "/api/roleAssignments/group-auditors-" + group,
            new { principalId = group.ToString(), role = "Auditor", scope = "/" }))
        {
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);
        }

        string inGroup = await secured.Host.IssueTokenAsync("no-roles", groups: [Guid.NewGuid(), group],
            objectId: member);
        string notInGroup = await secured.Host.IssueTokenAsync("no-roles", groups: [Guid.NewGuid()], objectId: member);
        Guid[] many = [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid()).Append(group)];
        string overage = await secured.Host.IssueTokenAsync("no-roles", groups: many, objectId: member);

        using (HttpResponseMessage verify = await SendAsync(inGroup, HttpMethod.Get, "/api/audit/verify", null))
        {
            Assert.AreEqual(HttpStatusCode.OK, verify.StatusCode);
        }

        using (HttpResponseMessage write = await SendAsync(inGroup, HttpMethod.Put, "/api/resources/ase-a", new { }))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, write.StatusCode, "an auditor's group grants reading only");
        }

        using (HttpResponseMessage outside = await SendAsync(notInGroup, HttpMethod.Get, "/api/audit/verify", null))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, outside.StatusCode);
        }

        using HttpResponseMessage refused = await SendAsync(overage, HttpMethod.Get, "/api/audit/verify", null);
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.AreEqual("GroupsOverageNotSupported",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    private static async Task<HttpResponseMessage> SendAsync(string token, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var client = new HttpClient { BaseAddress = secured.Host.Api.BaseAddress };
        return await client.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(string path)
    {
        using HttpResponseMessage response = await SendAsReaderAsync(path);
        return response.StatusCode;
    }

    /// <summary>
    /// The emulator's <c>reader</c> principal: no EdgeKv app role, and not one of the matrix's callers (the classes run
    /// in parallel).
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsReaderAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = secured.Host.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await secured.Host.IssueTokenAsync("reader"));
        return await client.GetAsync(path);
    }
}
