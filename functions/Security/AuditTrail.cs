using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Data.Sqlite;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Security.Tables;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's append-only audit trail, in security.db or, with several hosts, in the app's storage account (<see
/// cref="TableAuditTrail"/>). Each record's hash is an HMAC-SHA256, keyed by the <see cref="AuditSealKey"/>, over its
/// fields and the previous record's hash, so an edit or a removal anywhere breaks <see cref="VerifyAsync"/>, even when
/// whoever edited the store recomputed the hashes after it: without the seal key (which the store's writer cannot open)
/// no hash it computes verifies. Appending throws when the record cannot be written; callers reading secret values let
/// that fail the request (fail closed).
/// </summary>
public sealed partial class AuditTrail
{
    public const string Genesis = AuditTrailBackend.Genesis;
    private readonly AuditTrailBackend backend;
    private readonly AuditSealKey seal;
    private readonly bool anchorEarlierRecords;
    private readonly TimeProvider time;
    private readonly ILogger<AuditTrail> logger;

    /// <summary>The embedded trail, in security.db.</summary>
    public AuditTrail(SecurityDatabase store, AuditSealKey seal, TimeProvider time, ILogger<AuditTrail> logger)
        : this(new SqliteAuditTrail(store), seal, time, logger)
    {
    }

    /// <param name="anchorEarlierRecords">
    /// When the seal key is first made, vouch for the records already in the trail (sealed the earlier, unkeyed way) if
    /// their chain verifies. Only for the one start that upgrades a trail: whoever can write the store could otherwise
    /// remove the key's envelope and re-hash the whole trail before it is remade.
    /// </param>
    public AuditTrail(AuditTrailBackend backend, AuditSealKey seal, TimeProvider time, ILogger<AuditTrail> logger,
        bool anchorEarlierRecords = false)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(seal);
        this.anchorEarlierRecords = anchorEarlierRecords;
        this.backend = backend;
        this.seal = seal;
        this.time = time;
        this.logger = logger;
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            byte[] key = (await seal.GetAsync(LegacyAnchorAsync, cancellationToken)).Key;
            return await backend.AppendAsync(entry, previous =>
            {
                DateTimeOffset now = time.GetUtcNow();
                return (now, HashOf(key, now, entry, previous));
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or RequestFailedException or AuditContentionException or CryptographicException)
        {
            LogAppendFailed(logger, entry.Operation, ex.GetType().Name);
            throw new AuditUnavailableException("The audit record could not be written.", ex);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return backend.QueryAsync(query, cancellationToken);
    }

    /// <summary>
    /// Walks the whole chain; returns the sequence of the first record whose hash does not match, or null when intact.
    /// Records sealed before the key (up to its anchor) are checked by plain SHA-256 and must end exactly at the
    /// anchored hash; the rest by HMAC. A seal key that no longer opens (its envelope replaced) breaks the chain at its
    /// first record.
    /// </summary>
    public async Task<long?> VerifyAsync(CancellationToken cancellationToken = default)
    {
        AuditSeal? opened;
        try
        {
            opened = await seal.GetAsync(LegacyAnchorAsync, cancellationToken);
        }
        catch (CryptographicException)
        {
            opened = null;
        }

        string previous = Genesis;
        long last = 0;
        await foreach (AuditRecord r in backend.ReadAllAsync(cancellationToken))
        {
            if (opened is null) return r.Sequence;
            var entry = new AuditEntry(r.Principal, r.Role, r.Device, r.Operation, r.Resource, r.SecretName, r.ClientIp,
                r.Result, r.Status);
            bool anchored = r.Sequence <= opened.AnchorSequence;
            string expected = anchored ? LegacyHashOf(r.Time, entry, previous) : HashOf(opened.Key, r.Time, entry,
                previous);
            if (r.PreviousHash != previous || !Matches(r.Hash, expected)) return r.Sequence;
            if (r.Sequence == opened.AnchorSequence && r.Hash != opened.AnchorHash) return r.Sequence;
            if (!anchored && last < opened.AnchorSequence) return r.Sequence; // the anchored records were cut short
            previous = r.Hash;
            last = r.Sequence;
        }

        return opened is not null && last < opened.AnchorSequence ? last + 1 : null;
    }

    /// <summary>
    /// When the seal key is made and earlier records are to be anchored: the last record of a trail sealed the earlier
    /// way, if that whole chain verifies (then it is anchored as it stands); otherwise nothing is anchored.
    /// </summary>
    private async Task<(long Sequence, string Hash)> LegacyAnchorAsync(CancellationToken cancellationToken)
    {
        (long Sequence, string Hash) head = (0, Genesis);
        if (!anchorEarlierRecords) return head;
        await foreach (AuditRecord r in backend.ReadAllAsync(cancellationToken))
        {
            var entry = new AuditEntry(r.Principal, r.Role, r.Device, r.Operation, r.Resource, r.SecretName, r.ClientIp,
                r.Result, r.Status);
            if (r.PreviousHash != head.Hash || r.Hash != LegacyHashOf(r.Time, entry, head.Hash)) return (0, Genesis);
            head = (r.Sequence, r.Hash);
        }

        return head;
    }

    private static bool Matches(string stored, string computed) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(computed));

    private static string HashOf(byte[] key, DateTimeOffset time, AuditEntry e, string previous) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Canonical(time, e, previous)));

    /// <summary>
    /// How records were sealed before the trail was keyed: anyone can recompute it, so only an anchor vouches for it.
    /// </summary>
    private static string LegacyHashOf(DateTimeOffset time, AuditEntry e, string previous) =>
        Convert.ToHexStringLower(SHA256.HashData(Canonical(time, e, previous)));

    private static byte[] Canonical(DateTimeOffset time, AuditEntry e, string previous) =>
        Encoding.UTF8.GetBytes(string.Join('\u001f', previous, time.ToString("O", CultureInfo.InvariantCulture),
            e.Principal, e.Role, e.Device, e.Operation,
            e.Resource, e.SecretName, e.ClientIp, e.Result, e.Status.ToString(CultureInfo.InvariantCulture)));

    [LoggerMessage(7010, LogLevel.Error, "Audit record for {Operation} could not be written ({Error}).")]
    private static partial void LogAppendFailed(ILogger logger, string operation, string error);
}

/// <summary>The audit trail could not take a record: operations that must be audited are refused.</summary>
public sealed class AuditUnavailableException(string message, Exception inner) : Exception(message, inner);
