using EdgeKv.Durable.Storage;
using EdgeKv.Durable.Storage.Postgres;
using EdgeKv.Durable.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using EdgeKv.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeKv.Durable;

public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the durable runtime: the registry filled by <paramref name="register"/>, the client, the worker and,
    /// unless another <see cref="IOrchestrationStore"/> is registered, the store host.json names: SQLite under
    /// <paramref name="dataPath"/> (the default) or PostgreSQL.
    /// </summary>
    public static IServiceCollection AddDurableTask(this IServiceCollection services, string dataPath, Action<DurableTaskRegistry> register)
    {
        var registry = new DurableTaskRegistry();
        register(registry);
        services.AddSingleton(registry);
        services.AddOptions<DurableTaskOptions>().Validate(o => { o.Validate(); return true; });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOrchestrationStore>(sp =>
        {
            DurableTaskOptions options = sp.GetRequiredService<IOptions<DurableTaskOptions>>().Value;
            if (options.StorageProvider.IsPostgres)
            {
                IConfiguration? configuration = sp.GetService<IConfiguration>();
                string name = options.StorageProvider.ConnectionStringName;
                string connectionString = configuration?[name] ?? configuration?.GetConnectionString(name)
                    ?? throw new InvalidOperationException($"The PostgreSQL task hub needs a connection string in the setting '{name}' (or ConnectionStrings:{name}).");
                return new PostgresOrchestrationStore(new PostgresStoreOptions(connectionString, options.HubName.ToLowerInvariant()), sp.GetRequiredService<TimeProvider>());
            }

            var storeOptions = new SqliteStoreOptions(Path.Combine(dataPath, $"{options.HubName}.db"), options.StorageProvider.Synchronous);
            return new SqliteOrchestrationStore(storeOptions, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<DurableTaskRuntime>();
        services.AddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<DurableTaskRuntime>()));
        services.AddSingleton<DurableTaskWorker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableTaskWorker>());
        services.AddSingleton<IDurableTaskHealth>(sp => new DurableTaskHealth(sp.GetRequiredService<DurableTaskWorker>()));
        return services;
    }

    /// <summary>Adds more orchestrators and activities to the registry of <see cref="AddDurableTask"/> (for example, a test's own).</summary>
    public static IServiceCollection AddDurableFunctions(this IServiceCollection services, Action<DurableTaskRegistry> register)
    {
        var registry = services.LastOrDefault(d => d.ServiceType == typeof(DurableTaskRegistry))?.ImplementationInstance as DurableTaskRegistry
            ?? throw new InvalidOperationException("Call AddDurableTask before AddDurableFunctions.");
        register(registry);
        return services;
    }

    private sealed class DurableTaskHealth(DurableTaskWorker worker) : IDurableTaskHealth
    {
        public bool IsReady => worker.IsRunning;
    }
}

/// <summary>Whether the store is open and the dispatchers run; the host's readiness probe reads it.</summary>
public interface IDurableTaskHealth
{
    bool IsReady { get; }
}
