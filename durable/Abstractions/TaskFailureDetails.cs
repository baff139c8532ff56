namespace EdgeKv.Durable;

/// <summary>What failed and why; persisted in history, so it carries no secret values (exception messages must not either).</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>True when the failure, or a failure it wraps, was an exception of type <typeparamref name="T"/> or a subclass of it.</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        if (ErrorType == typeof(T).FullName || (ResolveType(ErrorType) is { } type && typeof(T).IsAssignableFrom(type))) return true;
        return InnerFailure?.IsCausedBy<T>() ?? false;
    }

    /// <summary>Finds a recorded type by its full name in the loaded assemblies (failures record names, not assembly-qualified names).</summary>
    private static Type? ResolveType(string fullName)
        => Type.GetType(fullName, throwOnError: false)
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);

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
