namespace EdgeKv.Emulator.Authorization;

/// <summary>The built-in roles the emulator knows, with Azure's role-definition ids.</summary>
public static class BuiltInRoles
{
    public static readonly BuiltInRole Owner = new(Guid.Parse("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), "Owner",
        "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.", ["*"], []);

    public static readonly BuiltInRole Contributor = new(Guid.Parse("b24988ac-6180-42a0-ab88-20f7382dd24c"),
        "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.", ["*"],
        ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action"]);

    public static readonly BuiltInRole Reader = new(Guid.Parse("acdd72a7-3385-48ef-bd42-f606fba81ae7"), "Reader",
        "View all resources, but does not allow you to make any changes.", ["*/read"], []);

    public static readonly BuiltInRole KeyVaultContributor = new(Guid.Parse("f25e0fa2-a7c8-4377-a976-54943a77a395"),
        "Key Vault Contributor",
        "Lets you manage key vaults, but not access to them.",
        ["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.KeyVault/*",
            "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*"],
        ["Microsoft.KeyVault/locations/deletedVaults/purge/action", "Microsoft.KeyVault/hsmPools/*",
            "Microsoft.KeyVault/managedHsms/*"]);

    public static readonly BuiltInRole UserAccessAdministrator = new(Guid.Parse("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
        "User Access Administrator",
        "Lets you manage user access to Azure resources.",
        ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], []);

    public static readonly BuiltInRole StorageBlobDataReader = new(Guid.Parse("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
        "Storage Blob Data Reader",
        "Read and list Azure Storage containers and blobs.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]);

    public static readonly BuiltInRole StorageBlobDataContributor = new(Guid.Parse("ba92f5b4-2d11-453d-a403-e96b0029c9fe"), "Storage Blob Data Contributor",
        "Read, write, and delete Azure Storage containers and blobs.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/*",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]);

    public static readonly BuiltInRole StorageBlobDataOwner = new(Guid.Parse("b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
        "Storage Blob Data Owner",
        "Provides full access to Azure Storage blob containers and data, including assigning POSIX access control.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/*",
            "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]);

    private static readonly string[] KeyVaultDataRoleActions =
    [
        "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
        "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*",
        "Microsoft.KeyVault/checkNameAvailability/read",
        "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read",
        "Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/operations/read",
    ];

    public static readonly BuiltInRole KeyVaultAdministrator = new(Guid.Parse("00482a5a-887f-4fb3-b363-3b7fe8e74483"),
        "Key Vault Administrator",
        "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets.",
        KeyVaultDataRoleActions, [], ["Microsoft.KeyVault/vaults/*"]);

    public static readonly BuiltInRole KeyVaultSecretsOfficer = new(Guid.Parse("b86a8fe4-44ce-4948-aee5-eccb2c155cd7"),
        "Key Vault Secrets Officer",
        "Perform any action on the secrets of a key vault, except manage permissions.", KeyVaultDataRoleActions, [],
        ["Microsoft.KeyVault/vaults/secrets/*"]);

    public static readonly BuiltInRole KeyVaultSecretsUser = new(Guid.Parse("4633458b-17de-408a-b874-0445c86b69e6"),
        "Key Vault Secrets User",
        "Read secret contents.", [], [],
        ["Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]);

    public static readonly BuiltInRole KeyVaultReader = new(Guid.Parse("21090545-7ca7-4776-b22c-e363652d74d2"),
        "Key Vault Reader",
        "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material.",
        KeyVaultDataRoleActions, [],
        ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]);

    public static readonly BuiltInRole KeyVaultCryptoOfficer = new(Guid.Parse("14b46e9e-c2b7-41b4-b07b-48a6ebf60603"),
        "Key Vault Crypto Officer",
        "Perform any action on the keys of a key vault, except manage permissions.", KeyVaultDataRoleActions, [],
        ["Microsoft.KeyVault/vaults/keys/*"]);

    public static IReadOnlyList<BuiltInRole> All { get; } =
    [
        Owner, Contributor, Reader, KeyVaultContributor, UserAccessAdministrator, StorageBlobDataReader,
            StorageBlobDataContributor, StorageBlobDataOwner,
        KeyVaultAdministrator, KeyVaultSecretsOfficer, KeyVaultSecretsUser, KeyVaultReader, KeyVaultCryptoOfficer,
    ];

    public static BuiltInRole? FindById(Guid id) => All.FirstOrDefault(r => r.Id == id);

    public static BuiltInRole? FindByName(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name,
        StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the GUID at the end of a role definition id
    /// (<c>/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>).
    /// </summary>
    public static BuiltInRole? FindByDefinitionId(string? roleDefinitionId) =>
        roleDefinitionId is not null && Guid.TryParse(roleDefinitionId.TrimEnd('/').Split('/')[^1],
            out var id) ? FindById(id) : null;
}
