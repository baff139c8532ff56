using EdgeKv.Functions.Security;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.FunctionsHost;
using EdgeKv.Records;
using EdgeKv.Records.Tables;
using EdgeKv.Functions.Hosting;

namespace EdgeKv.Local.Security;

/// <summary>
/// The Functions-style system keys (the Event Grid webhook's and the Durable extension's) and their check for the local
/// host; Event Grid handlers register as <see cref="IEventGridFunction"/>.
/// </summary>
public static class TriggerServices
{
    /// <summary>
    /// App setting that supplies the Event Grid webhook key (for example from Key Vault); without it a key is generated
    /// once.
    /// </summary>
    public const string EventGridKeySetting = "EdgeKv:Webhooks:EventGridKey";

    public static IServiceCollection AddTriggers(this IServiceCollection services, string dataPath,
        IConfiguration configuration)
    {
        services.TryAddSingletonTimeProvider();
        // Opened at registration, not on first use: the key file must exist when the host starts.
        bool local = !string.Equals(configuration["EdgeKv:Azure:Mode"], nameof(EdgeKv.Azure.AzureMode.Azure),
            StringComparison.OrdinalIgnoreCase);
        string folder = Path.Combine(dataPath, "keys");
        EdgeKvStoreOptions stores = EdgeKvStoreOptions.From(configuration);
        if (stores.IsShared)
        {
            // Several hosts: the hashed keys live in the shared account, so each host checks the same key.
            services.AddSingleton(OpenSystemKeys(
                new SystemKeyStore(folder,
                    stores.OpenAccount(configuration).Container("keys").GetBlobClient("system-keys.json")),
                    configuration, local));
        }
        else
        {
            services.AddSingleton(OpenSystemKeys(new SystemKeyStore(folder), configuration, local));
        }

        services.AddSingleton<IFunctionKeyVerifier, FunctionKeyVerifier>();
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>
    /// The host's system keys: the Event Grid webhook's (<c>eventgrid_extension</c>) and the Durable extension's
    /// (<c>durabletask_extension</c>, which opens <c>/runtime/webhooks/durabletask</c>). A configured key is hashed and
    /// kept; otherwise a key is created once (with several hosts, by the first to start). Locally (emulator mode) its
    /// value is written for the operator to <c>keys/{name}.key</c>, created with mode 600 so it is never readable by
    /// others, never logged, and deleted by a later rotation. Against real Azure no value is written anywhere: the
    /// operator sets the key from Key Vault or rotates it through <c>/admin/host/systemkeys</c>, which shows the new
    /// value once.
    /// </summary>
    private static SystemKeyStore OpenSystemKeys(SystemKeyStore keys, IConfiguration configuration, bool local)
    {
        OpenSystemKey(keys, EventGridWebhookFunction.KeyName, configuration[EventGridKeySetting], local);
        OpenSystemKey(keys, EdgeKv.Local.Hosting.DurableTaskWebhookApi.KeyName, configuredKey: null, local);
        return keys;
    }

    private static void OpenSystemKey(SystemKeyStore keys, string name, string? configuredKey, bool local)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            if (!keys.Verify(name, configuredKey)) keys.Set(name, configuredKey);
        }
        else if (!keys.Exists(name))
        {
            string value = keys.Rotate(name);
            if (local) OwnerOnlyFiles.WriteAllText(keys.PlaintextPath(name), value);
        }
    }
}
