using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Activities.Lifecycle;

namespace EdgeKv.Orchestrations;

/// <summary>
/// The rules of each orchestration's input, in one place: every orchestrator checks its input first (a bad one fails
/// the instance at once with the reason), and every starter checks it before starting (a 400), with the same rule. Each
/// method answers the problem, or null when the input is good.
/// </summary>
public static class OrchestrationInputs
{
    private const int MaxNames = 100;

    public static string? Problem(ActivationRequest? input) => input switch
    {
        null => "The activation input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { VaultName: var v } when !VaultNames.IsValid(v) => "vaultName must be a valid vault name (3-24 letters, digits and hyphens).",
        { ServiceEndpoint: var e } when !Uri.TryCreate(e, UriKind.Absolute,
            out _) => "serviceEndpoint must be an absolute URI.",
        { KeyValidity: var v } when v <= TimeSpan.Zero => "keyValidity must be positive.",
        { StoragePollInterval: var p } when p <= TimeSpan.Zero => "storagePollInterval must be positive.",
        { StorageTimeout: var t } when t < TimeSpan.Zero => "storageTimeout must not be negative.",
        _ => null,
    };

    public static string? Problem(SweepRequest? input) => input switch
    {
        null => "The sweep input is missing.",
        { PageSize: < 1 or > 5000 } => "pageSize must be 1-5000.",
        { MaxParallelPages: < 1 or > 64 } => "maxParallelPages must be 1-64.",
        { Trigger: null or "" } => "trigger must name what started the sweep.",
        _ => null,
    };

    public static string? Problem(DeleteResourceRequest? input) => input switch
    {
        null => "The deletion input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { ResourceId: null or "" } => "resourceId is required.",
        _ => null,
    };

    public static string? Problem(RecoverVaultRequest? input) => input switch
    {
        null => "The vault recovery input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { StoragePollInterval: var p } when p <= TimeSpan.Zero => "storagePollInterval must be positive.",
        { StorageTimeout: var t } when t < TimeSpan.Zero => "storageTimeout must not be negative.",
        { DeviceSyncTimeout: var d } when d <= TimeSpan.Zero => "deviceSyncTimeout must be positive.",
        _ => null,
    };

    public static string? Problem(SyncDeviceSecretsRequest? input) => input switch
    {
        null => "The sync input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { Timeout: var t } when t <= TimeSpan.Zero => "timeout must be positive.",
        _ => null,
    };

    public static string? Problem(RotateCikRequest? input) => input switch
    {
        null => "The rotation input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { DeviceSyncTimeout: var t } when t <= TimeSpan.Zero => "deviceSyncTimeout must be positive.",
        { Trigger: null or "" } => "trigger must name what started the rotation.",
        _ => null,
    };

    public static string? Problem(RegenerateKeyRequest? input) => input switch
    {
        null => "The regeneration input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { KeyValidity: var v } when v <= TimeSpan.Zero => "keyValidity must be positive.",
        _ => null,
    };

    public static string? Problem(AccessPolicyRemovalRequest? input) => input switch
    {
        null => "The access policy removal input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { ObjectId: var id } when !Guid.TryParse(id, out _) => "objectId must be a principal's object id (a GUID).",
        _ => null,
    };

    public static string? Problem(RoleAssignmentRemovalRequest? input) => input switch
    {
        null => "The role assignment removal input is missing.",
        _ when ResourceName(input.ResourceName) is { } bad => bad,
        { AssignmentName: var name } when !Guid.TryParse(name,
            out _) => "assignmentName must be a role assignment's name (a GUID).",
        _ => null,
    };

    public static string? Problem(Notification? input) => input switch
    {
        null => "The notification input is missing.",
        { Kind: null or "" } => "kind is required.",
        { Summary: null } => "summary is required.",
        _ => null,
    };

    public static string? Problem(string[]? names) => names switch
    {
        { Length: > MaxNames } => $"At most {MaxNames} names.",
        _ when names?.Any(n => n is null || n.Length > 256) == true => "Each name must be a string of at most 256 characters.",
        _ => null,
    };

    /// <summary>For the flows whose input is the resource's name.</summary>
    public static string? ResourceName(string? name)
        => string.IsNullOrWhiteSpace(name) || name.Length > 260 ? "resourceName must be a resource's name." : null;

    /// <summary>
    /// Fails the instance at its start when its input breaks the rule; the reason is the failure's message.
    /// </summary>
    internal static void Require(string? problem)
    {
        if (problem is not null) throw new InvalidOrchestrationInputException(problem);
    }

    /// <summary>As <see cref="Require(string?)"/>, for an input that must be present.</summary>
    internal static void Require<T>([System.Diagnostics.CodeAnalysis.NotNull] T? input, string? problem)
        where T : class
    {
        Require(problem ?? (input is null ? "The input is missing." : null));
        if (input is null) throw new InvalidOrchestrationInputException("The input is missing.");
    }
}
