using System.Globalization;
using System.Reflection;

namespace EdgeKv.Durable.Storage;

/// <summary>The numbered schema scripts (<c>NNN_name.sql</c>) a store embeds under a resource prefix, in version order.</summary>
internal static class SchemaScripts
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Load(string resourcePrefix)
    {
        Assembly assembly = typeof(SchemaScripts).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)))
        {
            string name = resource[resourcePrefix.Length..^".sql".Length];
            int version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }
}
