using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>Creates vaults on an emulator for data-plane tests, with access policies for named principals.</summary>
internal static class DataPlaneVaults
{
    public static readonly string[] AllSecrets = ["get", "list", "set", "delete", "recover", "purge", "backup",
        "restore"];
    public static readonly string[] AllKeys = ["get", "list", "create", "import", "update", "delete", "recover",
        "purge", "encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

    public static Task<VaultProperties> CreateAsync(RunningEmulator emulator, string resourceGroup, string name,
        bool purgeProtection = false,
        params (string Principal, string[] Secrets, string[] Keys)[] policies) =>
        CreateAsync(emulator, resourceGroup, name, "standard", purgeProtection, policies);

    /// <summary>
    /// A vault of SKU <paramref name="skuName"/> (standard or premium: HSM-protected keys need premium).
    /// </summary>
    public static async Task<VaultProperties> CreateAsync(RunningEmulator emulator, string resourceGroup, string name,
        string skuName, bool purgeProtection = false,
        params (string Principal, string[] Secrets, string[] Keys)[] policies)
    {
        var factory = TestEmulator.Factory(emulator);
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, emulator.DefaultLocation);
        var entries = (policies.Length == 0 ? [(EmulatorPrincipals.EdgeKvService, AllSecrets, AllKeys)] : policies)
            .Select(p => new VaultAccessPolicy(emulator.TenantId,
                emulator.GetPrincipal(p.Principal).ObjectId.ToString(), p.Secrets, p.Keys))
            .ToList();
        return await factory.GetVaultsClient().CreateOrUpdateAsync(resourceGroup, name,
            new VaultDefinition(emulator.DefaultLocation, emulator.TenantId, entries, SkuName: skuName,
                EnablePurgeProtection: purgeProtection));
    }
}
