using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Validation;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Device;

/// <summary>
/// The device API. <c>POST /api/device/activate</c> takes an activation key and gives the device its credential and the
/// CIK; every other device route needs <c>Authorization: EdgeKvDevice {credential}</c> and reaches only that device's
/// resource. Device and customer secrets are written and read in the vault with the resource identity's own token
/// (Get and Set), not EdgeKv's. Customer secrets leave EdgeKv only encrypted with the CIK. A device rotates its own
/// credential in two phases (<c>POST /api/device/{name}/credential</c>; the new one retires the old on first use); the
/// security team revokes it (a lost or stolen device), after which only a new activation key brings the device back.
/// </summary>
public sealed partial class DeviceFunctions(
    ActivationKeyCodec codec, ResourceStore store, AzureContextProvider azure, AlertRaiser alerts, TimeProvider time,
    ILogger<DeviceFunctions> logger)
{
    public const string BitLockerSecretName = "BitLockerRecoveryKey";
    public const string BmcSecretName = "BmcUserPassword";

    [Function("ActivateDevice"), AuthenticatedBy("the activation key in the body")]
    public async Task<IResult> ActivateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "device/activate")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        BodyResult<DeviceActivationRequest> read = await JsonBody.ReadOptionalAsync<DeviceActivationRequest>(request,
            ct);
        if (read.Error is not null) return read.Error;
        DeviceActivationRequest? body = read.Value;
        if (!codec.TryRead(body?.ActivationKey, out ActivationKeyClaims? claims, out ActivationKeyProblem problem))
        {
            LogActivationRefused(logger, problem.ToString());
            return problem switch
            {
                ActivationKeyProblem.Expired => AzureError.BadRequest("ActivationKeyExpired",
                    "The activation key has expired; generate a new one in EdgeKv."),
                ActivationKeyProblem.Tampered => AzureError.BadRequest("ActivationKeyInvalid",
                    "The activation key's signature does not match: it was altered or not issued by this EdgeKv."),
                _ => AzureError.BadRequest("ActivationKeyMalformed",
                    "The activation key is not in EdgeKv's format (EKV1.payload.signature)."),
            };
        }

        ResourceRecord? record = await store.GetAsync(claims!.ResourceName, ct);
        if (record is null || !string.Equals(record.ResourceId, claims.ResourceId,
            StringComparison.OrdinalIgnoreCase)) return ResourcesFunctions.NotFound(claims.ResourceName);
        if (Refuse(record, claims) is { } refused) return refused;

        AzureContext az = await azure.GetAsync(ct);
        KeyVaultSecret cik;
        try
        {
            SecretClient vault = await az.CreateIdentitySecretClientAsync(record, ct);
            cik = (await vault.GetSecretAsync(record.CikSecretName, record.CikSecretVersion, ct)).Value;
        }
        catch (RequestFailedException ex)
        {
            return await VaultFailureAsync(record!, ex, alerts, client, ct);
        }

        string credential = DeviceCredentials.Create();
        IResult? conflict = null;
        await store.UpdateAsync(record.Name, r =>
        {
            conflict = Refuse(r, claims);
            return conflict is not null ? r : r with
            {
                DeviceState = DeviceState.Activated,
                DeviceCredentialHash = DeviceCredentials.Hash(credential),
                PendingDeviceCredentialHash = null,
                DeviceActivatedAt = time.GetUtcNow(),
                ActivatedKeyId = claims.KeyId,
            };
        }, ct);
        if (conflict is not null) return conflict;

        LogActivated(logger, record.Name, claims.KeyId);
        return Results.Ok(new DeviceActivationResponse(record.Name, record.ResourceId, credential, cik.Value,
            cik.Properties.Version));
    }

    /// <summary>
    /// The device asks for a new credential. It is pending until its first use, which retires the old one; until then
    /// the old one keeps working, so an answer lost on the way to the device costs nothing (the device asks again, and
    /// the newer pending credential replaces the lost one). Only the current credential may rotate: a revoked or
    /// retired one gets 401 before it gets here.
    /// </summary>
    [Function("RotateDeviceCredential"), RequiresPermission(Permission.DeviceSelf, ActionScope.Resource)]
    public async Task<IResult> RotateCredentialAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "device/{name}/credential")] HttpRequest request, string name,
        CancellationToken ct)
    {
        (ResourceRecord? record, IResult? denied) = await AuthenticateAsync(name, request, store, ct);
        if (denied is not null) return denied;
        string credential = DeviceCredentials.Create();
        string? presented = DeviceCredentials.PresentedHash(request);
        bool rotated = false;
        await store.UpdateAsync(record!.Name, current =>
        {
            // Set on every run: on the shared store a lost race runs this again on the winner's record.
            rotated = presented is not null && current.DeviceCredentialHash == presented;
            return rotated ? current with { PendingDeviceCredentialHash = DeviceCredentials.Hash(credential) } : current;
        }, ct);
        if (!rotated) return AzureError.Conflict("DeviceCredentialChanged",
            "The device credential was rotated or revoked meanwhile; this request's credential is no longer current.");
        LogCredentialRotated(logger, record.Name);
        return Results.Ok(new DeviceCredentialResponse(record.Name, credential));
    }

    /// <summary>
    /// The security team cuts a device off (lost or stolen): its credentials stop working, and so does any activation
    /// key issued before (it may be in the same hands); a new activation key and activation bring the device back.
    /// </summary>
    [Function("RevokeDeviceCredential"), RequiresPermission(Permission.AccessManage, ActionScope.Resource)]
    public async Task<IResult> RevokeCredentialAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/deviceCredential/revoke")] HttpRequest request,
        string name, CancellationToken ct)
    {
        ResourceRecord? updated = await store.UpdateAsync(name, r => r with
        {
            DeviceCredentialHash = null,
            PendingDeviceCredentialHash = null,
            ActivationKeyId = null,
            DeviceState = r.DeviceState == DeviceState.NotActivated ? r.DeviceState : DeviceState.CredentialRevoked,
        }, ct);
        if (updated is null) return ResourcesFunctions.NotFound(name);
        LogCredentialRevoked(logger, updated.Name);
        return Results.Ok(new DeviceCredentialRevoked(updated.Name, updated.DeviceState.ToString()));
    }

    private static IResult? Refuse(ResourceRecord record, ActivationKeyClaims claims)
    {
        if (record.ActivatedKeyId == claims.KeyId)
        {
            return AzureError.Conflict("ActivationKeyUsed",
                "This activation key was already used to activate the device; generate a new one to activate again.");
        }

        return record.ActivationKeyId != claims.KeyId
            ? AzureError.Conflict("ActivationKeySuperseded",
                "A newer activation key was generated for this resource; this one is no longer valid.")
            : null;
    }

    [Function("PushDeviceSecrets"), RequiresPermission(Permission.DeviceSelf, ActionScope.Resource)]
    public async Task<IResult> PushDeviceSecretsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "device/{name}/secrets")] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        BodyResult<DeviceSecretsRequest> read = await JsonBody.ReadOptionalAsync<DeviceSecretsRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        DeviceSecretsRequest? body = read.Value;
        (ResourceRecord? record, IResult? denied) = await AuthenticateAsync(name, request, store, ct);
        if (denied is not null) return denied;
        if (body?.BitLockerRecoveryKey is null || !BitLockerRule().IsMatch(body.BitLockerRecoveryKey))
        {
            return AzureError.BadRequest("InvalidBitLockerRecoveryKey",
                "The BitLocker recovery key must be 48 digits in 8 groups of 6, separated by hyphens.");
        }

        if (body.BmcUserPassword is null || body.BmcUserPassword.Length is < 8 or > 128)
        {
            return AzureError.BadRequest("InvalidBmcUserPassword", "The BMC user password must be 8-128 characters.");
        }

        var stored = new List<StoredSecret>();
        try
        {
            SecretClient vault = await IdentityVaultAsync(record!, azure, ct);
            foreach ((string secretName, string value) in new[] { (BitLockerSecretName, body.BitLockerRecoveryKey),
                (BmcSecretName, body.BmcUserPassword) })
            {
                KeyVaultSecret secret = (await vault.SetSecretAsync(secretName, value, ct)).Value;
                stored.Add(new StoredSecret(secretName, secret.Properties.Version));
            }
        }
        catch (RequestFailedException ex)
        {
            return await VaultFailureAsync(record!, ex, alerts, client, ct);
        }

        await store.UpdateAsync(record!.Name, r => r with { DeviceSecretNames = [.. stored.Select(s => s.Name)] }, ct);
        LogDeviceSecrets(logger, record.Name, stored.Count);
        return Results.Ok(new DeviceSecretsResponse(stored));
    }

    [Function("PutCustomerSecret"), RequiresPermission(Permission.SecretValuesWrite, ActionScope.Resource)]
    public async Task<IResult> PutCustomerSecretAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "resources/{name}/customerSecrets/{secret}")] HttpRequest request,
        string name, string secret, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        BodyResult<CustomerSecretRequest> read = await JsonBody.ReadOptionalAsync<CustomerSecretRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        CustomerSecretRequest? body = read.Value;
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultUri is null) return AzureError.Conflict("VaultNotProvisioned",
            $"Resource '{name}' has no vault yet; generate its activation key first.");
        if (CustomerSecretRules.CheckName(secret) is { } badName) return badName;
        if (CustomerSecretRules.CheckWrite(body, time.GetUtcNow(),
            out DateTimeOffset? expiresOn) is { } badWrite) return badWrite;

        try
        {
            SecretClient vault = await IdentityVaultAsync(record, azure, ct);
            var wanted = new KeyVaultSecret(secret,
                body!.Value) { Properties = { ExpiresOn = expiresOn, ContentType = body.ContentType } };
            foreach ((string tag, string? value) in body.Tags ?? new Dictionary<string, string?>()) wanted.Properties.Tags[tag] = value!;
            KeyVaultSecret stored = (await vault.SetSecretAsync(wanted, ct)).Value;
            LogCustomerSecret(logger, name, secret);
            return Results.Ok(new StoredSecret(secret, stored.Properties.Version));
        }
        catch (RequestFailedException ex)
        {
            return await VaultFailureAsync(record!, ex, alerts, client, ct);
        }
    }

    [Function("GetCustomerSecret"), RequiresPermission(Permission.DeviceSelf, ActionScope.Resource)]
    public async Task<IResult> GetCustomerSecretAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "device/{name}/customerSecrets/{secret}")] HttpRequest request,
        string name, string secret, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        (ResourceRecord? record, IResult? denied) = await AuthenticateAsync(name, request, store, ct);
        if (denied is not null) return denied;
        if (CustomerSecretRules.CheckName(secret) is { } badName) return badName;

        try
        {
            SecretClient vault = await IdentityVaultAsync(record!, azure, ct);
            KeyVaultSecret value = (await vault.GetSecretAsync(secret, cancellationToken: ct)).Value;
            KeyVaultSecret cik = (await vault.GetSecretAsync(record!.CikSecretName, record.CikSecretVersion, ct)).Value;
            ChannelCiphertext encrypted = ChannelCipher.Encrypt(Convert.FromBase64String(cik.Value),
                Encoding.UTF8.GetBytes(value.Value), record.Name);
            return Results.Ok(new EncryptedSecretResponse(secret, value.Properties.Version, cik.Properties.Version,
                encrypted));
        }
        catch (RequestFailedException ex)
        {
            // A disabled secret is refused by the vault with a 403 too: that is the secret's state, not lost access.
            if (ex.Status == 403 && await CustomerSecretsFunctions.IsDisabledAsync(await azure.GetAsync(ct), record!,
                secret, ct))
            {
                return AzureError.Result(StatusCodes.Status403Forbidden, "SecretDisabled",
                    $"Customer secret '{secret}' is disabled in the resource's vault.");
            }

            return await VaultFailureAsync(record!, ex, alerts, client, ct);
        }
    }

    internal static async Task<(ResourceRecord? Record, IResult? Denied)> AuthenticateAsync(string name,
        HttpRequest request, ResourceStore store, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null || !DeviceCredentials.Matches(record, request))
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = DeviceCredentials.Scheme;
            return (null, AzureError.Result(StatusCodes.Status401Unauthorized, "InvalidDeviceCredential",
                $"A valid device credential of '{name}' is required."));
        }

        return record.VaultUri is null
            ? (null, AzureError.Conflict("VaultNotProvisioned", $"Resource '{name}' has no vault yet."))
            : (record, null);
    }

    internal static async Task<SecretClient> IdentityVaultAsync(ResourceRecord record, AzureContextProvider azure,
        CancellationToken ct) =>
        await (await azure.GetAsync(ct)).CreateIdentitySecretClientAsync(record, ct);

    /// <summary>
    /// The answer to a vault call made with the resource's identity that failed. A refusal means the identity lost its
    /// access (its access policy was removed, or it is a new principal): the IdentityAccessMissing alert is raised at
    /// once, as the product does when a device cannot resync its secrets, instead of waiting for the next sweep.
    /// </summary>
    internal static async Task<IResult> VaultFailureAsync(ResourceRecord record, RequestFailedException ex,
        AlertRaiser alerts, DurableTaskClient client, CancellationToken ct)
    {
        if (ex.Status is 401 or 403)
        {
            await alerts.RaiseForAsync(record, new AlertObservation(record.Name, AlertKind.IdentityAccessMissing,
                    $"The identity of '{record.Name}' was refused by vault '{record.VaultName}' ({ex.ErrorCode ?? "Forbidden"}): the device cannot store or read its secrets."),
                $"Error: the identity of '{record.Name}' has no access to its vault.", client, ct);
        }

        return VaultFailure(ex);
    }

    private static IResult VaultFailure(RequestFailedException ex) => ex.Status switch
    {
        404 => AzureError.NotFound(ex.ErrorCode ?? "SecretNotFound",
            "The secret does not exist in the resource's vault."),
        401 or 403 => AzureError.Result(StatusCodes.Status403Forbidden, ex.ErrorCode ?? "Forbidden",
            "The resource's identity has no access to its vault; recover identity access."),
        _ => DependencyFailures.From(ex, "the resource's vault"),
    };

    [GeneratedRegex(@"^\d{6}(-\d{6}){7}$")]
    internal static partial Regex BitLockerRule();


    [LoggerMessage(2131, LogLevel.Information, "Device of {Resource} activated with activation key {KeyId}.")]
    private static partial void LogActivated(ILogger logger, string resource, string keyId);

    [LoggerMessage(2132, LogLevel.Information, "Device activation refused: {Problem}.")]
    private static partial void LogActivationRefused(ILogger logger, string problem);

    [LoggerMessage(2133, LogLevel.Information, "Device of {Resource} pushed {Count} device secrets to its vault.")]
    private static partial void LogDeviceSecrets(ILogger logger, string resource, int count);

    [LoggerMessage(2134, LogLevel.Information, "Customer secret {Secret} of {Resource} stored in its vault.")]
    private static partial void LogCustomerSecret(ILogger logger, string resource, string secret);

    [LoggerMessage(2135, LogLevel.Information, "Device of {Resource} rotated its credential.")]
    private static partial void LogCredentialRotated(ILogger logger, string resource);

    [LoggerMessage(2136, LogLevel.Warning,
        "Device credential of {Resource} revoked: the device is cut off until it activates with a new activation key.")]
    private static partial void LogCredentialRevoked(ILogger logger, string resource);
}
