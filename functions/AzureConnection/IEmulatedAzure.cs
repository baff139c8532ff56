namespace EdgeKv.Functions.AzureConnection;

/// <summary>
/// How EdgeKv reaches an Azure that is not a cloud (<c>EdgeKv:Azure:Mode = Emulator</c>). The Azure app has none: the
/// local composition registers one (it starts or joins the emulator), so the app itself never references the emulator.
/// </summary>
public interface IEmulatedAzure
{
    Task<EmulatedAzureConnection> ConnectAsync(EdgeKvAzureSettings settings, CancellationToken cancellationToken);
}
