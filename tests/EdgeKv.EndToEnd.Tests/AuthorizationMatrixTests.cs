using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Every route against every caller: the three roles, a principal without roles, the device of the resource and of
/// another one, and no credential, a bad token, an expired token, a token for another audience, a bad device
/// credential. Each cell's status follows the role table in docs/security.md; no body a caller gets holds a secret
/// value it may not read.
/// </summary>
[TestClass]
public sealed class AuthorizationMatrixTests
{
    private const int Unauthenticated = 401;
    private static readonly string[] Unauthenticated401 = ["none", "bad-token", "expired-token", "other-audience",
        "bad-device"];
    private static SecuredHost secured = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) => secured = await SecuredHost.SharedAsync();

    /// <summary>
    /// A protected route: expected status for the security team, the operator, the auditor and the resource's own
    /// device.
    /// </summary>
    private sealed record Row(string Method, string Path, object? Body, int Security, int Operator, int Auditor,
        int DeviceA, int? Everyone = null);

    /// <summary>
    /// The instance-management API's rows, for the local host's routes and for the functions that serve the same API.
    /// </summary>
    private static Row[] ManagementRows(string api) =>
    [
        new("GET", $"{api}/instances", null, 200, 200, 200, 403),
        new("GET", $"{api}/instances/activation-ase-a", null, 200, 200, 200, 403),
        new("POST", $"{api}/orchestrators/HelloSequence", new[] { "Tokyo" }, 202, 202, 403, 403),
        // Through the management API no flow but the diagnostic one starts, whoever asks; controlling an instance needs
        // the permission of its flow's own starter (terminate, raise: 410 once finished; restart: refused).
        new("POST", $"{api}/orchestrators/DeleteResource/op-delete-1",
            new { resourceName = "ase-a",
                resourceId = "/subscriptions/x/resourceGroups/y/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-a", resourceGroup = "y", deleteVault = true }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/Activation/op-activation-1", new { resourceName = "ase-a" }, 403, 403, 403,
            403),
        new("POST", $"{api}/orchestrators/RegenerateActivationKey", new { resourceName = "ase-a" }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/RecoverVault", new { resourceName = "ase-a" }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/RecoverIdentityAccess", "ase-a", 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/SyncDeviceSecrets", new { resourceName = "ase-a" }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/RotateChannelIntegrityKey",
            new { resourceName = "ase-a", deviceSyncTimeout = "00:01:00", trigger = "x" }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/HealthSweep/spin-1", new { }, 403, 403, 403, 403),
        new("POST", $"{api}/orchestrators/Notification", new { kind = "x", summary = "y" }, 403, 403, 403, 403),
        new("POST", $"{api}/instances/activation-ase-a/restart", null, 403, 403, 403, 403),
        new("POST", $"{api}/instances/activation-ase-a/terminate", null, 410, 410, 403, 403),
        new("POST", $"{api}/instances/activation-ase-a/raiseEvent/DeviceSyncResult", new { }, 410, 410, 403, 403),
        new("DELETE", $"{api}/instances?createdTimeFrom=2000-01-01T00:00:00Z&createdTimeTo=2000-01-02T00:00:00Z", null,
            404, 403, 403, 403),
    ];

    private static readonly Row[] Routes =
    [
        new("GET", "/api/resources", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-nope", null, 404, 404, 404, 403),
        new("PUT", "/api/resources/ase-a", new { }, 200, 200, 403, 403),
        new("POST", "/api/resources/ase-nope/activationKey", new { }, 404, 404, 403, 403),
        new("GET", "/api/resources/ase-a/activationKey", null, 403, 403, 403, 403),
        // without the starter's one-time fetch token
        new("PUT", "/api/resources/ase-a/customerSecrets/matrix-secret", new { value = "matrix-value-1" }, 200, 403,
            403, 403),
        new("PUT", "/api/device/ase-a/secrets",
            new { bitLockerRecoveryKey = SecuredHost.BitLocker, bmcUserPassword = SecuredHost.Bmc }, 403, 403, 403,
            200),
        new("GET", "/api/device/ase-a/customerSecrets/share-user1", null, 403, 403, 403, 200),
        new("GET", "/api/resources/ase-a/customerSecrets", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/customerSecrets/share-user1", null, 200, 200, 200, 403),
        new("DELETE", "/api/resources/ase-nope/customerSecrets/matrix-secret", null, 404, 403, 403, 403),
        new("GET", "/api/resources/ase-a/deletedCustomerSecrets", null, 200, 200, 200, 403),
        new("POST", "/api/resources/ase-nope/deletedCustomerSecrets/matrix-secret/recover", null, 404, 403, 403, 403),
        new("POST", "/api/resources/ase-nope/rotateChannelIntegrityKey", null, 404, 403, 403, 403),
        new("POST", "/api/device/ase-nope/credential", null, 403, 403, 403, 403),
        // a device rotates its own credential only
        new("POST", "/api/resources/ase-nope/deviceCredential/revoke", null, 404, 403, 403, 403),
        new("GET", "/api/resources/ase-a/security", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/secrets", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/secrets?includeValues=true", null, 200, 403, 403, 403),
        new("GET", "/api/resources/ase-a/security/accessPolicies", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/diagnostics", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/identity", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/locks", null, 200, 200, 200, 403),
        new("GET", "/api/resources/ase-a/security/auditLogs", null, 200, 403, 200, 403),
        new("GET", "/api/resources/ase-a/security/insights", null, 200, 403, 200, 403),
        new("GET", "/api/audit", null, 200, 403, 200, 403),
        new("GET", "/api/audit/verify", null, 200, 403, 200, 403),
        new("GET", "/api/roleAssignments", null, 200, 403, 403, 403),
        new("PUT", "/api/roleAssignments/matrix",
            new { principalId = "0b1d0c1a-0000-4000-8000-0000000000aa", role = "Auditor", scope = "/" }, 200, 403, 403,
            403),
        new("POST", "/admin/host/systemkeys/matrix_key", null, 404, 403, 403, 403),
        // only keys the host has can be rotated
        .. ManagementRows("/api/durabletask"),
            // EdgeKv's instance API (the host's /runtime/webhooks/durabletask takes its system key only)
        new("GET", "/openapi/v1.json", null, 200, 200, 200, 403),
        new("GET", "/api/alerts", null, 200, 200, 200, 403),
        new("GET", "/api/alerts/timeline", null, 200, 200, 200, 403),
        new("POST", "/api/alerts/no-such-alert/resolve", null, 404, 403, 403, 403),
        new("GET", "/api/health/sweeps", null, 200, 200, 200, 403),
        new("POST", "/api/resources/ase-nope/recoverIdentityAccess", null, 404, 404, 403, 403),
        new("POST", "/api/resources/ase-nope/recoverVault", new { }, 404, 404, 403, 403),
        new("POST", "/api/resources/ase-nope/syncDeviceSecrets", null, 404, 404, 403, 403),
        new("POST", "/api/resources/ase-nope/activationKey/regenerate", null, 404, 404, 403, 403),
        new("DELETE", "/api/resources/ase-nope?confirm=ase-nope&deleteVault=No", null, 404, 403, 403, 403),
        // Key management: the security team manages keys and providers, auditors read metadata, operators and devices
        // get nothing.
        new("GET", "/api/keys", null, 200, 403, 200, 403),
        new("PUT", "/api/keys/matrix-key", new { type = "ecdsa-p256" }, 201, 403, 403, 403),
        new("GET", "/api/keys/matrix-key", null, 200, 403, 200, 403),
        new("PATCH", "/api/keys/matrix-key", new { deletionAllowed = true }, 200, 403, 403, 403),
        new("POST", "/api/keys/nope/rotate", null, 404, 403, 403, 403),
        new("DELETE", "/api/keys/nope", null, 404, 403, 403, 403),
        new("PUT", "/api/kms/matrix-kms", new { provider = "azurekeyvault", keyCollection = "matrix-vault" }, 201, 403,
            403, 403),
        new("GET", "/api/kms", null, 200, 403, 200, 403),
        new("GET", "/api/kms/matrix-kms", null, 200, 403, 200, 403),
        new("GET", "/api/kms/matrix-kms/keys", null, 200, 403, 200, 403),
        new("GET", "/api/kms/matrix-kms/keys/matrix-key", null, 404, 403, 404, 403),
        new("PUT", "/api/kms/matrix-kms/keys/nope", new { purpose = "sign", protection = "software" }, 404, 403, 403,
            403),
        new("DELETE", "/api/kms/matrix-kms/keys/matrix-key", null, 404, 403, 403, 403),
        new("DELETE", "/api/kms/nope", null, 404, 403, 403, 403),
        new("POST", "/api/kms/matrix-kms/keys/matrix-key/heal", null, 404, 403, 403, 403),
        new("POST", "/api/durabletask/orchestrators/RotateKey", new { keyName = "matrix-key", newVersion = 2 }, 403,
            403, 403, 403),
        new("POST", "/api/durabletask/orchestrators/DistributeKey",
            new { keyName = "matrix-key", kmsName = "matrix-kms", purpose = new[] { "sign" }, protection = "hsm" }, 403,
            403, 403, 403),
        // Access-policy drift is the security team's to heal (remove, 202) or accept (audited); EdgeKv's own
        // entry, exactly as granted, is neither removed nor accepted (409); an entry the vault lacks is a 404.
        new("POST", "/api/resources/ase-nope/accessPolicies/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null, 404,
            403, 403, 403),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null, 404, 403,
            403, 403),
        new("POST", "/api/resources/ase-a/accessPolicies/not-a-guid/remove", null, 400, 403, 403, 403),
        new("POST", "/api/resources/ase-nope/vaultRoleAssignments/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null,
            404, 403, 403, 403),
        new("POST", "/api/resources/ase-a/vaultRoleAssignments/not-a-guid/remove", null, 400, 403, 403, 403),
        new("POST", "/api/resources/ase-a/vaultRoleAssignments/0b1d0c1a-0000-4000-8000-0000000000ab/remove", null, 409,
            403, 403, 403),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-0000000000ab/accept", null, 404, 403,
            403, 403),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-000000000001/accept", null, 409, 403,
            403, 403),
        new("POST", "/api/resources/ase-a/accessPolicies/0b1d0c1a-0000-4000-8000-000000000001/remove", null, 409, 403,
            403, 403),
        new("POST", "/api/durabletask/orchestrators/RemoveAccessPolicy",
            new { resourceName = "ase-a", objectId = "0b1d0c1a-0000-4000-8000-0000000000ab" }, 403, 403, 403, 403),
        // The seed's role table (docs/security.md, "Roles, against the seed's table"): the operator's one data-plane
        // right is secret names (no values, no keys, no writes); the auditor reads management views and changes
        // nothing.
        new("GET", "/api/resources/ase-a/security/secrets", null, 200, 200, 200, 403),
        new("PUT", "/api/resources/ase-a/customerSecrets/seed-table", new { value = "seed-table-value" }, 200, 403, 403,
            403),
        new("GET", "/api/resources/ase-a/security/accessPolicies", null, 200, 200, 200, 403),
        new("POST", "/api/resources/ase-nope/activationKey/regenerate", null, 404, 404, 403, 403),
        new("POST", "/api/resources/ase-nope/recoverVault", new { }, 404, 404, 403, 403),
        new("GET", "/healthz", null, 0, 0, 0, 0, Everyone: 200),
        new("POST", "/api/device/activate", new { activationKey = "EKV1.bad.key" }, 0, 0, 0, 0, Everyone: 400),
        new("POST", "/api/eventgrid?functionName=VaultDeleted", new[] { new { } }, 0, 0, 0, 0, Everyone: 401),
        // The dashboard (local mode): its page and sign-in settings need no credential; unknown API routes stay 404.
        new("GET", "/", null, 0, 0, 0, 0, Everyone: 200),
        new("GET", "/config.json", null, 0, 0, 0, 0, Everyone: 200),
        new("POST", "/local/token", new { principal = "edgekv-service" }, 0, 0, 0, 0, Everyone: 400),
        // The dashboard as Azure serves it (the app's ServeDashboard function): no credential either.
        new("GET", "/api/dashboard/", null, 0, 0, 0, 0, Everyone: 200),
        new("GET", "/api/dashboard/config.json", null, 0, 0, 0, 0, Everyone: 200),
        new("GET", "/api/no-such-route", null, 0, 0, 0, 0, Everyone: 404),
    ];

    private static int Expected(Row row, string caller)
    {
        if (row.Everyone is { } all) return all;
        if (Unauthenticated401.Contains(caller)) return Unauthenticated;
        return caller switch
        {
            "security-team" => row.Security,
            "operator" => row.Operator,
            "auditor" => row.Auditor,
            "device-a" => row.DeviceA,
            _ => 403, // no-roles, device-b: known callers without the right
        };
    }

    [TestMethod]
    public async Task Every_route_answers_every_caller_as_the_role_table_says_and_leaks_no_secret()
    {
        var failures = new List<string>();
        var bodies = new List<string>();
        int cells = 0;
        foreach (Row row in Routes)
        {
            foreach (string caller in secured.Callers.Keys)
            {
                using HttpResponseMessage response = await secured.SendAsync(caller, new HttpMethod(row.Method),
                    row.Path, row.Body);
                int expected = Expected(row, caller);
                string body = await response.Content.ReadAsStringAsync();
                cells++;
                if ((int)response.StatusCode != expected) failures.Add($"{row.Method} {row.Path} as {caller}: {(int)response.StatusCode}, expected {expected}: {Truncate(body)}");
                if (response.StatusCode == HttpStatusCode.Unauthorized && row.Everyone is null)
                {
                    if (response.Headers.WwwAuthenticate.Count == 0) failures.Add($"{row.Method} {row.Path} as {caller}: 401 without WWW-Authenticate");
                }

                bool mayReadValues = caller == "security-team" && row.Path.Contains("includeValues=true",
                    StringComparison.Ordinal);
                if (!mayReadValues) bodies.Add(body);
            }
        }

        TestContext.WriteLine($"{cells} cells checked.");
        Assert.AreEqual(0, failures.Count, string.Join('\n', failures));

        var needles = SecretScan.Needles(new Dictionary<string, string>
        {
            ["CIK a"] = secured.Ciks[SecuredHost.A],
            ["CIK b"] = secured.Ciks[SecuredHost.B],
            ["BitLocker recovery key"] = SecuredHost.BitLocker,
            ["BMC password"] = SecuredHost.Bmc,
            ["customer secret"] = SecuredHost.CustomerValue,
            ["activation key a"] = secured.ActivationKeys[SecuredHost.A],
            ["activation key b"] = secured.ActivationKeys[SecuredHost.B],
            ["device credential a"] = secured.DeviceCredentials[SecuredHost.A],
            ["device credential b"] = secured.DeviceCredentials[SecuredHost.B],
        });
        SecretScan.AssertAbsentInText("the response bodies", bodies, needles);
        SecretScan.AssertAbsentInText("the host's log output", secured.Host.Logs.Lines, needles);
        int files = SecretScan.AssertAbsentInFolder(secured.Host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        Assert.IsTrue(File.Exists(Path.Combine(secured.Host.DataPath, "security.db")) && files >= 3);
    }

    [TestMethod]
    public async Task The_operators_data_plane_is_secret_names_only_and_neither_operators_nor_auditors_hold_vault_access()
    {
        using HttpResponseMessage names = await secured.SendAsync("operator", HttpMethod.Get,
            "/api/resources/ase-a/security/secrets", null);
        Assert.AreEqual(HttpStatusCode.OK, names.StatusCode);
        JsonElement secrets = (await names.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value");
        Assert.IsTrue(secrets.GetArrayLength() > 0, "the operator sees the names");
        Assert.IsTrue(secrets.EnumerateArray().All(x => !x.TryGetProperty("value",
            out JsonElement v) || v.ValueKind == JsonValueKind.Null), "never a value");

        // EdgeKv reads on their behalf: no operator or auditor principal is ever in a vault's access policies.
        using HttpResponseMessage policies = await secured.SendAsync("security-team", HttpMethod.Get,
            "/api/resources/ase-a/security/accessPolicies", null);
        string[] objectIds = [.. (await policies.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(p => p.GetProperty("objectId").GetString()!)];
        foreach (string principal in new[] { "operator", "auditor" })
        {
            CollectionAssert.DoesNotContain(objectIds,
                secured.Host.Emulator.GetPrincipal(principal).ObjectId.ToString(), principal);
        }
    }

    private static string Truncate(string body) => body.Length > 200 ? body[..200] : body;
}
