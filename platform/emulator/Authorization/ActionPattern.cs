using System.Text.RegularExpressions;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// Matches an operation such as <c>Microsoft.KeyVault/vaults/write</c> against a role pattern with <c>*</c>.
/// </summary>
internal static class ActionPattern
{
    public static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout.Value);
}
