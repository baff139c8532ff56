using Azure.Core;
using EdgeKv.Activities;
using EdgeKv.Azure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EdgeKv.Functions.AzureConnection;

/// <summary>
/// Connects EdgeKv to its Azure before anything else starts: in Azure mode with the configured subscription and
/// credential; in emulator mode through the <see cref="IEmulatedAzure"/> the local composition registers (the Azure app
/// has none). Either way it makes sure the resource group exists, then publishes the <see cref="AzureContext"/>
/// activities and APIs wait for.
/// </summary>
internal sealed partial class AzureStartupService(
    IOptions<EdgeKvAzureSettings> settings,
    AzureContextProvider provider,
    ILogger<AzureStartupService> logger,
    IOptions<EdgeKv.Activities.Activation.VaultPermissionSettings> vaultPermissions,
    IEmulatedAzure? emulated = null) : IHostedService, IAsyncDisposable
{
    private EdgeKvAzureClientFactory? factory;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            EdgeKvAzureSettings s = settings.Value;
            AzureContext context = s.Mode == AzureMode.Emulator ? await StartEmulatedAsync(s,
                cancellationToken) : await StartAzureModeAsync(s, cancellationToken);
            factory = context.Factory;
            provider.Set(context);
        }
        catch (Exception ex)
        {
            provider.Fail(ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        factory?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<AzureContext> StartEmulatedAsync(EdgeKvAzureSettings s, CancellationToken cancellationToken)
    {
        if (emulated is null)
        {
            throw new InvalidOperationException(
                "EdgeKv:Azure:Mode is Emulator (the default), which only the local host serves (dotnet run --project platform/local); "
                + "the Azure app runs with EdgeKv:Azure:Mode=Azure, as infra/main.bicep sets it.");
        }

        EmulatedAzureConnection connection = await emulated.ConnectAsync(s, cancellationToken);
        await EnsureResourceGroupAsync(connection.Factory, s, cancellationToken);
        Guid objectId = s.ServiceObjectId ?? await ReadObjectIdAsync(connection.Factory, cancellationToken);
        return new AzureContext(connection.Factory, s.ResourceGroup, s.Location, objectId,
            connection.IdentityCredential, vaultPermissions.Value.RoleIds);
    }

    private async Task<AzureContext> StartAzureModeAsync(EdgeKvAzureSettings s, CancellationToken cancellationToken)
    {
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Azure,
            Cloud = AzureCloud.Parse(s.Cloud, s.CustomCloud),
            SubscriptionId = s.SubscriptionId!,
            TenantId = s.TenantId,
            ClientId = s.ClientId,
            ClientSecret = s.ClientSecret,
            ManagedIdentityClientId = s.ManagedIdentityClientId,
            MaxRetries = s.MaxRetries,
            DefaultLocation = s.Location,
        });
        await EnsureResourceGroupAsync(factory, s, cancellationToken);
        Guid objectId = s.ServiceObjectId ?? await ReadObjectIdAsync(factory, cancellationToken);
        LogAzureMode(logger, s.SubscriptionId!, s.ResourceGroup, factory.Cloud.Name);

        // A resource's system-assigned identity issues tokens only inside the resource's own service: EdgeKv proves the
        // identity's grant instead of signing in as it (IdentityVaultGrant; docs/azure.md, "The device's identity").
        return new AzureContext(factory, s.ResourceGroup, s.Location, objectId, identityCredential: null,
            vaultPermissions.Value.RoleIds);
    }

    private static async Task EnsureResourceGroupAsync(EdgeKvAzureClientFactory factory, EdgeKvAzureSettings s,
        CancellationToken cancellationToken)
    {
        var groups = factory.GetResourceGroupsClient();
        if (!await groups.ExistsAsync(s.ResourceGroup,
            cancellationToken)) await groups.CreateOrUpdateAsync(s.ResourceGroup, s.Location, cancellationToken);
    }

    /// <summary>EdgeKv's own object id, from the <c>oid</c> claim of its Resource Manager token.</summary>
    private static async Task<Guid> ReadObjectIdAsync(EdgeKvAzureClientFactory factory,
        CancellationToken cancellationToken)
    {
        AccessToken token = await factory.Credential.GetTokenAsync(new TokenRequestContext([factory.Cloud.ResourceManagerScope]), cancellationToken);
        // Read, not validated: the token came straight from EdgeKv's own credential.
        return Guid.Parse(new JsonWebToken(token.Token).GetClaim("oid").Value);
    }

    [LoggerMessage(2103, LogLevel.Information,
        "Azure mode: subscription {Subscription}, resource group {ResourceGroup}, cloud {Cloud}.")]
    private static partial void LogAzureMode(ILogger logger, string subscription, string resourceGroup, string cloud);
}

