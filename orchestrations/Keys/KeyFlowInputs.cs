using EdgeKv.Activities.Keys;
using EdgeKv.Records.Keys;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// The key-management flows' input rules (the companion of <see cref="OrchestrationInputs"/>): each orchestrator checks
/// its input first, and the management API's rule table checks it with the same method.
/// </summary>
public static class KeyFlowInputs
{
    private const int MaxNameLength = 127;

    public static string? Problem(DistributeKeyRequest? input) => input switch
    {
        null => "The distribution input is missing.",
        _ when Name(input.KeyName, "keyName") is { } bad => bad,
        _ when Name(input.KmsName, "kmsName") is { } bad => bad,
        { Purpose: null or { Count: 0 } } => "purpose must name at least one operation.",
        _ when input.Purpose.Any(p => !ManagedKeyTypes.Purposes.Contains(p,
            StringComparer.Ordinal)) => "purpose names an unknown operation.",
        _ when !KeyProtections.IsKnown(input.Protection) => "protection must be 'hsm' or 'software'.",
        _ => null,
    };

    public static string? Problem(DistributionStep? input) => input switch
    {
        null => "The input is missing.",
        _ when Name(input.KeyName, "keyName") is { } bad => bad,
        _ when Name(input.KmsName, "kmsName") is { } bad => bad,
        _ => null,
    };

    public static string? Problem(RotateKeyRequest? input) => input switch
    {
        null => "The rotation input is missing.",
        _ when Name(input.KeyName, "keyName") is { } bad => bad,
        { NewVersion: < 2 } => "newVersion must be 2 or more.",
        _ => null,
    };

    public static string? Problem(MinEnabledVersionRequest? input) => input switch
    {
        null => "The input is missing.",
        _ when Name(input.KeyName, "keyName") is { } bad => bad,
        { MinEnabledVersion: < 1 } => "minEnabledVersion must be 1 or more.",
        _ => null,
    };

    private static string? Name(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength || value.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')
            ? $"{what} must be a name of letters, digits and hyphens."
            : null;
}
