using EdgeKv.Functions.AzureConnection;
using EdgeKv.Functions.Hosting;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The Azure app's own registrations (what WorkerProgram adds under the Functions host) stand without the local
/// composition: nothing of the emulator is needed to build them, and emulator mode, which only the local host serves,
/// fails start-up with that reason instead of a missing-service error.
/// </summary>
[TestClass]
public sealed class AzureAppServicesTests
{
    [TestMethod]
    public async Task Emulator_mode_without_the_local_composition_fails_start_up_naming_the_local_host()
    {
        using var data = new TempDirectory("worker");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EdgeKv:Azure:Mode"] = "Emulator" }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddEdgeKvServices(configuration, data.Path);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsFalse(services.Any(d => d.ServiceType == typeof(IEmulatedAzure)),
            "the app registers no emulated Azure of its own");
        AzureStartupService startup = provider.GetRequiredService<AzureStartupService>();
        InvalidOperationException error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => startup.StartAsync(CancellationToken.None));

        StringAssert.Contains(error.Message, "only the local host serves");
        StringAssert.Contains(error.Message, "EdgeKv:Azure:Mode=Azure");
    }

    [TestMethod]
    public void The_app_assembly_references_neither_the_emulator_nor_the_local_host()
    {
        string[] references = [.. typeof(EdgeKvServices).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];

        CollectionAssert.DoesNotContain(references, "EdgeKv.Emulator");
        CollectionAssert.DoesNotContain(references, "EdgeKv.FunctionsHost");
        CollectionAssert.DoesNotContain(references, "EdgeKv.Local");
    }
}
