using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Hosting;

/// <summary>Creates the default subscription, its provider registrations and the configured principals' role assignments (idempotent).</summary>
internal static class EmulatorSeeder
{
    public static async Task SeedAsync(IDocumentStore store, ResourceRepository resources, EmulatorSettings settings, IReadOnlyList<string> registeredProviders, EmulatorClock clock, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Collections.Settings, "clock", cancellationToken) is { } saved)
        {
            clock.Shift = TimeSpan.FromTicks((long)saved["shiftTicks"]!);
        }

        await EnsureSubscriptionAsync(store, resources, settings, settings.SubscriptionId, "EdgeKv emulator subscription", registeredProviders, clock, cancellationToken);
    }

    /// <summary>Creates a subscription if missing and grants the configured principals their subscription roles on it.</summary>
    public static async Task EnsureSubscriptionAsync(IDocumentStore store, ResourceRepository resources, EmulatorSettings settings, string subscriptionId,
        string displayName, IReadOnlyList<string> registeredProviders, TimeProvider clock, CancellationToken cancellationToken)
    {
        await CreateSubscriptionAsync(store, subscriptionId, settings.TenantId, displayName, registeredProviders, cancellationToken);
        var scope = $"/subscriptions/{subscriptionId}";
        foreach (var principal in settings.Principals)
        {
            if (principal.SubscriptionRole is null)
            {
                continue;
            }

            var role = BuiltInRoles.FindByName(principal.SubscriptionRole)
                ?? throw new InvalidOperationException($"Unknown built-in role '{principal.SubscriptionRole}' for principal '{principal.Name}'.");
            var name = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}|{principal.ObjectId}|{role.Id}"))[..16]);
            var id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
            if (await resources.GetAsync(id, cancellationToken) is null)
            {
                await resources.PutAsync(RoleAssignmentDocument.Create(scope, name, role, principal.ObjectId, "ServicePrincipal", clock.GetUtcNow()), cancellationToken);
            }
        }
    }

    private static async Task CreateSubscriptionAsync(IDocumentStore store, string subscriptionId, Guid tenantId, string displayName, IReadOnlyList<string> registeredProviders, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Collections.Subscriptions, subscriptionId, cancellationToken) is not null)
        {
            return;
        }

        var registrations = new JsonObject();
        foreach (var ns in ProviderCatalog.Providers.Keys)
        {
            registrations[ns] = registeredProviders.Contains(ns, StringComparer.OrdinalIgnoreCase) ? "Registered" : "NotRegistered";
        }

        await store.PutAsync(Collections.Subscriptions, subscriptionId, new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["tenantId"] = tenantId.ToString(),
            ["displayName"] = displayName,
            ["state"] = "Enabled",
            ["registrationState"] = registrations,
        }, cancellationToken);
    }
}
