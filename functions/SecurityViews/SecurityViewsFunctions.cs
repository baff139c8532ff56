using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// The "Security" page of a resource, one view per route under <c>/api/resources/{name}/security</c>: summary, secrets,
/// access policies, diagnostics, the vault's audit logs, insights, identity and locks. Each reads what Azure holds now.
/// </summary>
public sealed partial class SecurityViewsFunctions(
    ResourceStore store, AzureContextProvider azure, AlertStore alerts,
    EdgeKvAuthorizer authorizer, AuditTrail audit,
    ILogger<SecurityViewsFunctions> logger, AccessPolicyDriftCheck drift, TimeProvider time)
{
    private const string Views = "resources/{name}/security";

    /// <summary>
    /// The summary answers for a vault that is gone too (deleted within retention, or purged): the page shows the vault
    /// as gone, the identity without access, and every active alert of the resource (health and security, from the one
    /// alert store, whose state is the truth: removing or accepting an entry resolves its alert), so the
    /// critical alert and its healing action appear exactly when the vault cannot be read.
    /// </summary>
    [Function("GetSecuritySummary"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource)]
    public async Task<IResult> SummaryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views)] HttpRequest request, string name, CancellationToken ct) =>
        await WithVaultAsync(name, store, async record =>
        {
            AzureContext az = await azure.GetAsync(ct);
            string portal = $"https://portal.azure.com/#@{az.TenantId}/resource{record.VaultId}";
            IReadOnlyList<SummaryAlert> active = await ActiveAlertsAsync(record.Name, alerts, ct);
            VaultProperties? vault = await TryGetVaultAsync(az, record, ct);
            if (vault is null)
            {
                string state = await IsSoftDeletedAsync(az, record, ct) ? VaultStates.Deleted : VaultStates.Purged;
                EdgeDevice device = await ReadDeviceAsync(az, record, ct);
                var identity = new IdentityView(device.PrincipalId is not null, device.PrincipalId, device.TenantId,
                    HasVaultAccess: false);
                IReadOnlyList<ResourceLock> storageLocks = record.AuditStorageAccountId is { } storage
                    ? await az.Factory.GetManagementLocksClient().ListAsync(storage, ct) : [];
                return Results.Ok(new SecuritySummary(record.Name, record.VaultName, record.VaultId, record.VaultUri,
                    portal, state, identity, storageLocks, [], active));
            }

            IReadOnlyList<ResourceLock> locks = await ReadLocksAsync(az, record, ct);
            IReadOnlyList<DiagnosticSetting> diagnostics = await az.Factory.GetDiagnosticSettingsClient().ListAsync(record.VaultId!, ct);
            return Results.Ok(new SecuritySummary(record.Name, record.VaultName, record.VaultId, record.VaultUri,
                portal, VaultStates.Present,
                await ReadIdentityAsync(az, record, vault, ct), locks, diagnostics, active));
        });

    private static async Task<IReadOnlyList<SummaryAlert>> ActiveAlertsAsync(string resource, AlertStore alerts,
        CancellationToken ct)
    {
        // A resource has few active alerts (one per kind and principal), so one bounded page holds them all.
        IReadOnlyList<(long Position, Alert Alert)> active = await alerts.QueryPageAsync(resource, null,
            AlertState.Active, null, 1000, cancellationToken: ct);
        return [.. active.Select(a => a.Alert).OrderByDescending(a => a.Severity).ThenBy(a => a.FirstSeen)
            .Select(SummaryAlert.From)];
    }

    private static async Task<VaultProperties?> TryGetVaultAsync(AzureContext az, ResourceRecord record,
        CancellationToken ct)
    {
        try
        {
            return await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.VaultName!, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static async Task<bool> IsSoftDeletedAsync(AzureContext az, ResourceRecord record, CancellationToken ct)
    {
        try
        {
            DeletedVault deleted = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetDeletedAsync(record.Location, record.VaultName!, ct);
            return string.Equals(deleted.VaultId, record.VaultId, StringComparison.OrdinalIgnoreCase);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }

    [Function("GetSecuritySecrets"), RequiresPermission(Permission.SecretNamesRead, ActionScope.Resource)]
    public async Task<IResult> SecretsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/secrets")] HttpRequest request, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool? includeValues = QueryValues.Bool(request, "includeValues");
        HttpContext context = request.HttpContext;
        return await WithVaultAsync(name, store, async record =>
        {
            EdgeKvCaller caller = EdgeKvCaller.From(context.User)!;
            if (includeValues == true && !await authorizer.IsAllowedOnResourceAsync(caller, Permission.SecretValuesRead,
                name, ct))
            {
                await audit.AppendAsync(new AuditEntry(caller.Principal, null, null, "SecretValueRead", name, "*",
                    context.Connection.RemoteIpAddress?.ToString(), "Denied", 403), ct);
                return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                    "Reading secret values needs the SecretValuesRead permission (security team).");
            }

            AzureContext az = await azure.GetAsync(ct);
            SecretClient vault = az.CreateServiceSecretClient(new Uri(record.VaultUri!));
            var views = new List<SecretView>();
            await foreach (SecretProperties secret in vault.GetPropertiesOfSecretsAsync(ct))
            {
                int versions = 0;
                await foreach (SecretProperties _ in vault.GetPropertiesOfSecretVersionsAsync(secret.Name,
                    ct)) versions++;
                string? value = null;
                if (includeValues == true && secret.Enabled != false)
                {
                    try
                    {
                        // Fail closed: no audit record, no value.
                        await audit.AppendAsync(new AuditEntry(caller.Principal, null, null, "SecretValueRead", name,
                            secret.Name,
                            context.Connection.RemoteIpAddress?.ToString(), "Succeeded", 200), ct);
                    }
                    catch (AuditUnavailableException)
                    {
                        return AzureError.Result(StatusCodes.Status503ServiceUnavailable, "AuditUnavailable",
                            "Secret values are not shown while the audit trail cannot record the read.");
                    }

                    value = (await vault.GetSecretAsync(secret.Name, cancellationToken: ct)).Value.Value;
                    LogValueRead(logger, caller.Principal, name, secret.Name);
                }

                views.Add(new SecretView(secret.Name, secret.Version, versions, secret.Enabled, secret.CreatedOn,
                    secret.UpdatedOn, secret.ContentType, value));
            }

            return Results.Ok(new { value = views.OrderBy(v => v.Name, StringComparer.Ordinal) });
        });
    }

    [Function("GetSecurityAccessPolicies"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource)]
    public async Task<IResult> AccessPoliciesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/accessPolicies")] HttpRequest request, string name,
        CancellationToken ct) =>
        await WithVaultAsync(name, store, async record =>
        {
            AzureContext az = await azure.GetAsync(ct);
            VaultProperties vault = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.VaultName!, ct);
            IReadOnlyList<AccessPolicyFinding> findings = await drift.ReviewAsync(az.ServiceObjectId, record, vault,
                ct);
            // The same alert the sweep raises for each flagged entry (idempotent: seen again, not a second one). A
            // vault on Azure RBAC ignores its access policies; the sweep does not judge them there, and neither does
            // the view.
            IReadOnlyList<AlertObservation> flagged = vault.EnableRbacAuthorization ? []
                : AccessPolicyDrift.Observe(record.Name, vault.Name, findings);
            foreach (AlertObservation observation in flagged) await alerts.RaiseAsync(observation, ct);
            return Results.Ok(new { value = findings.Select(AccessPolicyAudit.View).ToList() });
        });

    [Function("GetSecurityDiagnostics"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource)]
    public async Task<IResult> DiagnosticsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/diagnostics")] HttpRequest request, string name,
        CancellationToken ct) =>
        await WithVaultAsync(name, store, async record =>
        {
            AzureContext az = await azure.GetAsync(ct);
            IReadOnlyList<DiagnosticSetting> settings = await az.Factory.GetDiagnosticSettingsClient().ListAsync(record.VaultId!, ct);
            // The vault's network ACLs (null: none, reachable from every network) and its permission model beside where
            // its audit logs go.
            VaultProperties? vault = await TryGetVaultAsync(az, record, ct);
            VaultNetworkRules? vaultNetwork = vault?.NetworkRules;
            string? vaultPermissionModel = vault is null ? null : vault.EnableRbacAuthorization ? "Rbac" : "AccessPolicies";
            return Results.Ok(new { value = settings, auditStorage = await ReadAuditStorageAsync(az, record, ct),
                vaultNetwork, vaultPermissionModel });
        });

    /// <summary>
    /// The audit storage account's security settings; null when the resource has none (or it is gone).
    /// </summary>
    private static async Task<AuditStorageView?> ReadAuditStorageAsync(AzureContext az, ResourceRecord record,
        CancellationToken ct)
    {
        if (record.AuditStorageAccountId is not { } id) return null;
        var accountId = new ResourceIdentifier(id);
        StorageAccountsClient accounts = az.Factory.GetStorageAccountsClient(subscriptionId: accountId.SubscriptionId);
        try
        {
            StorageAccount account = await accounts.GetAsync(accountId.ResourceGroupName!, accountId.Name, ct);
            ContainerImmutability? policy = await accounts.GetContainerImmutabilityAsync(accountId.ResourceGroupName!,
                accountId.Name, AuditLogsClient.Container, ct);
            return new AuditStorageView(account.Id, account.Name, account.AllowSharedKeyAccess,
                account.AllowBlobPublicAccess, account.MinimumTlsVersion,
                policy?.Days, policy?.State, policy?.AllowProtectedAppendWrites);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    [Function("GetSecurityIdentity"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource)]
    public async Task<IResult> IdentityAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/identity")] HttpRequest request, string name,
        CancellationToken ct) =>
        await WithVaultAsync(name, store,
            async record => Results.Ok(await ReadIdentityAsync(await azure.GetAsync(ct), record, ct)));

    [Function("GetSecurityLocks"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource)]
    public async Task<IResult> LocksAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/locks")] HttpRequest request, string name,
        CancellationToken ct) =>
        await WithVaultAsync(name, store,
            async record => Results.Ok(new { value = await ReadLocksAsync(await azure.GetAsync(ct), record, ct) }));

    [Function("GetSecurityAuditLogs"), RequiresPermission(Permission.AuditRead, ActionScope.Resource)]
    public async Task<IResult> AuditLogsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/auditLogs")] HttpRequest request, string name,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTimeOffset? from = QueryValues.Time(request, "from");
        DateTimeOffset? to = QueryValues.Time(request, "to");
        string? operation = QueryValues.Text(request, "operation");
        string? result = QueryValues.Text(request, "result");
        int? top = QueryValues.Int(request, "top");
        int? continuationToken = QueryValues.Int(request, "continuationToken");
        return await WithVaultAsync(name, store, async record =>
        {
            int size = top ?? 100;
            if (size is < 1 or > 1000) return AzureError.BadRequest("InvalidTop", "top must be 1-1000.");
            int skip = Math.Max(0, continuationToken ?? 0);
            List<KeyVaultAuditRecord> records = [.. (await VaultAuditReader.ReadAsync(await azure.GetAsync(ct), record,
                from, to, ct))
                .Where(r => operation is null || string.Equals(r.OperationName, operation,
                    StringComparison.OrdinalIgnoreCase))
                .Where(r => result is null || string.Equals(r.ResultType, result, StringComparison.OrdinalIgnoreCase))];
            string? next = records.Count > skip + size ? NextLink(request, skip + size) : null;
            return Results.Ok(new VaultAuditPage([.. records.Skip(skip).Take(size).Select(VaultAuditReader.View)],
                next));
        });
    }

    [Function("GetSecurityInsights"), RequiresPermission(Permission.AuditRead, ActionScope.Resource)]
    public async Task<IResult> InsightsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Views + "/insights")] HttpRequest request, string name,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        InsightsWindow? window = InsightsWindow.Parse(request, time.GetUtcNow(), out IResult? invalid);
        if (window is null) return invalid!;
        return await WithVaultAsync(name, store, async record =>
        {
            // The audit logs are read for the window only (its date-partitioned blobs), the platform metrics from Azure
            // Monitor.
            AzureContext az = await azure.GetAsync(ct);
            InsightsView insights = VaultAuditReader.Insights(await VaultAuditReader.ReadAsync(az, record, window.From,
                window.To, ct), window.From, window.To);
            return Results.Ok(insights with { Metrics = await VaultMetricsReader.ReadAsync(az, record, window, ct) });
        });
    }

    private static async Task<IdentityView> ReadIdentityAsync(AzureContext az, ResourceRecord record,
        CancellationToken ct) =>
        await ReadIdentityAsync(az, record,
            await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup,
                record.VaultName!, ct), ct);

    private static async Task<IdentityView> ReadIdentityAsync(AzureContext az, ResourceRecord record,
        VaultProperties vault, CancellationToken ct)
    {
        EdgeDevice device = await ReadDeviceAsync(az, record, ct);
        bool access = device.PrincipalId is { } principal && vault.AccessPolicies.Any(p =>
            string.Equals(p.ObjectId, principal.ToString(), StringComparison.OrdinalIgnoreCase)
            && p.Secrets.Contains("get", StringComparer.OrdinalIgnoreCase) && p.Secrets.Contains("set",
                StringComparer.OrdinalIgnoreCase));
        return new IdentityView(device.PrincipalId is not null, device.PrincipalId, device.TenantId, access);
    }

    private static async Task<EdgeDevice> ReadDeviceAsync(AzureContext az, ResourceRecord record, CancellationToken ct)
    {
        var id = new global::Azure.Core.ResourceIdentifier(record.ResourceId);
        return await new EdgeDevicesClient(az.Factory.ArmClient, id.SubscriptionId!).GetAsync(id.ResourceGroupName!,
            id.Name, ct);
    }

    private static async Task<IReadOnlyList<ResourceLock>> ReadLocksAsync(AzureContext az, ResourceRecord record,
        CancellationToken ct)
    {
        ManagementLocksClient locks = az.Factory.GetManagementLocksClient();
        var all = new List<ResourceLock>(await locks.ListAsync(record.VaultId!, ct));
        if (record.AuditStorageAccountId is { } storage) all.AddRange(await locks.ListAsync(storage, ct));
        return all;
    }

    private static async Task<IResult> WithVaultAsync(string name, ResourceStore store,
        Func<ResourceRecord, Task<IResult>> view)
    {
        ResourceRecord? record = await store.GetAsync(name);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultId is null || record.VaultUri is null || record.VaultName is null)
        {
            return AzureError.Conflict("VaultNotProvisioned",
                $"Resource '{name}' has no vault yet; generate its activation key first.");
        }

        try
        {
            return await view(record);
        }
        catch (RequestFailedException ex)
        {
            return DependencyFailures.From(ex, "Azure, while reading the view,");
        }
    }

    private static string NextLink(HttpRequest request, int next)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        query["continuationToken"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{request.Scheme}://{request.Host}{request.Path}?" + string.Join('&',
            query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
    }

    [LoggerMessage(7060, LogLevel.Information,
        "{Principal} read the value of secret {Secret} of {Resource} (audited).")]
    private static partial void LogValueRead(ILogger logger, string principal, string resource, string secret);
}
