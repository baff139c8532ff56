using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Applies <c>accessPolicies/{add|replace|remove}</c> to a vault's policies. Entries match on tenant, object and
/// application id; add merges permissions, replace overwrites them, remove takes the listed permissions away and
/// drops the entry when nothing is left (or when the request lists no permissions).
/// </summary>
internal static class AccessPolicyEditor
{
    public static void Apply(JsonArray current, JsonArray requested, string op)
    {
        foreach (var entry in requested)
        {
            var match = current.FirstOrDefault(existing => VaultRules.SameEntry(existing, entry));
            switch (op)
            {
                case "add" when match is null:
                case "replace" when match is null:
                    current.Add(entry!.DeepClone());
                    break;
                case "add":
                    Merge(match!.AsObject(), entry!.AsObject());
                    break;
                case "replace":
                    match!["permissions"] = entry!["permissions"]!.DeepClone();
                    break;
                case "remove" when match is not null:
                    Remove(current, match.AsObject(), entry!.AsObject());
                    break;
            }
        }
    }

    private static void Merge(JsonObject target, JsonObject entry)
    {
        var permissions = target["permissions"]!.AsObject();
        foreach (var (kind, values) in entry["permissions"]!.AsObject())
        {
            var list = permissions[kind] as JsonArray ?? [];
            foreach (var value in values!.AsArray())
            {
                if (!list.Any(existing => string.Equals((string?)existing, (string?)value,
                    StringComparison.OrdinalIgnoreCase)))
                {
                    list.Add((string?)value);
                }
            }

            permissions[kind] = list.DeepClone();
        }
    }

    private static void Remove(JsonArray current, JsonObject target, JsonObject entry)
    {
        var removal = entry["permissions"]!.AsObject();
        var permissions = target["permissions"]!.AsObject();
        var removeAll = removal.All(kind => kind.Value is JsonArray { Count: 0 });
        foreach (var (kind, values) in removal)
        {
            if (permissions[kind] is JsonArray list)
            {
                var kept = list.Where(p => !values!.AsArray().Any(v => string.Equals((string?)v, (string?)p,
                    StringComparison.OrdinalIgnoreCase)))
                    .Select(p => (string?)p).ToList();
                permissions[kind] = new JsonArray(kept.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
            }
        }

        if (removeAll || permissions.All(kind => kind.Value is JsonArray { Count: 0 }))
        {
            current.Remove(target);
        }
    }
}
