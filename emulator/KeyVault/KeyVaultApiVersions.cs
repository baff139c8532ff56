namespace EdgeKv.Emulator.KeyVault;

/// <summary>The data-plane api-versions the Azure SDK can send (Azure.Security.KeyVault.Secrets 4.12 and Keys 4.x).</summary>
internal static class KeyVaultApiVersions
{
    public const string Latest = "2026-04-01";

    public static readonly IReadOnlyList<string> Supported =
        ["7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6-preview.2", "7.6", "2025-07-01", Latest];

    public static bool IsSupported(string apiVersion) => Supported.Contains(apiVersion, StringComparer.OrdinalIgnoreCase);
}
