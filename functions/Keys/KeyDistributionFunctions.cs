using System.Text.Json;
using Azure;
using EdgeKv.Activities;
using EdgeKv.Activities.Keys;
using EdgeKv.Functions.Healing;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations.Keys;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// Keys at a KMS provider: <c>PUT /api/kms/{name}/keys/{keyName}</c> distributes (202 + check-status; the purpose
/// becomes the Azure key's operations; <c>hsm</c> by BYOK into a premium vault, <c>software</c> as a JWK), <c>GET</c>
/// reads and lists, <c>DELETE</c> removes it from the vault (202).
/// </summary>
public sealed class KeyDistributionFunctions(KeyStore store, AzureContextProvider azure,
    ILogger<KeyDistributionFunctions> logger)
{
    [Function("ListKmsKeys"),
        RequiresPermission(Permission.KeysRead, ActionScope.Service, Audited = false, AuditObject = "kms:{name}")]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "kms/{name}/keys")] HttpRequest request, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (KeysFunctions.InvalidName(name, "KMS provider") is { } bad) return bad;
        (int size, IResult? invalid) = FilteredPager.PageSize(QueryValues.Int(request, "top"));
        if (invalid is not null) return invalid;
        if (await store.GetProviderAsync(name, ct) is null) return KmsFunctions.NotFound(name);
        string? after = QueryValues.Text(request, "continuationToken");
        (IReadOnlyList<KeyDistributionRecord> page,
            string? resume) = await FilteredPager.ReadAsync((a, limit) => store.ListDistributionsOfProviderAsync(name,
                a ?? after, limit, ct),
            d => d.KeyName, _ => ValueTask.FromResult(true), size, after: null, filtered: false);
        return Results.Ok(new ListPage<KeyDistributionView>([.. page.Select(KeyDistributionView.From)],
            resume is null ? null : FilteredPager.NextLink(request, resume)));
    }

    [Function("GetKmsKey"),
        RequiresPermission(Permission.KeysRead, ActionScope.Service, AuditObject = "kms:{name}/key:{keyName}")]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "kms/{name}/keys/{keyName}")] HttpRequest request, string name, string keyName,
        CancellationToken ct)
    {
        (KeyDistributionRecord? current, IResult? refusal) = await FindDistributionAsync(name, keyName, ct);
        return current is null ? refusal! : Results.Ok(KeyDistributionView.From(current));
    }

    [Function("StartKeyDistribution"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "kms:{name}/key:{keyName}")]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "kms/{name}/keys/{keyName}")] HttpRequest request, string name, string keyName,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        BodyResult<DistributeKeyBody> read = await JsonBody.ReadAsync<DistributeKeyBody>(request, ct);
        if (read.Error is not null) return read.Error;
        if (InvalidNames(name, keyName) is { } bad) return bad;
        DistributeKeyBody body = read.Value!;
        if (Purpose(body.Purpose) is not { } purpose) return AzureError.BadRequest("InvalidPurpose",
            "purpose must be a list of operations, or a comma-separated string of them.");
        string protection = body.Protection ?? KeyProtections.Hsm;
        KmsProviderRecord? provider = await store.GetProviderAsync(name, ct);
        if (provider is null) return KmsFunctions.NotFound(name);
        KeyRecord? key = await store.GetKeyAsync(keyName, ct);
        if (key is null) return KeysFunctions.NotFound(keyName);
        if (KeyDistributionRules.Problem(key.Type, purpose,
            protection) is { } problem) return AzureError.BadRequest(problem.Code, problem.Message);
        KeyDistributionRecord? current = await store.GetDistributionAsync(provider.Name, key.Name, ct);
        if (current is not null && current.Protection != protection)
        {
            return AzureError.Conflict("DistributionProtectionImmutable",
                $"Key '{key.Name}' is distributed to '{provider.Name}' with protection '{current.Protection}': remove it first to change the protection.");
        }

        if (current is { State: DistributionState.Removing }) return AzureError.Conflict("KeyBeingRemoved",
            $"Key '{key.Name}' is being removed from '{provider.Name}'; distribute it again once that is done.");
        if (protection == KeyProtections.Hsm && await PremiumProblemAsync(provider, ct) is { } refused) return refused;
        return await HealingFunctions.StartInstanceAsync(request, client, logger, DistributeKeyOrchestrator.Name,
            KeyFlowIds.Distribute(provider.Name, key.Name),
            new DistributeKeyRequest(key.Name, provider.Name, purpose, protection), ct);
    }

    [Function("RemoveKmsKey"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "kms:{name}/key:{keyName}")]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "kms/{name}/keys/{keyName}")] HttpRequest request, string name, string keyName,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        (KeyDistributionRecord? current, IResult? refusal) = await FindDistributionAsync(name, keyName, ct);
        if (current is null) return refusal!;
        return await HealingFunctions.StartInstanceAsync(request, client, logger,
            RemoveKeyDistributionOrchestrator.Name, KeyFlowIds.Remove(current.KmsName, current.KeyName),
            new DistributionStep(current.KeyName, current.KmsName), ct);
    }

    /// <summary>
    /// Heals a drift alert: the distribution runs again with its purpose and protection, re-importing or recovering
    /// what was deleted, enabling what was disabled and restricting the operations to the purpose (202).
    /// </summary>
    [Function("HealKmsKey"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "kms:{name}/key:{keyName}")]
    public async Task<IResult> HealAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "kms/{name}/keys/{keyName}/heal")] HttpRequest request, string name, string keyName,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        (KeyDistributionRecord? current, IResult? refusal) = await FindDistributionAsync(name, keyName, ct);
        if (current is null) return refusal!;
        if (current.State == DistributionState.Removing) return AzureError.Conflict("KeyBeingRemoved",
            $"Key '{current.KeyName}' is being removed from '{current.KmsName}'.");
        return await HealingFunctions.StartInstanceAsync(request, client, logger, DistributeKeyOrchestrator.Name,
            KeyFlowIds.Distribute(current.KmsName, current.KeyName),
            new DistributeKeyRequest(current.KeyName, current.KmsName, current.Purpose, current.Protection), ct);
    }

    private static IResult? InvalidNames(string kms, string key) =>
        KeysFunctions.InvalidName(kms, "KMS provider") ?? KeysFunctions.InvalidName(key);

    /// <summary>
    /// The distribution of the key to the KMS provider, or (as the refusal) why there is none: a name that is not
    /// valid (400) or no such distribution (404).
    /// </summary>
    private async Task<(KeyDistributionRecord? Distribution, IResult? Refusal)> FindDistributionAsync(string kms,
        string key, CancellationToken ct)
    {
        if (InvalidNames(kms, key) is { } bad) return (null, bad);
        return await store.GetDistributionAsync(kms, key, ct) is { } found
            ? (found, null)
            : (null, NotDistributed(kms, key));
    }

    private static IResult NotDistributed(string kms, string key) => AzureError.NotFound("KeyNotDistributed",
        $"Key '{key}' is not distributed to KMS provider '{kms}'.");

    /// <summary>A standard vault is refused for HSM protection before anything starts; the flow checks again.</summary>
    private async Task<IResult?> PremiumProblemAsync(KmsProviderRecord provider, CancellationToken ct)
    {
        try
        {
            KmsVault vault = await KmsVault.OpenAsync(await azure.GetAsync(ct), store, provider.Name, ct);
            return vault.IsPremium ? null : AzureError.Conflict("PremiumVaultRequired",
                $"Key vault '{vault.Vault.Name}' is a {vault.Vault.SkuName} vault: HSM protection (Bring Your Own Key) needs a premium vault. Use protection 'software' or a premium vault.");
        }
        catch (ActivationRefusedException refused) when (refused.Code == "VaultNotFound")
        {
            return AzureError.NotFound(refused.Code, refused.Reason);
        }
        catch (ActivationRefusedException refused)
        {
            return AzureError.Conflict(refused.Code, refused.Reason);
        }
        catch (RequestFailedException ex)
        {
            return DependencyFailures.From(ex, "Azure Resource Manager");
        }
    }

    /// <summary>
    /// The purpose as a list: a JSON array of strings, or one comma-separated string (as Vault's CLI writes it); null
    /// when neither.
    /// </summary>
    private static List<string>? Purpose(JsonElement? value)
    {
        if (value is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return [.. v.GetString()!.Split(',',
            StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String)) return null;
        return [.. v.EnumerateArray().Select(e => e.GetString()!)];
    }
}
