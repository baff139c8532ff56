using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault secrets: set (new version), get, list, list versions, update, delete (soft), get/list deleted,
/// recover, purge. Disabled secrets cannot be read; expired and not-yet-valid ones can (as in Azure).
/// </summary>
internal sealed class SecretsApi(VaultObjectStore objects) : IKeyVaultRouteSource
{
    private readonly VaultObjectEndpoints shared = new(objects,
        new VaultObjectWire("Secret", Collections.Secrets, "secrets", "deletedsecrets",
        KeyVaultErrors.SecretNotFound, KeyVaultErrors.DeletedSecretNotFound,
        SecretWire.Item, SecretWire.Deleted,
        (request, doc, version) => SecretWire.Bundle(request, doc, version, withValue: false)));

    /// <summary>Azure's limit on a secret value: 25 KB.</summary>
    public const int MaxValueBytes = 25 * 1024;

    private const string Kind = "secrets";

    public IEnumerable<KeyVaultRoute> Routes =>
    [
        .. shared.Routes,
        KeyVaultRoute.Create("PUT", $"/secrets/{KeyVaultRoute.Name}", Kind, "set", "SecretSet", SetAsync),
        KeyVaultRoute.Create("GET", $"/secrets/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "get",
            "SecretGet", GetAsync),
        KeyVaultRoute.Create("PATCH", $"/secrets/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "set",
            "SecretUpdate", UpdateAsync),
    ];

    private async Task<ArmResponse> SetAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var body = await request.ReadBodyAsync(cancellationToken);
        var value = VaultObjectRules.String(body,
            "value") ?? throw KeyVaultErrors.BadParameter("The property 'value' is required.");
        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw KeyVaultErrors.BadParameter($"The secret value is too large. The maximum size of a secret value is {MaxValueBytes} bytes.");
        }

        var doc = await shared.DocumentForNewVersionAsync(request, name, cancellationToken);
        var version = new JsonObject
        {
            ["version"] = VaultObjectRules.NewVersion(),
            ["value"] = value,
            ["contentType"] = VaultObjectRules.String(body, "contentType"),
        };
        await shared.AddVersionAsync(doc, version, body, cancellationToken);
        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: true));
    }

    private async Task<ArmResponse> GetAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        if ((bool?)version["enabled"] == false)
        {
            throw KeyVaultErrors.SecretDisabled();
        }

        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: true));
    }

    private async Task<ArmResponse> UpdateAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body.ContainsKey("contentType"))
        {
            version["contentType"] = VaultObjectRules.String(body, "contentType");
        }

        await shared.UpdateVersionAsync(doc, version, body, cancellationToken);
        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: false));
    }

    private static string ValidName(KeyVaultRequest request) => VaultObjectEndpoints.ValidName(request);

    private Task<(JsonObject Doc, JsonObject Version)> FindVersionAsync(KeyVaultRequest request,
        CancellationToken cancellationToken) =>
        shared.FindVersionAsync(request, cancellationToken);
}
