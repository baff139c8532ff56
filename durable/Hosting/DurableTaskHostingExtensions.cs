using DurableTask.Core;
using EdgeKv.Durable.Client;
using EdgeKv.Durable.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Durable.Hosting;

public static class DurableTaskHostingExtensions
{
    /// <summary>
    /// Adds a Durable Task SDK worker and client on the Durable Task Framework, over the provider host.json names (SQLite
    /// under <paramref name="dataPath"/> by default, or Azure Storage), with <see cref="EdgeKvDataConverter"/> on both sides.
    /// <paramref name="register"/> adds the orchestrators and activities; a test may register its own
    /// <see cref="IOrchestrationService"/> first.
    /// </summary>
    public static IServiceCollection AddDurableTaskHub(this IServiceCollection services, IConfiguration configuration, string dataPath, Action<DurableTaskRegistry> register)
    {
        services.AddOptions<DurableTaskHubOptions>().Bind(configuration.GetSection(DurableTaskHubOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => OrchestrationServiceFactory.Create(
            sp.GetRequiredService<IOptions<DurableTaskHubOptions>>().Value, dataPath, configuration, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => (IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>());
        services.AddDurableTaskWorker(builder =>
        {
            builder.AddTasks(register);
            builder.Configure(o => o.DataConverter = EdgeKvDataConverter.Shared);
            builder.UseBuildTarget<TaskHubDurableTaskWorker>();
        });
        services.AddDurableTaskClient(builder =>
        {
            builder.Configure(o => o.DataConverter = EdgeKvDataConverter.Shared);
            builder.UseBuildTarget<OrchestrationServiceDurableTaskClient>();
        });
        services.TryAddSingleton<IDurableTaskHealth>(sp => sp.GetServices<IHostedService>().OfType<IDurableTaskHealth>().Single());
        return services;
    }

    /// <summary>Adds more orchestrators and activities to the worker of <see cref="AddDurableTaskHub"/> (for example, a test's own).</summary>
    public static IServiceCollection AddDurableTasks(this IServiceCollection services, Action<DurableTaskRegistry> register)
    {
        services.AddDurableTaskWorker(builder => builder.AddTasks(register));
        return services;
    }
}
