using Azure;

namespace EdgeKv.Activities;

/// <summary>
/// Sorts Azure failures: throttling, server errors and timeouts are transient; the caller's mistakes are refusals.
/// </summary>
public static class AzureFailures
{
    /// <summary>
    /// Runs <paramref name="call"/>, turning a non-transient Azure answer (400, 403, 404, 409) into an <see
    /// cref="ActivationRefusedException"/>.
    /// </summary>
    public static async Task<T> RefuseNonTransientAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RequestFailedException ex) when (!IsTransient(ex))
        {
            throw new ActivationRefusedException(ex.ErrorCode ?? $"Http{ex.Status}", FirstLine(ex.Message));
        }
    }

    public static bool IsTransient(RequestFailedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Status is 0 or 408 or 429 or >= 500 || ex.Status == 401;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
