using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>
/// Blobs of the emulated storage accounts (only what the emulator writes itself, such as audit logs), kept as append
/// blobs: one small document per blob keyed by <c>{account}/{container}/{name}</c>
/// (<c>{account, container, name, size, blocks, created, lastModified, etag}</c>) and one document per appended block,
/// so a record costs one block write, not a rewrite of the whole blob (an hour of audit records can be megabytes).
/// Blobs written whole by an older emulator (<c>content</c> in the blob document) read as that content followed by
/// their blocks.
/// </summary>
internal sealed class BlobStore(IDocumentStore store, EmulatorClock clock) : IDisposable
{
    private readonly SemaphoreSlim appendLock = new(1, 1);

    public void Dispose() => appendLock.Dispose();

    public async Task AppendAsync(string account, string container, string name, string text,
        CancellationToken cancellationToken)
    {
        await appendLock.WaitAsync(cancellationToken);
        try
        {
            await AppendLockedAsync(account, container, name, text, cancellationToken);
        }
        finally
        {
            appendLock.Release();
        }
    }

    private async Task AppendLockedAsync(string account, string container, string name, string text,
        CancellationToken cancellationToken)
    {
        var key = Key(account, container, name);
        var now = clock.GetUtcNow().ToString("O");
        var blob = await store.GetAsync(Collections.Blobs, key, cancellationToken) ?? new JsonObject
        {
            ["account"] = account.ToLowerInvariant(), ["container"] = container, ["name"] = name, ["created"] = now,
        };
        var sequence = (int?)blob["blocks"] ?? 0;
        await store.PutAsync(Collections.BlobBlocks, BlockKey(key, sequence), new JsonObject { ["text"] = text },
            cancellationToken);
        blob["blocks"] = sequence + 1;
        blob["size"] = Size(blob) + System.Text.Encoding.UTF8.GetByteCount(text);
        blob["lastModified"] = now;
        blob["etag"] = $"\"0x{Guid.NewGuid():N}\""[..20] + "\"";
        await store.PutAsync(Collections.Blobs, key, blob, cancellationToken);
    }

    /// <summary>The blob's document with its whole <c>content</c> assembled from its blocks.</summary>
    public async Task<JsonObject?> GetAsync(string account, string container, string name,
        CancellationToken cancellationToken)
    {
        var key = Key(account, container, name);
        if (await store.GetAsync(Collections.Blobs, key, cancellationToken) is not { } blob)
        {
            return null;
        }

        var content = new System.Text.StringBuilder((string?)blob["content"] ?? string.Empty);
        var blocks = (int?)blob["blocks"] ?? 0;
        for (var i = 0; i < blocks; i++)
        {
            content.Append((string?)(await store.GetAsync(Collections.BlobBlocks, BlockKey(key, i),
                cancellationToken))?["text"]);
        }

        blob["content"] = content.ToString();
        return blob;
    }

    /// <summary>The blob's length in bytes (a legacy blob's content counted).</summary>
    public static long Size(JsonObject blob) =>
        (long?)blob["size"] ?? System.Text.Encoding.UTF8.GetByteCount((string?)blob["content"] ?? string.Empty);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string account, string container, string prefix,
        CancellationToken cancellationToken) =>
        (await store.ListUnderAsync(Collections.Blobs, $"{account}/{container}", cancellationToken))
            .Where(b => string.Equals((string?)b["account"], account, StringComparison.OrdinalIgnoreCase) &&
                string.Equals((string?)b["container"], container, StringComparison.Ordinal) &&
                ((string)b["name"]!).StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(b => (string)b["name"]!, StringComparer.Ordinal)
            .ToList();

    public async Task<bool> ContainerExistsAsync(string account, string container,
        CancellationToken cancellationToken) =>
        (await store.ListUnderAsync(Collections.Blobs, $"{account}/{container}", cancellationToken)).Any(b =>
            string.Equals((string?)b["account"], account,
                StringComparison.OrdinalIgnoreCase) && string.Equals((string?)b["container"], container,
                    StringComparison.Ordinal));

    /// <summary>Removes one blob and its blocks; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string account, string container, string name,
        CancellationToken cancellationToken)
    {
        var key = Key(account, container, name);
        if (await store.GetAsync(Collections.Blobs, key, cancellationToken) is not { } blob)
        {
            return false;
        }

        for (var i = 0; i < ((int?)blob["blocks"] ?? 0); i++)
        {
            await store.DeleteAsync(Collections.BlobBlocks, BlockKey(key, i), cancellationToken);
        }

        await store.DeleteAsync(Collections.Blobs, key, cancellationToken);
        return true;
    }

    /// <summary>Removes every blob of an account (the account was deleted).</summary>
    public async Task DeleteAccountAsync(string account, CancellationToken cancellationToken)
    {
        foreach (var blob in await store.ListUnderAsync(Collections.Blobs, account, cancellationToken))
        {
            if (string.Equals((string?)blob["account"], account, StringComparison.OrdinalIgnoreCase))
            {
                var key = Key(account, (string)blob["container"]!, (string)blob["name"]!);
                for (var i = 0; i < ((int?)blob["blocks"] ?? 0); i++)
                {
                    await store.DeleteAsync(Collections.BlobBlocks, BlockKey(key, i), cancellationToken);
                }

                await store.DeleteAsync(Collections.Blobs, key, cancellationToken);
            }
        }
    }

    private static string Key(string account, string container, string name) => $"{account}/{container}/{name}";

    private static string BlockKey(string blobKey, int sequence) => $"{blobKey}#{sequence.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)}";
}
