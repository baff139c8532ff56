using System.Text.RegularExpressions;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The app settings infra/main.bicep gives the Functions app, read from the template itself: each <c>{ name: '...',
/// value: EXPRESSION }</c> of <c>siteConfig.appSettings</c>, its expression resolved from what a deployment would put
/// there (<paramref name="deployment"/>: a string literal stands for itself, every other expression must be given, so a
/// setting the template gains or changes fails the rehearsal until it says what it is).
/// </summary>
internal static partial class InfraAppSettings
{
    public static IReadOnlyList<(string Name, string Value)> Read(string bicep,
        IReadOnlyDictionary<string, string> deployment)
    {
        int start = bicep.IndexOf("appSettings: [", StringComparison.Ordinal);
        Assert.IsTrue(start > 0, "infra/main.bicep has no appSettings");
        string block = bicep[start..bicep.IndexOf("\n      ]", start, StringComparison.Ordinal)];
        var settings = new List<(string, string)>();
        foreach (Match setting in SettingPattern().Matches(block))
        {
            string name = setting.Groups["name"].Value;
            string expression = setting.Groups["value"].Value.Trim();
            string value = LiteralPattern().Match(expression) is { Success: true } literal ? literal.Groups["text"].Value
                : deployment.TryGetValue(expression, out string? resolved) ? resolved
                : throw new AssertFailedException($"The app setting {name} = {expression} of infra/main.bicep has no value in the rehearsal's deployment.");
            settings.Add((name, value));
        }

        Assert.IsTrue(settings.Count > 10, "the template's app settings were not read");
        return settings;
    }

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)',\s*value:\s*(?<value>.+?)\s*\}\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SettingPattern();

    [GeneratedRegex(@"^'(?<text>[^'$]*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex LiteralPattern();
}
