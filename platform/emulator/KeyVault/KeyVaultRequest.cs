using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Http;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>An authenticated, authorized data-plane request on one live vault, as handlers see it.</summary>
internal sealed class KeyVaultRequest(HttpContext context, Match match, CallerIdentity caller, string apiVersion,
    JsonObject vault, Uri vaultEndpoint)
{
    private JsonObject? body;

    public HttpContext Context { get; } = context;

    public CallerIdentity Caller { get; } = caller;

    public string ApiVersion { get; } = apiVersion;

    /// <summary>The vault's Resource Manager document.</summary>
    public JsonObject Vault { get; } = vault;

    public string VaultName => (string)Vault["name"]!;

    /// <summary>
    /// The vault's data-plane root, its own listener: <c>https://127.0.0.1:VAULT_PORT/</c> (see <see
    /// cref="VaultListeners"/>).
    /// </summary>
    public Uri VaultEndpoint { get; } = vaultEndpoint;

    /// <summary>
    /// Root of object ids: the vault's own authority with no path, as every Azure SDK parses ids (host + collection +
    /// name [+ version]) and sends cryptography calls to the id's host.
    /// </summary>
    public string ObjectBase => VaultEndpoint.GetLeftPart(UriPartial.Authority);

    public string this[string group] => match.Groups[group].Value;

    public string? Query(string name) => Context.Request.Query.TryGetValue(name,
        out var value) ? value.ToString() : null;

    public async Task<JsonObject> ReadBodyAsync(CancellationToken cancellationToken)
    {
        if (body is null)
        {
            using var reader = new StreamReader(Context.Request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            try
            {
                body = (string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject)
                    ?? throw KeyVaultErrors.BadParameter("The request body must be a JSON object.");
            }
            catch (JsonException ex)
            {
                throw KeyVaultErrors.BadParameter($"The request body is not valid JSON: {ex.Message}");
            }
        }

        return body;
    }
}
