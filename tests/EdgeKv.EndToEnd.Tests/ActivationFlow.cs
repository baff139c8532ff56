using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>The operator's and the device's side of activation, as the README walks through it.</summary>
internal static class ActivationFlow
{
    public const string CustomerSecretName = "share-user1";

    /// <summary>
    /// Creates the resource, activates (polling to the end), fetches the key, runs the device agent: activate,
    /// push-secrets, get-secret.
    /// </summary>
    public static async Task<FlowResult> RunAsync(EdgeKvApi api, DeviceAgent device, string resourceName,
        string customerValue, TimeSpan? timeout = null)
    {
        await api.CreateResourceAsync(resourceName);
        JsonElement status = await api.ActivateAsync(resourceName, timeout: timeout);
        return await FinishAsync(api, device, resourceName, customerValue, status);
    }

    public static async Task<FlowResult> FinishAsync(EdgeKvApi api, DeviceAgent device, string resourceName,
        string customerValue, JsonElement status, Uri? deviceEndpoint = null)
    {
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        string vaultName = status.GetProperty("output").GetProperty("vaultName").GetString()!;
        string key = await api.FetchKeyAsync(resourceName);
        await device.RunOkAsync(deviceEndpoint is null ? ["activate", "--key", key] : ["activate", "--key", key,
            "--endpoint", deviceEndpoint.ToString()]);
        await device.RunOkAsync("push-secrets");
        for (int attempt = 1; ; attempt++)
        {
            using HttpResponseMessage put = await api.Http.PutAsJsonAsync($"/api/resources/{resourceName}/customerSecrets/{CustomerSecretName}", new { value = customerValue });
            if (put.IsSuccessStatusCode) break;
            Assert.IsTrue((int)put.StatusCode >= 500 && attempt < 5, await put.Content.ReadAsStringAsync());
        }

        string decrypted = await device.RunOkAsync("get-secret", "--name", CustomerSecretName);
        return new FlowResult(vaultName, key, status.ToString(), decrypted);
    }
}

internal sealed record FlowResult(string VaultName, string ActivationKey, string FinalStatusJson,
    string DecryptedCustomerSecret);
