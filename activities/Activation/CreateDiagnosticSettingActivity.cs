using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 8: a diagnostic setting on the vault sending its AuditEvent logs to the audit storage account (PUT,
/// idempotent).
/// </summary>
[DurableTask(Name)]
public sealed class CreateDiagnosticSettingActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<CreateDiagnosticSettingActivity> logger)
    : TaskActivity<DiagnosticSettingRequest, string>
{
    public const string Name = "CreateDiagnosticSetting";
    public const string SettingName = "edgekv-audit";

    public override async Task<string> RunAsync(TaskActivityContext context, DiagnosticSettingRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        var setting = await AzureFailures.RefuseNonTransientAsync(() =>
            az.Factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(input.VaultId, SettingName,
                input.StorageAccountId, ["AuditEvent"], null, ct));
        await store.UpdateAsync(input.ResourceName, r => r with { DiagnosticSettingId = setting.Id }, ct);
        Logs.DiagnosticSetting(logger, SettingName, input.VaultId, input.StorageAccountId);
        return setting.Id;
    }
}
