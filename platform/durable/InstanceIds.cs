namespace EdgeKv.Durable;

/// <summary>
/// The rules an instance id must follow (those of Durable Functions): 1-256 characters, none of / \ # ? or control
/// characters.
/// </summary>
public static class InstanceIds
{
    public const int MaxLength = 256;

    public static bool IsValid(string? instanceId, out string? problem)
    {
        problem = instanceId switch
        {
            null or "" => "The instance id must not be empty.",
            { Length: > MaxLength } => $"The instance id must be at most {MaxLength} characters.",
            _ when instanceId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?') => "The instance id must not contain '/', '\\', '#', '?' or control characters.",
            _ when instanceId.Trim().Length != instanceId.Length => "The instance id must not start or end with white space.",
            _ => null,
        };
        return problem is null;
    }
}
