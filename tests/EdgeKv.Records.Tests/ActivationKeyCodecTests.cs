using EdgeKv.Records;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

[TestClass]
public sealed class ActivationKeyCodecTests
{
    private static readonly ActivationKeyClaims Claims = new("ase1",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase1",
        "http://127.0.0.1:7071", "k1", new DateTimeOffset(2030, 1, 3, 0, 0, 0, TimeSpan.Zero));

    [TestMethod]
    public void A_key_reads_back_to_its_claims_and_is_the_same_every_time()
    {
        using var folder = new TempDirectory("codec");
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var codec = new ActivationKeyCodec(Path.Combine(folder.Path, "activation-signing.key"), time);
        string key = codec.Write(Claims);
        StringAssert.StartsWith(key, "EKV1.");
        Assert.AreEqual(key, codec.Write(Claims), "derived, not stored");
        Assert.IsTrue(codec.TryRead(key, out ActivationKeyClaims? read, out ActivationKeyProblem problem));
        Assert.AreEqual(Claims, read);
        Assert.AreEqual(ActivationKeyProblem.None, problem);
        Assert.AreEqual(key, new ActivationKeyCodec(Path.Combine(folder.Path, "activation-signing.key"),
            time).Write(Claims), "the signing key persists");
    }

    [TestMethod]
    public void A_changed_character_is_detected_as_tampering()
    {
        using var folder = new TempDirectory("codec");
        var codec = new ActivationKeyCodec(Path.Combine(folder.Path, "k"),
            new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        string key = codec.Write(Claims);
        char[] chars = key.ToCharArray();
        int i = key.IndexOf('.', StringComparison.Ordinal) + 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        Assert.IsFalse(codec.TryRead(new string(chars), out _, out ActivationKeyProblem problem));
        Assert.AreEqual(ActivationKeyProblem.Tampered, problem);
        Assert.IsFalse(codec.TryRead("hello", out _, out problem));
        Assert.AreEqual(ActivationKeyProblem.Malformed, problem);
    }

    [TestMethod]
    public void A_key_from_another_EdgeKv_is_refused()
    {
        using var folder = new TempDirectory("codec");
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string foreign = new ActivationKeyCodec(Path.Combine(folder.Path, "a"), time).Write(Claims);
        Assert.IsFalse(new ActivationKeyCodec(Path.Combine(folder.Path, "b"), time).TryRead(foreign, out _,
            out ActivationKeyProblem problem));
        Assert.AreEqual(ActivationKeyProblem.Tampered, problem);
    }

    [TestMethod]
    public void A_key_past_its_expiry_is_refused_as_expired()
    {
        using var folder = new TempDirectory("codec");
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var codec = new ActivationKeyCodec(Path.Combine(folder.Path, "k"), time);
        string key = codec.Write(Claims);
        time.Advance(TimeSpan.FromDays(2));
        Assert.IsFalse(codec.TryRead(key, out _, out ActivationKeyProblem problem));
        Assert.AreEqual(ActivationKeyProblem.Expired, problem);
    }
}
