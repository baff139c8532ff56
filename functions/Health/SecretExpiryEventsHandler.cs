using System.Globalization;
using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Health;

/// <summary>
/// Key Vault's <c>Microsoft.KeyVault.SecretNearExpiry</c> and <c>SecretExpired</c> of a vault EdgeKv manages (the
/// event's topic is the vault) raise <see cref="AlertKind.SecretNearExpiry"/> (warning) or <see
/// cref="AlertKind.SecretExpired"/> (error) at once, without waiting for the sweep; the sweep, which sees every
/// secret's current expiry, resolves them once the secret is written again with a later expiry (or deleted). Events of
/// other vaults are ignored.
/// </summary>
public sealed partial class SecretExpiryEventsHandler(ResourceStore resources, AlertRaiser raiser,
    ILogger<SecretExpiryEventsHandler> logger)
{
    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (ReceivedEvent e in events)
        {
            (AlertKind kind, string? secret, string? version, float? exp, string? vaultName) = e.SystemData switch
            {
                KeyVaultSecretNearExpiryEventData near => (AlertKind.SecretNearExpiry, (string?)near.ObjectName,
                    (string?)near.Version, near.Exp, (string?)near.VaultName),
                KeyVaultSecretExpiredEventData expired => (AlertKind.SecretExpired, (string?)expired.ObjectName,
                    (string?)expired.Version, expired.Exp, (string?)expired.VaultName),
                _ => (default(AlertKind), (string?)null, (string?)null, (float?)null, (string?)null),
            };
            if (secret is null || e.Source is null) continue;
            if (await resources.FindByVaultIdAsync(e.Source, cancellationToken) is not { } record)
            {
                LogIgnored(logger, e.Source);
                continue;
            }

            string when = (ExactExpiry(e) ?? (long?)exp) is { } seconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("u", CultureInfo.InvariantCulture)
                : "its expiry";
            string finding = kind == AlertKind.SecretExpired
                ? $"Secrets of '{record.Name}' expired: '{secret}' ({when}), version {version} (Key Vault event)."
                : $"Secrets of '{record.Name}' expire soon: '{secret}' ({when}), version {version} (Key Vault event).";
            AlertChange? change = await raiser.RaiseForAsync(record, new AlertObservation(record.Name, kind, finding),
                $"{(kind == AlertKind.SecretExpired ? "Error" : "Warning")}: secret '{secret}' of '{record.Name}' in vault '{vaultName ?? record.VaultName}' {(kind == AlertKind.SecretExpired ? "has expired" : "expires soon")}.",
                client, cancellationToken);
            if (change is not null) LogRaised(logger, kind.ToString(), record.Name, secret);
        }
    }

    /// <summary>
    /// EXP as the event carries it (Unix seconds): the SDK's typed data holds it as a float, exact to 128 s only.
    /// </summary>
    private static long? ExactExpiry(ReceivedEvent e)
    {
        try
        {
            using var data = System.Text.Json.JsonDocument.Parse(e.Data ?? BinaryData.FromString("null"));
            return data.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && data.RootElement.TryGetProperty("EXP", out var exp)
                && exp.TryGetInt64(out long seconds) ? seconds : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(2216, LogLevel.Warning, "{Kind} alert for secret {Secret} of {Resource} (Key Vault event).")]
    private static partial void LogRaised(ILogger logger, string kind, string resource, string secret);

    [LoggerMessage(2217, LogLevel.Debug, "Secret expiry event of {VaultId} ignored: not a vault EdgeKv manages.")]
    private static partial void LogIgnored(ILogger logger, string vaultId);
}
