using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// Creates the default subscription and any further ones configured, their provider registrations and the configured
/// principals' role assignments in each (idempotent).
/// </summary>
internal static class EmulatorSeeder
{
    public static async Task SeedAsync(IDocumentStore store, ResourceRepository resources, EmulatorSettings settings,
        IReadOnlyList<string> registeredProviders,
        IReadOnlyList<string> additionalSubscriptions, EmulatorClock clock, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Collections.Settings, "clock", cancellationToken) is { } saved)
        {
            clock.Shift = TimeSpan.FromTicks((long)saved["shiftTicks"]!);
        }

        await EnsureSubscriptionAsync(store, resources, settings, settings.SubscriptionId,
            "EdgeKv emulator subscription", registeredProviders, clock, cancellationToken);
        foreach (var subscriptionId in additionalSubscriptions.Where(s => !string.Equals(s, settings.SubscriptionId,
            StringComparison.OrdinalIgnoreCase)))
        {
            await EnsureSubscriptionAsync(store, resources, settings, subscriptionId,
                $"Emulator subscription {subscriptionId}", registeredProviders, clock, cancellationToken);
        }
    }

    /// <summary>
    /// Creates a subscription if missing and grants the configured principals their subscription roles on it.
    /// </summary>
    public static async Task EnsureSubscriptionAsync(IDocumentStore store, ResourceRepository resources,
        EmulatorSettings settings, string subscriptionId,
        string displayName, IReadOnlyList<string> registeredProviders, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await CreateSubscriptionAsync(store, subscriptionId, settings.TenantId, displayName, registeredProviders,
            cancellationToken);
        var scope = $"/subscriptions/{subscriptionId}";
        foreach (var principal in settings.Principals)
        {
            var grants = (principal.SubscriptionRole is null ? [] : new[] { new EmulatorRoleGrant(string.Empty,
                principal.SubscriptionRole) })
                .Concat(principal.RoleGrants ?? []);
            foreach (var grant in grants)
            {
                var role = settings.Roles.FindByName(grant.Role)
                    ?? throw new InvalidOperationException($"Unknown role '{grant.Role}' for principal '{principal.Name}'.");
                var at = grant.Scope.Length == 0 ? scope : $"{scope}/{grant.Scope.Trim('/')}";
                await EnsureResourceGroupAsync(resources, at, settings.DefaultLocation, cancellationToken);
                var name = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{at}|{principal.ObjectId}|{role.Id}"))[..16]);
                var id = $"{at}/providers/Microsoft.Authorization/roleAssignments/{name}";
                if (await resources.GetAsync(id, cancellationToken) is null)
                {
                    if (grant.Condition is not null)
                    {
                        RoleAssignmentCondition.Parse(grant.Condition); // a seeded condition the emulator cannot evaluate fails the start, not a request
                    }

                    await resources.PutAsync(RoleAssignmentDocument.Create(at, name, role, principal.ObjectId,
                        "ServicePrincipal", clock.GetUtcNow(), grant.Condition), cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A grant on a resource group presumes the group, as a deployment into it does: created empty if missing.
    /// </summary>
    private static async Task EnsureResourceGroupAsync(ResourceRepository resources, string scope, string location,
        CancellationToken cancellationToken)
    {
        var segments = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length != 4 || !segments[2].Equals("resourceGroups",
            StringComparison.OrdinalIgnoreCase) || await resources.GetAsync(scope, cancellationToken) is not null)
        {
            return;
        }

        await resources.PutAsync(new JsonObject
        {
            ["id"] = scope,
            ["name"] = segments[3],
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = location,
            ["tags"] = new JsonObject(),
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        }, cancellationToken);
    }

    private static async Task CreateSubscriptionAsync(IDocumentStore store, string subscriptionId, Guid tenantId,
        string displayName, IReadOnlyList<string> registeredProviders, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Collections.Subscriptions, subscriptionId, cancellationToken) is not null)
        {
            return;
        }

        var registrations = new JsonObject();
        foreach (var ns in ProviderCatalog.Providers.Keys)
        {
            registrations[ns] = registeredProviders.Contains(ns,
                StringComparer.OrdinalIgnoreCase) ? "Registered" : "NotRegistered";
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
