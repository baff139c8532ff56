using EdgeKv.Functions.Hosting;

// The worker runs under the Functions host (Azure, Core Tools), which passes its endpoint. Started any other way it
// could only fail on that missing endpoint, so say where the local host is instead.
if (!WorkerProgram.StartedByFunctionsHost(args))
{
    await Console.Error.WriteLineAsync(
        "EdgeKv.Functions is the Azure Functions worker: the Functions host starts it (Azure, or `func start` in its build output). "
        + "To run EdgeKv locally: dotnet run --project platform/local -c Release");
    return 2;
}

await WorkerProgram.RunAsync(args);
return 0;
