using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator;

/// <summary>How to start the emulator.</summary>
public sealed class EmulatorOptions
{
    public static readonly Guid DefaultTenantId = Guid.Parse("72f988bf-0000-4000-8000-00000000e001");
    public const string DefaultSubscription = "00000000-0000-4000-8000-00000000e001";

    /// <summary>Folder for the certificate, the signing key and the SQLite database. Created if missing.</summary>
    public string DataFolder { get; set; } = Path.Combine(Environment.CurrentDirectory, ".data", "emulator");

    /// <summary>HTTPS port of Resource Manager, the token service and the admin API; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Plain-http loopback port of the managed-identity endpoint; 0 picks a free port.</summary>
    public int IdentityPort { get; set; }

    public Guid TenantId { get; set; } = DefaultTenantId;

    public string SubscriptionId { get; set; } = DefaultSubscription;

    /// <summary>
    /// Further subscriptions (GUIDs) of the tenant, created at start like <see cref="SubscriptionId"/>: each with
    /// <see cref="RegisteredProviders"/> and every principal's subscription role and role grants (their scopes relative
    /// to each subscription), so a principal may hold the same roles in several subscriptions, as one granted at a
    /// management group does. Resource Manager checks roles per subscription, as everywhere else.
    /// </summary>
    public IReadOnlyList<string> AdditionalSubscriptions { get; set; } = [];

    public string DefaultLocation { get; set; } = "westus2";

    /// <summary>
    /// Service principals of the token service; by default <see cref="EmulatorPrincipals.CreateDefaults"/>.
    /// </summary>
    public IReadOnlyList<EmulatorPrincipal> Principals { get; set; } = EmulatorPrincipals.CreateDefaults();

    /// <summary>
    /// Custom role definitions the tenant holds beyond Azure's built-in roles (their own ids, actions and data
    /// actions), which principals' role grants and role assignments may name.
    /// </summary>
    public IReadOnlyList<Authorization.BuiltInRole> CustomRoles { get; set; } = [];

    /// <summary>
    /// Providers registered on a new subscription. Others answer <c>MissingSubscriptionRegistration</c> until
    /// registered.
    /// </summary>
    public IReadOnlyList<string> RegisteredProviders { get; set; } =
        ["Microsoft.KeyVault", "Microsoft.Storage", "Microsoft.DataBoxEdge", "Microsoft.Insights",
            "Microsoft.EventGrid", "Microsoft.ManagedIdentity"];

    /// <summary>How long a storage account creation stays in progress (emulator clock). Tests use zero.</summary>
    public TimeSpan LongRunningOperationDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Value of <c>Retry-After</c> on long-running operations. Tests use zero.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lifetime of issued access tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Time after a soft-deleted vault's scheduled purge date at which the emulator purges it by itself.
    /// </summary>
    public TimeSpan AutoPurgeDelay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Key Vault transactions admitted per vault per <see cref="VaultRequestWindow"/> (Azure: 4,000 per 10 s); past it,
    /// 429 with Retry-After.
    /// </summary>
    public int VaultRequestLimit { get; set; } = 4000;

    public TimeSpan VaultRequestWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Event Grid delivery attempts per event when a subscription sets no <c>retryPolicy.maxDeliveryAttempts</c>
    /// (Azure: 30).
    /// </summary>
    public int EventDeliveryMaxAttempts { get; set; } = 30;

    /// <summary>
    /// Delay before the first Event Grid redelivery, doubled after each failure (host clock). Tests use milliseconds.
    /// </summary>
    public TimeSpan EventDeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed of the fault injector's random numbers, so runs repeat.</summary>
    public int FaultSeed { get; set; } = 1;

    /// <summary>Key required in the <c>x-emulator-admin-key</c> header of the admin API; generated when null.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Host clock; the emulator's own clock is this clock plus the admin shift.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; set; }
}
