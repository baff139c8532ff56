using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Dashboard;

/// <summary>
/// The dashboard, served by the app itself at <c>/api/dashboard/</c>: under the Functions host <c>/</c> is the host's
/// own page and static files are served only by a function. The built files come with the app (<c>dashboard/</c> beside
/// its binaries, in the publish output); paths without an extension get <c>index.html</c> (the page routes by hash);
/// <c>config.json</c> says how to sign in. No credential: the files and settings hold no secret, every API call the
/// page makes carries its own token.
/// </summary>
public sealed class ServeDashboardFunction(IConfiguration configuration,
    IOptions<EdgeKvAuthenticationOptions> authentication,
    IEnumerable<ILocalDashboardSignIn> localSignIn)
{
    public const string FunctionName = "ServeDashboard";

    /// <summary>Where the build puts the dashboard, relative to the app's binaries.</summary>
    public const string Folder = "dashboard";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// The built files; an absolute path ending in a separator, so a prefix test is a containment test.
    /// </summary>
    private static readonly string Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, Folder))) + Path.DirectorySeparatorChar;

    [Function(FunctionName), AuthenticatedBy("none: the dashboard's static files and sign-in settings, no secret")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "dashboard/{*path}")] HttpRequest request, string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpResponse response = request.HttpContext.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        if (string.IsNullOrEmpty(path) && !(request.Path.Value ?? "").EndsWith('/'))
        {
            // The page's assets are relative to it: /api/dashboard must become /api/dashboard/.
            return Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        }

        if (string.Equals(path, "config.json", StringComparison.Ordinal))
        {
            response.Headers.CacheControl = "no-store";
            return Results.Json(DashboardSettings.ConfigJson(configuration, authentication.Value,
                localSignIn.FirstOrDefault()));
        }

        string[] segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains(':',
            StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
        {
            return AzureError.BadRequest("InvalidPath", "The path names a file outside the dashboard.");
        }

        if (!File.Exists(Root + "index.html"))
        {
            return AzureError.NotFound("DashboardNotBuilt",
                "The dashboard is not part of this build (it was built without Node.js; see tools/dashboard/README.md).");
        }

        string file = Path.GetFullPath(Root + string.Join(Path.DirectorySeparatorChar, segments));
        if (!file.StartsWith(Root, StringComparison.Ordinal)) return AzureError.BadRequest("InvalidPath",
            "The path names a file outside the dashboard.");
        if (segments.Length > 0 && File.Exists(file))
        {
            if (!ContentTypes.TryGetContentType(file, out string? contentType)) return AzureError.NotFound("NotFound",
                "No such file of the dashboard.");
            // Vite names every asset by its content's hash: a name never changes content. The page itself must be
            // revalidated.
            response.Headers.CacheControl = segments[0] == "assets" ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.File(file, contentType);
        }

        if (segments.Length > 0 && Path.HasExtension(segments[^1])) return AzureError.NotFound("NotFound",
            "No such file of the dashboard.");
        response.Headers.CacheControl = "no-cache";
        return Results.File(Root + "index.html", "text/html; charset=utf-8");
    }
}
