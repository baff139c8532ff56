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
        new(method, new Regex("^" + pattern + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
            PatternTimeout.Value), resourceType, action, check, handler);
}
