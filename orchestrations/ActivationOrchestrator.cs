using EdgeKv.Activities;
using EdgeKv.Activities.Secrets;
using EdgeKv.Activities.Activation;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Generate activation key and create key vault, as Azure Stack Edge does it: prerequisites, vault (its name resolved
/// and checked by the starter), lock, identity, Channel Integrity Key, audit storage (not blocking), diagnostic setting
/// (not blocking), identity access, activation key. Every step is an idempotent activity; the custom status shows the
/// step. The output is a summary of references; the activation key is fetched once from <c>GET
/// /api/resources/{name}/activationKey</c>.
/// </summary>
[DurableTask(Name)]
public sealed class ActivationOrchestrator : TaskOrchestrator<ActivationRequest?, ActivationSummary>
{
    public const string Name = "Activation";

    /// <summary>
    /// The instance id for a resource: one activation per resource at a time, so two requests never provision twice.
    /// </summary>
    public static string InstanceIdFor(string resourceName) => $"activation-{resourceName.ToLowerInvariant()}";

    public override async Task<ActivationSummary> RunAsync(TaskOrchestrationContext context, ActivationRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<ActivationOrchestrator>();
        // The vault name was resolved and checked once, by the starter (a bad or taken name is its 400/409): it travels
        // here in the input, and CreateVault records it with the vault.
        var step = new ResourceStep(input.ResourceName, input.VaultName);
        string vaultName = input.VaultName;
        var warnings = new List<string>();
        try
        {
            await context.CallActivityAsync<bool>(RecordActivationProgressActivity.Name,
                new ActivationProgress(input.ResourceName, ActivationState.Provisioning, []), CallPolicies.StoreCalls);

            Status(context, 1, "Checking prerequisites", warnings);
            PrerequisitesResult prerequisites = await context.CallActivityAsync<PrerequisitesResult>(CheckPrerequisitesActivity.Name, step, CallPolicies.ValidationCalls);
            warnings.AddRange(prerequisites.Notes);

            Status(context, 2, $"Creating vault {vaultName}", warnings);
            VaultRef vault = await context.CallActivityAsync<VaultRef>(CreateVaultActivity.Name, step,
                CallPolicies.ArmCalls);

            Status(context, 3, "Locking the vault", warnings);
            await context.CallActivityAsync<string>(LockResourceActivity.Name,
                new LockRequest(vault.Id, "edgekv-vault-lock", "Azure Stack Edge key vault: do not delete."),
                CallPolicies.ArmCalls);

            Status(context, 4, "Enabling the system-assigned identity", warnings);
            Guid principal = await context.CallActivityAsync<Guid>(EnableIdentityActivity.Name, step,
                CallPolicies.ArmCalls);

            Status(context, 5, "Storing the channel integrity key", warnings);
            SecretRef cik = await context.CallActivityAsync<SecretRef>(StoreChannelIntegrityKeyActivity.Name, step,
                CallPolicies.VaultDataCalls);

            Status(context, 6, "Creating the audit storage account (takes a few minutes)", warnings);
            string? storageId = await CreateAuditStorageAsync(context, input, step, warnings);

            string? diagnosticId = null;
            if (storageId is not null)
            {
                Status(context, 7, "Sending the vault's audit events to the storage account", warnings);
                try
                {
                    diagnosticId = await context.CallActivityAsync<string>(CreateDiagnosticSettingActivity.Name,
                        new DiagnosticSettingRequest(input.ResourceName, vault.Id, storageId), CallPolicies.ArmCalls);
                }
                catch (TaskFailedException ex)
                {
                    warnings.Add($"The diagnostic setting was not created (add it by hand later): {ex.FailureDetails.ErrorMessage}");
                }
            }
            else
            {
                warnings.Add("No diagnostic setting: there is no audit storage account.");
            }

            try
            {
                // Key Vault's own events (access policies, secret expiry) of this vault, to the webhook: none
                // configured, none made.
                await context.CallActivityAsync<string?>(SubscribeVaultEventsActivity.Name,
                    new VaultEventsRequest(input.ResourceName, input.ServiceEndpoint), CallPolicies.ArmCalls);
            }
            catch (TaskFailedException ex)
            {
                warnings.Add($"The vault's events are not subscribed (the sweep still finds what they report): {ex.FailureDetails.ErrorMessage}");
            }

            Status(context, 8, "Granting the identity Get and Set on secrets", warnings);
            await context.CallActivityAsync<string>(GrantIdentityAccessActivity.Name, step, CallPolicies.ArmCalls);

            Status(context, 9, "Generating the activation key with the identity's access", warnings);
            var keyId = context.NewGuid().ToString("N");
            var expiresAt = new DateTimeOffset(context.CurrentUtcDateTime).Add(input.KeyValidity);
            await context.CallActivityAsync<DateTimeOffset>(IssueActivationKeyActivity.Name,
                new IssueKeyRequest(input.ResourceName, keyId, expiresAt, input.ServiceEndpoint),
                CallPolicies.VaultDataCalls);
            await context.CallActivityAsync<bool>(RecordActivationProgressActivity.Name,
                new ActivationProgress(input.ResourceName, ActivationState.KeyIssued, warnings),
                CallPolicies.StoreCalls);

            Status(context, 9, "Done: fetch the activation key once from activationKeyUri", warnings);
            Logs.ActivationCompleted(log, input.ResourceName, vaultName, warnings.Count);
            return new ActivationSummary(input.ResourceName, vault.Name, vault.Uri, cik.Name, cik.Version, storageId,
                diagnosticId, principal, expiresAt,
                $"{input.ServiceEndpoint.TrimEnd('/')}/api/resources/{Uri.EscapeDataString(input.ResourceName)}/activationKey", warnings);
        }
        catch (TaskFailedException ex)
        {
            Logs.ActivationFailed(log, input.ResourceName, ex.FailureDetails.ErrorMessage);
            await context.CallActivityAsync<bool>(RecordActivationProgressActivity.Name,
                new ActivationProgress(input.ResourceName, ActivationState.Failed, warnings), CallPolicies.StoreCalls);
            throw;
        }
    }

    /// <summary>
    /// Step 6: start, poll on durable timers until done or timed out, tag, lock. Any failure is a warning, not the end.
    /// </summary>
    private static Task<string?> CreateAuditStorageAsync(TaskOrchestrationContext context, ActivationRequest input,
        ResourceStep step, List<string> warnings) =>
        CreateAuditStorageAsync(context, input.StoragePollInterval, input.StorageTimeout, step, warnings);

    /// <summary>Also the audit storage step of vault recovery.</summary>
    internal static async Task<string?> CreateAuditStorageAsync(TaskOrchestrationContext context, TimeSpan pollInterval,
        TimeSpan timeout, ResourceStep step, List<string> warnings)
    {
        try
        {
            AuditStorageStatus status = await context.CallActivityAsync<AuditStorageStatus>(StartAuditStorageActivity.Name, step, CallPolicies.ArmCalls);
            DateTime deadline = context.CurrentUtcDateTime.Add(timeout);
            while (!status.Succeeded)
            {
                if (context.CurrentUtcDateTime >= deadline)
                {
                    warnings.Add($"The audit storage account {status.Name} was not ready within {timeout}; it is left to finish, and can be locked and linked by hand.");
                    return null;
                }

                await context.CreateTimer(pollInterval, CancellationToken.None);
                status = await context.CallActivityAsync<AuditStorageStatus>(GetAuditStorageStatusActivity.Name, step,
                    CallPolicies.ArmCalls);
            }

            await context.CallActivityAsync<string>(TagAuditStorageActivity.Name, step, CallPolicies.ArmCalls);
            try
            {
                await context.CallActivityAsync<int>(ProtectAuditContainerActivity.Name, step, CallPolicies.ArmCalls);
            }
            catch (TaskFailedException ex)
            {
                // The logs still flow; only their retention guarantee is missing, which the Security page shows.
                warnings.Add($"The audit container has no retention policy (set it by hand): {ex.FailureDetails.ErrorMessage}");
            }

            await context.CallActivityAsync<string>(LockResourceActivity.Name,
                new LockRequest(status.AccountId, "edgekv-audit-lock", "Audit logs of an Azure Stack Edge key vault."),
                CallPolicies.ArmCalls);
            return status.AccountId;
        }
        catch (TaskFailedException ex)
        {
            warnings.Add($"The audit storage account was not created (not blocking; create it by hand later): {ex.FailureDetails.ErrorMessage}");
            return null;
        }
    }

    /// <summary>How many steps the custom status counts.</summary>
    public const int Steps = 9;

    private static void Status(TaskOrchestrationContext context, int number, string text, List<string> warnings) =>
        context.SetCustomStatus(new ActivationStatus(number, Steps, text, [.. warnings]));

}

/// <summary>The custom status while activation runs: the step, out of nine, and the warnings so far.</summary>
public sealed record ActivationStatus(int Step, int Of, string Description, IReadOnlyList<string> Warnings);
