namespace EdgeKv.Emulator.Store;

/// <summary>
/// One collection's documents in memory: the JSON text by normalized key, the keys in ordinal order (a path's subtree
/// is one range) and, per indexed field, the keys by field value. Callers parse the text they get, so no caller can
/// change another's document.
/// </summary>
internal sealed class DocumentCollection(IReadOnlyList<string> indexedFields)
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly SortedSet<string> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> indexes =
        indexedFields.ToDictionary(field => field,
            _ => new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);

    public IReadOnlyList<string> IndexedFields => indexedFields;

    public string? Get(string key)
    {
        lock (sync)
        {
            return entries.TryGetValue(key, out var entry) ? entry.Json : null;
        }
    }

    public List<string> All()
    {
        lock (sync)
        {
            return [.. keys.Select(key => entries[key].Json)];
        }
    }

    /// <summary>Documents at <paramref name="path"/> or below it.</summary>
    public List<string> Under(string path)
    {
        lock (sync)
        {
            return [.. AtOrBelow(keys, path).Select(key => entries[key].Json)];
        }
    }

    public List<string> Find(string field, string value, string? under)
    {
        lock (sync)
        {
            if (!indexes.TryGetValue(field, out var index))
            {
                throw new InvalidOperationException($"The field '{field}' is not indexed.");
            }

            if (!index.TryGetValue(value, out var matching))
            {
                return [];
            }

            return [.. (under is null ? matching : AtOrBelow(matching, under)).Select(key => entries[key].Json)];
        }
    }

    public void Put(string key, string json, IReadOnlyList<string?> indexValues)
    {
        lock (sync)
        {
            RemoveFromIndexes(key);
            entries[key] = new Entry(json, indexValues);
            keys.Add(key);
            for (var i = 0; i < indexedFields.Count; i++)
            {
                if (indexValues[i] is { } value)
                {
                    var index = indexes[indexedFields[i]];
                    if (!index.TryGetValue(value, out var set))
                    {
                        index[value] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(key);
                }
            }
        }
    }

    public bool Remove(string key)
    {
        lock (sync)
        {
            RemoveFromIndexes(key);
            keys.Remove(key);
            return entries.Remove(key);
        }
    }

    private void RemoveFromIndexes(string key)
    {
        if (!entries.TryGetValue(key, out var old))
        {
            return;
        }

        for (var i = 0; i < indexedFields.Count; i++)
        {
            if (old.IndexValues[i] is { } value && indexes[indexedFields[i]].TryGetValue(value, out var set))
            {
                set.Remove(key);
                if (set.Count == 0)
                {
                    indexes[indexedFields[i]].Remove(value);
                }
            }
        }
    }

    /// <summary>
    /// The keys of an ordered set that are <paramref name="path"/> or start with <c>path/</c>: one range of the set,
    /// found in logarithmic time ('0' is the character after '/', so the range ends before any other key).
    /// </summary>
    private static IEnumerable<string> AtOrBelow(SortedSet<string> set, string path)
    {
        if (set.Contains(path))
        {
            yield return path;
        }

        foreach (var key in set.GetViewBetween(path + "/", path + "0"))
        {
            if (key.Length > path.Length && key[path.Length] == '/')
            {
                yield return key;
            }
        }
    }

    private sealed record Entry(string Json, IReadOnlyList<string?> IndexValues);
}
