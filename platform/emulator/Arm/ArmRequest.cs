using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Http;

namespace EdgeKv.Emulator.Arm;

/// <summary>A matched, authenticated and authorized Resource Manager request as handlers see it.</summary>
internal sealed class ArmRequest(HttpContext context, Match match, CallerIdentity caller, string apiVersion)
{
    private JsonObject? body;

    public HttpContext Context { get; } = context;

    public CallerIdentity Caller { get; } = caller;

    public string ApiVersion { get; } = apiVersion;

    /// <summary>The request path without a trailing slash: the id of the addressed resource or collection.</summary>
    public string Path { get; } = (context.Request.Path.Value ?? "/").TrimEnd('/');

    public string this[string group] => match.Groups[group].Value;

    public string? Query(string name) => Context.Request.Query.TryGetValue(name,
        out var value) ? value.ToString() : null;

    public async Task<JsonObject> ReadBodyAsync(CancellationToken cancellationToken)
    {
        if (body is null)
        {
            using var reader = new StreamReader(Context.Request.Body);
            body = JsonBody.Parse(await reader.ReadToEndAsync(cancellationToken));
        }

        return body;
    }
}
