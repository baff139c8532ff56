using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Runs one invocation: a new instance of the function's class from the invocation's services (constructor injection,
/// as the worker does), the method with its bound arguments, and the awaited result.
/// </summary>
internal static class FunctionInvoker
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    public static async Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services,
        object?[] arguments)
    {
        object? instance = function.Method.IsStatic
            ? null
            : Factories.GetOrAdd(function.FunctionType,
                t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes))(services, null);
        try
        {
            object? returned;
            try
            {
                returned = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            return returned switch
            {
                Task task => await ResultOfAsync(task),
                ValueTask valueTask => await ValueTaskDoneAsync(valueTask),
                _ => returned,
            };
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (instance is IDisposable disposable) disposable.Dispose();
        }
    }

    private static async Task<object?> ResultOfAsync(Task task)
    {
        await task;
        Type type = task.GetType();
        return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult" ? result.GetValue(task) : null;
    }

    private static async Task<object?> ValueTaskDoneAsync(ValueTask task)
    {
        await task;
        return null;
    }
}
