namespace EdgeKv.Records.Tables;

/// <summary>
/// A conditional write to a shared table lost the race to other writers <see cref="TableKeys.MaxConflictAttempts"/>
/// times in a row and was given up. Nothing was written by the failed call; trying again later is safe.
/// </summary>
public sealed class TableWriteConflictException : Exception
{
    public TableWriteConflictException()
        : this(TableKeys.MaxConflictAttempts)
    {
    }

    public TableWriteConflictException(string message)
        : base(message)
    {
    }

    public TableWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableWriteConflictException(int attempts)
        : base($"A write to EdgeKv's shared tables lost the race to other writers {attempts} times in a row (the rows it reads kept changing under it); it was given up rather than retried without end. Nothing was written; try again later.")
    {
        Attempts = attempts;
    }

    /// <summary>How many times the write was tried.</summary>
    public int Attempts { get; }
}
