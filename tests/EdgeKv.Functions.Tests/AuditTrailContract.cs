using EdgeKv.Functions.Security;
using EdgeKv.Tests.Support;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// What every home of the audit trail and the role assignments must do, run on security.db (<see
/// cref="SqliteAuditTrailContractTests"/>) and on Table storage in Azurite (<see
/// cref="TableAuditTrailContractTests"/>). <see cref="OpenTrail"/> and <see cref="OpenRoles"/> open another instance on
/// the same test's store, as another host would.
/// </summary>
public abstract class AuditTrailContract
{
    protected abstract AuditTrail OpenTrail(TimeProvider time);

    protected abstract RoleAssignmentStore OpenRoles();

    /// <summary>
    /// Overwrites a stored record (and the tail's hash where the store keeps one), as someone with write access to the
    /// store can.
    /// </summary>
    protected abstract Task RewriteAsync(AuditRecord record);

    /// <summary>
    /// An attacker with write access to the store rewrites records and re-hashes the chain from there on with every
    /// hash it can compute (SHA-256 of the same fields, as the chain was once sealed); the chain is re-linked, so only
    /// the seal key can tell. Both the whole chain re-hashed and a tail re-hashed after an intact prefix are caught.
    /// </summary>
    [TestMethod]
    public async Task A_rewritten_and_rehashed_chain_is_caught_by_verify()
    {
        AuditTrail trail = OpenTrail(TimeProvider.System);
        for (int i = 0; i < 5; i++) await trail.AppendAsync(Entry($"op{i}"));
        IReadOnlyList<AuditRecord> all = await trail.QueryAsync(new AuditQuery(Top: 100));
        Assert.IsNull(await trail.VerifyAsync());

        // The tail: the last two records say something else, re-hashed and re-chained onto the intact third record.
        string previous = all[2].Hash;
        foreach (AuditRecord record in all.Skip(3))
        {
            AuditRecord forged = Rehashed(record with { Operation = "nothing happened", PreviousHash = previous });
            await RewriteAsync(forged);
            previous = forged.Hash;
        }

        Assert.AreEqual(all[3].Sequence, await trail.VerifyAsync(), "a re-hashed tail");

        // The whole chain, from genesis: self-consistent under the unkeyed hash, still refused.
        previous = AuditTrail.Genesis;
        var rewritten = new List<AuditRecord>();
        foreach (AuditRecord record in all)
        {
            AuditRecord forged = Rehashed(record with { Result = "Succeeded", PreviousHash = previous });
            await RewriteAsync(forged);
            rewritten.Add(forged);
            previous = forged.Hash;
        }

        Assert.IsTrue(rewritten.Zip(rewritten.Skip(1)).All(p => p.Second.PreviousHash == p.First.Hash),
            "the forger's chain links up");
        Assert.AreEqual(all[0].Sequence, await trail.VerifyAsync(), "a chain re-hashed from genesis");
    }

    private static AuditRecord Rehashed(AuditRecord r)
    {
        string canonical = string.Join('\u001f', r.PreviousHash,
            r.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture), r.Principal, r.Role, r.Device,
            r.Operation, r.Resource, r.SecretName, r.ClientIp, r.Result,
            r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return r with { Hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))) };
    }

    protected static AuditEntry Entry(string operation, string? secret = null,
        string principal = "0b1d0c1a-0000-4000-8000-000000000004") =>
        new(principal, "SecurityTeam", null, operation, "ase1", secret, "127.0.0.1", "Succeeded", 200);

    [TestMethod]
    public async Task Records_chain_by_hash_and_the_chain_verifies()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        AuditTrail trail = OpenTrail(clock);

        AuditRecord first = await trail.AppendAsync(Entry("SecretValueRead", "BmcUserPassword"));
        clock.Advance(TimeSpan.FromMinutes(1));
        AuditRecord second = await trail.AppendAsync(Entry("PUT /api/resources/{name}"));

        Assert.AreEqual(AuditTrail.Genesis, first.PreviousHash);
        Assert.AreEqual(first.Hash, second.PreviousHash);
        Assert.IsNull(await trail.VerifyAsync());
        IReadOnlyList<AuditRecord> page = await trail.QueryAsync(new AuditQuery(From: clock.GetUtcNow(), Top: 10));
        Assert.AreEqual(second.Sequence, page.Single().Sequence);
        Assert.AreEqual(first.Sequence,
            (await trail.QueryAsync(new AuditQuery(To: clock.GetUtcNow(), Top: 10))).Single().Sequence);
        Assert.AreEqual("BmcUserPassword",
            (await trail.QueryAsync(new AuditQuery(Operation: "secretvalueread"))).Single().SecretName);
    }

    [TestMethod]
    public async Task Queries_filter_without_case_and_page_after_a_sequence()
    {
        AuditTrail trail = OpenTrail(TimeProvider.System);
        for (int i = 0; i < 7; i++) await trail.AppendAsync(Entry($"op{i % 2}", principal: i < 4 ? "Alice" : "bob"));

        Assert.HasCount(4, await trail.QueryAsync(new AuditQuery(Principal: "ALICE")));
        Assert.HasCount(7, await trail.QueryAsync(new AuditQuery(Resource: "ASE1", Result: "succeeded")));
        IReadOnlyList<AuditRecord> first = await trail.QueryAsync(new AuditQuery(Top: 3));
        IReadOnlyList<AuditRecord> next = await trail.QueryAsync(new AuditQuery(After: first[^1].Sequence, Top: 3));
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5, 6 },
            first.Concat(next).Select(r => r.Sequence).ToArray());
        Assert.HasCount(2, await trail.QueryAsync(new AuditQuery(Operation: "op1", After: 3)));
    }

    [TestMethod]
    public async Task Parallel_appends_from_separate_trails_keep_one_chain_and_every_record()
    {
        const int hosts = 6, perHost = 5;
        AuditTrail[] trails = [.. Enumerable.Range(0, hosts).Select(_ => OpenTrail(TimeProvider.System))];
        AuditRecord[][] appended = await Task.WhenAll(trails.Select(async (t, h) =>
        {
            var mine = new List<AuditRecord>();
            for (int i = 0; i < perHost; i++) mine.Add(await t.AppendAsync(Entry($"host{h}-op{i}")));
            return mine.ToArray();
        }));

        Assert.IsNull(await trails[0].VerifyAsync(), "the chain did not fork");
        IReadOnlyList<AuditRecord> all = await trails[1].QueryAsync(new AuditQuery(Top: 1000));
        Assert.HasCount(hosts * perHost, all);
        CollectionAssert.AreEqual(Enumerable.Range(1, hosts * perHost).Select(i => (long)i).ToList(),
            all.Select(r => r.Sequence).ToList());
        CollectionAssert.AreEquivalent(appended.SelectMany(a => a).Select(r => r.Operation).ToList(),
            all.Select(r => r.Operation).ToList(), "no record lost or doubled");
    }

    [TestMethod]
    public async Task Role_assignments_are_put_replaced_listed_by_principal_in_any_case_and_deleted()
    {
        RoleAssignmentStore roles = OpenRoles();
        var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await roles.PutAsync(new RoleAssignment("b", "Alice", EdgeKvRole.Operator, "/", at.AddMinutes(1), "admin"));
        await roles.PutAsync(new RoleAssignment("a", "alice", EdgeKvRole.Auditor, "/resources/ase1", at, "admin"));
        await roles.PutAsync(new RoleAssignment("c", "bob", EdgeKvRole.SecurityTeam, "/", at, "admin"));

        CollectionAssert.AreEqual(new[] { "a", "b" },
            (await OpenRoles().ListAsync("ALICE")).Select(r => r.Id).ToArray(), "by creation time, from any host");
        await roles.PutAsync(new RoleAssignment("b", "Alice", EdgeKvRole.Auditor, "/resourceGroups/rg",
            at.AddMinutes(1), "admin"));
        RoleAssignment replaced = (await roles.GetAsync("b"))!;
        Assert.AreEqual(EdgeKvRole.Auditor, replaced.Role);
        Assert.AreEqual("/resourceGroups/rg", replaced.Scope);
        Assert.AreEqual(at.AddMinutes(1), replaced.CreatedAt);
        Assert.IsTrue(await roles.DeleteAsync("b"));
        Assert.IsFalse(await roles.DeleteAsync("b"));
        Assert.HasCount(2, await roles.ListAsync());
    }
}
