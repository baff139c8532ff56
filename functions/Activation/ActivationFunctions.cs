using Azure;
using EdgeKv.Activities;
using EdgeKv.Activities.Activation;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Functions.Device;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.Extensions.Options;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.Activation;

/// <summary>
/// <c>POST /api/resources/{name}/activationKey</c> starts the activation orchestration (202 + check-status payload; the
/// instance id is derived from the resource, so a second request while one runs gets the same instance). A vault name
/// that cannot be used is refused at once, before anything is created. <c>GET .../activationKey</c> hands the signed
/// key out once, after the orchestration issued it, to the client that started it: the starter's response carries a
/// one-time fetch token (header <c>x-edgekv-activation-key-token</c>; EdgeKv keeps only its SHA-256) which the GET
/// presents in the same header, beside the caller's own bearer token. The key is derived from the stored key id and
/// expiry, never stored itself.
/// </summary>
public sealed partial class ActivationFunctions(
    ResourceStore store, AzureContextProvider azure, IOptions<ActivationSettings> settings, ActivationKeyCodec codec,
    TimeProvider time, ILogger<ActivationFunctions> logger)
{
    /// <summary>The 4xx of a refusal, by its code.</summary>
    public static IResult Refusal(string code, string message) => code switch
    {
        "ResourceNotFound" => AzureError.NotFound(code, message),
        "VaultNameInUse" or "VaultNameSoftDeleted" => AzureError.Conflict(code, message),
        _ => AzureError.BadRequest(code, message),
    };

    [Function("StartActivation"), RequiresPermission(Permission.ActivationManage, ActionScope.Resource)]
    public async Task<IResult> StartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/activationKey")] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        BodyResult<StartActivationRequest> read = await JsonBody.ReadOptionalAsync<StartActivationRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        StartActivationRequest? body = read.Value;
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);

        string instanceId = ActivationOrchestrator.InstanceIdFor(record.Name);
        if (await client.GetInstanceAsync(instanceId, cancellation: ct) is { IsRunning: true })
        {
            return HttpManagementPayload.CheckStatusResponse(request, instanceId);
        }

        // The vault name is resolved here, once (the caller's, the resource's own, or the default), and checked against
        // Azure here so that a bad or taken name is a 400/409 before anything is created; the flow carries it from
        // here.
        AzureContext az = await azure.GetAsync(ct);
        string vaultName = body?.VaultName ?? record.VaultName ?? VaultNames.DefaultFor(record.Name, record.ResourceId);
        try
        {
            await VaultNames.EnsureUsableAsync(az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId),
                record.ResourceGroup, vaultName, record.ResourceId, ct);
        }
        catch (ActivationRefusedException refused) when (refused.Code is "VaultNameNotValid" or "VaultNameInUse" or "VaultNameSoftDeleted")
        {
            LogRefused(logger, record.Name, refused.Code);
            return Refusal(refused.Code, refused.Reason);
        }
        catch (Exception ex) when (ex is ActivationRefusedException or RequestFailedException)
        {
            // Not about the name (Azure busy, a provider not registered yet): creating the vault checks the name again.
        }

        ActivationSettings s = settings.Value;
        string endpoint = (s.PublicEndpoint?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
        var input = new ActivationRequest(record.Name, vaultName, endpoint, s.KeyValidity, s.StoragePollInterval,
            s.StorageTimeout);
        string fetchToken = DeviceCredentials.Create();
        await store.UpdateAsync(record.Name,
            r => r with { ActivationKeyFetchTokenHash = DeviceCredentials.Hash(fetchToken) }, ct);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ActivationOrchestrator.Name, input,
                new StartOrchestrationOptions(instanceId), ct);
            LogStarted(logger, record.Name, instanceId);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Another request started it a moment ago: the same instance answers both; the later token is the one that
            // fetches.
        }

        // The only copy of the fetch token: the starter's client presents it to GET .../activationKey, once.
        request.HttpContext.Response.Headers[FetchTokenHeader] = fetchToken;
        return HttpManagementPayload.CheckStatusResponse(request, instanceId);
    }

    [Function("FetchActivationKey"), RequiresPermission(Permission.ActivationManage, ActionScope.Resource)]
    public async Task<IResult> FetchOnceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "resources/{name}/activationKey")] HttpRequest request, string name,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResourceRecord? before = await store.GetAsync(name, ct);
        if (before is null) return ResourcesFunctions.NotFound(name);
        if (!FetchTokenMatches(before, request))
        {
            // The caller is authenticated (Entra token, ActivationManage) but is not the one who started this
            // activation.
            return AzureError.Result(StatusCodes.Status403Forbidden, "InvalidFetchToken",
                $"Present the fetch token from the '{FetchTokenHeader}' header of the POST that started this activation in the same request header.");
        }

        if (before.ActivationState != ActivationState.KeyIssued || before.ActivationKeyId is null || before.ActivationKeyExpiresAt is null)
        {
            return AzureError.Conflict("ActivationKeyNotReady",
                $"No activation key has been generated for '{name}' yet; start one with POST and wait for it to complete.");
        }

        if (before.ActivationKeyExpiresAt <= time.GetUtcNow())
        {
            return AzureError.Gone("ActivationKeyExpired", "The activation key has expired; generate a new one.");
        }

        bool handedOut = false;
        ResourceRecord? after = await store.UpdateAsync(name, r =>
        {
            // Set on every run: on the shared store a lost race runs this again on the winner's record, which says
            // delivered.
            handedOut = !r.ActivationKeyDelivered && r.ActivationKeyId == before.ActivationKeyId && r.ActivationKeyFetchTokenHash == before.ActivationKeyFetchTokenHash;
            return handedOut ? r with { ActivationKeyDelivered = true } : r;
        }, ct);
        if (!handedOut || after is null)
        {
            return AzureError.Conflict("ActivationKeyAlreadyDelivered",
                "This activation key was already fetched; it is handed out once. Generate a new one if it was lost.");
        }

        string key = codec.Write(new ActivationKeyClaims(after.Name, after.ResourceId, after.ServiceEndpoint!,
            after.ActivationKeyId!, after.ActivationKeyExpiresAt!.Value));
        LogDelivered(logger, name, after.ActivationKeyId!);
        return Results.Ok(new ActivationKeyResponse(key, after.ActivationKeyExpiresAt.Value));
    }

    /// <summary>The response header of the starter that carries the one-time token for fetching the key.</summary>
    public const string FetchTokenHeader = "x-edgekv-activation-key-token";

    private static bool FetchTokenMatches(ResourceRecord record, HttpRequest request)
    {
        string header = request.Headers[FetchTokenHeader].ToString().Trim();
        if (record.ActivationKeyFetchTokenHash is null || header.Length == 0) return false;
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(DeviceCredentials.Hash(header)),
            System.Text.Encoding.ASCII.GetBytes(record.ActivationKeyFetchTokenHash));
    }

    [LoggerMessage(2121, LogLevel.Information, "Activation of {Resource} started as {InstanceId}.")]
    private static partial void LogStarted(ILogger logger, string resource, string instanceId);

    [LoggerMessage(2122, LogLevel.Information, "Activation of {Resource} refused: {Code}.")]
    private static partial void LogRefused(ILogger logger, string resource, string code);

    [LoggerMessage(2123, LogLevel.Information, "Activation key {KeyId} of {Resource} handed out.")]
    private static partial void LogDelivered(ILogger logger, string resource, string keyId);
}

/// <summary>Body of <c>POST .../activationKey</c>: an optional custom vault name (3-24 characters).</summary>
public sealed record StartActivationRequest(string? VaultName = null);

/// <summary>The activation key, handed out once.</summary>
public sealed record ActivationKeyResponse(string ActivationKey, DateTimeOffset ExpiresAt);
