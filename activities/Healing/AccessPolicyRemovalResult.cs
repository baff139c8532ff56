namespace EdgeKv.Activities.Healing;

/// <summary>
/// What the heal did: <paramref name="Action"/> is <c>Removed</c> (an entry EdgeKv never granted), <c>Reset</c>
/// (EdgeKv's own or the identity's entry cut back to what EdgeKv grants) or <c>AlreadyGone</c>; <paramref
/// name="StillFlagged"/> counts the vault's other entries that still drift afterwards; <paramref
/// name="SettledPrincipal"/> is the principal whose drift the removal settled (it holds nothing else that drifts), when
/// the removal found out whose it was.
/// </summary>
public sealed record AccessPolicyRemovalResult(string Action, int StillFlagged, string? SettledPrincipal = null);
