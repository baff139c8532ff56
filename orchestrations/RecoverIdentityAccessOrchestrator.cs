using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Recover managed identity access: the resource's system-assigned identity enabled again (or recreated, with a new
/// principal recorded), Get and Set on the vault's secrets granted to it, the identity alerts resolved, the caller
/// notified.
/// </summary>
[DurableTask(Name)]
public sealed class RecoverIdentityAccessOrchestrator : TaskOrchestrator<string?, RecoveryOutcome>
{
    public const string Name = "RecoverIdentityAccess";

    public static string InstanceIdFor(string resourceName) => $"recover-identity-{resourceName.ToLowerInvariant()}";

    public override Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context, string? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.ResourceName(input));
        return ResourceFlows.RunMarkedAsync(context, input, Name, () => HealAsync(context, input));
    }

    private static async Task<RecoveryOutcome> HealAsync(TaskOrchestrationContext context, string input)
    {
        ILogger log = context.CreateReplaySafeLogger<RecoverIdentityAccessOrchestrator>();
        var step = new ResourceStep(input);
        context.SetCustomStatus("Enabling the system-assigned identity");
        Guid principal = await context.CallActivityAsync<Guid>(EnableIdentityActivity.Name, step,
            CallPolicies.ArmCalls);
        context.SetCustomStatus("Granting the identity Get and Set on secrets");
        await context.CallActivityAsync<string>(GrantIdentityAccessActivity.Name, step, CallPolicies.ArmCalls);
        IReadOnlyList<AlertChange> resolved = await context.CallActivityAsync<IReadOnlyList<AlertChange>>(ResolveAlertsActivity.Name,
            new ResolveAlertsRequest(input,
                [AlertKind.IdentityAccessMissing, AlertKind.IdentityDisabled, AlertKind.IdentityMissing]),
                CallPolicies.StoreCalls);
        string summary = $"Identity {principal} of '{input}' has Get and Set on its vault's secrets again.";
        await context.CallActivityAsync<bool>(NotifyActivity.Name,
            new Notification("FlowCompleted", input, summary, resolved), CallPolicies.NotifyCalls);
        Logs.Healed(log, Name, input);
        return new RecoveryOutcome(input, true, summary, resolved.Count);
    }
}

/// <summary>Output of a healing flow: whether it healed, what it did, how many alerts it resolved.</summary>
public sealed record RecoveryOutcome(string ResourceName, bool Healed, string Summary, int AlertsResolved);
