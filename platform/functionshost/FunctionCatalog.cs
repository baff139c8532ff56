using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// The functions as the Functions host learns them from the worker: the Worker SDK's <c>functions.metadata</c> (name,
/// entry point, bindings) plus one function per orchestrator and activity the worker registers (the Durable worker
/// extension adds those at start-up). The host serves the HTTP and timer ones; the entry point is mapped to its method
/// by reflection, as the worker does. What the real host refuses while indexing fails the catalog, and so start-up.
/// </summary>
public sealed partial class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions,
        IReadOnlyList<IndexedFunction> indexed) => (Functions, Indexed) = (functions, indexed);

    /// <summary>The functions this host serves (HTTP and timer), by name.</summary>
    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <summary>Every function the worker reports, orchestrators and activities included.</summary>
    public IReadOnlyList<IndexedFunction> Indexed { get; }

    /// <summary>Where the Worker SDK's build puts the metadata: beside the functions' assembly.</summary>
    public static string MetadataPath(Assembly functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        return Path.Combine(Path.GetDirectoryName(functions.Location) ?? AppContext.BaseDirectory,
            "functions.metadata");
    }

    /// <param name="metadataJson">The content of <c>functions.metadata</c>.</param>
    /// <param name="functions">The assembly its entry points name.</param>
    /// <param name="durableFunctions">The orchestrators and activities the worker registers.</param>
    /// <param name="configuration">The app settings <c>%setting%</c> expressions resolve from.</param>
    public static FunctionCatalog FromWorker(string metadataJson, Assembly functions,
        IEnumerable<IndexedFunction> durableFunctions, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(durableFunctions);
        ArgumentNullException.ThrowIfNull(configuration);
        var served = new List<FunctionDescriptor>();
        var indexed = new List<IndexedFunction>();
        using JsonDocument document = JsonDocument.Parse(metadataJson);
        foreach (JsonElement function in document.RootElement.EnumerateArray())
        {
            string name = function.GetProperty("name").GetString() ?? throw new InvalidOperationException("A function in functions.metadata has no name.");
            JsonElement trigger = function.GetProperty("bindings").EnumerateArray()
                .SingleOrDefault(b => b.GetProperty("type").GetString()?.EndsWith("Trigger",
                    StringComparison.OrdinalIgnoreCase) == true);
            if (trigger.ValueKind != JsonValueKind.Object) throw new InvalidOperationException($"Function {name} has no trigger binding.");
            ResolveSettings(name, function.GetProperty("bindings"), configuration);
            indexed.Add(new IndexedFunction(name, trigger.GetProperty("type").GetString()!));
            served.Add(Describe(name, EntryPoint(functions, name, function.GetProperty("entryPoint").GetString()),
                trigger));
        }

        indexed.AddRange(durableFunctions);
        RefuseDuplicateNames(indexed);
        RefuseConflictingRoutes(served.Where(f => f.Trigger == FunctionTriggerKind.HttpTrigger));
        return new FunctionCatalog([.. served.OrderBy(f => f.Name, StringComparer.Ordinal)],
            [.. indexed.OrderBy(f => f.Name, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// One name space for every function the worker reports: the host keys its functions by name (azure-functions-host,
    /// ScriptHost.ValidateFunction), and the orchestrators and activities join the same list (the Durable worker
    /// extension's DurableMetadataTransformer), so a name used twice leaves one of the pair unreachable.
    /// </summary>
    private static void RefuseDuplicateNames(IEnumerable<IndexedFunction> indexed)
    {
        string[] duplicates = [.. indexed.GroupBy(f => f.Name,
            StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(f => f.Trigger))})")];
        if (duplicates.Length > 0)
        {
            throw new InvalidOperationException($"Function names must be unique within the function app, across every trigger: {string.Join("; ", duplicates)}.");
        }
    }

    /// <summary>
    /// Two HTTP functions conflict when their routes are the same (ignoring case and outer slashes) and their methods
    /// intersect (no methods meaning all), as the host's ScriptHost.HttpRoutesConflict decides; routes under the host's
    /// own <c>admin</c> and <c>runtime</c> space are refused too.
    /// </summary>
    private static void RefuseConflictingRoutes(IEnumerable<FunctionDescriptor> http)
    {
        var seen = new List<FunctionDescriptor>();
        foreach (FunctionDescriptor function in http)
        {
            string route = function.Route!.Trim('/');
            if (route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime",
                StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Function {function.Name}: the specified route conflicts with one or more built in routes.");
            }

            if (seen.FirstOrDefault(other => string.Equals(other.Route!.Trim('/'), route,
                StringComparison.OrdinalIgnoreCase)
                && (other.HttpMethods.Count == 0 || function.HttpMethods.Count == 0 || other.HttpMethods.Intersect(function.HttpMethods, StringComparer.OrdinalIgnoreCase).Any())) is { } conflict)
            {
                throw new InvalidOperationException($"Function {function.Name}: the route specified conflicts with the route defined by function '{conflict.Name}'.");
            }

            seen.Add(function);
        }
    }

    /// <summary>
    /// Every <c>%setting%</c> in a binding is an app setting; one that is not set fails the function's indexing.
    /// </summary>
    private static void ResolveSettings(string name, JsonElement bindings, IConfiguration configuration)
    {
        foreach (JsonElement binding in bindings.EnumerateArray())
        {
            foreach (JsonProperty property in binding.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                foreach (Match setting in SettingPattern().Matches(property.Value.GetString()!))
                {
                    string key = setting.Groups[1].Value;
                    if (configuration[key.Replace("__", ":", StringComparison.Ordinal)] is null)
                    {
                        throw new InvalidOperationException($"Function {name}: '%{key}%' ({property.Name}) does not resolve to a value; the app setting '{key}' is not set.");
                    }
                }
            }
        }
    }

    /// <summary>The method an entry point (<c>Namespace.Type.Method</c>) names, as the worker finds it.</summary>
    private static MethodInfo EntryPoint(Assembly functions, string name, string? entryPoint)
    {
        int dot = entryPoint?.LastIndexOf('.') ?? -1;
        Type? type = dot > 0 ? functions.GetType(entryPoint![..dot]) : null;
        MethodInfo? method = type?.GetMethod(entryPoint![(dot + 1)..],
            BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        return method ?? throw new InvalidOperationException($"Function {name}: entry point '{entryPoint}' is not a public method of {functions.GetName().Name}.");
    }

    private static FunctionDescriptor Describe(string name, MethodInfo method, JsonElement trigger)
    {
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            if (!FunctionBinder.CanBind(parameter))
            {
                throw new InvalidOperationException($"Function {name}: the local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
            }
        }

        string type = trigger.GetProperty("type").GetString()!;
        if (string.Equals(type, "httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            string[] methods = trigger.TryGetProperty("methods",
                out JsonElement m) && m.ValueKind == JsonValueKind.Array
                ? [.. m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant())]
                : [];
            string route = trigger.TryGetProperty("route",
                out JsonElement r) && r.GetString() is { Length: > 0 } text ? text : name;
            AuthorizationLevel level = trigger.TryGetProperty("authLevel",
                out JsonElement a) && Enum.TryParse(a.GetString(), ignoreCase: true, out AuthorizationLevel parsed)
                ? parsed
                : AuthorizationLevel.Function;
            return new FunctionDescriptor(name, method.DeclaringType!, method, FunctionTriggerKind.HttpTrigger,
                route.Trim('/'), methods, level, null);
        }

        if (string.Equals(type, "timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var timer = new TimerTriggerAttribute(trigger.GetProperty("schedule").GetString()!)
            {
                RunOnStartup = trigger.TryGetProperty("runOnStartup",
                    out JsonElement s) && s.ValueKind == JsonValueKind.True,
                UseMonitor = !trigger.TryGetProperty("useMonitor",
                    out JsonElement u) || u.ValueKind != JsonValueKind.False,
            };
            return new FunctionDescriptor(name, method.DeclaringType!, method, FunctionTriggerKind.TimerTrigger, null,
                [], AuthorizationLevel.Anonymous, timer);
        }

        throw new InvalidOperationException($"Function {name} has a trigger this host does not serve ({type}).");
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();
}
