namespace EdgeKv.Azure.Authorization;

/// <summary>Role-definition GUIDs of the built-in roles EdgeKv grants or checks.</summary>
public static class AzureBuiltInRoles
{
    public static readonly Guid Owner = Guid.Parse("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    public static readonly Guid Contributor = Guid.Parse("b24988ac-6180-42a0-ab88-20f7382dd24c");
    public static readonly Guid Reader = Guid.Parse("acdd72a7-3385-48ef-bd42-f606fba81ae7");
    public static readonly Guid KeyVaultContributor = Guid.Parse("f25e0fa2-a7c8-4377-a976-54943a77a395");
    public static readonly Guid KeyVaultSecretsOfficer = Guid.Parse("b86a8fe4-44ce-4948-aee5-eccb2c155cd7");
    public static readonly Guid StorageBlobDataReader = Guid.Parse("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");
    public static readonly Guid StorageBlobDataContributor = Guid.Parse("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
}
