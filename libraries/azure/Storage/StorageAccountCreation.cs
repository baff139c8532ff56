using global::Azure;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Storage;

namespace EdgeKv.Azure.Storage;

/// <summary>
/// A storage account creation in progress (a long-running operation; it takes a few minutes in Azure).
/// </summary>
public sealed class StorageAccountCreation
{
    private readonly ArmOperation<StorageAccountResource> operation;

    internal StorageAccountCreation(ArmOperation<StorageAccountResource> operation) => this.operation = operation;

    public bool HasCompleted => operation.HasCompleted;

    /// <summary>Polls once.</summary>
    public async Task UpdateStatusAsync(CancellationToken cancellationToken = default) => await operation.UpdateStatusAsync(cancellationToken);

    public async Task<StorageAccount> WaitForCompletionAsync(CancellationToken cancellationToken = default) =>
        StorageAccountsClient.Map((await operation.WaitForCompletionAsync(cancellationToken)).Value.Data);
}
