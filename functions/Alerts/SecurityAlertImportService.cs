using EdgeKv.Functions.Hosting;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Tables;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// At start-up, carries the rows of the retired security-alert store (security.db's table and, with the shared store,
/// its <c>SecurityAlerts</c> table) into the one <see cref="AlertStore"/> (<see cref="SecurityAlertImport"/>; once:
/// the old table is dropped after). A store that cannot be reached now is imported at the next start: the host starts
/// all the same.
/// </summary>
internal sealed partial class SecurityAlertImportService(IServiceProvider services,
    ILogger<SecurityAlertImportService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        AlertStore alerts = services.GetRequiredService<AlertStore>();
        try
        {
            int imported = await SecurityAlertImport.FromSecurityDatabaseAsync(
                services.GetRequiredService<SecurityDatabase>(), alerts, cancellationToken);
            if (services.GetRequiredService<EdgeKvStoreOptions>().IsShared)
            {
                imported += await SecurityAlertImport.FromTablesAsync(services.GetRequiredService<SharedStoreAccount>(),
                    alerts, cancellationToken);
            }

            if (imported > 0) LogImported(logger, imported);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogImportFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(7031, LogLevel.Information, "Carried {Count} security alerts over into the alert store.")]
    private static partial void LogImported(ILogger logger, int count);

    [LoggerMessage(7032, LogLevel.Warning,
        "The security alerts of the retired store could not be carried over now; the next start tries again.")]
    private static partial void LogImportFailed(ILogger logger, Exception exception);
}
