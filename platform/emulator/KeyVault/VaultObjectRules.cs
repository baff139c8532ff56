using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>Rules shared by secrets and keys: names, recovery level, attributes and tags.</summary>
internal static partial class VaultObjectRules
{
    public const int MaxTags = 15;

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static int RetentionDays(JsonObject vault) => (int?)vault["properties"]?["softDeleteRetentionInDays"] ?? 90;

    public static bool PurgeProtected(JsonObject vault) => (bool?)vault["properties"]?["enablePurgeProtection"] == true;

    /// <summary>
    /// Azure's <c>recoveryLevel</c>: soft-delete is always on; purge protection removes <c>+Purgeable</c>; a retention
    /// under 90 days is "Customized".
    /// </summary>
    public static string RecoveryLevel(JsonObject vault) =>
        (RetentionDays(vault) < 90 ? "CustomizedRecoverable" : "Recoverable") + (PurgeProtected(vault) ? string.Empty : "+Purgeable");

    /// <summary>
    /// Reads <c>attributes</c> (<c>enabled</c>, <c>nbf</c>, <c>exp</c> in Unix seconds) into the stored version.
    /// </summary>
    public static void ApplyAttributes(JsonObject? attributes, JsonObject target)
    {
        if (attributes is null)
        {
            return;
        }

        if (attributes["enabled"] is { } enabled)
        {
            target["enabled"] = enabled is JsonValue v && v.TryGetValue<bool>(out var flag) ? flag : throw KeyVaultErrors.BadParameter("The attribute 'enabled' must be a boolean.");
        }

        foreach (var name in new[] { "nbf", "exp" })
        {
            if (attributes.ContainsKey(name))
            {
                target[name] = attributes[name] switch
                {
                    null => null,
                    JsonValue value when value.TryGetValue<long>(out var seconds) => seconds,
                    JsonValue value when value.TryGetValue<double>(out var real) => (long)real,
                    _ => throw KeyVaultErrors.BadParameter($"The attribute '{name}' must be a number of seconds since 1970-01-01."),
                };
            }
        }
    }

    public static JsonObject Attributes(JsonObject version, JsonObject vault)
    {
        var attributes = new JsonObject { ["enabled"] = (bool?)version["enabled"] ?? true };
        foreach (var name in new[] { "nbf", "exp", "created", "updated" })
        {
            if (version[name] is not null)
            {
                attributes[name] = (long)version[name]!;
            }
        }

        attributes["recoverableDays"] = RetentionDays(vault);
        attributes["recoveryLevel"] = RecoveryLevel(vault);
        return attributes;
    }

    public static JsonObject? Tags(JsonObject body)
    {
        switch (body["tags"])
        {
            case null:
                return null;
            case JsonObject tags when tags.Count <= MaxTags && tags.All(t => t.Value is JsonValue v && v.TryGetValue<string>(out _)):
                return tags.DeepClone().AsObject();
            default:
                throw KeyVaultErrors.BadParameter($"Tags must be an object of at most {MaxTags} string values.");
        }
    }

    public static string? String(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw KeyVaultErrors.BadParameter($"The property '{name}' must be a string."),
    };

    public static JsonObject? Object(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonObject value => value,
        _ => throw KeyVaultErrors.BadParameter($"The property '{name}' must be an object."),
    };

    public static string NewVersion() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
