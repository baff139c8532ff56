using EdgeKv.Functions.Hosting;

// EdgeKv's host: the durable runtime, the HTTP starters and the management API in one process.
WebApplication app = EdgeKvApplication.Build(args);
await app.RunAsync();
