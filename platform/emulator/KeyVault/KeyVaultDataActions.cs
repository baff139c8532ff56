namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// The Azure RBAC data action each data-plane operation needs on a vault that uses Azure RBAC, as Key Vault maps them
/// (Microsoft's access-policy-to-RBAC mapping): reading a secret's value is <c>getSecret/action</c>, listing and
/// reading metadata (deleted secrets included) <c>readMetadata/action</c>, a new version <c>setSecret/action</c>, an
/// attribute update <c>update/action</c>; keys are read with <c>keys/read</c> and used with one action per operation.
/// </summary>
internal static class KeyVaultDataActions
{
    private const string Secrets = "Microsoft.KeyVault/vaults/secrets/";
    private const string Keys = "Microsoft.KeyVault/vaults/keys/";

    private static readonly Dictionary<string, string> ByOperation = new(StringComparer.Ordinal)
    {
        ["SecretGet"] = Secrets + "getSecret/action",
        ["SecretList"] = Secrets + "readMetadata/action",
        ["SecretListVersions"] = Secrets + "readMetadata/action",
        ["SecretListDeleted"] = Secrets + "readMetadata/action",
        ["SecretGetDeleted"] = Secrets + "readMetadata/action",
        ["SecretSet"] = Secrets + "setSecret/action",
        ["SecretUpdate"] = Secrets + "update/action",
        ["SecretDelete"] = Secrets + "delete",
        ["SecretPurge"] = Secrets + "purge/action",
        ["SecretRecover"] = Secrets + "recover/action",
        ["SecretBackup"] = Secrets + "backup/action",
        ["SecretRestore"] = Secrets + "restore/action",
        ["KeyGet"] = Keys + "read",
        ["KeyList"] = Keys + "read",
        ["KeyListVersions"] = Keys + "read",
        ["KeyListDeleted"] = Keys + "read",
        ["KeyGetDeleted"] = Keys + "read",
        ["KeyCreate"] = Keys + "create/action",
        ["KeyImport"] = Keys + "import/action",
        ["KeyUpdate"] = Keys + "update/action",
        ["KeyDelete"] = Keys + "delete",
        ["KeyPurge"] = Keys + "purge/action",
        ["KeyRecover"] = Keys + "recover/action",
        ["KeyEncrypt"] = Keys + "encrypt/action",
        ["KeyDecrypt"] = Keys + "decrypt/action",
        ["KeyWrap"] = Keys + "wrap/action",
        ["KeyUnwrap"] = Keys + "unwrap/action",
        ["KeySign"] = Keys + "sign/action",
        ["KeyVerify"] = Keys + "verify/action",
    };

    /// <summary>
    /// The data action of the route; an operation missing from the table falls back to
    /// <c>{kind}/{permission}/action</c>.
    /// </summary>
    public static string For(KeyVaultRoute route) =>
        ByOperation.TryGetValue(route.OperationName,
            out var action) ? action : $"Microsoft.KeyVault/vaults/{route.Kind}/{route.Permission}/action";

    /// <summary>
    /// The resource an RBAC decision is made on: the object (<c>{vaultId}/secrets/{name}</c>) for operations on one
    /// object, so that an assignment scoped to a single secret or key counts, else the vault.
    /// </summary>
    public static string ResourceOf(string vaultId, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0] is "secrets" or "keys" or "deletedsecrets" or "deletedkeys"
            ? $"{vaultId}/{segments[0].Replace("deleted", string.Empty, StringComparison.Ordinal)}/{segments[1]}"
            : vaultId;
    }
}
