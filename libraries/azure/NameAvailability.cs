namespace EdgeKv.Azure;

/// <summary>
/// Answer of a <c>checkNameAvailability</c> call (<c>Reason</c>: AccountNameInvalid or AlreadyExists).
/// </summary>
public sealed record NameAvailability(bool NameAvailable, string? Reason, string? Message);
