namespace EdgeKv.Emulator.Tests;

[TestClass]
public sealed class OptionsValidationTests
{
    [TestMethod]
    public async Task Start_DuplicatePrincipalNames_IsRejected()
    {
        var principal = new EmulatorPrincipal("twice", Guid.NewGuid(), "s", Guid.NewGuid());
        var options = new EmulatorOptions { Principals = [principal,
            principal with { ClientId = Guid.NewGuid(), ObjectId = Guid.NewGuid() }] };

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => AzureEmulator.StartAsync(options));
    }

    [TestMethod]
    public async Task Start_SubscriptionNotAGuid_IsRejected()
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => AzureEmulator.StartAsync(new EmulatorOptions { SubscriptionId = "default" }));
    }
}
