using EdgeKv.Tasks;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// First step of a distribution: the key and the provider exist, the key's type can go to Azure and serve the purpose,
/// the vault exists and (for <c>hsm</c>) is premium; then the distribution is recorded as in progress with its purpose
/// and protection. Answers the versions to import, oldest enabled first, so the latest ends up current.
/// </summary>
[DurableTask(Name)]
public sealed class PrepareDistributionActivity(AzureContextProvider azure,
    KeyStore store) : TaskActivity<DistributeKeyRequest, DistributionPlan>
{
    public const string Name = "PrepareKeyDistribution";

    public override async Task<DistributionPlan> RunAsync(TaskActivityContext context, DistributeKeyRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        KeyRecord key = await store.GetKeyAsync(input.KeyName,
            ct) ?? throw new ActivationRefusedException("KeyNotFound", $"EdgeKv has no key named '{input.KeyName}'.");
        if (KeyDistributionRules.Problem(key.Type, input.Purpose,
            input.Protection) is { } problem) throw new ActivationRefusedException(problem.Code, problem.Message);
        KmsVault vault = await KmsVault.OpenAsync(await azure.GetAsync(ct), store, input.KmsName, ct);
        if (input.Protection == KeyProtections.Hsm && !vault.IsPremium) throw PremiumRequired(vault);
        KeyDistributionRecord? current = await store.GetDistributionAsync(input.KmsName, input.KeyName, ct);
        if (current is not null && current.Protection != input.Protection)
        {
            throw new ActivationRefusedException("DistributionProtectionImmutable",
                $"Key '{input.KeyName}' is distributed to '{input.KmsName}' with protection '{current.Protection}'; remove it first to change the protection.");
        }

        KeyDistributionRecord recorded = await store.UpsertDistributionAsync(input.KmsName, input.KeyName,
            existing => (existing ?? new KeyDistributionRecord
        {
            KmsName = input.KmsName, KeyName = input.KeyName, Purpose = input.Purpose, Protection = input.Protection,
        }) with { Purpose = input.Purpose, VaultUri = vault.Keys.VaultUri.AbsoluteUri,
            State = existing?.State == DistributionState.Distributed ? DistributionState.Distributed : DistributionState.Distributing }, ct)
            ?? throw new ActivationRefusedException("KeyNotFound",
                $"Key '{input.KeyName}' or provider '{input.KmsName}' was deleted.");
        int first = Math.Max(1, key.MinEnabledVersion);
        return new DistributionPlan(recorded.KeyName, recorded.KmsName,
            [.. Enumerable.Range(first, key.LatestVersion - first + 1)]);
    }

    internal static ActivationRefusedException PremiumRequired(KmsVault vault) => new("PremiumVaultRequired",
        $"Key vault '{vault.Vault.Name}' is a {vault.Vault.SkuName} vault: HSM protection (Bring Your Own Key) needs a premium vault. Use protection 'software' or a premium vault.");
}
