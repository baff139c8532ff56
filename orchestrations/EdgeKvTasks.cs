using EdgeKv.Activities;
using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Activities.Keys;
using EdgeKv.Activities.Lifecycle;
using EdgeKv.Activities.Secrets;
using EdgeKv.Orchestrations.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Every orchestrator and activity EdgeKv runs, by its persisted name: the one registry both hosts use (the Functions
/// app's <c>ConfigureDurableWorker().AddTasks(EdgeKvTasks.Register)</c> and the local host's worker).
/// </summary>
public static class EdgeKvTasks
{
    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<HelloSequenceOrchestrator>()
            .AddActivity<SayHelloActivity>()
            .AddOrchestrator<ActivationOrchestrator>()
            .AddActivity<RecordActivationProgressActivity>()
            .AddActivity<CheckPrerequisitesActivity>()
            .AddActivity<CreateVaultActivity>()
            .AddActivity<LockResourceActivity>()
            .AddActivity<EnableIdentityActivity>()
            .AddActivity<StoreChannelIntegrityKeyActivity>()
            .AddActivity<StartAuditStorageActivity>()
            .AddActivity<GetAuditStorageStatusActivity>()
            .AddActivity<TagAuditStorageActivity>()
            .AddActivity<ProtectAuditContainerActivity>()
            .AddActivity<CreateDiagnosticSettingActivity>()
            .AddActivity<GrantIdentityAccessActivity>()
            .AddActivity<IssueActivationKeyActivity>()
            .AddOrchestrator<HealthSweepOrchestrator>()
            .AddActivity<ListSweepPagesActivity>()
            .AddActivity<CheckHealthPageActivity>()
            .AddActivity<RecordSweepActivity>()
            .AddOrchestrator<NotificationOrchestrator>()
            .AddActivity<NotifyActivity>()
            .AddActivity<ResolveAlertsActivity>()
            .AddOrchestrator<RecoverIdentityAccessOrchestrator>()
            .AddOrchestrator<SyncDeviceSecretsOrchestrator>()
            .AddActivity<RequestDeviceSyncActivity>()
            .AddActivity<AwaitDeviceSecretsActivity>()
            .AddActivity<RecoverDeletedDeviceSecretsActivity>()
            .AddOrchestrator<RecoverVaultOrchestrator>()
            .AddActivity<InspectVaultActivity>()
            .AddActivity<RecoverVaultActivity>()
            .AddOrchestrator<RegenerateActivationKeyOrchestrator>()
            .AddActivity<ReplaceActivationKeyActivity>()
            .AddOrchestrator<DeleteResourceOrchestrator>()
            .AddActivity<DeleteLocksActivity>()
            .AddActivity<DeleteAzureResourceActivity>()
            .AddActivity<ForgetResourceActivity>()
            .AddActivity<MarkResourceFlowActivity>()
            .AddOrchestrator<RemoveAccessPolicyOrchestrator>()
            .AddActivity<RemoveAccessPolicyActivity>()
            .AddOrchestrator<RemoveRoleAssignmentOrchestrator>()
            .AddActivity<RemoveRoleAssignmentActivity>()
            .AddOrchestrator<RotateChannelIntegrityKeyOrchestrator>()
            .AddActivity<CreateChannelIntegrityKeyVersionActivity>()
            .AddActivity<CompleteChannelIntegrityKeyRotationActivity>()
            .AddActivity<SubscribeVaultEventsActivity>()
            .AddActivity<UnsubscribeVaultEventsActivity>();
        RegisterKeyFlows(registry);
    }

    /// <summary>Key management: distribute, remove, rotate, minimum enabled version.</summary>
    private static void RegisterKeyFlows(DurableTaskRegistry registry)
    {
        registry
            .AddOrchestrator<DistributeKeyOrchestrator>()
            .AddOrchestrator<RemoveKeyDistributionOrchestrator>()
            .AddOrchestrator<RotateKeyOrchestrator>()
            .AddOrchestrator<SetMinEnabledVersionOrchestrator>()
            .AddActivity<PrepareDistributionActivity>()
            .AddActivity<ImportKeyVersionActivity>()
            .AddActivity<CompleteDistributionActivity>()
            .AddActivity<RemoveKeyDistributionActivity>()
            .AddActivity<CreateKeyVersionActivity>()
            .AddActivity<ListKeyProvidersActivity>()
            .AddActivity<ReadLatestKeyVersionActivity>()
            .AddActivity<ApplyMinEnabledVersionActivity>()
            .AddActivity<RecordMinEnabledVersionActivity>()
            .AddActivity<CheckKeyDistributionsActivity>();
    }
}
