using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Records;

namespace EdgeKv.Functions.Device;

/// <summary>
/// A resource's customer secrets in its vault, besides writing them (<see cref="DeviceFunctions"/>): their names and
/// attributes (never values) for the roles that may see names, and soft delete and recovery for those who may write
/// them, as Key Vault does (a deleted secret stays recoverable until its purge date). EdgeKv calls the vault as itself
/// (list, delete and recover are not in the resource identity's grant); the vault's own secrets (the CIK, the device's
/// secrets) are never listed, deleted or recovered here.
/// </summary>
public sealed partial class CustomerSecretsFunctions(ResourceStore store, AzureContextProvider azure,
    ILogger<CustomerSecretsFunctions> logger)
{
    private const string Collection = "resources/{name}/customerSecrets";
    private const string Deleted = "resources/{name}/deletedCustomerSecrets";

    [Function("ListCustomerSecrets"), RequiresPermission(Permission.SecretNamesRead, ActionScope.Resource)]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Collection)] HttpRequest request, string name, CancellationToken ct) =>
        WithVaultAsync(name, async vault =>
        {
            var views = new List<CustomerSecretView>();
            await foreach (SecretProperties secret in vault.GetPropertiesOfSecretsAsync(ct))
            {
                if (!CustomerSecretRules.IsReserved(secret.Name) && secret.Managed != true) views.Add(View(secret));
            }

            return Results.Ok(new { value = views.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase) });
        });

    [Function("GetCustomerSecretProperties"), RequiresPermission(Permission.SecretNamesRead, ActionScope.Resource)]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Collection + "/{secret}")] HttpRequest request, string name, string secret,
        CancellationToken ct) =>
        CustomerSecretRules.CheckName(secret) is { } bad ? Task.FromResult(bad) : WithVaultAsync(name, async vault =>
            await CurrentAsync(vault, secret, ct) is { } current ? Results.Ok(View(current)) : SecretNotFound(name,
                secret));

    [Function("DeleteCustomerSecret"), RequiresPermission(Permission.SecretValuesWrite, ActionScope.Resource)]
    public Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = Collection + "/{secret}")] HttpRequest request, string name, string secret,
        CancellationToken ct) =>
        CustomerSecretRules.CheckName(secret) is { } bad ? Task.FromResult(bad) : WithVaultAsync(name, async vault =>
        {
            DeleteSecretOperation deletion = await vault.StartDeleteSecretAsync(secret, ct);
            DeletedSecret deleted = deletion.Value;
            LogDeleted(logger, name, secret);
            return Results.Ok(new DeletedCustomerSecretView(deleted.Name, deleted.DeletedOn,
                deleted.ScheduledPurgeDate));
        });

    [Function("ListDeletedCustomerSecrets"), RequiresPermission(Permission.SecretNamesRead, ActionScope.Resource)]
    public Task<IResult> ListDeletedAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Deleted)] HttpRequest request, string name, CancellationToken ct) =>
        WithVaultAsync(name, async vault =>
        {
            var views = new List<DeletedCustomerSecretView>();
            await foreach (DeletedSecret secret in vault.GetDeletedSecretsAsync(ct))
            {
                if (!CustomerSecretRules.IsReserved(secret.Name)) views.Add(new DeletedCustomerSecretView(secret.Name,
                    secret.DeletedOn, secret.ScheduledPurgeDate));
            }

            return Results.Ok(new { value = views.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase) });
        });

    [Function("RecoverCustomerSecret"), RequiresPermission(Permission.SecretValuesWrite, ActionScope.Resource)]
    public Task<IResult> RecoverAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Deleted + "/{secret}/recover")] HttpRequest request, string name,
        string secret, CancellationToken ct) =>
        CustomerSecretRules.CheckName(secret) is { } bad ? Task.FromResult(bad) : WithVaultAsync(name, async vault =>
        {
            RecoverDeletedSecretOperation recovery = await vault.StartRecoverDeletedSecretAsync(secret, ct);
            LogRecovered(logger, name, secret);
            return Results.Ok(View(recovery.Value));
        });

    /// <summary>
    /// Whether the current version of <paramref name="secret"/> is disabled (read as EdgeKv, from the secret list;
    /// false when it cannot be told).
    /// </summary>
    internal static async Task<bool> IsDisabledAsync(AzureContext az, ResourceRecord record, string secret,
        CancellationToken ct)
    {
        try
        {
            return (await CurrentAsync(az.CreateServiceSecretClient(new Uri(record.VaultUri!)), secret,
                ct))?.Enabled == false;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The current version's attributes without its value (a get would return the value): the vault's secret list
    /// carries them; its version id, which the list may leave out, is the one version created at that moment.
    /// </summary>
    private static async Task<SecretProperties?> CurrentAsync(SecretClient vault, string secret, CancellationToken ct)
    {
        SecretProperties? current = null;
        await foreach (SecretProperties listed in vault.GetPropertiesOfSecretsAsync(ct))
        {
            if (string.Equals(listed.Name, secret, StringComparison.OrdinalIgnoreCase)) current = listed;
        }

        if (current is null || current.Version is not null) return current;
        var created = new List<SecretProperties>();
        await foreach (SecretProperties version in vault.GetPropertiesOfSecretVersionsAsync(secret, ct))
        {
            if (version.CreatedOn == current.CreatedOn && version.UpdatedOn == current.UpdatedOn) created.Add(version);
        }

        return created.Count == 1 ? created[0] : current;
    }

    internal static CustomerSecretView View(SecretProperties secret) => new(secret.Name, secret.Version, secret.Enabled,
        secret.ExpiresOn, secret.NotBefore,
        secret.CreatedOn, secret.UpdatedOn, secret.ContentType,
        new Dictionary<string, string>(secret.Tags, StringComparer.Ordinal));

    private static IResult SecretNotFound(string resource, string secret) =>
        AzureError.NotFound("SecretNotFound", $"Resource '{resource}' has no customer secret '{secret}'.");

    private async Task<IResult> WithVaultAsync(string name, Func<SecretClient, Task<IResult>> call)
    {
        ResourceRecord? record = await store.GetAsync(name);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultUri is null) return AzureError.Conflict("VaultNotProvisioned",
            $"Resource '{name}' has no vault yet; generate its activation key first.");
        try
        {
            return await call((await azure.GetAsync()).CreateServiceSecretClient(new Uri(record.VaultUri)));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return AzureError.NotFound(ex.ErrorCode ?? "SecretNotFound",
                "The secret does not exist in the resource's vault.");
        }
        catch (RequestFailedException ex)
        {
            return DependencyFailures.From(ex, "the resource's vault");
        }
    }

    [LoggerMessage(2151, LogLevel.Information,
        "Customer secret {Secret} of {Resource} deleted (recoverable until its purge date).")]
    private static partial void LogDeleted(ILogger logger, string resource, string secret);

    [LoggerMessage(2152, LogLevel.Information, "Customer secret {Secret} of {Resource} recovered.")]
    private static partial void LogRecovered(ILogger logger, string resource, string secret);
}
