using System.Security.Cryptography;
using EdgeKv.Activities.Keys;
using EdgeKv.Functions.Healing;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Validation;
using EdgeKv.Orchestrations.Keys;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// EdgeKv's keys, in the manner of Vault's Key Management engine: <c>PUT /api/keys/{name}</c> creates (type fixed) or
/// updates the settings it names, <c>GET</c> reads and lists (public keys only, never material), <c>PATCH</c> changes
/// <c>deletionAllowed</c> and <c>rotationPeriod</c> at once and <c>minEnabledVersion</c> through a flow (202, it
/// touches vaults), <c>DELETE</c> deletes when allowed and distributed nowhere (409 naming what blocks it), <c>POST
/// .../rotate</c> rotates everywhere (202).
/// </summary>
public sealed partial class KeysFunctions(KeyStore store, TimeProvider time, ILogger<KeysFunctions> logger)
{
    [Function("ListKeys"), RequiresPermission(Permission.KeysRead, ActionScope.Service, Audited = false)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "keys")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int size, IResult? invalid) = FilteredPager.PageSize(QueryValues.Int(request, "top"));
        if (invalid is not null) return invalid;
        string? after = QueryValues.Text(request, "continuationToken");
        (IReadOnlyList<KeyRecord> page,
            string? resume) = await FilteredPager.ReadAsync((a, limit) => store.ListKeysAsync(a ?? after, limit, ct),
                k => k.Name,
            _ => ValueTask.FromResult(true), size, after: null, filtered: false);
        var views = new List<KeyView>(page.Count);
        foreach (KeyRecord key in page) views.Add(KeyView.From(key,
            await store.ListDistributionsOfKeyAsync(key.Name, ct)));
        return Results.Ok(new ListPage<KeyView>(views,
            resume is null ? null : FilteredPager.NextLink(request, resume)));
    }

    [Function("GetKey"), RequiresPermission(Permission.KeysRead, ActionScope.Service, AuditObject = "key:{name}")]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "keys/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        if (InvalidName(name) is { } bad) return bad;
        return await store.GetKeyAsync(name,
            ct) is { } key ? Results.Ok(KeyView.From(key,
                await store.ListDistributionsOfKeyAsync(key.Name, ct))) : NotFound(name);
    }

    [Function("PutKey"), RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "key:{name}")]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "keys/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        BodyResult<PutKeyBody> read = await JsonBody.ReadOptionalAsync<PutKeyBody>(request, ct);
        if (read.Error is not null) return read.Error;
        if (InvalidName(name) is { } bad) return bad;
        PutKeyBody body = read.Value ?? new PutKeyBody();
        if (body.Type is { } named && !ManagedKeyTypes.IsKnown(named)) return AzureError.BadRequest("InvalidKeyType", $"type must be one of {string.Join(", ", ManagedKeyTypes.All)}.");
        string type = body.Type ?? ManagedKeyTypes.Rsa2048;
        TimeSpan? period = null;
        if (body.RotationPeriod is { } text)
        {
            (bool valid, period) = RotationPeriods.Parse(text);
            if (!valid) return AzureError.BadRequest("InvalidRotationPeriod", RotationPeriods.Problem);
        }

        if (await store.GetKeyAsync(name, ct) is { } existing) return await PutExistingAsync(existing, body, period,
            ct);
        byte[] material = KeyMaterial.Generate(type);
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            var record = new KeyRecord
            {
                Name = name, Type = type, DeletionAllowed = body.DeletionAllowed ?? false, RotationPeriod = period,
                Versions = [new KeyVersionInfo(1, now, KeyMaterial.PublicKeyPem(type, material))],
            };
            if (!await store.TryCreateKeyAsync(record, material, ct))
            {
                return await store.GetKeyAsync(name, ct) is { } raced ? await PutExistingAsync(raced, body, period,
                    ct) : NotFound(name);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }

        LogKeyCreated(logger, name, type);
        KeyRecord created = (await store.GetKeyAsync(name, ct))!;
        return Results.Created($"/api/keys/{Uri.EscapeDataString(name)}", KeyView.From(created, []));
    }

    [Function("UpdateKey"), RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "key:{name}")]
    public async Task<IResult> PatchAsync([HttpTrigger(AuthorizationLevel.Anonymous, "patch",
        Route = "keys/{name}")] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        BodyResult<PatchKeyBody> read = await JsonBody.ReadAsync<PatchKeyBody>(request, ct);
        if (read.Error is not null) return read.Error;
        if (InvalidName(name) is { } bad) return bad;
        PatchKeyBody body = read.Value!;
        KeyRecord? key = await store.GetKeyAsync(name, ct);
        if (key is null) return NotFound(name);
        TimeSpan? period = key.RotationPeriod;
        if (body.RotationPeriod is { } text)
        {
            (bool valid, period) = RotationPeriods.Parse(text);
            if (!valid) return AzureError.BadRequest("InvalidRotationPeriod", RotationPeriods.Problem);
        }

        if (body.MinEnabledVersion is { } min && (min < 1 || min > key.LatestVersion))
        {
            return AzureError.BadRequest("InvalidMinEnabledVersion",
                $"minEnabledVersion must be 1-{key.LatestVersion} (the latest version of '{key.Name}').");
        }

        if (body.DeletionAllowed is not null || body.RotationPeriod is not null)
        {
            key = await store.UpdateKeyAsync(key.Name,
                k => k with { DeletionAllowed = body.DeletionAllowed ?? k.DeletionAllowed, RotationPeriod = period },
                ct) ?? key;
        }

        if (body.MinEnabledVersion is { } target && target != key.MinEnabledVersion)
        {
            ArgumentNullException.ThrowIfNull(client);
            return await HealingFunctions.StartInstanceAsync(request, client, logger,
                SetMinEnabledVersionOrchestrator.Name, KeyFlowIds.MinEnabledVersion(key.Name),
                new MinEnabledVersionRequest(key.Name, target), ct);
        }

        return Results.Ok(KeyView.From(key, await store.ListDistributionsOfKeyAsync(key.Name, ct)));
    }

    [Function("DeleteKey"), RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "key:{name}")]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "keys/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        if (InvalidName(name) is { } bad) return bad;
        KeyDeletion deletion = await store.DeleteKeyAsync(name, ct);
        string where = string.Join(", ", deletion.Providers.Select(p => $"'{p}'"));
        switch (deletion.Outcome)
        {
            case KeyDeletionOutcome.NotFound:
                return NotFound(name);
            case KeyDeletionOutcome.NotAllowed:
                return AzureError.Conflict("KeyDeletionNotAllowed",
                    $"Key '{name}' has deletionAllowed false: set it true with PATCH /api/keys/{name} first"
                    + (deletion.Providers.Count > 0 ? $", and remove it from the KMS providers it is distributed to: {where}." : "."));
            case KeyDeletionOutcome.Distributed:
                return AzureError.Conflict("KeyDistributed",
                    $"Key '{name}' is distributed to {where}: remove it there first (DELETE /api/kms/{{provider}}/keys/{name}).");
            default:
                LogKeyDeleted(logger, name);
                return Results.NoContent();
        }
    }

    [Function("StartKeyRotation"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "key:{name}")]
    public async Task<IResult> RotateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "keys/{name}/rotate")] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (InvalidName(name) is { } bad) return bad;
        KeyRecord? key = await store.GetKeyAsync(name, ct);
        if (key is null) return NotFound(name);
        return await HealingFunctions.StartInstanceAsync(request, client, logger, RotateKeyOrchestrator.Name,
            KeyFlowIds.Rotate(key.Name),
            new RotateKeyRequest(key.Name, key.LatestVersion + 1), ct);
    }

    public static IResult NotFound(string name) => AzureError.NotFound("KeyNotFound",
        $"EdgeKv has no key named '{name}'.");

    /// <summary>
    /// A 400 when the name is not 1-100 letters, digits and hyphens (Key Vault's key name rule, with room to spare).
    /// </summary>
    public static IResult? InvalidName(string name, string what = "key") => IdentifierRules.IsValidSecretName(name)
        ? null
        : AzureError.BadRequest("InvalidKeyName", $"The {what} name must be 1-100 letters, digits and hyphens.");

    /// <summary>
    /// PUT on a key that exists is create-or-update, as in Resource Manager: it applies the lifecycle settings the body
    /// names (an omitted one keeps its value) instead of answering 200 while ignoring them. The type is fixed at
    /// creation.
    /// </summary>
    private async Task<IResult> PutExistingAsync(KeyRecord existing, PutKeyBody body, TimeSpan? period,
        CancellationToken ct)
    {
        if (body.Type is { } type && type != existing.Type)
        {
            return AzureError.Conflict("KeyTypeImmutable",
                $"Key '{existing.Name}' exists with type '{existing.Type}'; a key's type is fixed at creation.");
        }

        KeyRecord key = existing;
        if ((body.DeletionAllowed is { } allowed && allowed != existing.DeletionAllowed) || (body.RotationPeriod is not null && period != existing.RotationPeriod))
        {
            key = await store.UpdateKeyAsync(existing.Name, k => k with
            {
                DeletionAllowed = body.DeletionAllowed ?? k.DeletionAllowed,
                RotationPeriod = body.RotationPeriod is null ? k.RotationPeriod : period,
            }, ct) ?? existing;
        }

        return Results.Ok(KeyView.From(key, await store.ListDistributionsOfKeyAsync(key.Name, ct)));
    }

    [LoggerMessage(2401, LogLevel.Information, "Key {Name} created ({Type}, version 1).")]
    private static partial void LogKeyCreated(ILogger logger, string name, string type);

    [LoggerMessage(2402, LogLevel.Information, "Key {Name} deleted with all its versions.")]
    private static partial void LogKeyDeleted(ILogger logger, string name);
}
