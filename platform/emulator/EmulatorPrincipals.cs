namespace EdgeKv.Emulator;

/// <summary>The test principals configured by default (fixed ids so tests and documentation can name them).</summary>
public static class EmulatorPrincipals
{
    public const string EdgeKvService = "edgekv-service";
    public const string Reader = "reader";
    public const string NoRoles = "no-roles";
    public const string SecurityTeam = "security-team";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    /// <summary>
    /// A management-plane contributor of the subscription (Contributor): it can write a vault's access policies, so
    /// grant itself data-plane access.
    /// </summary>
    public const string Contributor = "contributor";

    public static IReadOnlyList<EmulatorPrincipal> CreateDefaults() =>
    [
        new(EdgeKvService, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000001"), "edgekv-service-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000001"), SubscriptionRole: "Owner"),
        new(Reader, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000002"), "reader-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000002"), SubscriptionRole: "Reader"),
        new(NoRoles, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000003"), "no-roles-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000003")),
        new(SecurityTeam, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000004"), "security-team-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000004"), AppRoles: ["EdgeKv.SecurityTeam"]),
        new(Operator, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000005"), "operator-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000005"), AppRoles: ["EdgeKv.Operator"]),
        new(Auditor, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000006"), "auditor-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000006"), AppRoles: ["EdgeKv.Auditor"]),
        new(Contributor, Guid.Parse("5e1d0c1a-0000-4000-8000-000000000007"), "contributor-secret",
            Guid.Parse("0b1d0c1a-0000-4000-8000-000000000007"), SubscriptionRole: "Contributor"),
    ];
}
