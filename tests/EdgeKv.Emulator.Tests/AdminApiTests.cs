using System.Text.Json.Nodes;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.Emulator.Tests;

[TestClass]
public sealed class AdminApiTests
{
    private const string Rg = "rg-admin";
    private static ArmHttp arm = null!;
    private static string token = null!;

    private static string Sub => arm.SubscriptionPath;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        token = await arm.GetTokenAsync();
        Assert.AreEqual(201, (await arm.PutAsync($"{Sub}/resourceGroups/{Rg}?api-version=2022-09-01", token, """{"location":"westus2"}""")).Status);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    private static async Task<string> CreateVaultAsync(string name, string? objectId = null)
    {
        var path = $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/{name}";
        var policies = objectId is null ? "[]" :
            $$$"""[{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","objectId":"{{{objectId}}}","permissions":{"secrets":["get","set"]}}]""";
        var reply = await arm.PutAsync($"{path}?api-version=2023-07-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":{{{policies}}}}}""");
        Assert.AreEqual(201, reply.Status, reply.Text);
        return path;
    }

    [TestMethod]
    public async Task AdminApi_WithoutKey_Answers403()
    {
        var reply = await arm.GetAsync("/admin/clock", token);

        Assert.AreEqual(403, reply.Status);
    }

    [TestMethod]
    public async Task Faults_ThrottleThenUnavailableThenError_ByRoutePattern()
    {
        var path = $"{Sub}/resourceGroups/{Rg}?api-version=2022-09-01";
        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin$", FaultKind.Throttle,
            RetryAfterSeconds: 7, Count: 1, Method: "GET"));
        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin$", FaultKind.Unavailable,
            Count: 1, Method: "GET"));
        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin$",
            FaultKind.InternalError, Count: 1, Method: "GET"));
        try
        {
            var throttled = await arm.GetAsync(path, token);
            var unavailable = await arm.GetAsync(path, token);
            var failed = await arm.GetAsync(path, token);
            var served = await arm.GetAsync(path, token);

            Assert.AreEqual((429, "7"), (throttled.Status, throttled.Headers["Retry-After"]));
            Assert.AreEqual(503, unavailable.Status);
            Assert.AreEqual(500, failed.Status);
            Assert.AreEqual("InternalServerError", failed.ErrorCode);
            Assert.AreEqual(200, served.Status);
        }
        finally
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task Faults_SeededRate_RepeatsTheSameSequence()
    {
        var path = $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01";
        async Task<string> RunAsync()
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
            await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("rg-admin/providers/Microsoft.KeyVault/vaults$",
                FaultKind.Throttle, Rate: 0.5));
            var statuses = new List<int>();
            for (var i = 0; i < 16; i++)
            {
                statuses.Add((await arm.GetAsync(path, token)).Status);
            }

            return string.Join(",", statuses);
        }

        try
        {
            var first = await RunAsync();
            var second = await RunAsync();

            Assert.AreEqual(first, second);
            StringAssert.Contains(first, "429");
            StringAssert.Contains(first, "200");
        }
        finally
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task Faults_DropConnection_AbortsTheRequest()
    {
        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin-drop$",
            FaultKind.DropConnection, Count: 1));
        try
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => arm.GetAsync($"{Sub}/resourceGroups/rg-admin-drop?api-version=2022-09-01", token));
        }
        finally
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task Faults_Latency_DelaysThenServes()
    {
        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin$", FaultKind.Latency,
            Method: "HEAD", LatencyMilliseconds: 150, Count: 1));
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var reply = await arm.SendAsync(HttpMethod.Head, $"{Sub}/resourceGroups/{Rg}?api-version=2022-09-01",
                token);

            Assert.AreEqual(204, reply.Status);
            Assert.IsTrue(watch.Elapsed >= TimeSpan.FromMilliseconds(140), watch.Elapsed.ToString());
        }
        finally
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task Faults_Latency_RemovingTheRule_ReleasesTheRequestItHolds()
    {
        FaultRule rule = await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule("/resourceGroups/rg-admin-held$",
            FaultKind.Latency, Method: "PUT", LatencyMilliseconds: 3_600_000, Count: 1));
        try
        {
            Task<ArmReply> held = arm.SendAsync(HttpMethod.Put, $"{Sub}/resourceGroups/rg-admin-held?api-version=2022-09-01", token, """{"location":"eastus"}""");
            using (var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
            {
                while ((await TestEmulator.Shared.Admin.GetFaultsAsync(bound.Token)).Single(f => f.Id == rule.Id).Fired == 0)
                {
                    await Task.Delay(50, bound.Token);
                }
            }

            Assert.IsFalse(held.IsCompleted, "the rule holds the request for an hour");
            await TestEmulator.Shared.Admin.RemoveFaultAsync(rule.Id!);
            ArmReply reply = await held.WaitAsync(TimeSpan.FromMinutes(5));
            Assert.AreEqual(201, reply.Status, "released, the request is served");
        }
        finally
        {
            await TestEmulator.Shared.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task RequestLog_FiltersByMethodPathStatusAndCaller()
    {
        var since = await TestEmulator.Shared.Admin.GetNowAsync();
        var vault = await CreateVaultAsync("kv-admin-log");
        await arm.GetAsync($"{vault}?api-version=2023-07-01", token);
        var caller = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;

        var puts = await TestEmulator.Shared.Admin.GetRequestsAsync(method: "PUT", pathContains: "kv-admin-log",
            since: since);
        var byCaller = await TestEmulator.Shared.Admin.GetRequestsAsync(pathContains: "kv-admin-log",
            callerObjectId: caller, status: 200);
        var otherCaller = await TestEmulator.Shared.Admin.GetRequestsAsync(pathContains: "kv-admin-log",
            callerObjectId: Guid.NewGuid());

        Assert.AreEqual(201, puts.Single().Status);
        Assert.AreEqual("GET", byCaller.Single().Method);
        Assert.IsEmpty(otherCaller);
    }

    [TestMethod]
    public async Task Damage_DeleteLockedVault_RemovePolicy_DisableAndDeleteIdentity()
    {
        var objectId = Guid.NewGuid().ToString();
        var vault = await CreateVaultAsync("kv-admin-damage", objectId);
        Assert.AreEqual(201, (await arm.PutAsync($"{vault}/providers/Microsoft.Authorization/locks/keep?api-version=2016-09-01", token,
            """{"properties":{"level":"CanNotDelete"}}""")).Status);
        Assert.IsTrue(await TestEmulator.Shared.VaultAccess.HasPermissionAsync("kv-admin-damage", Guid.Parse(objectId),
            "secrets", "set", CancellationToken.None));

        await TestEmulator.Shared.Admin.RemoveAccessPolicyAsync(vault, Guid.Parse(objectId));
        Assert.IsFalse(await TestEmulator.Shared.VaultAccess.HasPermissionAsync("kv-admin-damage", Guid.Parse(objectId),
            "secrets", "get", CancellationToken.None));

        await TestEmulator.Shared.Admin.DeleteResourceAsync(vault);
        Assert.AreEqual(404, (await arm.GetAsync($"{vault}?api-version=2023-07-01", token)).Status);
        var deleted = await arm.GetAsync($"{Sub}/providers/Microsoft.KeyVault/locations/westus2/deletedVaults/kv-admin-damage?api-version=2023-07-01", token);
        Assert.AreEqual(200, deleted.Status);
        Assert.AreEqual(vault, (string?)deleted.Json!["properties"]!["vaultId"]);

        var device = $"{Sub}/resourceGroups/{Rg}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-damage";
        Assert.AreEqual(201, (await arm.PutAsync($"{device}?api-version=2023-12-01", token, """{"location":"westus2","identity":{"type":"SystemAssigned"}}""")).Status);
        var identity = (await TestEmulator.Shared.Admin.GetIdentityAsync(device))!;
        Assert.AreEqual(200, await ManagedIdentityTokenStatusAsync(identity));

        await TestEmulator.Shared.Admin.DisableIdentityAsync(device);
        Assert.AreEqual(400, await ManagedIdentityTokenStatusAsync(identity));
        Assert.AreEqual("None",
            (string?)(await arm.GetAsync($"{device}?api-version=2023-12-01", token)).Json!["identity"]!["type"]);

        await TestEmulator.Shared.Admin.DeleteIdentityAsync(device);
        Assert.IsNull(await TestEmulator.Shared.Admin.GetIdentityAsync(device));
        var reenabled = await arm.SendAsync(HttpMethod.Patch, $"{device}?api-version=2023-12-01", token, """{"identity":{"type":"SystemAssigned"}}""");
        Assert.AreNotEqual(identity.PrincipalId.ToString(), (string?)reenabled.Json!["identity"]!["principalId"],
            "a deleted identity comes back as a new principal");
    }

    [TestMethod]
    public async Task Clock_Advance_MovesNowForward()
    {
        var emulator = await TestEmulator.StartAsync();
        try
        {
            var before = await emulator.Admin.GetNowAsync();

            var after = await emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(90));

            Assert.IsTrue(after - before >= TimeSpan.FromDays(90));
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }

    private static async Task<int> ManagedIdentityTokenStatusAsync(ManagedIdentityInfo identity)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{identity.Endpoint}?api-version=2019-08-01&resource=https://vault.azure.net");
        request.Headers.Add("X-IDENTITY-HEADER", identity.Header);
        using var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.AreEqual("Bearer", (string?)json["token_type"]);
            Assert.AreEqual(identity.ClientId.ToString(), (string?)json["client_id"]);
        }

        return (int)response.StatusCode;
    }
}
