using EdgeKv.Functions.Security;
using EdgeKv.Functions.Triggers.Timers;

namespace EdgeKv.Functions.Triggers;

/// <summary>Adds the timer and Event Grid triggers; functions register themselves as <see cref="ITimerFunction"/> or <see cref="EventGrid.IEventGridFunction"/>.</summary>
public static class TriggerServices
{
    /// <summary>App setting that supplies the Event Grid webhook key (for example from Key Vault); without it a key is generated once.</summary>
    public const string EventGridKeySetting = "EdgeKv:Webhooks:EventGridKey";

    public static IServiceCollection AddTriggers(this IServiceCollection services, string dataPath, IConfiguration configuration)
    {
        services.TryAddSingletonTimeProvider();
        services.AddSingleton(new ScheduleStatusStore(Path.Combine(dataPath, "timers")));
        services.AddHostedService<TimerTriggerService>();
        // Opened at registration, not on first use: the key file must exist when the host starts.
        services.AddSingleton(OpenSystemKeys(Path.Combine(dataPath, "keys"), configuration[EventGridKeySetting]));
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>
    /// A configured key is hashed and kept; otherwise a key is created once and its value written, for the local
    /// operator only, to <c>keys/eventgrid_extension.key</c> (mode 600); it is never logged, and a later rotation deletes it.
    /// </summary>
    private static SystemKeyStore OpenSystemKeys(string folder, string? configuredKey)
    {
        var keys = new SystemKeyStore(folder);
        string name = EventGrid.EventGridWebhookApi.KeyName;
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            if (!keys.Verify(name, configuredKey)) keys.Set(name, configuredKey);
        }
        else if (!keys.Exists(name))
        {
            string value = keys.Rotate(name);
            string path = keys.PlaintextPath(name);
            File.WriteAllText(path, value);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return keys;
    }
}
