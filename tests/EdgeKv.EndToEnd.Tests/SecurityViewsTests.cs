using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The security views return what the emulator holds, field by field; insights add up to the audit records. They read
/// ase-b, which no other test class writes to while they run (the classes run in parallel).
/// </summary>
[TestClass]
public sealed class SecurityViewsTests
{
    private static SecuredHost secured = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) => secured = await SecuredHost.SharedAsync();

    private static async Task<JsonElement> GetOkAsync(string caller, string path)
    {
        using HttpResponseMessage response = await secured.SendAsync(caller, HttpMethod.Get, path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ResourceAsync(string name) => await GetOkAsync("security-team",
        $"/api/resources/{name}");

    [TestMethod]
    public async Task Secrets_view_lists_what_the_vault_holds_and_values_only_for_the_security_team_each_read_audited()
    {
        SecretClient vault = secured.Host.Factory.CreateSecretClient(new Uri((await ResourceAsync(SecuredHost.B)).GetProperty("vault").GetProperty("uri").GetString()!));
        var expected = new List<SecretProperties>();
        await foreach (SecretProperties p in vault.GetPropertiesOfSecretsAsync()) expected.Add(p);
        expected.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));

        JsonElement names = (await GetOkAsync("auditor", "/api/resources/ase-b/security/secrets")).GetProperty("value");
        Assert.AreEqual(expected.Count, names.GetArrayLength());
        for (int i = 0; i < expected.Count; i++)
        {
            JsonElement v = names[i];
            Assert.AreEqual(expected[i].Name, v.GetProperty("name").GetString());
            Assert.AreEqual(expected[i].Version, v.GetProperty("version").GetString());
            Assert.AreEqual(expected[i].Enabled, v.GetProperty("enabled").GetBoolean());
            Assert.AreEqual(expected[i].UpdatedOn, v.GetProperty("updated").GetDateTimeOffset());
            Assert.AreEqual(JsonValueKind.Null, v.GetProperty("value").ValueKind,
                "no value without includeValues and the security role");
            int versions = 0;
            await foreach (SecretProperties _ in vault.GetPropertiesOfSecretVersionsAsync(expected[i].Name)) versions++;
            Assert.AreEqual(versions, v.GetProperty("versions").GetInt32());
        }

        using HttpResponseMessage denied = await secured.SendAsync("auditor", HttpMethod.Get,
            "/api/resources/ase-b/security/secrets?includeValues=true");
        Assert.AreEqual(HttpStatusCode.Forbidden, denied.StatusCode);

        JsonElement values = (await GetOkAsync("security-team",
            "/api/resources/ase-b/security/secrets?includeValues=true")).GetProperty("value");
        var byName = values.EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!,
            v => v.GetProperty("value").GetString());
        Assert.AreEqual(SecuredHost.BitLocker, byName["BitLockerRecoveryKey"]);
        Assert.AreEqual(SecuredHost.Bmc, byName["BmcUserPassword"]);
        Assert.AreEqual(SecuredHost.CustomerValue, byName[SecuredHost.CustomerSecret]);
        Assert.AreEqual(secured.Ciks[SecuredHost.B], byName["ChannelIntegrityKey"]);

        JsonElement audit = (await GetOkAsync("auditor",
            "/api/audit?operation=SecretValueRead&resource=ase-b&result=Succeeded&top=1000")).GetProperty("value");
        foreach (string name in byName.Keys)
        {
            Assert.IsTrue(audit.EnumerateArray().Any(r => r.GetProperty("secretName").GetString() == name && r.GetProperty("principal").GetString() == "0b1d0c1a-0000-4000-8000-000000000004"),
                $"the read of {name} is audited with the reader");
        }
    }

    [TestMethod]
    public async Task Access_policies_identity_locks_and_diagnostics_views_match_the_emulator()
    {
        JsonElement resource = await ResourceAsync(SecuredHost.B);
        string vaultName = secured.VaultNames[SecuredHost.B];
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        VaultProperties vault = await secured.Host.Factory.GetVaultsClient().GetAsync(ProvisionedState.ResourceGroup,
            vaultName);

        JsonElement policies = (await GetOkAsync("auditor",
            "/api/resources/ase-b/security/accessPolicies")).GetProperty("value");
        Assert.AreEqual(vault.AccessPolicies.Count, policies.GetArrayLength());
        foreach (VaultAccessPolicy p in vault.AccessPolicies)
        {
            JsonElement v = policies.EnumerateArray().Single(e => e.GetProperty("objectId").GetString() == p.ObjectId);
            CollectionAssert.AreEquivalent(p.Secrets.ToList(),
                v.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()).ToList());
            Assert.IsFalse(v.GetProperty("flagged").GetBoolean(), $"EdgeKv granted {p.ObjectId} ({v.GetProperty("who").GetString()})");
        }

        ManagedIdentityInfo identity = (await secured.Host.Emulator.Admin.GetIdentityAsync(resource.GetProperty("resourceId").GetString()!))!;
        JsonElement idView = await GetOkAsync("operator", "/api/resources/ase-b/security/identity");
        Assert.IsTrue(idView.GetProperty("enabled").GetBoolean());
        Assert.AreEqual(identity.PrincipalId, idView.GetProperty("principalId").GetGuid());
        Assert.AreEqual(identity.TenantId, idView.GetProperty("tenantId").GetGuid());
        Assert.IsTrue(idView.GetProperty("hasVaultAccess").GetBoolean());

        ManagementLocksClient locks = secured.Host.Factory.GetManagementLocksClient();
        var expectedLocks = new List<ResourceLock>(await locks.ListAsync(vaultId));
        expectedLocks.AddRange(await locks.ListAsync(resource.GetProperty("auditStorageAccountId").GetString()!));
        JsonElement lockView = (await GetOkAsync("auditor",
            "/api/resources/ase-b/security/locks")).GetProperty("value");
        CollectionAssert.AreEquivalent(expectedLocks.Select(l => $"{l.Id}|{l.Level}").ToList(),
            lockView.EnumerateArray().Select(l => $"{l.GetProperty("id").GetString()}|{l.GetProperty("level").GetString()}").ToList());
        Assert.IsTrue(expectedLocks.Count >= 2, "the vault and the audit storage account are locked");

        IReadOnlyList<DiagnosticSetting> settings = await secured.Host.Factory.GetDiagnosticSettingsClient().ListAsync(vaultId);
        JsonElement diagnostics = await GetOkAsync("auditor", "/api/resources/ase-b/security/diagnostics");
        JsonElement diag = diagnostics.GetProperty("value");
        Assert.AreEqual(settings.Count, diag.GetArrayLength());
        Assert.AreEqual(settings[0].StorageAccountId, diag[0].GetProperty("storageAccountId").GetString());
        CollectionAssert.AreEquivalent(settings[0].Categories.Concat(settings[0].CategoryGroups).ToList(),
            diag[0].GetProperty("categories").EnumerateArray().Concat(diag[0].GetProperty("categoryGroups").EnumerateArray()).Select(c => c.GetString()).ToList());

        // The audit storage account's hardened settings, as the emulator holds them after activation.
        string auditAccountId = resource.GetProperty("auditStorageAccountId").GetString()!;
        StorageAccount audit = await secured.Host.Factory.GetStorageAccountsClient().GetAsync(ProvisionedState.ResourceGroup, auditAccountId.Split('/')[^1]);
        JsonElement auditView = diagnostics.GetProperty("auditStorage");
        Assert.AreEqual(auditAccountId, auditView.GetProperty("id").GetString(), ignoreCase: true);
        Assert.IsFalse(audit.AllowSharedKeyAccess);
        Assert.AreEqual(audit.AllowSharedKeyAccess, auditView.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.AreEqual(audit.AllowBlobPublicAccess, auditView.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.AreEqual("TLS1_2", auditView.GetProperty("minimumTlsVersion").GetString());
        Assert.AreEqual(365, auditView.GetProperty("immutabilityDays").GetInt32());
        Assert.AreEqual("Unlocked", auditView.GetProperty("immutabilityState").GetString());
        Assert.IsTrue(auditView.GetProperty("allowProtectedAppendWrites").GetBoolean(),
            "Azure Monitor appends to its hourly blobs");
        Assert.AreEqual(JsonValueKind.Null, diagnostics.GetProperty("vaultNetwork").ValueKind,
            "no network ACLs unless allowed ranges are configured");

        JsonElement summary = await GetOkAsync("operator", "/api/resources/ase-b/security");
        Assert.AreEqual(vaultName, summary.GetProperty("vaultName").GetString());
        Assert.AreEqual(vaultId, summary.GetProperty("vaultId").GetString());
        Assert.IsTrue(summary.GetProperty("portalLink").GetString()!.EndsWith(vaultId, StringComparison.Ordinal));
        Assert.AreEqual(identity.PrincipalId, summary.GetProperty("identity").GetProperty("principalId").GetGuid());
        Assert.AreEqual(expectedLocks.Count, summary.GetProperty("locks").GetArrayLength());
        Assert.AreEqual(settings.Count, summary.GetProperty("diagnostics").GetArrayLength());
    }

    [TestMethod]
    public async Task Audit_logs_view_pages_the_vaults_audit_records_and_insights_add_up_to_them()
    {
        JsonElement resource = await ResourceAsync(SecuredHost.B);
        string account = resource.GetProperty("auditStorageAccountId").GetString()!.Split('/')[^1];
        IReadOnlyList<KeyVaultAuditRecord> stored = await secured.Host.Factory.CreateAuditLogsClient(account)
            .GetAuditRecordsAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);
        Assert.IsTrue(stored.Count > 0, "the vault's audit records reach the storage account");
        DateTimeOffset to = stored.Max(r => r.Time).AddTicks(1); // records written later (other tests) fall after the window
        string window = $"to={Uri.EscapeDataString(to.ToString("O"))}";

        var paged = new List<JsonElement>();
        string? next = $"/api/resources/ase-b/security/auditLogs?top=3&{window}";
        while (next is not null)
        {
            JsonElement page = await GetOkAsync("auditor", next);
            paged.AddRange(page.GetProperty("value").EnumerateArray());
            next = page.GetProperty("nextLink").ValueKind == JsonValueKind.Null ? null : new Uri(page.GetProperty("nextLink").GetString()!).PathAndQuery;
        }

        List<KeyVaultAuditRecord> inWindow = [.. stored.Where(r => r.Time < to).OrderBy(r => r.Time)];
        Assert.AreEqual(inWindow.Count, paged.Count);
        CollectionAssert.AreEquivalent(inWindow.Select(r => r.Id).ToList(),
            paged.Select(p => p.GetProperty("id").GetString()).ToList());

        string operation = inWindow[0].OperationName;
        JsonElement filtered = (await GetOkAsync("auditor",
            $"/api/resources/ase-b/security/auditLogs?operation={operation}&top=1000&{window}")).GetProperty("value");
        Assert.AreEqual(inWindow.Count(r => r.OperationName == operation), filtered.GetArrayLength());

        JsonElement insights = await GetOkAsync("auditor", $"/api/resources/ase-b/security/insights?{window}");
        Assert.AreEqual(inWindow.Count, insights.GetProperty("total").GetInt32());
        Assert.AreEqual(inWindow.Count,
            insights.GetProperty("perHour").EnumerateArray().Sum(h => h.GetProperty("count").GetInt32()));
        Assert.AreEqual(inWindow.Count,
            insights.GetProperty("perOperation").EnumerateArray().Sum(h => h.GetProperty("count").GetInt32()));
        Assert.AreEqual(inWindow.Count,
            insights.GetProperty("perCaller").EnumerateArray().Sum(h => h.GetProperty("count").GetInt32()));
        foreach (JsonElement op in insights.GetProperty("perOperation").EnumerateArray())
        {
            Assert.AreEqual(inWindow.Count(r => r.OperationName == op.GetProperty("operation").GetString() && r.ResultType == op.GetProperty("result").GetString()),
                op.GetProperty("count").GetInt32());
        }

        JsonElement[] byHour = [.. insights.GetProperty("perHourByOperation").EnumerateArray()];
        Assert.AreEqual(inWindow.Count, byHour.Sum(h => h.GetProperty("count").GetInt32()));
        foreach (JsonElement cell in byHour)
        {
            DateTimeOffset hour = cell.GetProperty("hour").GetDateTimeOffset();
            Assert.AreEqual(inWindow.Count(r => r.Time >= hour && r.Time < hour.AddHours(1) && r.OperationName == cell.GetProperty("operation").GetString()
                && r.ResultType == cell.GetProperty("result").GetString()), cell.GetProperty("count").GetInt32(),
                    cell.ToString());
        }
    }
}
