using DurableTask.Core;
using EdgeKv.Durable.Client;
using EdgeKv.Durable.Worker;
using EdgeKv.Tasks;
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
    /// Adds a Durable Task SDK worker and client on the Durable Task Framework, over the provider the app setting
    /// <c>EdgeKv:TaskHub:StorageProvider</c> names (SQLite under <paramref name="dataPath"/> by default, or Azure
    /// Storage), with <see cref="EdgeKvDataConverter"/> on both sides. <paramref name="register"/> adds the
    /// orchestrators and activities; a test may register its own <see cref="IOrchestrationService"/> first.
    /// </summary>
    public static IServiceCollection AddDurableTaskHub(this IServiceCollection services, IConfiguration configuration,
        string dataPath, Action<DurableTaskRegistry> register)
    {
        services.AddOptions<DurableTaskHubOptions>().Configure(o => o.Bind(configuration))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Held (and its file lock released) for the container's lifetime.
        services.TryAddSingleton(sp => TaskHubWorkerId.Resolve(
            sp.GetRequiredService<IOptions<DurableTaskHubOptions>>().Value.WorkerId, Environment.GetEnvironmentVariable, dataPath));
        services.TryAddSingleton(sp => OrchestrationServiceFactory.Create(
            sp.GetRequiredService<IOptions<DurableTaskHubOptions>>().Value, dataPath, configuration, sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TaskHubWorkerId>));
        services.TryAddSingleton(sp => (IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>());
        services.AddEdgeKvDataConverter();
        services.AddDurableTaskWorker(builder =>
        {
            builder.AddTasks(register);
            builder.UseBuildTarget<TaskHubDurableTaskWorker>();
        });
        services.AddDurableTaskClient(builder => builder.UseBuildTarget<OrchestrationServiceDurableTaskClient>());
        services.TryAddSingleton<IDurableTaskHealth>(sp => sp.GetServices<IHostedService>().OfType<IDurableTaskHealth>().Single());
        return services;
    }

    /// <summary>
    /// Makes <see cref="EdgeKvDataConverter"/> the data converter of every Durable Task worker and client in the
    /// container (the local host's, and the Functions app's under <c>ConfigureDurableWorker()</c>), so no host can put
    /// a <see cref="SensitiveValue"/> into orchestration state.
    /// </summary>
    public static IServiceCollection AddEdgeKvDataConverter(this IServiceCollection services)
    {
        services.AddSingleton<DataConverter>(EdgeKvDataConverter.Shared);
        services.ConfigureAll<DurableTaskWorkerOptions>(o => o.DataConverter = EdgeKvDataConverter.Shared);
        services.ConfigureAll<DurableTaskClientOptions>(o => o.DataConverter = EdgeKvDataConverter.Shared);
        return services;
    }

    /// <summary>
    /// Adds more orchestrators and activities to the worker of <see cref="AddDurableTaskHub"/> (for example, a test's
    /// own).
    /// </summary>
    public static IServiceCollection AddDurableTasks(this IServiceCollection services,
        Action<DurableTaskRegistry> register)
    {
        services.AddDurableTaskWorker(builder => builder.AddTasks(register));
        return services;
    }
}
