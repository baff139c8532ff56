using System.Threading.Channels;
using EdgeKv.FunctionsHost;
using EdgeKv.FunctionsHost.Timers;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class TimerTriggerTests
{
    [TestMethod]
    public void Six_field_ncrontab_and_intervals_are_read_as_Functions_reads_them()
    {
        var start = new DateTime(2026, 3, 1, 10, 2, 30, DateTimeKind.Utc);

        Assert.AreEqual(new DateTime(2026, 3, 1, 10, 5, 0),
            TimerSchedule.Parse("0 */5 * * * *").GetNextOccurrence(start));
        Assert.AreEqual(new DateTime(2026, 3, 2, 2, 0, 0), TimerSchedule.Parse("0 0 2 * * *").GetNextOccurrence(start));
        Assert.AreEqual(start.AddMinutes(10), TimerSchedule.Parse("00:10:00").GetNextOccurrence(start));
    }

    [TestMethod]
    [DataRow("*/5 * * * *")] // five fields: no seconds
    [DataRow("0 */5 * * * * *")]
    [DataRow("every five minutes")]
    [DataRow("-00:05:00")]
    public void A_schedule_that_is_not_ncrontab_or_an_interval_is_refused(string schedule)
    {
        FormatException error = Assert.ThrowsExactly<FormatException>(() => TimerSchedule.Parse(schedule));
        StringAssert.Contains(error.Message, "NCRONTAB");
    }

    [TestMethod]
    public async Task Runs_on_startup_then_at_each_occurrence_of_the_schedule()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 2, 0, TimeSpan.Zero));
        await using var fixture = await TimerHost.StartAsync(clock,
            new() { ["timers:Probe:schedule"] = "0 */5 * * * *", ["timers:Probe:runOnStartup"] = "true" });

        TimerInfo startup = await fixture.NextRunAsync();
        Assert.IsTrue(startup.IsStartupRun);
        Assert.IsFalse(startup.IsPastDue);

        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromMinutes(3)); // 10:05
        TimerInfo scheduled = await fixture.NextRunAsync();

        Assert.IsFalse(scheduled.IsStartupRun);
        Assert.AreEqual(new DateTime(2026, 3, 1, 10, 2, 0), scheduled.ScheduleStatus!.Last,
            "the status carries the previous run");
    }

    [TestMethod]
    public async Task An_occurrence_missed_while_the_host_was_down_runs_at_start_as_past_due()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 2, 0, TimeSpan.Zero));
        using var data = new TempDirectory("timers");
        await new ScheduleStatusStore(Path.Combine(data.Path, "timers")).WriteAsync("Probe",
            new ScheduleStatus(new DateTime(2026, 3, 1, 9, 0, 0), new DateTime(2026, 3, 1, 9, 5, 0),
                new DateTime(2026, 3, 1, 9, 0, 0)), CancellationToken.None);

        await using var fixture = await TimerHost.StartAsync(clock,
            new() { ["timers:Probe:schedule"] = "0 */5 * * * *" }, data.Path);
        TimerInfo run = await fixture.NextRunAsync();

        Assert.IsTrue(run.IsPastDue);
        Assert.AreEqual(new DateTime(2026, 3, 1, 9, 5, 0), run.ScheduleStatus!.Next);
    }

    [TestMethod]
    [DataRow("true")]
    [DataRow("1")]
    public async Task The_hosts_AzureWebJobs_Disabled_setting_turns_a_timer_off_even_with_run_on_startup(string value)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 2, 0, TimeSpan.Zero));
        await using var fixture = await TimerHost.StartAsync(clock,
            new() { ["timers:Probe:runOnStartup"] = "true", ["AzureWebJobs.Probe.Disabled"] = value });

        TimerTriggerService service = fixture.Service;
        Assert.IsTrue(service.Schedules["Probe"].Settings.Disabled);
        // With its only timer off the service has nothing to schedule: its work ends without a run.
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.IsFalse(fixture.HasRun);
    }

    [TestMethod]
    public async Task A_disabled_setting_that_is_not_true_leaves_the_timer_on()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 2, 0, TimeSpan.Zero));
        await using var fixture = await TimerHost.StartAsync(clock,
            new() { ["timers:Probe:runOnStartup"] = "true", ["AzureWebJobs.Probe.Disabled"] = "false" });

        Assert.IsFalse(fixture.Service.Schedules["Probe"].Settings.Disabled);
        Assert.IsTrue((await fixture.NextRunAsync()).IsStartupRun);
    }

    [TestMethod]
    public async Task A_bad_schedule_in_settings_stops_the_host_from_starting()
    {
        var clock = new ManualTimeProvider();

        await Assert.ThrowsExactlyAsync<FormatException>(() => TimerHost.StartAsync(clock,
            new() { ["timers:Probe:schedule"] = "sometimes" }));
    }

    private sealed class TimerHost : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly ProbeTimer _probe;
        private readonly TempDirectory? _data;

        private TimerHost(IHost host, ProbeTimer probe, TempDirectory? data)
        {
            _host = host;
            _probe = probe;
            _data = data;
        }

        public static async Task<TimerHost> StartAsync(ManualTimeProvider clock, Dictionary<string, string?> settings,
            string? dataPath = null)
        {
            TempDirectory? data = dataPath is null ? new TempDirectory("timers") : null;
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.AddFilter(_ => false);
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(clock);
            var probe = new ProbeTimer();
            builder.Services.AddSingleton<ITimerFunction>(probe);
            builder.Services.AddTimerTriggers(Path.Combine(dataPath ?? data!.Path, "timers"));
            IHost host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch
            {
                host.Dispose();
                data?.Dispose();
                throw;
            }

            return new TimerHost(host, probe, data);
        }

        public TimerTriggerService Service => _host.Services.GetServices<IHostedService>().OfType<TimerTriggerService>().Single();

        public bool HasRun => _probe.Runs.Reader.TryPeek(out _);

        public async Task<TimerInfo> NextRunAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            return await _probe.Runs.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            _data?.Dispose();
        }
    }

    private sealed class ProbeTimer : ITimerFunction
    {
        public Channel<TimerInfo> Runs { get; } = Channel.CreateUnbounded<TimerInfo>();

        public string Name => "Probe";

        public string DefaultSchedule => "0 0 * * * *";

        public Task RunAsync(TimerInfo timer, CancellationToken cancellationToken) => Runs.Writer.WriteAsync(timer,
            cancellationToken).AsTask();
    }
}
