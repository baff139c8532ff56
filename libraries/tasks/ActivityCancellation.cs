using Microsoft.DurableTask;

namespace EdgeKv.Tasks;

/// <summary>
/// The cancellation an activity sees as <c>context.CancellationToken</c>: the SDK's activity context carries none, so
/// the local worker sets it around each activity (signalled when the worker stops and its grace period is over). Under
/// the Functions host it is <see cref="CancellationToken.None"/>.
/// </summary>
public static class ActivityCancellation
{
    private static readonly AsyncLocal<CancellationToken> s_current = new();

    internal static CancellationToken Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    extension(TaskActivityContext context)
    {
        /// <summary>
        /// Signalled when the host stops and the activity should give up; the work item is then retried elsewhere.
        /// </summary>
        public CancellationToken CancellationToken => Current;
    }
}
