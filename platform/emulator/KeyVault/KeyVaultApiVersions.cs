namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// The Key Vault data-plane api-versions, newest first: every folder of Azure/azure-rest-api-specs
/// specification/keyvault/data-plane/Microsoft.KeyVault (stable and preview; the preview/7.0 and preview/7.1 folders
/// publish 7.0-preview and 7.1-preview), plus 2026-04-01, which Azure.Security.KeyVault.Secrets 4.12 sends by default.
/// Clients of other languages send previews by default. platform/emulator/README.md carries the same list; a test keeps
/// the two equal.
/// </summary>
internal static class KeyVaultApiVersions
{
    public const string Latest = "2026-04-01";

    public static readonly IReadOnlyList<string> Supported =
    [
        Latest, "2026-01-01-preview", "2025-07-01", "2025-07-01-preview", "2025-06-01", "2025-06-01-preview",
        "7.6", "7.6-preview.2", "7.6-preview.1", "7.5", "7.5-preview.1", "7.4", "7.4-preview.1", "7.3", "7.3-preview",
        "7.2", "7.2-preview", "7.1", "7.1-preview", "7.0", "7.0-preview", "2016-10-01", "2015-06-01",
    ];

    public static bool IsSupported(string apiVersion) => Supported.Contains(apiVersion,
        StringComparer.OrdinalIgnoreCase);
}
