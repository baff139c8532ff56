using System.Text;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Looks for secret values, raw, base64 and hex, in text and in every file under a folder (databases, WAL files, keys).
/// </summary>
internal static class SecretScan
{
    public static IReadOnlyList<(string Label, byte[] Needle)> Needles(IReadOnlyDictionary<string, string> secrets)
    {
        var needles = new List<(string, byte[])>();
        foreach ((string label, string value) in secrets)
        {
            byte[] raw = Encoding.UTF8.GetBytes(value);
            var forms = new List<(string, string)>
            {
                ("raw", value),
                ("base64", Convert.ToBase64String(raw)),
                ("hex", Convert.ToHexString(raw)),
                ("hex-lower", Convert.ToHexStringLower(raw)),
            };
            if (TryBase64(value) is { Length: >= 16 } bytes)
            {
                forms.Add(("decoded-hex", Convert.ToHexString(bytes)));
                forms.Add(("decoded-hex-lower", Convert.ToHexStringLower(bytes)));
                forms.Add(("base64url",
                    Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
                needles.Add(($"{label} (decoded bytes)", bytes));
            }

            needles.AddRange(forms.Select(f => ($"{label} ({f.Item1})", Encoding.UTF8.GetBytes(f.Item2))));
        }

        return needles;
    }

    public static void AssertAbsentInText(string where, IEnumerable<string> lines,
        IReadOnlyList<(string Label, byte[] Needle)> needles)
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        foreach ((string label, byte[] needle) in needles) Assert.AreEqual(-1, text.AsSpan().IndexOf(needle),
            $"{label} found in {where}");
    }

    public static int AssertAbsentInFolder(string folder, IReadOnlyList<(string Label, byte[] Needle)> needles,
        Func<string, bool>? skip = null)
    {
        int scanned = 0;
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (skip?.Invoke(file) == true) continue;
            byte[] content;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read,
                    FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                content = memory.ToArray();
            }
            catch (FileNotFoundException)
            {
                continue; // gone between listing and reading (a SQLite -wal or -journal file of a running host): nothing left to leak
            }

            scanned++;
            foreach ((string label, byte[] needle) in needles) Assert.AreEqual(-1, content.AsSpan().IndexOf(needle),
                $"{label} found in {file}");
        }

        return scanned;
    }

    private static byte[]? TryBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
