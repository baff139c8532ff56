using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The whole activation in local mode: a resource, the activation orchestration, the key fetched once, the device agent
/// (a real process) activating, pushing its secrets and decrypting a customer secret; then the emulator's state,
/// checked through the typed clients.
/// </summary>
[TestClass]
public sealed class ActivationEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Activation_then_device_flow_provisions_everything_and_the_device_decrypts_a_customer_secret()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        using var deviceData = new TempDirectory("e2e-device");
        const string customerValue = "Share-user-password-7f3a!";

        FlowResult flow = await ActivationFlow.RunAsync(host.Api, new DeviceAgent(deviceData.Path), "ase-e2e",
            customerValue);

        Assert.AreEqual(customerValue, flow.DecryptedCustomerSecret,
            "the device decrypted the customer secret with its CIK");
        Assert.AreEqual(0, JsonDocument.Parse(flow.FinalStatusJson).RootElement.GetProperty("output").GetProperty("warnings").GetArrayLength(), flow.FinalStatusJson);
        await ProvisionedState.AssertAsync(host.Factory, "ase-e2e", flow.VaultName);
    }
}
