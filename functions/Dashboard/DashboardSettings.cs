using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.Dashboard;

/// <summary>
/// The dashboard's <c>config.json</c>: how the page signs in. Entra ID from the app settings <c>EdgeKv:Dashboard:*</c>
/// (falling back to <c>EdgeKv:Authentication</c>), and, where the composition offers one (the local host's emulator),
/// the local test-principal sign-in. Ids and URLs only, no secret.
/// </summary>
public static class DashboardSettings
{
    public const string SectionName = "EdgeKv:Dashboard";

    public static object ConfigJson(IConfiguration configuration, EdgeKvAuthenticationOptions authentication,
        ILocalDashboardSignIn? local)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(authentication);
        IConfigurationSection entra = configuration.GetSection(SectionName);
        return new
        {
            // The API is on the page's own origin at /api, wherever the page itself is served from.
            apiBase = "",
            local = local?.Describe(),
            entra = entra["ClientId"] is { Length: > 0 } clientId
                ? new { authority = entra["Authority"] ?? authentication.Authority?.ToString(), clientId,
                    scope = entra["Scope"] ?? $"{authentication.Audience}/.default" }
                : null,
        };
    }
}
