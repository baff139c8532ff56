using EdgeKv.Local.Security;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Functions.Triggers.EventGrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class SystemKeyRotationTests
{
    [TestMethod]
    public async Task Rotating_the_webhook_key_returns_the_new_value_once_and_retires_the_old_one()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        string old = await File.ReadAllTextAsync(Path.Combine(host.DataPath, "keys", "eventgrid_extension.key"));

        using HttpResponseMessage rotated = await host.Http.PostAsync("/admin/host/systemkeys/eventgrid_extension",
            null);
        Assert.AreEqual(HttpStatusCode.OK, rotated.StatusCode);
        string fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;
        Assert.AreNotEqual(old.Trim(), fresh);
        Assert.IsFalse(File.Exists(Path.Combine(host.DataPath, "keys", "eventgrid_extension.key")),
            "the stale plaintext copy of the first key is removed");
        StringAssert.DoesNotMatch(await File.ReadAllTextAsync(Path.Combine(host.DataPath, "keys", "system-keys.json")),
            new System.Text.RegularExpressions.Regex(fresh));

        Assert.AreEqual(HttpStatusCode.Unauthorized, await ProbeAsync(host, old.Trim()));
        Assert.AreEqual(HttpStatusCode.OK, await ProbeAsync(host, fresh));

        using var asOperator = new HttpClient { BaseAddress = host.Http.BaseAddress };
        asOperator.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await host.IssueTokenAsync("operator"));
        using HttpResponseMessage refused = await asOperator.PostAsync("/admin/host/systemkeys/eventgrid_extension",
            null);
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, await ProbeAsync(host, fresh), "a refused rotation changes nothing");
    }

    [TestMethod]
    public void The_first_webhook_key_is_written_for_the_operator_only_locally_and_readable_by_the_owner_only()
    {
        using var local = new EdgeKv.Tests.Support.TempDirectory("keys-local");
        using var azure = new EdgeKv.Tests.Support.TempDirectory("keys-azure");

        new ServiceCollection().AddTriggers(local.Path, new ConfigurationBuilder().Build());
        new ServiceCollection().AddTriggers(azure.Path,
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EdgeKv:Azure:Mode"] = "Azure" }).Build());

        string written = Path.Combine(local.Path, "keys", "eventgrid_extension.key");
        Assert.IsTrue(File.Exists(written));
        if (!OperatingSystem.IsWindows()) Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(written));
        Assert.IsFalse(File.Exists(Path.Combine(azure.Path, "keys", "eventgrid_extension.key")),
            "against real Azure the key's value is written nowhere");
        Assert.IsTrue(File.Exists(Path.Combine(azure.Path, "keys", "system-keys.json")), "the key exists, hashed");
    }

    private static async Task<HttpStatusCode> ProbeAsync(HostFixture host, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options,
            $"{EventGridWebhookFunction.Route}?functionName=Probe&code={Uri.EscapeDataString(key)}");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }
}
