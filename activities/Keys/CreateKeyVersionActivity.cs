using EdgeKv.Tasks;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// Rotation in EdgeKv: the key's next version, generated here and stored under the key-encryption key. Idempotent by
/// the version number the starter chose: a retry finds the version there and changes nothing. Answers the latest
/// version.
/// </summary>
[DurableTask(Name)]
public sealed class CreateKeyVersionActivity(KeyStore store,
    ILogger<CreateKeyVersionActivity> logger) : TaskActivity<RotateKeyRequest, int>
{
    public const string Name = "CreateKeyVersion";

    public override async Task<int> RunAsync(TaskActivityContext context, RotateKeyRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        KeyRecord? before = await store.GetKeyAsync(input.KeyName, context.CancellationToken);
        if (before is null) throw new ActivationRefusedException("KeyNotFound",
            $"EdgeKv has no key named '{input.KeyName}'.");
        if (before.LatestVersion + 1 < input.NewVersion) throw new ActivationRefusedException("KeyVersionConflict",
            $"Key '{before.Name}' is at version {before.LatestVersion}, not {input.NewVersion - 1}.");
        KeyRecord after = await store.AddVersionAsync(input.KeyName, input.NewVersion, KeyMaterial.Generate,
            context.CancellationToken)
            ?? throw new ActivationRefusedException("KeyNotFound", $"EdgeKv has no key named '{input.KeyName}'.");
        if (before.LatestVersion < input.NewVersion) KeyLogs.VersionCreated(logger, after.Name, input.NewVersion);
        return after.LatestVersion;
    }
}
