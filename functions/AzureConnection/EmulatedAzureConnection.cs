using Azure.Core;
using EdgeKv.Azure;

namespace EdgeKv.Functions.AzureConnection;

/// <summary>
/// What an <see cref="IEmulatedAzure"/> hands back: the clients pointed at it, and how to act as a resource's managed
/// identity there (by resource id).
/// </summary>
public sealed record EmulatedAzureConnection(EdgeKvAzureClientFactory Factory,
    Func<string, CancellationToken, Task<TokenCredential>> IdentityCredential);
