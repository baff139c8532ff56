using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// One <c>[Function]</c> method as the Functions host sees it: its name, trigger, and for HTTP its route (without the
/// host's prefix), methods (empty: any) and authorization level; for timers the trigger attribute.
/// </summary>
public sealed record FunctionDescriptor(
    string Name,
    Type FunctionType,
    MethodInfo Method,
    FunctionTriggerKind Trigger,
    string? Route,
    IReadOnlyList<string> HttpMethods,
    AuthorizationLevel AuthorizationLevel,
    TimerTriggerAttribute? Timer)
{
    /// <summary>
    /// The method's own attributes (a permission declaration, for example), for whoever enforces them.
    /// </summary>
    public IReadOnlyList<object> Attributes { get; } = Method.GetCustomAttributes(inherit: true);

    public T? Attribute<T>() where T : Attribute => Attributes.OfType<T>().FirstOrDefault();
}
