namespace EdgeKv.Durable;

/// <summary>What failed and why; persisted in history, so it carries no secret values (exception messages must not either).</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>True when the failure was caused by an exception of type <typeparamref name="T"/> (or a subclass).</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        for (Type? t = Type.GetType(ErrorType, throwOnError: false); t is not null; t = t.BaseType)
        {
            if (t == typeof(T)) return true;
        }

        return ErrorType == typeof(T).FullName || (InnerFailure?.IsCausedBy<T>() ?? false);
    }

    public static TaskFailureDetails FromException(Exception exception) => new(
        exception.GetType().FullName ?? exception.GetType().Name,
        exception.Message,
        exception.StackTrace,
        exception switch
        {
            // A failed step keeps its own failure as the cause, so the chain reads down to the first error.
            TaskFailedException failed => failed.FailureDetails,
            { InnerException: { } inner } => FromException(inner),
            _ => null,
        });

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
