using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// EdgeKvDataConverter keeps secrets out of every payload: inputs, outputs, custom status and event payloads.
/// </summary>
[TestClass]
public sealed class SensitiveValueTests
{
    private const string Secret = "s3cr3t-cik-value";

    [TestMethod]
    public async Task A_secret_in_an_orchestration_input_is_refused_before_anything_is_stored()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Flow", (_, _) => Task.FromResult("x")));

        await Assert.ThrowsExactlyAsync<SensitivePayloadException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync("Flow", new { Key = new SensitiveValue(Secret) },
                new StartOrchestrationOptions("with-secret")));

        Assert.IsNull(await host.Client.GetInstanceAsync("with-secret"));
    }

    [TestMethod]
    public async Task A_secret_returned_by_an_activity_fails_the_step_and_never_reaches_history()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<object?, SensitiveValue>("Leaky", (_, _) => Task.FromResult(new SensitiveValue(Secret)))
            .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<object?>("Leaky");
                return "leaked";
            }));

        OrchestrationMetadata done = await host.RunAsync("Flow");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        StringAssert.Contains(done.FailureDetails!.ErrorMessage, "SensitiveValue cannot be serialized");
        await AssertNotInHistoryAsync(host, done.InstanceId);
    }

    [TestMethod]
    public async Task A_secret_as_custom_status_never_reaches_the_instance_state()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { key = new SensitiveValue(Secret) });
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(10), CancellationToken.None);
            return "done";
        }));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata state;
        do
        {
            state = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))!;
            Assert.IsFalse($"{state.SerializedCustomStatus}{state.SerializedOutput}{state.FailureDetails?.ErrorMessage}".Contains(Secret, StringComparison.Ordinal));
            await Task.Delay(TimeSpan.FromMilliseconds(50),
                timeout.Token); // bounded poll until the episode's outcome is stored
        }
        while (state.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running && !timeout.IsCancellationRequested);

        await AssertNotInHistoryAsync(host, id);
    }

    [TestMethod]
    public async Task A_secret_as_an_event_payload_is_refused_by_the_client()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Wait", (ctx, _) => ctx.WaitForExternalEvent<string>("x")));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");

        await Assert.ThrowsExactlyAsync<SensitivePayloadException>(() => host.Client.RaiseEventAsync(id, "x",
            new SensitiveValue(Secret)));
        Assert.AreEqual("***", new SensitiveValue(Secret).ToString());
    }

    private static async Task AssertNotInHistoryAsync(DurableTestHost host, string instanceId)
    {
        string history = await host.Services.GetRequiredService<global::DurableTask.Core.IOrchestrationServiceClient>().GetOrchestrationHistoryAsync(instanceId, null);
        Assert.IsFalse(history.Contains(Secret, StringComparison.Ordinal), history);
    }
}
