using EdgeKv.Local.Security;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Functions.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// A role assignment is validated whole before anything is written: no default scope, roles by name only, principals as
/// Entra object ids, ids of a bounded printable form; a bad row already stored grants nothing and breaks nothing.
/// </summary>
[TestClass]
public sealed class RoleAssignmentValidationTests
{
    private const string Principal = "0b1d0c1a-0000-4000-8000-0000000000b1";
    private const string OperatorObjectId = "0b1d0c1a-0000-4000-8000-000000000005";
    private static HostFixture host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => host = await HostFixture.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    private static async Task<IReadOnlyList<RoleAssignment>> StoredAsync(string id) =>
        [.. (await host.Services.GetRequiredService<RoleAssignmentStore>().ListAsync()).Where(a => a.Id == id)];

    public static IEnumerable<object?[]> BadBodies =>
    [
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor"}""", "MissingScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":null}""", "MissingScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":""}""", "MissingScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"7","scope":"/"}""", "InvalidRole"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Device","scope":"/"}""", "InvalidRole"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Owner","scope":"/"}""", "InvalidRole"],
        ["""{"principalId":"someone","role":"Auditor","scope":"/"}""", "InvalidPrincipalId"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/resources/"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/resources/a\u202Eb"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/subscriptions/x"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/g1/providers"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/subscriptions/00000000-0000-4000-8000-00000000e001/providers/Microsoft.KeyVault"}""", "InvalidScope"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/bad group"}""", "InvalidScope"],
        // Strict bodies: a member named twice (also differing only in case) is never a silent choice of the last one.
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","Role":"SecurityTeam","scope":"/resources/x1"}""", "InvalidRequestContent"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","role":"SecurityTeam","scope":"/"}""", "InvalidRequestContent"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/","SCOPE":"/resources/x1"}""", "InvalidRequestContent"],
        // A member the body does not take is refused, not ignored (a condition, a principal type, a typo).
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scope":"/","condition":"true"}""", "InvalidRequestContent"],
        ["""{"principalId":"0b1d0c1a-0000-4000-8000-0000000000b1","role":"Auditor","scopes":"/"}""", "InvalidRequestContent"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_naming_the_problem_and_writes_nothing(string body, string code)
    {
        using HttpResponseMessage response = await host.Http.PutAsync("/api/roleAssignments/bad-1",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.IsEmpty(await StoredAsync("bad-1"));
    }

    [TestMethod]
    [DataRow("a\u0007b")]
    [DataRow("a\u202Eb")]
    [DataRow("a\"b")]
    [DataRow("-leading")]
    public async Task An_id_outside_the_identifier_form_is_refused(string id)
    {
        using HttpResponseMessage response = await host.Http.PutAsJsonAsync($"/api/roleAssignments/{Uri.EscapeDataString(id)}", new { principalId = Principal, role = "Auditor", scope = "/" });

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsEmpty(await StoredAsync(id));
    }

    [TestMethod]
    public async Task A_3000_character_id_is_refused()
    {
        using HttpResponseMessage response = await host.Http.PutAsJsonAsync($"/api/roleAssignments/{new string('a', 3000)}", new { principalId = Principal, role = "Auditor", scope = "/" });

        Assert.IsTrue((int)response.StatusCode is >= 400 and < 500, $"got {response.StatusCode}");
        Assert.IsEmpty(await StoredAsync(new string('a', 3000)));
    }

    [TestMethod]
    public async Task A_valid_assignment_is_stored_with_its_explicit_scope()
    {
        using HttpResponseMessage response = await host.Http.PutAsJsonAsync("/api/roleAssignments/ok-1",
            new { principalId = Principal, role = "auditor", scope = "/resourceGroups/west" });

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        RoleAssignment stored = (await StoredAsync("ok-1")).Single();
        Assert.AreEqual(("/resourceGroups/west", EdgeKvRole.Auditor, Principal),
            (stored.Scope, stored.Role, stored.PrincipalId));
        JsonElement answered = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("Auditor", answered.GetProperty("role").GetString(),
            "the role is answered by name, never as a number");
        using HttpResponseMessage listed = await host.Http.GetAsync("/api/roleAssignments");
        JsonElement item = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "ok-1");
        Assert.AreEqual(JsonValueKind.String, item.GetProperty("role").ValueKind);
    }

    [TestMethod]
    public async Task A_collection_read_at_a_scope_that_is_no_scope_is_a_400_and_a_valid_one_answers_its_items()
    {
        using HttpResponseMessage put = await host.Http.PutAsJsonAsync("/api/roleAssignments/at-east",
            new { principalId = Principal, role = "Auditor", scope = "/resourceGroups/east" });
        Assert.AreEqual(HttpStatusCode.OK, put.StatusCode);
        foreach (string query in new[] { "scope=/resources/a/b", "scope=resources/a", "scope=",
            "scope=/&scope=/resources/a", "scope=/subscriptions/x" })
        {
            foreach (string path in new[] { "/api/roleAssignments", "/api/audit" })
            {
                using HttpResponseMessage response = await host.Http.GetAsync($"{path}?{query}");
                Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, $"{path}?{query}");
                Assert.AreEqual("InvalidScope",
                    (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
            }
        }

        using HttpResponseMessage east = await host.Http.GetAsync("/api/roleAssignments?scope=/resourceGroups/EAST");
        string[] scopes = [.. (await east.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(a => a.GetProperty("scope").GetString()!)];
        CollectionAssert.AreEqual(new[] { "/resourceGroups/east" }, scopes);
    }

    [TestMethod]
    public async Task A_kms_provider_body_with_a_member_it_does_not_take_is_a_400()
    {
        foreach (string body in new[]
        {
            """{"keyCollection":"kmsvault1","credentials":{"clientId":"5e1d0c1a-0000-4000-8000-000000000001","clientSecret":"x","tenantId":"5e1d0c1a-0000-4000-8000-000000000002","authority":"https://evil.example"}}""",
            """{"keyCollection":"kmsvault1","endpoint":"https://evil.example"}""",
            """{"keyCollection":"kmsvault1","KeyCollection":"kmsvault2"}""",
        })
        {
            using HttpResponseMessage response = await host.Http.PutAsync("/api/kms/strict-kms",
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, body);
            Assert.AreEqual("InvalidRequestContent",
                (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }
    }

    [TestMethod]
    public async Task A_bad_row_already_stored_grants_nothing_and_does_not_take_the_principals_requests_down()
    {
        SecurityDatabase security = host.Services.GetRequiredService<SecurityDatabase>();
        await using (SqliteConnection connection = new($"Data Source={security.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO role_assignments (id, principal_id, role, scope, created_at, created_by) VALUES ('legacy', $p, '7', '/', 'not a time', 'x')";
            insert.Parameters.AddWithValue("$p", OperatorObjectId);
            await insert.ExecuteNonQueryAsync();
        }

        using var asOperator = new HttpClient { BaseAddress = host.Http.BaseAddress };
        asOperator.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await host.IssueTokenAsync("operator"));
        using HttpResponseMessage list = await asOperator.GetAsync("/api/resources");
        using HttpResponseMessage audit = await asOperator.GetAsync("/api/audit");

        Assert.AreEqual(HttpStatusCode.OK, list.StatusCode, "the operator's own app role still works");
        Assert.AreEqual(HttpStatusCode.Forbidden, audit.StatusCode,
            "the bad row grants nothing beyond the operator's role");
        Assert.IsEmpty(await StoredAsync("legacy"));
    }

    [TestMethod]
    public async Task Rotating_a_system_key_the_host_does_not_have_is_a_404_and_creates_nothing()
    {
        SystemKeyStore keys = host.Services.GetRequiredService<SystemKeyStore>();

        using HttpResponseMessage response = await host.Http.PostAsync("/admin/host/systemkeys/anything", null);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.IsFalse(keys.Exists("anything"));
    }
}
