using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// The <c>[Function]</c> methods of an assembly, read the way the Worker SDK's metadata generator reads them: an HTTP
/// trigger's route defaults to the function's name and no methods means any method. A parameter this host could not
/// bind fails the catalog at start-up, not at the first request.
/// </summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions) => Functions = functions;

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public static FunctionCatalog FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var functions = new List<FunctionDescriptor>();
        foreach (Type type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is { } function) functions.Add(Describe(function.Name, type, method));
            }
        }

        string[] duplicates = [.. functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)];
        if (duplicates.Length > 0) throw new InvalidOperationException($"Function names must be unique: {string.Join(", ", duplicates)}.");
        return new FunctionCatalog([.. functions.OrderBy(f => f.Name, StringComparer.Ordinal)]);
    }

    private static FunctionDescriptor Describe(string name, Type type, MethodInfo method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        foreach (ParameterInfo parameter in parameters)
        {
            if (!FunctionBinder.CanBind(parameter))
            {
                throw new InvalidOperationException($"Function {name}: the local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
            }
        }

        if (parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } http)
        {
            string[] methods = [.. (http.Methods ?? []).Select(m => m.ToUpperInvariant())];
            return new FunctionDescriptor(name, type, method, FunctionTriggerKind.HttpTrigger, (http.Route ?? name).Trim('/'), methods, http.AuthLevel, null);
        }

        if (parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } timer)
        {
            return new FunctionDescriptor(name, type, method, FunctionTriggerKind.TimerTrigger, null, [], AuthorizationLevel.Anonymous, timer);
        }

        throw new InvalidOperationException($"Function {name} has no trigger this host serves (HTTP or timer).");
    }
}
