using System.Globalization;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>
/// Key Vault's <c>AuditEvent</c> log: for a vault with a diagnostic setting that sends <c>AuditEvent</c> (or the
/// <c>audit</c>/<c>allLogs</c> group) to a storage account, every data-plane and vault operation appends one JSON
/// record to <c>insights-logs-auditevent/resourceId={VAULT ID}/y=/m=/d=/h=/m=00/PT1H.json</c> in that account, as
/// Azure Monitor does. Records carry who, what and the outcome, never request or response bodies (no secret values).
/// </summary>
internal sealed class AuditTrail(ResourceRepository resources, BlobStore blobs, Hosting.EmulatorClock clock)
{
    public const string Container = "insights-logs-auditevent";
    private const string DiagnosticSettingsType = "Microsoft.Insights/diagnosticSettings";

    /// <summary>
    /// Storage account names receiving the vault's audit events (read before the operation: a delete removes the
    /// setting).
    /// </summary>
    public async Task<IReadOnlyList<string>> TargetsAsync(string vaultId, CancellationToken cancellationToken)
    {
        var targets = new List<string>();
        foreach (var setting in await resources.ListAsync(DiagnosticSettingsType, vaultId, cancellationToken))
        {
            var properties = setting["properties"];
            var audits = properties?["logs"] is JsonArray logs && logs.Any(l => (bool?)l?["enabled"] == true &&
                ((string?)l["category"] is "AuditEvent" || (string?)l["categoryGroup"] is "audit" or "allLogs"));
            if (audits && (string?)properties!["storageAccountId"] is { } accountId && await resources.GetAsync(accountId, cancellationToken) is { } account)
            {
                targets.Add((string)account["name"]!);
            }
        }

        return targets;
    }

    public async Task WriteAsync(IReadOnlyList<string> targets, HttpContext context, string vaultId,
        string operationName, string? apiVersion,
        CallerIdentity? caller, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var upperId = vaultId.ToUpperInvariant();
        var status = context.Response.StatusCode;
        var request = context.Request;
        var path = context.Items.TryGetValue(KeyVault.VaultListeners.OriginalPathItem,
            out var original) && original is PathString sent ? sent : request.Path;
        var requestUri = $"{request.Scheme}://{request.Host}{request.PathBase}{path}{request.QueryString}";
        var record = new JsonObject
        {
            ["time"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["resourceId"] = upperId,
            ["operationName"] = operationName,
            ["operationVersion"] = apiVersion ?? string.Empty,
            ["category"] = "AuditEvent",
            ["resultType"] = status < 400 ? "Success" : "Failure",
            ["resultSignature"] = ReasonPhrases.GetReasonPhrase(status),
            ["resultDescription"] = string.Empty,
            ["durationMs"] = ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["callerIpAddress"] = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
            ["correlationId"] = context.Response.Headers["x-ms-correlation-request-id"].ToString() is { Length: > 0 } correlation ? correlation : context.TraceIdentifier,
            ["identity"] = new JsonObject
            {
                ["claim"] = caller is null ? new JsonObject() : new JsonObject
                {
                    ["http://schemas.microsoft.com/identity/claims/objectidentifier"] = caller.ObjectId.ToString(),
                    ["appid"] = caller.AppId,
                    ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = null,
                },
            },
            ["properties"] = new JsonObject
            {
                ["id"] = $"{request.Scheme}://{request.Host}{request.PathBase}{path}",
                ["clientInfo"] = request.Headers.UserAgent.ToString(),
                ["requestUri"] = requestUri,
                ["httpStatusCode"] = status,
            },
        };
        var blob = $"resourceId={upperId}/y={now:yyyy}/m={now:MM}/d={now:dd}/h={now:HH}/m=00/PT1H.json";
        foreach (var account in targets)
        {
            await blobs.AppendAsync(account, Container, blob, record.ToJsonString() + "\n", cancellationToken);
        }
    }
}
