using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace EdgeKv.Azure;

/// <summary>
/// Adds every attempt of a request to the flow's <see cref="AzureCallCount"/> (GET and HEAD are reads), when one was
/// begun.
/// </summary>
internal sealed class AzureCallCountingPolicy(AzurePlane plane) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        AzureCallCount.Current?.Add(plane,
            message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head);
    }
}
