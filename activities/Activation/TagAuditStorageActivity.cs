using EdgeKv.Azure.Storage;
using EdgeKv.Tasks;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 7, finish: the audit storage account carries the vault's name as a tag (set at creation; put back if it went
/// missing) and <see cref="AuditStorageSettings"/>' security properties (set at creation; put back on an account made
/// before them or changed since).
/// </summary>
[DurableTask(Name)]
public sealed class TagAuditStorageActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<AuditStorageSettings> settings) : TaskActivity<ResourceStep, string>
{
    public const string Name = "TagAuditStorage";

    public override async Task<string> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vault = record.RequireVault();
        string name = AuditStorageNames.For(record.VaultId!);
        var accounts = az.Factory.GetStorageAccountsClient(subscriptionId: record.SubscriptionId);
        var account = await AzureFailures.RefuseNonTransientAsync(() => accounts.GetAsync(record.ResourceGroup, name,
            ct));
        if (!account.Tags.TryGetValue(AuditStorageNames.VaultTag, out string? tagged) || tagged != vault)
        {
            var tags = new Dictionary<string, string>(account.Tags) { [AuditStorageNames.VaultTag] = vault };
            account = await AzureFailures.RefuseNonTransientAsync(() => accounts.SetTagsAsync(record.ResourceGroup,
                name, tags, ct));
        }

        StorageAccountSecurity security = settings.Value.Security;
        if (account.AllowSharedKeyAccess != security.AllowSharedKeyAccess || account.AllowBlobPublicAccess != security.AllowBlobPublicAccess ||
            !string.Equals(account.MinimumTlsVersion, security.MinimumTlsVersion, StringComparison.OrdinalIgnoreCase))
        {
            account = await AzureFailures.RefuseNonTransientAsync(() => accounts.SetSecurityAsync(record.ResourceGroup,
                name, security, ct));
        }

        return account.Id;
    }
}
