using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm;

/// <summary>What route handlers share: state, clock, settings and the cross-cutting guards.</summary>
internal sealed record ArmServices(
    IDocumentStore Store,
    ResourceRepository Resources,
    EmulatorClock Clock,
    EmulatorSettings Settings,
    ManagedIdentityRegistry Identities,
    LockGuard Locks,
    RoleAuthorizer Roles);
