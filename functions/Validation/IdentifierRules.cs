using System.Text.RegularExpressions;
using EdgeKv.Functions.Http;

namespace EdgeKv.Functions.Validation;

/// <summary>
/// The allowed form of every identifier a client chooses (role-assignment ids, orchestration instance ids, key and
/// secret names), defined once: printable ASCII letters, digits and a few separators, bounded in length. Control
/// characters, bidirectional overrides, quotes, slashes and other look-alike tricks never reach a store, a log line or
/// the audit trail.
/// </summary>
public static partial class IdentifierRules
{
    /// <summary>
    /// Ids the client names (role assignments, orchestration instances): 1-100 characters, starting with a letter or
    /// digit.
    /// </summary>
    public const int MaxIdLength = 100;

    public static bool IsValidId(string? value) => value is not null && IdRule().IsMatch(value);

    /// <summary>A 400 in Azure's shape when <paramref name="value"/> is not a valid id; null when it is.</summary>
    public static IResult? CheckId(string? value, string what, string code = "InvalidIdentifier") => IsValidId(value)
        ? null
        : AzureError.BadRequest(code,
            $"The {what} must be 1-{MaxIdLength} letters, digits, '-', '_', '.', ':' or '@', starting with a letter or digit.");

    /// <summary>
    /// An Azure resource group name: 1-90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.
    /// </summary>
    public static bool IsValidResourceGroupName(string? value) => value is not null && ResourceGroupRule().IsMatch(value) && !value.EndsWith('.');

    /// <summary>
    /// An Azure Stack Edge resource name as EdgeKv accepts it: 2-50 letters, digits and hyphens, starting with a letter
    /// or digit.
    /// </summary>
    public static bool IsValidResourceName(string? value) => value is not null && ResourceNameRule().IsMatch(value);

    /// <summary>
    /// A customer secret's name in the vault: 1-100 letters, digits and hyphens (Key Vault allows 127; EdgeKv keeps
    /// room for its own prefixes).
    /// </summary>
    public static bool IsValidSecretName(string? value) => value is not null && SecretNameRule().IsMatch(value);

    /// <summary>A Functions-style system key's name: 1-64 letters, digits, '_' and '-'.</summary>
    public static bool IsValidKeyName(string? value) => value is not null && KeyNameRule().IsMatch(value);

    [GeneratedRegex("^[0-9A-Za-z-]{1,100}$")]
    private static partial Regex SecretNameRule();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex KeyNameRule();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$")]
    private static partial Regex IdRule();

    [GeneratedRegex(@"^[A-Za-z0-9_\-.()]{1,90}$")]
    private static partial Regex ResourceGroupRule();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{1,49}$")]
    private static partial Regex ResourceNameRule();
}
