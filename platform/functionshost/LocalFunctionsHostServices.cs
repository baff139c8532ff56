using System.Reflection;
using EdgeKv.FunctionsHost.Timers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Adds the local host for the functions of one assembly; map its HTTP functions with <see
/// cref="HttpFunctionEndpoints.MapHttpFunctions"/>.
/// </summary>
public static class LocalFunctionsHostServices
{
    /// <param name="functions">The worker's assembly; its <c>functions.metadata</c> lies beside it.</param>
    /// <param name="durableFunctions">The orchestrators and activities the worker registers, which join the functions'
    /// name space.</param>
    /// <param name="configuration">The app settings that <c>%setting%</c> expressions in the bindings name.</param>
    /// <param name="timerStatusFolder">Where timers with <c>useMonitor</c> keep their schedule status.</param>
    public static IServiceCollection AddLocalFunctionsHost(this IServiceCollection services, Assembly functions,
        IEnumerable<IndexedFunction> durableFunctions,
        IConfiguration configuration, string timerStatusFolder)
    {
        FunctionCatalog catalog = FunctionCatalog.FromWorker(File.ReadAllText(FunctionCatalog.MetadataPath(functions)),
            functions, durableFunctions, configuration);
        services.AddSingleton(catalog);
        DurableClientBinding.Hide(services);
        foreach (FunctionDescriptor timer in catalog.Functions.Where(f => f.Trigger == FunctionTriggerKind.TimerTrigger))
        {
            services.AddSingleton<ITimerFunction>(sp => new FunctionTimer(timer,
                sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IConfiguration>()));
        }

        services.AddTimerTriggers(timerStatusFolder);
        // IActionResult results need MVC's result executors, as in the worker's ASP.NET Core integration.
        services.AddMvcCore();
        return services;
    }

    /// <summary>
    /// Runs every registered <see cref="ITimerFunction"/> on its schedule, one run at a time per timer.
    /// </summary>
    public static IServiceCollection AddTimerTriggers(this IServiceCollection services, string timerStatusFolder)
    {
        if (services.Any(d => d.ServiceType == typeof(TimeProvider)) is false) services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ScheduleStatusStore(timerStatusFolder));
        services.AddHostedService<TimerTriggerService>();
        return services;
    }
}
