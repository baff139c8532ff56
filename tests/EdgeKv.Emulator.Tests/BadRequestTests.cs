namespace EdgeKv.Emulator.Tests;

[TestClass]
public sealed class BadRequestTests
{
    private const string Rg = "rg-bad";
    private static ArmHttp arm = null!;
    private static string token = null!;

    private static string Sub => arm.SubscriptionPath;

    private static string Vault => $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/kv-bad";

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        token = await arm.GetTokenAsync();
        await Expect(201, arm.PutAsync($"{Sub}/resourceGroups/{Rg}?api-version=2022-09-01", token, """{"location":"westus2"}"""));
        await Expect(201, arm.PutAsync($"{Vault}?api-version=2023-07-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}"""));
        await Expect(202, arm.PutAsync($"{Sub}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/stbad?api-version=2023-05-01", token,
            """{"location":"westus2","sku":{"name":"Standard_ZRS"},"kind":"StorageV2"}"""));
        await Expect(201, arm.PutAsync($"{Sub}/resourceGroups/{Rg}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-bad?api-version=2023-12-01", token,
            """{"location":"westus2","sku":{"name":"Edge"}}"""));
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    private static async Task Expect(int status, Task<ArmReply> call) => Assert.AreEqual(status, (await call).Status,
        (await call).Text);

    [TestMethod]
    public async Task UnsupportedApiVersion_OnProviderType_Answers400NoRegisteredProviderFound()
    {
        var reply = await arm.GetAsync($"{Vault}?api-version=2020-01-01", token);

        Assert.AreEqual(400, reply.Status);
        Assert.AreEqual("NoRegisteredProviderFound", reply.ErrorCode);
        StringAssert.Contains(reply.ErrorMessage,
            "The supported api-versions are '2026-04-01, 2026-04-01-preview, 2026-03-01-preview, 2026-02-01,");
        StringAssert.Contains(reply.ErrorMessage, " 2023-07-01,");
    }

    [TestMethod]
    public async Task MalformedOrMissingApiVersion_Answers400()
    {
        Assert.AreEqual("InvalidApiVersionParameter",
            (await arm.GetAsync($"{Vault}?api-version=latest", token)).ErrorCode);
        Assert.AreEqual("InvalidApiVersionParameter",
            (await arm.GetAsync($"{Sub}/resourceGroups/{Rg}?api-version=1999-01-01", token)).ErrorCode);
        Assert.AreEqual("MissingApiVersionParameter", (await arm.GetAsync(Vault, token)).ErrorCode);
    }

    [TestMethod]
    public async Task UnknownRoutes_Answer404WithErrorEnvelope()
    {
        var unknownType = await arm.GetAsync($"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/managedHsms/x?api-version=2023-07-01", token);
        var unknownNamespace = await arm.GetAsync($"{Sub}/resourceGroups/{Rg}/providers/Contoso.Widgets/widgets/x?api-version=2023-07-01", token);
        var unknownPath = await arm.GetAsync("/not/a/route?api-version=2023-07-01", token);

        Assert.AreEqual((404, "InvalidResourceType"), (unknownType.Status, unknownType.ErrorCode));
        Assert.AreEqual((404, "InvalidResourceNamespace"), (unknownNamespace.Status, unknownNamespace.ErrorCode));
        Assert.AreEqual(404, unknownPath.Status);
        Assert.IsNotNull(unknownPath.ErrorCode);
    }

    [TestMethod]
    public async Task MissingParents_Answer404WithAzureCodes()
    {
        var noGroup = await arm.GetAsync($"{Sub}/resourceGroups/rg-missing/providers/Microsoft.KeyVault/vaults/kv?api-version=2023-07-01", token);
        var noSubscription = await arm.GetAsync($"/subscriptions/{Guid.NewGuid()}/resourceGroups/{Rg}?api-version=2022-09-01", token);
        var noVault = await arm.GetAsync($"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/kv-none?api-version=2023-07-01", token);

        Assert.AreEqual((404, "ResourceGroupNotFound"), (noGroup.Status, noGroup.ErrorCode));
        Assert.AreEqual((404, "SubscriptionNotFound"), (noSubscription.Status, noSubscription.ErrorCode));
        Assert.AreEqual((404, "ResourceNotFound"), (noVault.Status, noVault.ErrorCode));
    }

    [TestMethod]
    public async Task UnsupportedMethod_Answers405()
    {
        var reply = await arm.SendAsync(HttpMethod.Post, $"{Vault}?api-version=2023-07-01", token, "{}");

        Assert.AreEqual(405, reply.Status);
    }

    [TestMethod]
    public async Task MalformedJson_Answers400InvalidRequestContent()
    {
        var reply = await arm.PutAsync($"{Vault}?api-version=2023-07-01", token, "{not json");

        Assert.AreEqual(400, reply.Status);
        Assert.AreEqual("InvalidRequestContent", reply.ErrorCode);
    }

    [TestMethod]
    public async Task VaultPut_ExplicitPurgeProtectionFalse_Answers400()
    {
        var reply = await arm.PutAsync($"{Vault}?api-version=2023-07-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[],"enablePurgeProtection":false}}""");

        Assert.AreEqual(400, reply.Status);
        Assert.AreEqual("BadRequest", reply.ErrorCode);
    }

    private static readonly string[] GarbageBodies =
    [
        string.Empty,
        "not json",
        "[]",
        "null",
        "42",
        "{}",
        """{"location":5,"properties":"x","tags":[1],"sku":7,"kind":{},"identity":"x"}""",
        """{"location":"westus2","tags":{"a":1},"properties":{"accessPolicies":"x","tenantId":3,"sku":{"name":5},"softDeleteRetentionInDays":"ninety","level":[],"logs":{}}}""",
        """{"location":"westus2","properties":{"tenantId":"not-a-guid","sku":{"name":"gold"},"accessPolicies":[null,1,{"objectId":5}],"createMode":"explode","level":"Maybe","roleDefinitionId":7,"principalId":"x","storageAccountId":"/nope","logs":[{"category":1}]}}""",
        """{"location":"westus2","properties":{"accessPolicies":[{"tenantId":"00000000-0000-0000-0000-000000000000","objectId":"o","permissions":{"secrets":"all","keys":[1],"gadgets":["x"]}}]},"name":[],"type":{}}""",
        """{"location":"westus2","sku":{"name":"Standard_ZRS"},"kind":"StorageV2","properties":{"softDeleteRetentionInDays":1e400,"supportsHttpsTrafficOnly":"yes"},"identity":{"type":"UserAssigned"}}""",
        new string('[', 5000) + new string(']', 5000),
    ];

    private static IEnumerable<(HttpMethod Method, string Path)> Routes()
    {
        var v = "api-version=2023-07-01";
        yield return (HttpMethod.Put, $"{Sub}/resourceGroups/rg-garbage?api-version=2022-09-01");
        yield return (HttpMethod.Patch, $"{Sub}/resourceGroups/{Rg}?api-version=2022-09-01");
        yield return (HttpMethod.Put, $"{Vault}?{v}");
        yield return (HttpMethod.Put,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/kv-new-garbage?{v}");
        yield return (HttpMethod.Patch, $"{Vault}?{v}");
        yield return (HttpMethod.Put, $"{Vault}/accessPolicies/add?{v}");
        yield return (HttpMethod.Put, $"{Vault}/accessPolicies/replace?{v}");
        yield return (HttpMethod.Put, $"{Vault}/accessPolicies/remove?{v}");
        yield return (HttpMethod.Put, $"{Vault}/accessPolicies/explode?{v}");
        yield return (HttpMethod.Post, $"{Sub}/providers/Microsoft.KeyVault/checkNameAvailability?{v}");
        yield return (HttpMethod.Post,
            $"{Sub}/providers/Microsoft.KeyVault/locations/westus2/deletedVaults/kv-none/purge?{v}");
        yield return (HttpMethod.Put,
            $"{Vault}/providers/Microsoft.Authorization/locks/garbage?api-version=2016-09-01");
        yield return (HttpMethod.Put,
            $"{Vault}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01");
        yield return (HttpMethod.Put,
            $"{Vault}/providers/Microsoft.Authorization/roleAssignments/not-a-guid?api-version=2022-04-01");
        yield return (HttpMethod.Put,
            $"{Vault}/providers/Microsoft.Insights/diagnosticSettings/garbage?api-version=2021-05-01-preview");
        yield return (HttpMethod.Put,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/stgarbage?api-version=2023-05-01");
        yield return (HttpMethod.Put,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/stbad?api-version=2023-05-01");
        yield return (HttpMethod.Patch,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/stbad?api-version=2023-05-01");
        yield return (HttpMethod.Post,
            $"{Sub}/providers/Microsoft.Storage/checkNameAvailability?api-version=2023-05-01");
        yield return (HttpMethod.Put,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-garbage?api-version=2023-12-01");
        yield return (HttpMethod.Patch,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-bad?api-version=2023-12-01");
        yield return (HttpMethod.Post,
            $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-bad/updateExtendedInformation?api-version=2023-12-01");
        yield return (HttpMethod.Post, $"{Sub}/providers/Microsoft.KeyVault/register?api-version=2022-09-01");
    }

    [TestMethod]
    public async Task GarbageBodies_OnEveryWriteRoute_NeverAnswer5xx()
    {
        var failures = new List<string>();
        var statuses = new HashSet<int>();
        foreach (var (method, path) in Routes())
        {
            foreach (var body in GarbageBodies)
            {
                var reply = await arm.SendAsync(method, path, token, body);
                statuses.Add(reply.Status);
                if (reply.Status >= 500 || (reply.Status >= 400 && reply.ErrorCode is null))
                {
                    failures.Add($"{method} {path} body {body[..Math.Min(body.Length, 40)]}: {reply.Status} {reply.Text}");
                }
            }
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
        Assert.Contains(400, statuses);
        Assert.DoesNotContain(401, statuses);
        Assert.DoesNotContain(403, statuses);
        Console.WriteLine($"Statuses seen: {string.Join(", ", statuses.Order())}");
    }
}
