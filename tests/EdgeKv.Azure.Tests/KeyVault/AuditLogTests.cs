using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Azure;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

[TestClass]
public sealed class AuditLogTests
{
    private const string SecretValue = "never-in-the-audit-log-7f3a";
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-audit-");
    private static readonly string Account = ("audit" + Guid.NewGuid().ToString("N"))[..20];
    private static EdgeKvAzureClientFactory factory = null!;
    private static VaultProperties audited = null!;
    private static VaultProperties silent = null!;
    private static string importedPrivateExponent = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        var emulator = TestEmulator.Shared;
        factory = TestEmulator.Factory(emulator);
        audited = await DataPlaneVaults.CreateAsync(emulator, ResourceGroup, TestEmulator.UniqueName("kv-aud-"));
        silent = await DataPlaneVaults.CreateAsync(emulator, ResourceGroup, TestEmulator.UniqueName("kv-sil-"));
        var account = await factory.GetStorageAccountsClient().CreateAsync(ResourceGroup, Account,
            emulator.DefaultLocation);
        await factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(audited.Id, "audit-to-storage", account.Id,
            categories: ["AuditEvent"]);
        // Owner carries no data actions: with a bearer token, reading the blobs needs a blob data role, as in Azure.
        await factory.GetRoleAssignmentsClient().CreateAsync(account.Id, AzureBuiltInRoles.StorageBlobDataReader,
            emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId);

        var secrets = factory.CreateSecretClient(audited.VaultUri!);
        await secrets.SetSecretAsync("cik", SecretValue);
        await secrets.GetSecretAsync("cik");
        await foreach (var _ in secrets.GetPropertiesOfSecretsAsync())
        {
        }

        using var imported = System.Security.Cryptography.RSA.Create(2048);
        importedPrivateExponent = Convert.ToBase64String(imported.ExportParameters(true).D!);
        await factory.CreateKeysClient(audited.VaultUri!).ImportKeyAsync("imported",
            EdgeKv.Azure.Keys.JsonWebKey.FromRsa(imported, includePrivateParameters: true,
                [EdgeKv.Azure.Keys.KeyOperations.Sign]));

        await factory.GetVaultsClient().GetAsync(ResourceGroup, audited.Name);
        var silentSecrets = factory.CreateSecretClient(silent.VaultUri!);
        await silentSecrets.SetSecretAsync("cik", SecretValue);
    }

    [TestMethod]
    public async Task DataPlaneAndVaultOperations_AreWrittenInAzuresSchema()
    {
        var records = await factory.CreateAuditLogsClient(Account).GetAuditRecordsAsync(audited.Id);
        var service = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService);

        foreach (var operation in new[] { "SecretSet", "SecretGet", "SecretList", "VaultGet" })
        {
            Assert.IsTrue(records.Any(r => r.OperationName == operation), $"no {operation} record");
        }

        var get = records.First(r => r.OperationName == "SecretGet");
        Assert.AreEqual(audited.Id.ToUpperInvariant(), get.ResourceId);
        Assert.AreEqual("AuditEvent", get.Category);
        Assert.AreEqual("Success", get.ResultType);
        Assert.AreEqual("OK", get.ResultSignature);
        Assert.AreEqual(200, get.HttpStatusCode);
        Assert.AreEqual("2026-04-01", get.OperationVersion);
        Assert.AreEqual(service.ObjectId.ToString(), get.CallerObjectId);
        Assert.AreEqual(service.ClientId.ToString(), get.CallerAppId);
        Assert.AreEqual("127.0.0.1", get.CallerIpAddress);
        StringAssert.Contains(get.RequestUri, "/secrets/cik");
        StringAssert.Contains(get.ClientInfo, "azsdk-net-Security.KeyVault.Secrets");
    }

    [TestMethod]
    public async Task Blobs_FollowAzuresLayout_AndNeverContainSecretValues()
    {
        var client = factory.CreateAuditLogsClient(Account);
        var blobs = await client.ListAuditBlobsAsync(audited.Id);

        Assert.IsTrue(blobs.Count is 1 or 2, "one blob per hour");
        var layout = new Regex("^resourceId=/SUBSCRIPTIONS/[0-9A-F-]+/RESOURCEGROUPS/[^/]+/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/[^/]+/y=\\d{4}/m=\\d{2}/d=\\d{2}/h=\\d{2}/m=00/PT1H.json$");
        Assert.IsTrue(blobs.All(b => layout.IsMatch(b.Name)), blobs[0].Name);
        using var http = new HttpClient(TestEmulator.Shared.CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(TestEmulator.Shared.Endpoint, $"blob/{Account}/{AuditLogsClient.Container}/{blobs[0].Name}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.EdgeKvService,
                "https://storage.azure.com"));
        var text = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.IsTrue(text.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).All(line => line.StartsWith('{') && line.EndsWith('}')));
        Assert.IsFalse(text.Contains(SecretValue, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task KeyImport_IsAudited_WithoutItsMaterial()
    {
        var client = factory.CreateAuditLogsClient(Account);
        var records = await client.GetAuditRecordsAsync(audited.Id);

        var import = records.Single(r => r.OperationName == "KeyImport");
        Assert.AreEqual(200, import.HttpStatusCode);
        StringAssert.Contains(import.RequestUri, "/keys/imported");
        foreach (var blob in await client.ListAuditBlobsAsync(audited.Id))
        {
            using var http = new HttpClient(TestEmulator.Shared.CreateTrustingHandler());
            using var request = new HttpRequestMessage(HttpMethod.Get,
                new Uri(TestEmulator.Shared.Endpoint, $"blob/{Account}/{AuditLogsClient.Container}/{blob.Name}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.EdgeKvService,
                    "https://storage.azure.com"));
            var text = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(importedPrivateExponent[..24], text);
            Assert.DoesNotContain(importedPrivateExponent[..24].Replace('+', '-').Replace('/', '_'), text);
        }
    }

    [TestMethod]
    public async Task VaultWithoutDiagnosticSetting_WritesNoAudit()
    {
        Assert.AreEqual(0, (await factory.CreateAuditLogsClient(Account).ListAuditBlobsAsync(silent.Id)).Count);
    }

    [TestMethod]
    public async Task RefusedDataPlaneCall_IsAuditedWith403()
    {
        using var http = new DataPlaneHttp(TestEmulator.Shared);
        await http.SendAsync(HttpMethod.Get, $"vaults/{audited.Name}/secrets/cik?api-version=7.6",
            principal: EmulatorPrincipals.Operator);
        var operatorId = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Operator).ObjectId.ToString();

        var records = await factory.CreateAuditLogsClient(Account).GetAuditRecordsAsync(audited.Id);

        var refused = records.Single(r => r.CallerObjectId == operatorId);
        Assert.AreEqual(403, refused.HttpStatusCode);
        Assert.AreEqual("Failure", refused.ResultType);
        Assert.AreEqual("Forbidden", refused.ResultSignature);
    }

    [TestMethod]
    public async Task BlobAccess_NeedsABlobDataRoleOrKeyAccess_OnTheAccount()
    {
        var reader = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Auditor);
        var auditorLogs = factory.CreateAuditLogsClient(Account,
            factory.CreateEmulatorCredential(reader.ClientId.ToString(), reader.ClientSecret));

        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => auditorLogs.ListAuditBlobsAsync(audited.Id));
        Assert.AreEqual(403, refused.Status);
        Assert.AreEqual("AuthorizationPermissionMismatch", refused.ErrorCode);

        var accountId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Storage/storageAccounts/{Account}";
        await factory.GetRoleAssignmentsClient().CreateAsync(accountId, AzureBuiltInRoles.StorageBlobDataReader,
            reader.ObjectId);
        Assert.IsTrue((await auditorLogs.ListAuditBlobsAsync(audited.Id)).Count > 0);
    }

    [TestMethod]
    public async Task BlobAccess_WithABearerToken_IsRefusedToAnOwnerWithoutABlobDataRole()
    {
        var other = await factory.GetStorageAccountsClient().CreateAsync(ResourceGroup,
            ("owner" + Guid.NewGuid().ToString("N"))[..20], TestEmulator.Shared.DefaultLocation);
        var ownerLogs = factory.CreateAuditLogsClient(other.Name);

        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => ownerLogs.ListAuditBlobsAsync(audited.Id));

        Assert.AreEqual(403, refused.Status,
            "Owner (and Contributor) could list the account keys, but a bearer token counts data actions only");
        Assert.AreEqual("AuthorizationPermissionMismatch", refused.ErrorCode);
    }

    [TestMethod]
    public async Task BlobRequestWithoutToken_Is401WithBearerChallenge()
    {
        using var http = new HttpClient(TestEmulator.Shared.CreateTrustingHandler());
        var response = await http.GetAsync(new Uri(TestEmulator.Shared.Endpoint,
            $"blob/{Account}/{AuditLogsClient.Container}?restype=container&comp=list"));

        Assert.AreEqual(401, (int)response.StatusCode);
        Assert.AreEqual("NoAuthenticationInformation", response.Headers.GetValues("x-ms-error-code").Single());
        StringAssert.Contains(response.Headers.WwwAuthenticate.ToString(), "resource_id=https://storage.azure.com");
    }
}
