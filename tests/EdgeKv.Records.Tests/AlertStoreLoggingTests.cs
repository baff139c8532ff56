using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The security team's monitoring hook: the alert store is the one place a raised alert is logged, and a raised alert
/// of the Security category is a Warning with event id 7030 (through <c>ILogger&lt;AlertStore&gt;</c>, the class that
/// logs); seen again, or of the Health category, it is not.
/// </summary>
[TestClass]
public sealed class AlertStoreLoggingTests
{
    [TestMethod]
    public async Task A_raised_security_alert_is_logged_once_at_warning_with_event_id_7030()
    {
        using var folder = new TempDirectory("alert-logs");
        var logger = new CapturingLogger();
        using var store = new AlertStore(new ResourceStoreOptions(Path.Combine(folder.Path, "EdgeKv.db")),
            new ManualTimeProvider(), logger);
        const string principal = "0b1d0c1a-0000-4000-8000-0000000000a1";

        AlertChange raised = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess,
            "granted itself", principal));
        await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess,
            "granted itself again", principal));
        await store.RaiseAsync(new AlertObservation("ase1", AlertKind.VaultLockMissing, "no lock"));
        await store.ApplySweepAsync(["ase2"],
            [new AlertObservation("ase2", AlertKind.AccessPolicyNotGrantedByEdgeKv, "stranger", principal)]);

        Assert.HasCount(2, logger.Entries,
            "the self-grant once, the sweep's drift once; nothing for the update or the health alert");
        Assert.IsTrue(logger.Entries.All(e => e.Level == LogLevel.Warning && e.EventId.Id == 7030));
        StringAssert.Contains(logger.Entries[0].Message, "SelfGrantedDataPlaneAccess");
        StringAssert.Contains(logger.Entries[0].Message, principal);
        StringAssert.Contains(logger.Entries[0].Message, raised.AlertId);
        StringAssert.Contains(logger.Entries[1].Message, "AccessPolicyNotGrantedByEdgeKv");
    }

    private sealed class CapturingLogger : ILogger<AlertStore>
    {
        public List<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Entries.Add((logLevel, eventId,
                formatter(state, exception)));
    }
}
