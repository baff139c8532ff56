using EdgeKv.Functions.Security;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// EdgeKv's instance-management API as functions, under <c>/api/durabletask</c> (<see cref="DurableTaskHttpApi"/>),
/// with EdgeKv's tokens, permissions and per-flow rules, under either host. The Functions host keeps
/// <c>/runtime/webhooks/durabletask</c> for the Durable extension's built-in API, which only its system key opens and
/// which knows nothing of EdgeKv's roles; these functions are how callers manage instances, and where every link of
/// EdgeKv's starters points (<see cref="HttpManagementPayload"/>).
/// </summary>
public sealed class InstanceManagementFunctions(OrchestrationRules rules, EdgeKvAuthorizer authorizer)
{
    private const string Instance = "durabletask/instances/{instanceId}";

    [Function("StartOrchestration"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service,
            AuditObject = "orchestrator:{name}/instance:{instanceId}")]
    public Task<IResult> StartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "durabletask/orchestrators/{name}/{instanceId?}")] HttpRequest request,
        string name, string? instanceId, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.StartAsync(name, instanceId, Context(request), client, rules, ct);

    [Function("GetInstance"),
        RequiresPermission(Permission.OrchestrationsRead, ActionScope.Service, Audited = false,
            AuditObject = "instance:{instanceId}")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Instance)] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.GetStatusAsync(instanceId, request, client, ct);

    [Function("ListInstances"), RequiresPermission(Permission.OrchestrationsRead, ActionScope.Service, Audited = false)]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "durabletask/instances")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.QueryAsync(Context(request), client, ct);

    [Function("PurgeInstance"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service, AuditObject = "instance:{instanceId}")]
    public Task<IResult> PurgeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = Instance)] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.PurgeAsync(instanceId, Context(request), client, rules, authorizer, ct);

    [Function("PurgeInstances"), RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service)]
    public Task<IResult> PurgeManyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "durabletask/instances")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.PurgeManyAsync(Context(request), client, rules, authorizer, ct);

    [Function("RaiseInstanceEvent"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service,
            AuditObject = "instance:{instanceId}/event:{eventName}")]
    public Task<IResult> RaiseEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Instance + "/raiseEvent/{eventName}")] HttpRequest request,
        string instanceId, string eventName, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.RaiseEventAsync(instanceId, eventName, Context(request), client, rules, authorizer, ct);

    [Function("TerminateInstance"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service, AuditObject = "instance:{instanceId}")]
    public Task<IResult> TerminateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Instance + "/terminate")] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.TerminateAsync(instanceId, Context(request), client, rules, authorizer, ct);

    [Function("SuspendInstance"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service, AuditObject = "instance:{instanceId}")]
    public Task<IResult> SuspendAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Instance + "/suspend")] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.SuspendAsync(instanceId, Context(request), client, rules, authorizer, ct);

    [Function("ResumeInstance"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service, AuditObject = "instance:{instanceId}")]
    public Task<IResult> ResumeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Instance + "/resume")] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.ResumeAsync(instanceId, Context(request), client, rules, authorizer, ct);

    [Function("RestartInstance"),
        RequiresPermission(Permission.OrchestrationsManage, ActionScope.Service, AuditObject = "instance:{instanceId}")]
    public Task<IResult> RestartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Instance + "/restart")] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        DurableTaskHttpApi.RestartAsync(instanceId, Context(request), client, rules, authorizer, ct);

    private static HttpContext Context(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext;
    }
}
