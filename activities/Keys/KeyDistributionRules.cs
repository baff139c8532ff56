using EdgeKv.Records.Keys;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// What a distribution may ask for, checked the same way by the starter (a 400) and by the flow: a type Azure holds,
/// a purpose of known operations the type can perform, and a known protection.
/// </summary>
public static class KeyDistributionRules
{
    public static (string Code, string Message)? Problem(string keyType, IReadOnlyList<string>? purpose,
        string? protection)
    {
        ArgumentNullException.ThrowIfNull(keyType);
        if (!ManagedKeyTypes.IsDistributable(keyType))
        {
            return ("KeyTypeNotDistributable",
                $"Keys of type '{keyType}' stay in EdgeKv: Azure Key Vault's standard and premium vaults hold no imported AES keys. Distribute an RSA or ECDSA key.");
        }

        if (purpose is null || purpose.Count == 0) return ("InvalidPurpose",
            "purpose must name at least one operation: " + string.Join(", ", ManagedKeyTypes.Purposes) + ".");
        if (purpose.FirstOrDefault(p => !ManagedKeyTypes.Purposes.Contains(p, StringComparer.Ordinal)) is { } unknown)
        {
            return ("InvalidPurpose", $"'{Printable(unknown)}' is not a purpose; use any of {string.Join(", ", ManagedKeyTypes.Purposes)}.");
        }

        if (purpose.Distinct(StringComparer.Ordinal).Count() != purpose.Count) return ("InvalidPurpose",
            "purpose names an operation twice.");
        IReadOnlyList<string> allowed = ManagedKeyTypes.OperationsFor(keyType);
        if (purpose.FirstOrDefault(p => !allowed.Contains(p, StringComparer.Ordinal)) is { } refused)
        {
            return ("InvalidPurpose", $"A key of type '{keyType}' cannot {refused}; it allows {string.Join(", ", allowed)}.");
        }

        return KeyProtections.IsKnown(protection) ? null : ("InvalidProtection",
            "protection must be 'hsm' or 'software'.");
    }

    private static string Printable(string value) => value.Length <= 32 && value.All(c => c is >= ' ' and <= '~' && c != '\'') ? value : "(an unprintable value)";
}
