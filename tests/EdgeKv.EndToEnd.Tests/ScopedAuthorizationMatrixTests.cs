using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeKv.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Every protected route against every role held through one of EdgeKv's role assignments at each scope: the service
/// (<c>/</c>), this resource (the route's own), another resource, this resource through an Entra group containing the
/// caller (the token's <c>groups</c> claim), the resources' subscription, their resource group named with its
/// subscription, and a subscription holding none of them. Each cell's principal is a fresh one holding that one grant,
/// nothing else (no app role). A service-level action answers only the service scope; a resource action its resource's
/// scopes; a list answers every holder of the permission, with only the items of its scope.
/// </summary>
[TestClass]
public sealed class ScopedAuthorizationMatrixTests
{
    private const string Nope = "ase-nope";
    private static readonly string[] Roles = ["SecurityTeam", "Operator", "Auditor"];
    private static readonly string[] Scopes = ["service", "this-resource", "other-resource", "group-this-resource",
        "subscription", "subscription-group", "other-subscription"];
    private const string OtherSubscription = "00000000-0000-4000-8000-0000000000c9";
    private static readonly string[] ItemPrincipal = ["0b1d0c1a-0000-4000-8000-0000000000e1"];
    private const string MatrixAlert = "scoped-matrix-alert";
    private static SecuredHost secured = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) => secured = await SecuredHost.SharedAsync();

    private enum Kind
    {
        /// <summary>Needs the service scope.</summary>
        Service,

        /// <summary>On ase-a or ase-nope: the scopes of that resource (this-resource covers both).</summary>
        Resource,

        /// <summary>A collection: any scope holding the permission; items outside it left out.</summary>
        List,

        /// <summary>Read at the resources' subscription: the service scope or that subscription.</summary>
        Subscription,
    }

    /// <summary>
    /// A route: its kind, the roles (S, O, A) whose permission table grants it, and the status when allowed.
    /// </summary>
    private sealed record Row(string Method, string Path, object? Body, Kind Kind, string Roles, int Allowed,
        Func<JsonElement, IEnumerable<string?>>? Items = null);

    private static IEnumerable<string?> ValueItems(JsonElement body, string property) =>
        body.GetProperty("value").EnumerateArray().Select(e => e.TryGetProperty(property,
            out JsonElement v) ? v.GetString() : null);

    private static Row[] InstanceRows(string api) =>
    [
        new("GET", $"{api}/instances", null, Kind.Service, "SOA", 200),
        new("GET", $"{api}/instances/activation-ase-a", null, Kind.Service, "SOA", 200),
        new("POST", $"{api}/orchestrators/HelloSequence", new[] { "Tokyo" }, Kind.Service, "SO", 202),
        new("POST", $"{api}/orchestrators/Activation/op-scoped-1", new { resourceName = "ase-a" }, Kind.Service, "",
            403),
        new("POST", $"{api}/instances/activation-ase-a/terminate", null, Kind.Service, "SO", 410),
        new("POST", $"{api}/instances/activation-ase-a/suspend", null, Kind.Service, "SO", 410),
        new("POST", $"{api}/instances/activation-ase-a/resume", null, Kind.Service, "SO", 410),
        new("POST", $"{api}/instances/activation-ase-a/raiseEvent/DeviceSyncResult", new { }, Kind.Service, "SO", 410),
        new("POST", $"{api}/instances/activation-ase-a/restart", null, Kind.Service, "", 403),
        new("DELETE", $"{api}/instances/no-such-instance", null, Kind.Service, "SO", 404),
        new("DELETE", $"{api}/instances?createdTimeFrom=2000-01-01T00:00:00Z&createdTimeTo=2000-01-02T00:00:00Z", null,
            Kind.Service, "S", 404),
    ];

    private static readonly Row[] Routes =
    [
        // Lists: every holder of the permission, the items of its scope only.
        new("GET", "/api/resources", null, Kind.List, "SOA", 200, b => ValueItems(b, "name")),
        new("GET", "/api/alerts", null, Kind.List, "SOA", 200, b => ValueItems(b, "resource")),
        new("GET", "/api/alerts/timeline", null, Kind.List, "SOA", 200),

        // An alert, resolved by the security team at the alert's resource (idempotent: 200 each time), and an id that
        // does not exist (the service scope only learns that).
        new("POST", $"/api/alerts/{MatrixAlert}/resolve", null, Kind.Resource, "S", 200),
        new("POST", "/api/alerts/no-such-alert/resolve", null, Kind.Service, "S", 404),

        // Collections read at a scope (the service's unless ?scope= names one), as Azure lists role assignments at a
        // scope.
        new("GET", "/api/audit?top=1000", null, Kind.Service, "SA", 200),
        new("GET", "/api/audit?top=1000&scope=/resources/ase-a", null, Kind.Resource, "SA", 200,
            b => ValueItems(b, "resource")),
        new("GET", "/api/roleAssignments", null, Kind.Service, "S", 200),
        new("GET", "/api/roleAssignments?scope=/resources/ase-a", null, Kind.Resource, "S", 200,
            b => ValueItems(b, "scope").Select(s => RoleAssignment.ResourceOf(s!) ?? s)),
        new("GET", $"/api/audit?top=1000&scope=/subscriptions/{EdgeKv.Emulator.EmulatorOptions.DefaultSubscription}",
            null, Kind.Subscription, "SA", 200, b => ValueItems(b, "resource")),
        new("GET", $"/api/roleAssignments?scope=/subscriptions/{EdgeKv.Emulator.EmulatorOptions.DefaultSubscription}",
            null, Kind.Subscription, "S", 200),

        // Role assignments, decided at the assignment's scope: one at ase-a, and ids that do not exist (service scope
        // only learns that).
        new("GET", "/api/roleAssignments/scoped-matrix-item", null, Kind.Resource, "S", 200),
        new("PUT", "/api/roleAssignments/scoped-matrix-item",
            new { principalId = ItemPrincipal[0], role = "Auditor", scope = "/resources/ase-a" }, Kind.Resource, "S",
            200),
        new("GET", "/api/roleAssignments/no-such-assignment", null, Kind.Service, "S", 404),
        new("DELETE", "/api/roleAssignments/no-such-assignment", null, Kind.Service, "S", 204),
        new("PUT", "/api/roleAssignments/scoped-matrix-root",
            new { principalId = ItemPrincipal[0], role = "Auditor", scope = "/" }, Kind.Service, "S", 200),

        // Service-level actions.
        new("GET", "/api/audit/verify", null, Kind.Service, "SA", 200),
        new("POST", "/api/health/sweep", null, Kind.Service, "SO", 202),
        new("GET", "/api/health/sweeps", null, Kind.Service, "SOA", 200),
        new("GET", "/api/keys", null, Kind.Service, "SA", 200),
        new("GET", "/api/keys/no-such-key", null, Kind.Service, "SA", 404),
        new("PUT", "/api/keys/scoped-key", new { type = "no-such-type" }, Kind.Service, "S", 400),
        new("PATCH", "/api/keys/no-such-key", new { deletionAllowed = true }, Kind.Service, "S", 404),
        new("DELETE", "/api/keys/no-such-key", null, Kind.Service, "S", 404),
        new("POST", "/api/keys/no-such-key/rotate", null, Kind.Service, "S", 404),
        new("GET", "/api/kms", null, Kind.Service, "SA", 200),
        new("GET", "/api/kms/no-such-kms", null, Kind.Service, "SA", 404),
        new("PUT", "/api/kms/scoped-kms", new { keyCollection = "-not-a-vault-" }, Kind.Service, "S", 400),
        new("DELETE", "/api/kms/no-such-kms", null, Kind.Service, "S", 404),
        new("GET", "/api/kms/no-such-kms/keys", null, Kind.Service, "SA", 404),
        new("GET", "/api/kms/no-such-kms/keys/k1", null, Kind.Service, "SA", 404),
        new("PUT", "/api/kms/no-such-kms/keys/k1", new { purpose = "sign", protection = "software" }, Kind.Service, "S",
            404),
        new("DELETE", "/api/kms/no-such-kms/keys/k1", null, Kind.Service, "S", 404),
        new("POST", "/api/kms/no-such-kms/keys/k1/heal", null, Kind.Service, "S", 404),
        new("POST", "/admin/host/systemkeys/scoped_key", null, Kind.Service, "S", 404),
        new("GET", "/openapi/v1.json", null, Kind.Service, "SOA", 200),
        .. InstanceRows("/api/durabletask"),

        // Resource actions on ase-a (exists) and ase-nope (does not: 404 to those who may act on it, 403 to the rest).
        new("GET", "/api/resources/ase-a", null, Kind.Resource, "SOA", 200),
        new("GET", $"/api/resources/{Nope}", null, Kind.Resource, "SOA", 404),
        new("PUT", "/api/resources/ase-a", new { }, Kind.Resource, "SO", 200),
        new("DELETE", $"/api/resources/{Nope}?confirm={Nope}&deleteVault=No", null, Kind.Resource, "S", 404),
        new("POST", $"/api/resources/{Nope}/activationKey", new { }, Kind.Resource, "SO", 404),
        new("GET", "/api/resources/ase-a/activationKey", null, Kind.Resource, "SO", 403),
        // no one-time fetch token: refused to all
        new("POST", $"/api/resources/{Nope}/activationKey/regenerate", null, Kind.Resource, "SO", 404),
        new("POST", $"/api/resources/{Nope}/recoverIdentityAccess", null, Kind.Resource, "SO", 404),
        new("POST", $"/api/resources/{Nope}/recoverVault", new { }, Kind.Resource, "SO", 404),
        new("POST", $"/api/resources/{Nope}/syncDeviceSecrets", null, Kind.Resource, "SO", 404),
        new("POST", $"/api/resources/{Nope}/deviceCredential/revoke", null, Kind.Resource, "S", 404),
        new("PUT", "/api/resources/ase-a/customerSecrets/scoped-secret", new { value = "scoped-matrix-value" },
            Kind.Resource, "S", 200),
        new("GET", "/api/resources/ase-a/customerSecrets", null, Kind.Resource, "SOA", 200),
        new("GET", $"/api/resources/ase-a/customerSecrets/{SecuredHost.CustomerSecret}", null, Kind.Resource, "SOA",
            200),
        new("DELETE", $"/api/resources/{Nope}/customerSecrets/scoped-secret", null, Kind.Resource, "S", 404),
        new("GET", "/api/resources/ase-a/deletedCustomerSecrets", null, Kind.Resource, "SOA", 200),
        new("POST", $"/api/resources/{Nope}/deletedCustomerSecrets/scoped-secret/recover", null, Kind.Resource, "S",
            404),
        new("POST", $"/api/resources/{Nope}/rotateChannelIntegrityKey", null, Kind.Resource, "S", 404),
        new("GET", "/api/resources/ase-a/security", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/secrets", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/secrets?includeValues=true", null, Kind.Resource, "S", 200),
        new("GET", "/api/resources/ase-a/security/accessPolicies", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/diagnostics", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/identity", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/locks", null, Kind.Resource, "SOA", 200),
        new("GET", "/api/resources/ase-a/security/auditLogs", null, Kind.Resource, "SA", 200),
        new("GET", "/api/resources/ase-a/security/insights", null, Kind.Resource, "SA", 200),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null,
            Kind.Resource, "S", 404),
        new("POST", "/api/resources/ase-a/vaultRoleAssignments/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null,
            Kind.Resource, "S", 409),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-0000000000ab/accept", null,
            Kind.Resource, "S", 404),

        // A device's own routes: no role holds them at any scope.
        new("PUT", "/api/device/ase-a/secrets",
            new { bitLockerRecoveryKey = SecuredHost.BitLocker, bmcUserPassword = SecuredHost.Bmc }, Kind.Resource, "",
            403),
        new("GET", "/api/device/ase-a/customerSecrets/share-user1", null, Kind.Resource, "", 403),
        new("POST", "/api/device/ase-a/credential", null, Kind.Resource, "", 403),
        new("GET", "/api/device/ase-a/syncRequest", null, Kind.Resource, "", 403),
        new("PUT", "/api/device/ase-a/sync/r1", new { }, Kind.Resource, "", 403),
    ];

    private static int Expected(Row row, string role, string scope)
    {
        if (!row.Roles.Contains(role[0], StringComparison.Ordinal)) return 403;
        bool allowed = row.Kind switch
        {
            Kind.Service => scope == "service",
            Kind.Subscription => scope is "service" or "subscription",
            // A subscription or a group holds the resources recorded in it: never one EdgeKv does not manage.
            Kind.Resource => scope switch
            {
                "other-resource" or "other-subscription" => false,
                "subscription" or "subscription-group" => !row.Path.Contains(Nope, StringComparison.Ordinal),
                _ => true,
            },
            _ => true,
        };
        return allowed ? row.Allowed : 403;
    }

    /// <summary>The resources whose items a list may hold for a caller of this scope (null: any).</summary>
    private static string[]? VisibleResources(string scope) => scope switch
    {
        "service" => null,
        "other-resource" => [SecuredHost.B],
        "subscription" or "subscription-group" => null, // every resource of the shared host is in them
        "other-subscription" => [],
        _ => [SecuredHost.A, Nope],
    };

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Every_route_answers_every_role_at_every_scope_at_that_scope_only()
    {
        await PutAsync("scoped-matrix-item", ItemPrincipal[0], "Auditor", "/resources/ase-a");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await secured.Host.Services.GetRequiredService<AlertStore>().ImportAsync(new Alert(MatrixAlert, SecuredHost.A,
            AlertKind.SelfGrantedDataPlaneAccess, AlertSeverity.Critical, AlertState.Active,
            "a self-grant for the matrix",
            AlertKinds.HealingFor(AlertKind.SelfGrantedDataPlaneAccess, SecuredHost.A), now, now, null, 1,
            ItemPrincipal[0]));
        var callers = new Dictionary<(string Role, string Scope), string>();
        foreach (string role in Roles)
        {
            foreach (string scope in Scopes)
            {
                callers[(role, scope)] = await GrantAsync(role, scope);
            }
        }

        var failures = new List<string>();
        int cells = 0;
        foreach (Row row in Routes)
        {
            foreach (((string role, string scope), string token) in callers)
            {
                using HttpResponseMessage response = await SendAsync(token, row.Method, row.Path, row.Body);
                string body = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);
                int expected = Expected(row, role, scope);
                cells++;
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{row.Method} {row.Path} as {role} at {scope}: {(int)response.StatusCode}, expected {expected}: {Truncate(body)}");
                }
                else if (expected == 200 && row.Items is { } items && VisibleResources(scope) is { } visible)
                {
                    string?[] outside = [.. items(JsonDocument.Parse(body).RootElement).Where(r => !visible.Contains(r,
                        StringComparer.OrdinalIgnoreCase))];
                    if (outside.Length > 0) failures.Add($"{row.Method} {row.Path} as {role} at {scope}: items outside its scope: {string.Join(", ", outside.Distinct())}");
                }
            }
        }

        TestContext.WriteLine($"{Routes.Length} routes x {Roles.Length} roles x {Scopes.Length} scopes = {cells} cells checked.");
        Assert.AreEqual(Routes.Length * Roles.Length * Scopes.Length, cells);
        Assert.AreEqual(0, failures.Count, $"{failures.Count} of {cells} cells:\n" + string.Join('\n', failures));
    }

    /// <summary>
    /// The table above names every protected route the host serves (functions and host routes), with each of its
    /// methods.
    /// </summary>
    [TestMethod]
    public void The_matrix_covers_every_protected_route()
    {
        var missing = new List<string>();
        foreach (RouteEndpoint endpoint in secured.Host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<RequiresPermissionAttribute>() is null) continue;
            string template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            string pattern = "^" + string.Concat(template.Split('/',
                StringSplitOptions.RemoveEmptyEntries).Select(segment =>
                segment.StartsWith('{') ? (segment.EndsWith("?}",
                    StringComparison.Ordinal) ? "(/[^/?]+)?" : "/[^/?]+") : "/" + Regex.Escape(segment))) + @"(\?.*)?$";
            foreach (string method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (!Routes.Any(r => r.Method == method && Regex.IsMatch(r.Path,
                    pattern))) missing.Add($"{method} {template}");
            }
        }

        Assert.IsEmpty(missing, "routes the matrix does not cover: " + string.Join("; ", missing));
    }

    /// <summary>
    /// A fresh principal holding <paramref name="role"/> at one scope only (directly, or through a fresh group); its
    /// token.
    /// </summary>
    private static async Task<string> GrantAsync(string role, string scope)
    {
        Guid principal = Guid.NewGuid();
        Guid group = Guid.NewGuid();
        string id = $"scoped-{role}-{scope}";
        switch (scope)
        {
            case "service":
                await PutAsync(id, principal.ToString(), role, "/");
                break;
            case "this-resource":
                await PutAsync(id, principal.ToString(), role, "/resources/ase-a");
                await PutAsync(id + "-nope", principal.ToString(), role, $"/resources/{Nope}");
                break;
            case "other-resource":
                await PutAsync(id, principal.ToString(), role, "/resources/ase-b");
                break;
            case "subscription":
                await PutAsync(id, principal.ToString(), role,
                    $"/subscriptions/{secured.Host.Emulator.SubscriptionId}");
                break;
            case "subscription-group":
                await PutAsync(id, principal.ToString(), role,
                    $"/subscriptions/{secured.Host.Emulator.SubscriptionId}/resourceGroups/{ProvisionedState.ResourceGroup}");
                break;
            case "other-subscription":
                await PutAsync(id, principal.ToString(), role, $"/subscriptions/{OtherSubscription}");
                break;
            default:
                await PutAsync(id, group.ToString(), role, "/resources/ase-a");
                await PutAsync(id + "-nope", group.ToString(), role, $"/resources/{Nope}");
                return await secured.Host.IssueTokenAsync("no-roles", groups: [group], objectId: principal);
        }

        return await secured.Host.IssueTokenAsync("no-roles", objectId: principal);
    }

    private static async Task PutAsync(string id, string principalId, string role, string scope)
    {
        using HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
            $"/api/roleAssignments/{id}", new { principalId, role, scope });
        Assert.AreEqual(System.Net.HttpStatusCode.OK, put.StatusCode, await put.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(string token, string method, string path, object? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var client = new HttpClient { BaseAddress = secured.Host.Api.BaseAddress };
        return await client.SendAsync(request);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
