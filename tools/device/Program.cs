using System.CommandLine;
using EdgeKv.Device;

// edgekv-device: the edge-device agent. Activates with an activation key, pushes its secrets, reads customer secrets.
var data = new Option<DirectoryInfo>("--data") { Description = "The device's data folder.",
    DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("EDGEKV_DEVICE_DATA") ?? ".edgekv-device"), Recursive = true };
var key = new Option<string>("--key") { Description = "The activation key copied from EdgeKv.", Required = true };
var endpoint = new Option<string?>("--endpoint") { Description = "EdgeKv's endpoint, if not the one the key names." };
var name = new Option<string>("--name") { Description = "The customer secret's name.", Required = true };

var activate = new Command("activate", "Activate this device with an activation key.") { key, endpoint };
activate.SetAction((parse,
    ct) => Run(() => DeviceCommands.ActivateAsync(Store(parse), parse.GetValue(key)!, Endpoint(parse), ct)));
var push = new Command("push-secrets",
    "Generate (the first time) and push the device secrets: BitLocker recovery key and BMC user password.");
push.SetAction((parse, ct) => Run(() => DeviceCommands.PushSecretsAsync(Store(parse), ct)));
var get = new Command("get-secret",
    "Fetch a customer secret encrypted with the channel integrity key, decrypt it, print it.") { name };
get.SetAction((parse, ct) => Run(() => DeviceCommands.GetSecretAsync(Store(parse), parse.GetValue(name)!, ct)));
var rotate = new Command("rotate-credential",
    "Swap this device's credential for a new one (the old one stops working).");
rotate.SetAction((parse, ct) => Run(() => DeviceCommands.RotateCredentialAsync(Store(parse), ct)));
var status = new Command("status", "Show whether this device is activated (no secret values).");
status.SetAction((parse, ct) => Run(() => Task.FromResult(DeviceCommands.Status(Store(parse)))));

var wait = new Option<int>("--wait") { Description = "Seconds to long-poll EdgeKv for a sync request (0-60).",
    DefaultValueFactory = _ => 30 };
var sync = new Command("sync",
    "Wait for a sync request from EdgeKv (long poll) and, if one comes, push the device secrets and the channel integrity key.") { wait };
sync.SetAction((parse, ct) => Run(() => DeviceCommands.SyncAsync(Store(parse), parse.GetValue(wait), ct)));
var watch = new Command("watch", "Keep answering sync requests until stopped (long polls in a loop).") { wait };
watch.SetAction(async (parse, ct) =>
{
    while (!ct.IsCancellationRequested)
    {
        int code = await Run(() => DeviceCommands.SyncAsync(Store(parse), parse.GetValue(wait), ct));
        if (code != 0) await Task.Delay(TimeSpan.FromSeconds(5), ct);
    }

    return 0;
});

var root = new RootCommand("EdgeKv edge-device agent") { data, activate, push, get, rotate, status, sync, watch };
return await root.Parse(args).InvokeAsync();

DeviceStore Store(ParseResult parse) => new(parse.GetValue(data)!.FullName);

Uri? Endpoint(ParseResult parse) =>
    parse.GetValue(endpoint) is not { Length: > 0 } text ? null
    : Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out Uri? uri) ? uri
    : throw new DeviceCommandException("InvalidEndpoint", $"'{text}' is not an absolute URL.");

static async Task<int> Run(Func<Task<string>> command)
{
    try
    {
        Console.Out.WriteLine(await command());
        return 0;
    }
    catch (DeviceCommandException ex)
    {
        Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
        return 2;
    }
    catch (HttpRequestException ex)
    {
        Console.Error.WriteLine($"error Unreachable: {ex.Message}");
        return 3;
    }
}
