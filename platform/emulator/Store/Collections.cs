namespace EdgeKv.Emulator.Store;

/// <summary>Names of the document collections.</summary>
internal static class Collections
{
    /// <summary>Resource Manager resources keyed by id: resource groups, resources and extension resources.</summary>
    public const string Resources = "resources";

    /// <summary>Soft-deleted vaults keyed by vault name (names are global).</summary>
    public const string DeletedVaults = "deletedVaults";

    public const string Subscriptions = "subscriptions";

    /// <summary>Managed identities keyed by principal (object) id.</summary>
    public const string Identities = "identities";

    /// <summary>
    /// Compute hosts with user-assigned identities attached (the managed-identity endpoint's sites), keyed by name.
    /// </summary>
    public const string IdentityHosts = "identityHosts";

    /// <summary>Long-running operations keyed by operation id.</summary>
    public const string Operations = "operations";

    public const string Settings = "settings";

    /// <summary>Key Vault secrets (all versions and the deleted state) keyed by <c>{vault}/{name}</c>.</summary>
    public const string Secrets = "secrets";

    /// <summary>Key Vault keys (all versions, private material included) keyed by <c>{vault}/{name}</c>.</summary>
    public const string Keys = "keys";

    /// <summary>Blobs of the emulated storage accounts keyed by <c>{account}/{container}/{blob}</c>.</summary>
    public const string Blobs = "blobs";

    /// <summary>Appended blocks of those blobs keyed by <c>{account}/{container}/{blob}#{sequence:D10}</c>.</summary>
    public const string BlobBlocks = "blobBlocks";

    /// <summary>
    /// Storage account keys keyed by account id (kept apart from the account's document, which is served).
    /// </summary>
    public const string StorageAccountKeys = "storageAccountKeys";

    /// <summary>
    /// The loopback port of each vault's listener, keyed by vault name (kept so ids survive a restart).
    /// </summary>
    public const string VaultPorts = "vaultPorts";

    /// <summary>The fields each collection indexes for <see cref="IDocumentStore.FindAsync"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> IndexedFields { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Resources] = ["type", "name"],
        [Identities] = ["resourceId", "secret"],
    };
}
