using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

[TestClass]
public sealed class ThrottlingTests
{
    [TestMethod]
    public async Task PastTheVaultLimit_Answers429WithRetryAfter_UntilTheWindowPasses()
    {
        var emulator = await TestEmulator.StartAsync(o => { o.VaultRequestLimit = 5; o.VaultRequestWindow = TimeSpan.FromSeconds(10); });
        try
        {
            var vault = await DataPlaneVaults.CreateAsync(emulator, "rg-throttle", "kv-throttle");
            using var http = new DataPlaneHttp(emulator);
            await emulator.Admin.AdvanceClockAsync(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks((await emulator.Admin.GetNowAsync()).UtcTicks % TimeSpan.FromSeconds(10).Ticks));
            for (var i = 0; i < 5; i++)
            {
                Assert.AreEqual(200, (await http.SendAsync(HttpMethod.Put,
                    $"vaults/{vault.Name}/secrets/s{i}?api-version=7.6", "{\"value\":\"v\"}")).Status);
            }

            var (status, body, response) = await http.SendAsync(HttpMethod.Get,
                $"vaults/{vault.Name}/secrets?api-version=7.6");

            Assert.AreEqual(429, status);
            Assert.AreEqual("Throttled", (string?)body!["error"]!["code"]);
            var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(),
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsTrue(retryAfter is >= 1 and <= 10, $"Retry-After {retryAfter}");

            await emulator.Admin.AdvanceClockAsync(TimeSpan.FromSeconds(retryAfter));
            Assert.AreEqual(200, (await http.SendAsync(HttpMethod.Get,
                $"vaults/{vault.Name}/secrets?api-version=7.6")).Status);
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }
}
