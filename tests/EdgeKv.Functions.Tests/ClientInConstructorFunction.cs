using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// A function class as the worker would refuse to build it: its Durable client asked for through the constructor.
/// </summary>
public sealed class ClientInConstructorFunction(DurableTaskClient client)
{
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous,
        "get")] HttpRequest request) => Results.Ok(client.Name);
}
