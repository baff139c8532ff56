using EdgeKv.Activities.Activation;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Keys;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// KMS providers: <c>PUT /api/kms/{name}</c> registers an Azure Key Vault (type <c>azurekeyvault</c>, the vault's name
/// as <c>keyCollection</c>, optional write-only credentials), <c>GET</c> reads and lists (never the credentials),
/// <c>DELETE</c> deletes when no key is distributed to it (409 naming the keys otherwise).
/// </summary>
public sealed partial class KmsFunctions(KeyStore store, ILogger<KmsFunctions> logger)
{
    [Function("ListKmsProviders"), RequiresPermission(Permission.KeysRead, ActionScope.Service, Audited = false)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "kms")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int size, IResult? invalid) = FilteredPager.PageSize(QueryValues.Int(request, "top"));
        if (invalid is not null) return invalid;
        string? after = QueryValues.Text(request, "continuationToken");
        (IReadOnlyList<KmsProviderRecord> page,
            string? resume) = await FilteredPager.ReadAsync((a, limit) => store.ListProvidersAsync(a ?? after, limit,
                ct), p => p.Name,
            _ => ValueTask.FromResult(true), size, after: null, filtered: false);
        return Results.Ok(new ListPage<KmsProviderView>([.. page.Select(KmsProviderView.From)],
            resume is null ? null : FilteredPager.NextLink(request, resume)));
    }

    [Function("GetKmsProvider"),
        RequiresPermission(Permission.KeysRead, ActionScope.Service, AuditObject = "kms:{name}")]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "kms/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        if (KeysFunctions.InvalidName(name, "KMS provider") is { } bad) return bad;
        return await store.GetProviderAsync(name,
            ct) is { } provider ? Results.Ok(KmsProviderView.From(provider)) : NotFound(name);
    }

    [Function("PutKmsProvider"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "kms:{name}")]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "kms/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        BodyResult<PutKmsBody> read = await JsonBody.ReadAsync<PutKmsBody>(request, ct);
        if (read.Error is not null) return read.Error;
        if (KeysFunctions.InvalidName(name, "KMS provider") is { } bad) return bad;
        PutKmsBody body = read.Value!;
        string provider = body.Provider ?? KmsProviderRecord.AzureKeyVault;
        if (provider != KmsProviderRecord.AzureKeyVault) return AzureError.BadRequest("InvalidKmsProvider",
            "provider must be 'azurekeyvault'.");
        if (!VaultNames.IsValid(body.KeyCollection))
        {
            return AzureError.BadRequest("InvalidKeyCollection",
                "keyCollection must be the key vault's name: 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no '--'.");
        }

        KmsCredentials? credentials = null;
        if (body.Credentials is { } c)
        {
            if (string.IsNullOrWhiteSpace(c.ClientId) || string.IsNullOrEmpty(c.ClientSecret) || string.IsNullOrWhiteSpace(c.TenantId))
            {
                return AzureError.BadRequest("InvalidCredentials",
                    "credentials needs clientId, clientSecret and tenantId (or leave credentials out to use EdgeKv's own identity).");
            }

            if (!Guid.TryParse(c.ClientId, out _) || !Guid.TryParse(c.TenantId, out _) || c.ClientSecret.Length > 1024)
            {
                return AzureError.BadRequest("InvalidCredentials",
                    "clientId and tenantId must be GUIDs, and clientSecret at most 1024 characters.");
            }

            credentials = new KmsCredentials(c.ClientId, c.ClientSecret, c.TenantId);
        }

        (KmsProviderRecord record, bool created, IReadOnlyList<string> blocking) = await store.PutProviderAsync(
            new KmsProviderRecord { Name = name, Provider = provider, KeyCollection = body.KeyCollection! },
            credentials, ct);
        if (blocking.Count > 0)
        {
            return AzureError.Conflict("KmsProviderInUse",
                $"KMS provider '{record.Name}' holds keys {string.Join(", ", blocking.Select(k => $"'{k}'"))} in '{record.KeyCollection}': remove them before changing its keyCollection.");
        }

        if (!created) return Results.Ok(KmsProviderView.From(record));
        LogProviderCreated(logger, record.Name, record.KeyCollection, record.HasCredentials);
        return Results.Created($"/api/kms/{Uri.EscapeDataString(name)}", KmsProviderView.From(record));
    }

    [Function("DeleteKmsProvider"),
        RequiresPermission(Permission.KeysManage, ActionScope.Service, AuditObject = "kms:{name}")]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "kms/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        if (KeysFunctions.InvalidName(name, "KMS provider") is { } bad) return bad;
        (bool found, IReadOnlyList<string> keys) = await store.DeleteProviderAsync(name, ct);
        if (!found) return NotFound(name);
        if (keys.Count > 0)
        {
            return AzureError.Conflict("KmsProviderInUse",
                $"KMS provider '{name}' still holds keys {string.Join(", ", keys.Select(k => $"'{k}'"))}: remove them first (DELETE /api/kms/{name}/keys/{{key}}).");
        }

        LogProviderDeleted(logger, name);
        return Results.NoContent();
    }

    public static IResult NotFound(string name) => AzureError.NotFound("KmsProviderNotFound",
        $"EdgeKv has no KMS provider named '{name}'.");

    [LoggerMessage(2411, LogLevel.Information,
        "KMS provider {Name} registered for vault {KeyCollection}; own credentials: {HasCredentials}.")]
    private static partial void LogProviderCreated(ILogger logger, string name, string keyCollection,
        bool hasCredentials);

    [LoggerMessage(2412, LogLevel.Information, "KMS provider {Name} deleted.")]
    private static partial void LogProviderDeleted(ILogger logger, string name);
}
