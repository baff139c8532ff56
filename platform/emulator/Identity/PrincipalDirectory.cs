using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Identity;

/// <summary>The directory: configured service principals and the managed identities created by the emulator.</summary>
internal sealed class PrincipalDirectory(EmulatorSettings settings, ManagedIdentityRegistry identities)
{
    public async Task<bool> ExistsAsync(Guid objectId, CancellationToken cancellationToken) =>
        settings.Principals.Any(p => p.ObjectId == objectId) || await identities.GetAsync(objectId,
            cancellationToken) is not null;
}
