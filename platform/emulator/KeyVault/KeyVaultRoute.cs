using System.Text.RegularExpressions;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.KeyVault;

internal delegate Task<ArmResponse> KeyVaultHandler(KeyVaultRequest request, CancellationToken cancellationToken);

/// <summary>
/// One data-plane route below <c>/vaults/{vault}</c>: method, path pattern, the access-policy permission it needs
/// (kind such as <c>secrets</c> and permission such as <c>get</c>), the audit operation name and the handler.
/// </summary>
internal sealed record KeyVaultRoute(string Method, Regex Pattern, string Kind, string Permission, string OperationName,
    KeyVaultHandler Handler)
{
    public const string Name = "(?<name>[^/]+)";
    public const string Version = "(?<version>[^/]*)";

    public static KeyVaultRoute Create(string method, string pattern, string kind, string permission,
        string operationName, KeyVaultHandler handler) =>
        new(method, new Regex("^" + pattern + "/?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
            PatternTimeout.Value), kind, permission, operationName, handler);
}
