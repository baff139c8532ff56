using System.Reflection;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Where the local host keeps the Durable client it hands to <c>[DurableClient]</c> parameters: a keyed service, not a
/// plain one. The isolated worker registers no <see cref="DurableTaskClient"/> among its services (the Durable worker
/// extension's DurableTaskExtensionStartup registers only its own internal client provider, and
/// DurableTaskClientConverter builds a client for each binding), so a function class or a service that asks for one in
/// its constructor cannot be built in Azure; here it cannot be built either.
/// </summary>
public static class DurableClientBinding
{
    /// <summary>
    /// The key of the host's client; functions/ cannot name it (it does not reference the local host).
    /// </summary>
    public const string ServiceKey = "EdgeKv.FunctionsHost:DurableClientBinding";

    /// <summary>
    /// The client a <c>[DurableClient]</c> parameter receives (for the host itself and its tests, never for a
    /// function's constructor).
    /// </summary>
    public static DurableTaskClient GetClient(IServiceProvider services) => services.GetRequiredKeyedService<DurableTaskClient>(ServiceKey);

    /// <summary>
    /// Moves the Durable Task SDK's client registrations (<see cref="DurableTaskClient"/> and
    /// <see cref="IDurableTaskClientProvider"/>) under <see cref="ServiceKey"/>, so only the binding reaches them.
    /// </summary>
    internal static void Hide(IServiceCollection services)
    {
        ServiceDescriptor[] plain = [.. services.Where(d => !d.IsKeyedService && (d.ServiceType == typeof(DurableTaskClient) || d.ServiceType == typeof(IDurableTaskClientProvider)))];
        if (!plain.Any(d => d.ServiceType == typeof(IDurableTaskClientProvider))) return; // no Durable client registered: nothing to bind
        foreach (ServiceDescriptor descriptor in plain) services.Remove(descriptor);
        foreach (ServiceDescriptor provider in plain.Where(d => d.ServiceType == typeof(IDurableTaskClientProvider)))
        {
            services.Add(provider switch
            {
                { ImplementationInstance: { } instance } => new ServiceDescriptor(provider.ServiceType, ServiceKey,
                    instance),
                { ImplementationFactory: { } factory } => new ServiceDescriptor(provider.ServiceType, ServiceKey,
                    (sp, _) => factory(sp), provider.Lifetime),
                _ => new ServiceDescriptor(provider.ServiceType, ServiceKey, provider.ImplementationType!,
                    provider.Lifetime),
            });
        }

        services.AddKeyedSingleton(ServiceKey,
            (sp, key) => sp.GetRequiredKeyedService<IDurableTaskClientProvider>(key).GetClient());
    }

    /// <summary>
    /// Refuses a function whose class the worker could not build: a constructor parameter the services do not have (a
    /// <see cref="DurableTaskClient"/> above all). In Azure every invocation of such a class fails with a 500; the
    /// local host says so at start-up.
    /// </summary>
    public static void RefuseUnbuildableClasses(IEnumerable<FunctionDescriptor> functions, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(functions);
        IServiceProviderIsService known = services.GetRequiredService<IServiceProviderIsService>();
        foreach (FunctionDescriptor function in functions.Where(f => !f.Method.IsStatic))
        {
            ConstructorInfo[] constructors = function.FunctionType.GetConstructors();
            if (constructors.Any(c => c.GetParameters().All(p => known.IsService(p.ParameterType) || p.HasDefaultValue))) continue;
            ParameterInfo missing = constructors.SelectMany(c => c.GetParameters()).First(p => !known.IsService(p.ParameterType) && !p.HasDefaultValue);
            throw new InvalidOperationException(typeof(DurableTaskClient).IsAssignableFrom(missing.ParameterType)
                ? $"Function {function.Name}: class {function.FunctionType.Name} asks for a {missing.ParameterType.Name} ('{missing.Name}') in its constructor; "
                    + "the isolated worker has no Durable client among its services. Take it as a [DurableClient] parameter of the function and hand it on."
                : $"Function {function.Name}: class {function.FunctionType.Name} cannot be built: no service for its constructor parameter '{missing.Name}' ({missing.ParameterType.Name}).");
        }
    }
}
