using EdgeKv.Functions.Hosting;

// Started by the Functions host (Azure, Core Tools), the worker runs the functions; anywhere else the local host does.
if (WorkerProgram.StartedByFunctionsHost(args))
{
    await WorkerProgram.RunAsync(args);
}
else
{
    WebApplication app = EdgeKvApplication.Build(args);
    await app.RunAsync();
}
