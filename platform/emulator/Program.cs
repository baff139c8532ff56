using System.Runtime.InteropServices;
using EdgeKv.Emulator;
using Microsoft.Extensions.Logging;

// Runs the emulator alone: dotnet run --project platform/emulator [-- --port 10443 --identity-port 10080 --data
// ./.data/emulator] --custom-roles FILE: the tenant's custom role definitions, a JSON array of {id, name, description,
// actions, notActions, dataActions}. --subscription GUID (repeatable): a further subscription, seeded like the default
// one.
var options = new EmulatorOptions { Port = 10443, IdentityPort = 10080 };
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--identity-port": options.IdentityPort = int.Parse(args[i + 1],
            System.Globalization.CultureInfo.InvariantCulture); break;
        case "--data": options.DataFolder = args[i + 1]; break;
        case "--admin-key": options.AdminKey = args[i + 1]; break;
        case "--lro-seconds": options.LongRunningOperationDuration = TimeSpan.FromSeconds(int.Parse(args[i + 1],
            System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--vault-request-limit": options.VaultRequestLimit = int.Parse(args[i + 1],
            System.Globalization.CultureInfo.InvariantCulture); break;
        case "--event-attempts": options.EventDeliveryMaxAttempts = int.Parse(args[i + 1],
            System.Globalization.CultureInfo.InvariantCulture); break;
        case "--custom-roles":
            options.CustomRoles = System.Text.Json.JsonSerializer.Deserialize<List<EdgeKv.Emulator.Authorization.BuiltInRole>>(File.ReadAllText(args[i + 1]),
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) ?? [];
            break;
        case "--subscription": options.AdditionalSubscriptions = [.. options.AdditionalSubscriptions,
            args[i + 1]]; break;
        case "--event-retry-ms": options.EventDeliveryRetryDelay = TimeSpan.FromMilliseconds(int.Parse(args[i + 1],
            System.Globalization.CultureInfo.InvariantCulture)); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
    }
}

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
options.LoggerFactory = loggerFactory;
using var stop = new CancellationTokenSource();

// SIGTERM (systemd, containers, CI) and SIGINT (Ctrl+C) both end the wait below; disposing the emulator then stops
// its listeners and closes the store, whose every write is already committed.
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
await using var emulator = await AzureEmulator.StartAsync(options, stop.Token);
Console.WriteLine($"Endpoint:           {emulator.Endpoint}");
Console.WriteLine($"Identity endpoint:  {emulator.IdentityEndpoint}");
Console.WriteLine($"Tenant:             {emulator.TenantId}");
Console.WriteLine($"Subscription:       {emulator.SubscriptionId}");
Console.WriteLine($"Thumbprint:         {emulator.CertificateThumbprint}");
Console.WriteLine($"Admin key:          {emulator.AdminKey}");
foreach (var principal in emulator.Principals)
{
    Console.WriteLine($"Principal {principal.Name}: client {principal.ClientId} secret {principal.ClientSecret} object {principal.ObjectId}");
}

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("Stopping.");
return 0;
