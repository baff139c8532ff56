using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Binds a function's parameters as the isolated worker does: the trigger (<see cref="HttpRequest"/>, <see
/// cref="TimerInfo"/>), the invocation's <see cref="CancellationToken"/>, a <c>[DurableClient]</c> client (the host's
/// own, see <see cref="DurableClientBinding"/>), and anything else by name from the binding data (route values, then
/// the query string).
/// </summary>
internal static class FunctionBinder
{
    public static bool CanBind(ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        if (type == typeof(CancellationToken)) return true;
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null) return type == typeof(HttpRequest);
        if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null) return type == typeof(TimerInfo);
        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null) return true;
        Type value = Nullable.GetUnderlyingType(type) ?? type;
        return value == typeof(string) || value.IsPrimitive || value == typeof(Guid) || value == typeof(DateTimeOffset);
    }

    /// <summary>The arguments of one invocation; <paramref name="http"/> is null for a timer.</summary>
    public static object?[] Bind(FunctionDescriptor function, IServiceProvider services, HttpContext? http,
        TimerInfo? timer, CancellationToken cancellationToken)
        => [.. function.Method.GetParameters().Select(p => BindOne(p, services, http, timer, cancellationToken))];

    private static object? BindOne(ParameterInfo parameter, IServiceProvider services, HttpContext? http,
        TimerInfo? timer, CancellationToken cancellationToken)
    {
        if (parameter.ParameterType == typeof(CancellationToken)) return cancellationToken;
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null) return http?.Request;
        if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null) return timer;
        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null) return DurableClientBinding.GetClient(services);

        string name = parameter.Name!;
        string? text = http?.GetRouteValue(name)?.ToString() ?? (http is not null && http.Request.Query.TryGetValue(name, out var query) ? query.ToString() : null);
        if (text is null) return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        Type type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (type == typeof(string)) return text;
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            throw new BadHttpRequestException($"'{name}' is not a valid {type.Name}.", StatusCodes.Status400BadRequest,
                ex);
        }
    }
}
