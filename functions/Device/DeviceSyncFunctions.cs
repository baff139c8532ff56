using EdgeKv.Functions.Security;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Functions.Http;
using EdgeKv.Orchestrations;
using EdgeKv.Records;

namespace EdgeKv.Functions.Device;

/// <summary>
/// How the device learns of and answers a sync request (device credential required, as for every device route):
/// <c>GET /api/device/{name}/syncRequest?waitSeconds=N</c> long-polls for a pending request (<c>{"requestId":null}</c>
/// when none came); <c>PUT /api/device/{name}/sync/{requestId}</c> carries the BitLocker recovery key, the BMC password
/// and the channel integrity key the device holds; they are written to the vault with the identity's token and only
/// their names and versions are handed to the waiting orchestration.
/// </summary>
public sealed partial class DeviceSyncFunctions(ResourceStore store, AzureContextProvider azure,
    Alerts.AlertRaiser alerts, TimeProvider time, ILogger<DeviceSyncFunctions> logger)
{
    [Function("PollDeviceSyncRequest"), RequiresPermission(Permission.DeviceSelf, ActionScope.Resource)]
    public async Task<IResult> PollAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "device/{name}/syncRequest")] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        int? waitSeconds = QueryValues.Int(request, "waitSeconds");
        (ResourceRecord? record, IResult? denied) = await DeviceFunctions.AuthenticateAsync(name, request, store, ct);
        if (denied is not null) return denied;
        DateTimeOffset until = time.GetUtcNow().AddSeconds(Math.Clamp(waitSeconds ?? 0, 0, 60));
        while (record!.PendingSyncRequestId is null && time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
            record = await store.GetAsync(name, ct) ?? record;
        }

        if (record.PendingSyncRequestId is null || record.PendingCikSecretVersion is null || record.CikSecretVersion is null)
        {
            return Results.Ok(new SyncRequestView(record.PendingSyncRequestId));
        }

        try
        {
            return Results.Ok(new SyncRequestView(record.PendingSyncRequestId, await RotatedKeyAsync(record, ct)));
        }
        catch (RequestFailedException ex)
        {
            return await DeviceFunctions.VaultFailureAsync(record, ex, alerts, client, ct);
        }
    }

    /// <summary>
    /// The CIK version a rotation wrote, for the device: encrypted under the key the device holds now (AES-256-GCM, as
    /// customer secrets travel, with its own associated data so it can never pass for one), so only that device reads
    /// it.
    /// </summary>
    private async Task<RotatedKeyView> RotatedKeyAsync(ResourceRecord record, CancellationToken ct)
    {
        SecretClient vault = await DeviceFunctions.IdentityVaultAsync(record, azure, ct);
        string name = record.CikSecretName ?? StoreChannelIntegrityKeyActivity.SecretName;
        KeyVaultSecret current = (await vault.GetSecretAsync(name, record.CikSecretVersion, ct)).Value;
        KeyVaultSecret next = (await vault.GetSecretAsync(name, record.PendingCikSecretVersion, ct)).Value;
        byte[] key = Convert.FromBase64String(current.Value);
        byte[] plaintext = Convert.FromBase64String(next.Value);
        try
        {
            return new RotatedKeyView(next.Properties.Version, current.Properties.Version,
                ChannelCipher.Encrypt(key, plaintext, RotationAssociatedData(record.Name)));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The associated data of a rotated CIK's ciphertext (the device agent uses the same).</summary>
    public static string RotationAssociatedData(string resourceName) => "cik-rotation:" + resourceName;

    [Function("AnswerDeviceSync"), RequiresPermission(Permission.DeviceSelf, ActionScope.Resource)]
    public async Task<IResult> AnswerAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "device/{name}/sync/{requestId}")] HttpRequest request, string name,
        string requestId, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        BodyResult<DeviceSyncBody> read = await JsonBody.ReadOptionalAsync<DeviceSyncBody>(request, ct);
        if (read.Error is not null) return read.Error;
        DeviceSyncBody? body = read.Value;
        (ResourceRecord? record, IResult? denied) = await DeviceFunctions.AuthenticateAsync(name, request, store, ct);
        if (denied is not null) return denied;
        if (record!.PendingSyncRequestId != requestId || record.PendingSyncInstanceId is null)
        {
            return AzureError.Conflict("SyncRequestNotPending",
                "No sync of device secrets is waiting for this request id; it ended or timed out.");
        }

        if (body?.BitLockerRecoveryKey is null || !DeviceFunctions.BitLockerRule().IsMatch(body.BitLockerRecoveryKey))
        {
            return AzureError.BadRequest("InvalidBitLockerRecoveryKey",
                "The BitLocker recovery key must be 48 digits in 8 groups of 6, separated by hyphens.");
        }

        if (body.BmcUserPassword is null || body.BmcUserPassword.Length is < 8 or > 128) return AzureError.BadRequest("InvalidBmcUserPassword", "The BMC user password must be 8-128 characters.");
        if (body.ChannelIntegrityKey is { } cik && !IsKey(cik)) return AzureError.BadRequest("InvalidChannelIntegrityKey", "The channel integrity key must be 32 bytes in base64.");

        var stored = new List<StoredSecret>();
        try
        {
            SecretClient vault = await DeviceFunctions.IdentityVaultAsync(record, azure, ct);
            var values = new List<(string, string,
                string?)> { (DeviceFunctions.BitLockerSecretName, body.BitLockerRecoveryKey, null),
                    (DeviceFunctions.BmcSecretName, body.BmcUserPassword, null) };
            if (body.ChannelIntegrityKey is not null) values.Add((record.CikSecretName ?? StoreChannelIntegrityKeyActivity.SecretName, body.ChannelIntegrityKey, "application/octet-stream;base64"));
            foreach ((string secretName, string value, string? contentType) in values)
            {
                if (await CurrentVersionIfEqualAsync(vault, secretName, value, ct) is { } unchanged)
                {
                    stored.Add(new StoredSecret(secretName, unchanged));
                    continue;
                }

                var secret = new KeyVaultSecret(secretName, value) { Properties = { ContentType = contentType } };
                stored.Add(new StoredSecret(secretName,
                    (await vault.SetSecretAsync(secret, ct)).Value.Properties.Version));
            }
        }
        catch (RequestFailedException ex)
        {
            return await DeviceFunctions.VaultFailureAsync(record, ex, alerts, client, ct);
        }

        string instanceId = record.PendingSyncInstanceId;
        DateTimeOffset now = time.GetUtcNow();
        StoredSecret? cikStored = body.ChannelIntegrityKey is null ? null : stored[^1];
        string? recoveryRequest = null;
        await store.UpdateAsync(name, r =>
        {
            recoveryRequest = r.RecoveryAwaitingDeviceRequestId;
            return r with
            {
                DeviceSecretNames = [DeviceFunctions.BitLockerSecretName, DeviceFunctions.BmcSecretName],
                CikSecretName = cikStored?.Name ?? r.CikSecretName,
                CikSecretVersion = cikStored?.Version ?? r.CikSecretVersion,
                CikCreatedAt = cikStored is null || cikStored.Version == r.CikSecretVersion ? r.CikCreatedAt : now,
                PendingCikSecretVersion = cikStored is not null && cikStored.Version == r.PendingCikSecretVersion ? null : r.PendingCikSecretVersion,
                PendingSyncRequestId = null,
                PendingSyncInstanceId = null,
                RecoveryAwaitingDeviceRequestId = null,
            };
        }, ct);
        // A vault recovery that ended waiting for this answer waits no more: the healing completes here.
        if (recoveryRequest != requestId)
        {
            await client.RaiseEventAsync(instanceId, DeviceSyncResult.EventName,
                new DeviceSyncResult(requestId, [.. stored.Select(s => $"{s.Name} ({s.Version})")]), ct);
        }

        if (recoveryRequest is not null)
        {
            await alerts.ResolveAsync(name, [.. RecoverVaultOrchestrator.HealedKinds],
                $"Vault recovery of '{name}' done: the device pushed its secrets after the recovery had stopped waiting.", $"device-sync-{requestId}", client, ct);
        }

        LogSynced(logger, name, stored.Count, requestId);
        return Results.Ok(new DeviceSecretsResponse(stored));
    }

    /// <summary>The vault already holds this value: keep its version instead of adding an identical one.</summary>
    private static async Task<string?> CurrentVersionIfEqualAsync(SecretClient vault, string name, string value,
        CancellationToken ct)
    {
        try
        {
            KeyVaultSecret current = (await vault.GetSecretAsync(name, cancellationToken: ct)).Value;
            return string.Equals(current.Value, value, StringComparison.Ordinal) ? current.Properties.Version : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static bool IsKey(string value)
    {
        Span<byte> bytes = stackalloc byte[48];
        return Convert.TryFromBase64String(value, bytes, out int written) && written == 32;
    }

    [LoggerMessage(2141, LogLevel.Information,
        "Device of {Resource} answered sync request {RequestId}: {Count} secrets written to its vault.")]
    private static partial void LogSynced(ILogger logger, string resource, int count, string requestId);
}

/// <summary>
/// A pending sync request (null when none), and the CIK version a rotation asks the device to take, if any.
/// </summary>
public sealed record SyncRequestView(string? RequestId, RotatedKeyView? RotatedChannelIntegrityKey = null);

/// <summary>A rotated CIK for the device: its version, the version it is encrypted under, and the ciphertext.</summary>
public sealed record RotatedKeyView(string Version, string EncryptedUnderVersion, ChannelCiphertext Encrypted);

/// <summary>
/// Body of a sync answer: the device's secrets (the CIK is optional: a device that has none leaves it out).
/// </summary>
public sealed record DeviceSyncBody(string? BitLockerRecoveryKey, string? BmcUserPassword, string? ChannelIntegrityKey);
