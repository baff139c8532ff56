using EdgeKv.Local;

// The local host: the Azure app's functions, the emulator and the dashboard in one process (README, "Run it locally").
WebApplication app = EdgeKvApplication.Build(args);
await app.RunAsync();
