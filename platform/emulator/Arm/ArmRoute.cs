using System.Text.RegularExpressions;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Arm;

/// <summary>
/// One Resource Manager route: method, path pattern, the resource type whose api-version it pins, the RBAC action
/// it needs, the lock it respects and its handler.
/// </summary>
internal sealed record ArmRoute(string Method, Regex Pattern, string ResourceType, string Action, LockCheck Lock,
    ArmHandler Handler)
{
    public const string Subscription = "/subscriptions/(?<sub>[^/]+)";
    public const string ResourceGroup = Subscription + "/resourceGroups/(?<rg>[^/]+)";
    public const string AnyScope = "(?<scope>/subscriptions/[^/]+(?:/.+?)?)";

    public static ArmRoute Create(string method, string pattern, string resourceType, string action, LockCheck check,
        ArmHandler handler) =>
        new(method, new Regex("^" + pattern + "/?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
            PatternTimeout.Value), resourceType, action, check, handler);

    /// <summary>
    /// The path of one resource of a type tracked in resource groups, its name captured as <c>name</c>.
    /// </summary>
    public static string TrackedResource(string type) => ResourceGroup + "/providers/" + type + "/(?<name>[^/]+)";

    /// <summary>
    /// The routes every type tracked in resource groups has: list at the subscription and at the group, get, create or
    /// update, update (PATCH, where the type has it) and delete, each needing the type's read, write or delete action;
    /// writes respect write locks and deletes delete locks.
    /// </summary>
    public static IEnumerable<ArmRoute> ForTrackedResource(string type, ArmHandler list, ArmHandler get, ArmHandler put,
        ArmHandler? patch, ArmHandler delete)
    {
        var resource = TrackedResource(type);
        yield return Create("GET", Subscription + "/providers/" + type, type, type + "/read", LockCheck.None, list);
        yield return Create("GET", ResourceGroup + "/providers/" + type, type, type + "/read", LockCheck.None, list);
        yield return Create("GET", resource, type, type + "/read", LockCheck.None, get);
        yield return Create("PUT", resource, type, type + "/write", LockCheck.Write, put);
        if (patch is not null)
        {
            yield return Create("PATCH", resource, type, type + "/write", LockCheck.Write, patch);
        }

        yield return Create("DELETE", resource, type, type + "/delete", LockCheck.Delete, delete);
    }

    /// <summary>
    /// The routes of an extension resource type at any scope (<c>{scope}/providers/{type}</c>): list, get, create or
    /// update, delete, each needing the type's read, write or delete action; writes and deletes respect the scope's
    /// locks only where <paramref name="respectsLocks"/> says so.
    /// </summary>
    public static IEnumerable<ArmRoute> ForExtensionResource(string type, bool respectsLocks, ArmHandler list,
        ArmHandler get, ArmHandler put, ArmHandler delete)
    {
        var collection = AnyScope + "/providers/" + type;
        yield return Create("GET", collection, type, type + "/read", LockCheck.None, list);
        yield return Create("GET", collection + "/(?<name>[^/]+)", type, type + "/read", LockCheck.None, get);
        yield return Create("PUT", collection + "/(?<name>[^/]+)", type, type + "/write",
            respectsLocks ? LockCheck.Write : LockCheck.None, put);
        yield return Create("DELETE", collection + "/(?<name>[^/]+)", type, type + "/delete",
            respectsLocks ? LockCheck.Delete : LockCheck.None, delete);
    }
}
