using System.Net;
using System.Text.Json;
using EdgeKv.Azure;
using EdgeKv.Emulator;
using EdgeKv.Functions.AzureConnection;
using EdgeKv.Functions.Dashboard;
using EdgeKv.Functions.Http;
using EdgeKv.Local.Emulator;
using EdgeKv.Functions.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace EdgeKv.Local.Dashboard;

/// <summary>
/// Serves the built dashboard (<c>dashboard/</c>, copied beside the host's binaries by the build) at <c>/</c> in local
/// mode (the app's own ServeDashboard function serves it at <c>/api/dashboard/</c> too, as in Azure): its static files
/// need no credential (path-style links are redirected to their hash routes); the API behind it stays authenticated.
/// Also <c>GET /config.json</c> (how the page signs in) and <c>POST /local/token</c> (a token of one of the emulator's
/// test principals, for loopback callers only: the browser cannot reach the emulator's token service, whose certificate
/// is self-signed). Everything the dashboard needs from the host lives here, so this file moves as one piece.
/// </summary>
public static partial class DashboardHosting
{
    /// <summary>
    /// Where the build puts the dashboard, relative to the host's binaries (the Azure app's build puts it there).
    /// </summary>
    public const string Folder = ServeDashboardFunction.Folder;

    private static readonly string[] ApiPrefixes = ["/api", "/runtime", "/admin", "/openapi", "/healthz", "/local"];

    public static void MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<EdgeKvAzureSettings>>().Value.Mode != AzureMode.Emulator) return;
        string root = Path.Combine(AppContext.BaseDirectory, Folder);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            LogNotBuilt(app.Logger, root);
            return;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // Hashed asset names never change content; index.html must be revalidated to pick up a new build.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        });

        app.MapGet("/config.json",
            (IConfiguration configuration, IOptions<EdgeKvAuthenticationOptions> auth,
                IEnumerable<ILocalDashboardSignIn> local) =>
                Results.Json(DashboardSettings.ConfigJson(configuration, auth.Value, local.FirstOrDefault())))
            .AuthenticatedBy("none: the dashboard's sign-in settings, no secret").ExcludeFromDescription();
        app.MapPost("/local/token", IssueLocalTokenAsync)
            .AuthenticatedBy("none: local mode, loopback callers only; the emulator's documented test principals").ExcludeFromDescription();

        // The page routes by hash (#/resources/ase1), so it works from any static host. A browser asking for a path
        // (/resources/ase1) is sent to its hash route; anything else unknown, API or not, still answers Azure's 404.
        app.MapFallback("{*path:nonfile}", (HttpContext context) =>
            {
                HttpRequest request = context.Request;
                if (request.Path == "/") return Results.File(Path.Combine(root, "index.html"),
                    "text/html; charset=utf-8");
                bool api = ApiPrefixes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
                bool page = request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html",
                    StringComparison.OrdinalIgnoreCase));
                return !api && page ? Results.Redirect("/#" + request.Path) : Results.NotFound();
            })
            // GET only: the fallback also matches API paths, and a wrong method there must list only the API's methods
            // in Allow.
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AuthenticatedBy("none: the dashboard's page").ExcludeFromDescription();
    }

    /// <summary>
    /// The emulator's test principals as the dashboard's local sign-in, in <c>config.json</c> wherever the page is
    /// served from.
    /// </summary>
    internal sealed class EmulatorSignIn(EmulatorConnection azure) : ILocalDashboardSignIn
    {
        public object? Describe() => azure.Emulator is { } emulator
            ? new { tokenUrl = "/local/token",
                principals = TestPrincipals(emulator).Select(p => new { name = p.Name, roles = p.AppRoles }) }
            : null;
    }

    private static IEnumerable<EmulatorPrincipal> TestPrincipals(RunningEmulator emulator) =>
        emulator.Principals.Where(p => p.AppRoles?.Any(r => r.StartsWith(RolePermissions.AppRolePrefix,
            StringComparison.Ordinal)) == true);

    /// <summary>
    /// Client credentials against the emulator's token service, as README's curl does, for one test principal.
    /// </summary>
    private static async Task<IResult> IssueLocalTokenAsync(HttpContext context, EmulatorConnection azure,
        IOptions<EdgeKvAuthenticationOptions> auth,
        CancellationToken ct)
    {
        // The one body reader every function uses: a bad content type, charset or shape is a 4xx, never a 500.
        BodyResult<LocalTokenRequest> read = await JsonBody.ReadOptionalAsync<LocalTokenRequest>(context.Request, ct);
        if (read.Error is not null) return read.Error;
        LocalTokenRequest? body = read.Value;
        if (context.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip))
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "LocalOnly",
                "Test-principal tokens are handed out to loopback callers only.");
        }

        RunningEmulator? emulator = azure.Emulator;
        if (emulator is null) return AzureError.Result(StatusCodes.Status404NotFound, "NoLocalEmulator",
            "This host runs no in-process emulator.");
        EmulatorPrincipal? principal = TestPrincipals(emulator).FirstOrDefault(p => p.Name == body?.Principal);
        if (principal is null) return AzureError.BadRequest("UnknownPrincipal",
            "principal must name one of the test principals in /config.json.");

        using var http = new HttpClient(emulator.CreateTrustingHandler());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = principal.ClientId.ToString(),
            ["client_secret"] = principal.ClientSecret,
            ["scope"] = $"{auth.Value.Audience}/.default",
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri(emulator.Endpoint,
            $"{emulator.TenantId}/oauth2/v2.0/token"), form, ct);
        if (!response.IsSuccessStatusCode)
        {
            return AzureError.Result(StatusCodes.Status502BadGateway, "TokenServiceFailed",
                $"The emulator's token service answered {(int)response.StatusCode}.");
        }

        using JsonDocument token = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            access_token = token.RootElement.GetProperty("access_token").GetString(),
            expires_in = token.RootElement.TryGetProperty("expires_in",
                out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : 3600,
            principal = principal.Name,
            roles = principal.AppRoles,
        });
    }

    [LoggerMessage(7090, LogLevel.Warning,
        "The dashboard is not built ({Root} has no index.html); / is not served. Build the host with Node.js 20.19+ (see tools/dashboard/README.md).")]
    private static partial void LogNotBuilt(ILogger logger, string root);
}

/// <summary>Body of <c>POST /local/token</c>.</summary>
public sealed record LocalTokenRequest(string? Principal);
