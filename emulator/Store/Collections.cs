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

    /// <summary>Long-running operations keyed by operation id.</summary>
    public const string Operations = "operations";

    public const string Settings = "settings";
}
