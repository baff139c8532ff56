using Azure;
using EdgeKv.Activities;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask.Client;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Healing;

/// <summary>
/// The security team's two answers to access-policy drift (an entry on a managed vault that EdgeKv did not grant):
/// <c>POST /api/resources/{name}/accessPolicies/{objectId}/remove</c> heals it (202 + the <c>RemoveAccessPolicy</c>
/// orchestration), <c>.../accept</c> accepts the entry with the permissions it holds now (recorded in the audit trail
/// before it takes effect; while its permissions stay the same it no longer alerts).
/// </summary>
public sealed partial class AccessPolicyFunctions(
    ResourceStore store, AzureContextProvider azure, AccessPolicyDriftCheck drift, AcceptedAccessPolicyStore accepted,
    AlertStore alerts, AuditTrail audit,
    TimeProvider time, ILogger<AccessPolicyFunctions> logger)
{
    private const string Route = "resources/{name}/accessPolicies/{objectId}";

    [Function("StartAccessPolicyRemoval"), RequiresPermission(Permission.AccessManage, ActionScope.Resource)]
    public async Task<IResult> RemoveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Route + "/remove")] HttpRequest request,
        string name, string objectId, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ResourceRecord? record, AccessPolicyFinding? finding, IResult? problem) = await FindAsync(name, objectId, ct);
        if (problem is not null) return problem;
        if (finding!.Reason is null)
        {
            return AzureError.Conflict("AccessPolicyGrantedByEdgeKv",
                $"The entry of {objectId} is exactly what EdgeKv grants ({finding.Who}); there is nothing to remove.");
        }

        return await HealingFunctions.StartInstanceAsync(request, client, logger, RemoveAccessPolicyOrchestrator.Name,
            RemoveAccessPolicyOrchestrator.InstanceIdFor(record!.Name, finding.ObjectId),
            new AccessPolicyRemovalRequest(record.Name, finding.ObjectId), ct);
    }

    [Function("AcceptAccessPolicy"), RequiresPermission(Permission.AccessManage, ActionScope.Resource)]
    public async Task<IResult> AcceptAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Route + "/accept")] HttpRequest request,
        string name, string objectId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ResourceRecord? record, AccessPolicyFinding? finding, IResult? problem) = await FindAsync(name, objectId, ct);
        if (problem is not null) return problem;
        if (finding!.Reason is null)
        {
            return AzureError.Conflict("AccessPolicyGrantedByEdgeKv",
                $"The entry of {objectId} is exactly what EdgeKv grants ({finding.Who}); there is nothing to accept.");
        }

        EdgeKvCaller caller = EdgeKvCaller.From(request.HttpContext.User)!;
        try
        {
            // Fail closed: an acceptance that the audit trail cannot record does not take effect. The entry is the
            // vault's object the record is about, named in the trail's object column.
            await audit.AppendAsync(new AuditEntry(caller.Principal, null, null, "AccessPolicyAccepted", record!.Name,
                $"accessPolicy:{finding.ObjectId}",
                request.HttpContext.Connection.RemoteIpAddress?.ToString(), "Succeeded", StatusCodes.Status200OK), ct);
        }
        catch (AuditUnavailableException)
        {
            return AzureError.Result(StatusCodes.Status503ServiceUnavailable, "AuditUnavailable",
                "An access policy is not accepted while the audit trail cannot record it.");
        }

        var acceptance = new AcceptedAccessPolicy(record.Name, finding.ObjectId,
            AccessPolicyDrift.Fingerprint(finding.Policy), caller.Principal, time.GetUtcNow());
        await accepted.AcceptAsync(acceptance, ct);
        AzureContext az = await azure.GetAsync(ct);
        VaultProperties vault = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.VaultName!, ct);
        // The accepted entry's alert is resolved; any other still flagged keeps (or gets) its own.
        IReadOnlyList<AlertObservation> still = await drift.CheckAsync(az.ServiceObjectId, record, vault, ct);
        await alerts.ApplyCheckAsync([record.Name], [AlertKind.AccessPolicyNotGrantedByEdgeKv], still, ct);
        LogAccepted(logger, finding.ObjectId, record.Name, caller.Principal);
        return Results.Ok(new { objectId = finding.ObjectId, permissions = acceptance.Permissions,
            acceptedBy = acceptance.AcceptedBy, acceptedAt = acceptance.AcceptedAt,
            stillNotGranted = still.Count > 0 });
    }

    private async Task<(ResourceRecord? Record, AccessPolicyFinding? Finding, IResult? Problem)> FindAsync(string name,
        string objectId, CancellationToken ct)
    {
        if (!Guid.TryParse(objectId, out _)) return (null, null,
            AzureError.BadRequest("InvalidObjectId", "objectId must be a principal's object id (a GUID)."));
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return (null, null, ResourcesFunctions.NotFound(name));
        if (record.VaultName is null) return (null, null,
            AzureError.Conflict("VaultNotProvisioned",
                $"Resource '{name}' has no vault yet; generate its activation key first."));
        AzureContext az = await azure.GetAsync(ct);
        VaultProperties vault;
        try
        {
            vault = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.VaultName, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return (null, null, AzureError.Conflict("VaultNotFound",
                $"Vault '{record.VaultName}' of '{name}' is gone; recover it first."));
        }

        AccessPolicyFinding? finding = (await drift.ReviewAsync(az.ServiceObjectId, record, vault, ct))
            .FirstOrDefault(f => string.Equals(f.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));
        return finding is null
            ? (null, null, AzureError.NotFound("AccessPolicyNotFound",
                $"Vault '{record.VaultName}' has no access policy entry for {objectId}."))
            : (record, finding, null);
    }

    [LoggerMessage(2231, LogLevel.Warning,
        "Access policy of {ObjectId} on the vault of {Resource} accepted by {Principal}.")]
    private static partial void LogAccepted(ILogger logger, string objectId, string resource, string principal);
}
