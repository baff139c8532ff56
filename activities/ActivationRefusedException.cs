namespace EdgeKv.Activities;

/// <summary>
/// A validation failure: retrying cannot help (an invalid or taken vault name, a missing provider registration the
/// caller may not fix, a missing resource). Retry policies let it through at once; the code is Azure-style and the
/// message names no secret value (it is persisted in history).
/// </summary>
public sealed class ActivationRefusedException : InvalidOperationException
{
    public ActivationRefusedException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
        Reason = message;
    }

    public ActivationRefusedException()
        : this("Refused", "The request was refused.")
    {
    }

    public ActivationRefusedException(string message)
        : this("Refused", message)
    {
    }

    public ActivationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "Refused";
        Reason = message;
    }

    public string Code { get; }

    public string Reason { get; }

    /// <summary>The code and reason of a refusal persisted as "Code: reason" in a failure message.</summary>
    public static (string Code, string Reason) Parse(string failureMessage)
    {
        int colon = failureMessage.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !failureMessage[..colon].Contains(' ', StringComparison.Ordinal)
            ? (failureMessage[..colon], failureMessage[(colon + 2)..])
            : ("Refused", failureMessage);
    }
}
