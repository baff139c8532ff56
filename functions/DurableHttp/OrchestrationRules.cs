using System.Text.Json;
using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Activities.Keys;
using EdgeKv.Activities.Lifecycle;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Orchestrations.Keys;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The table the management API consults for every orchestration: one row per orchestration name (EdgeKv's own below; a
/// test may register more as <see cref="OrchestrationRule"/> services). An orchestration with no row cannot be started
/// or controlled through the API.
/// </summary>
public sealed class OrchestrationRules(IEnumerable<OrchestrationRule> extra)
{
    /// <summary>EdgeKv's flows. Only the diagnostic HelloSequence may be started through the management API.</summary>
    public static readonly IReadOnlyList<OrchestrationRule> EdgeKv =
    [
        new(HelloSequenceOrchestrator.Name, Permission.OrchestrationsManage,
            OrchestrationRule.Typed<string[]>(OrchestrationInputs.Problem), StartableThroughApi: true),
        new(ActivationOrchestrator.Name, Permission.ActivationManage,
            OrchestrationRule.Typed<ActivationRequest>(OrchestrationInputs.Problem), false),
        new(RegenerateActivationKeyOrchestrator.Name, Permission.ActivationManage,
            OrchestrationRule.Typed<RegenerateKeyRequest>(OrchestrationInputs.Problem), false),
        new(DeleteResourceOrchestrator.Name, Permission.ResourcesDelete,
            OrchestrationRule.Typed<DeleteResourceRequest>(OrchestrationInputs.Problem), false),
        new(RecoverIdentityAccessOrchestrator.Name, Permission.RecoveryManage,
            OrchestrationRule.Typed<string>(OrchestrationInputs.ResourceName), false),
        new(RecoverVaultOrchestrator.Name, Permission.RecoveryManage,
            OrchestrationRule.Typed<RecoverVaultRequest>(OrchestrationInputs.Problem), false),
        new(SyncDeviceSecretsOrchestrator.Name, Permission.RecoveryManage,
            OrchestrationRule.Typed<SyncDeviceSecretsRequest>(OrchestrationInputs.Problem), false),
        new(RotateChannelIntegrityKeyOrchestrator.Name, Permission.KeysManage,
            OrchestrationRule.Typed<RotateCikRequest>(OrchestrationInputs.Problem), false),
        new(HealthSweepOrchestrator.Name, Permission.RecoveryManage,
            OrchestrationRule.Typed<SweepRequest>(OrchestrationInputs.Problem), false),
        new(NotificationOrchestrator.Name, Permission.RecoveryManage,
            OrchestrationRule.Typed<Notification>(OrchestrationInputs.Problem), false),
        // Key management: started by their own starters only, which check the key, the provider and the vault first.
        new(DistributeKeyOrchestrator.Name, Permission.KeysManage,
            OrchestrationRule.Typed<DistributeKeyRequest>(KeyFlowInputs.Problem), false),
        new(RemoveKeyDistributionOrchestrator.Name, Permission.KeysManage,
            OrchestrationRule.Typed<DistributionStep>(KeyFlowInputs.Problem), false),
        new(RotateKeyOrchestrator.Name, Permission.KeysManage,
            OrchestrationRule.Typed<RotateKeyRequest>(KeyFlowInputs.Problem), false),
        new(SetMinEnabledVersionOrchestrator.Name, Permission.KeysManage,
            OrchestrationRule.Typed<MinEnabledVersionRequest>(KeyFlowInputs.Problem), false),
        new(RemoveAccessPolicyOrchestrator.Name, Permission.AccessManage,
            OrchestrationRule.Typed<AccessPolicyRemovalRequest>(OrchestrationInputs.Problem), false),
        new(RemoveRoleAssignmentOrchestrator.Name, Permission.AccessManage,
            OrchestrationRule.Typed<RoleAssignmentRemovalRequest>(OrchestrationInputs.Problem), false),
    ];

    private readonly Dictionary<string, OrchestrationRule> _rules = EdgeKv.Concat(extra).ToDictionary(r => r.Name,
        StringComparer.OrdinalIgnoreCase);

    public OrchestrationRule? Find(string? name) => name is not null && _rules.TryGetValue(name,
        out OrchestrationRule? rule) ? rule : null;

    /// <summary>
    /// The problem with starting <paramref name="name"/> with <paramref name="input"/>, or null when it may start.
    /// </summary>
    public static string? InputProblem(OrchestrationRule rule, JsonElement? input) => rule.InputProblem(input);
}
