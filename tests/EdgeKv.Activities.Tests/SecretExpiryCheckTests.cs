using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Secrets;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Tests;

[TestClass]
public sealed class SecretExpiryCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private static SecretProperties Secret(string name, DateTimeOffset? expiresOn,
        bool enabled = true) => new(name) { ExpiresOn = expiresOn, Enabled = enabled };

    [TestMethod]
    public void Secrets_within_the_window_are_one_warning_expired_ones_one_error_and_the_rest_nothing()
    {
        IReadOnlyList<AlertObservation> found = SecretExpiryCheck.Check("ase1",
        [
            Secret("ChannelIntegrityKey", Now.AddDays(29)),
            Secret("share-b", Now.AddDays(30)),
            Secret("share-c", Now.AddDays(30).AddSeconds(1)),
            Secret("share-d", Now),
            Secret("share-e", Now.AddDays(-3)),
            Secret("share-f", Now.AddDays(-3), enabled: false),
            Secret("share-g", null),
        ], Now, Window);

        Assert.HasCount(2, found);
        AlertObservation expired = found.Single(f => f.Kind == AlertKind.SecretExpired);
        AlertObservation near = found.Single(f => f.Kind == AlertKind.SecretNearExpiry);
        StringAssert.Contains(expired.Finding, "'share-d'");
        StringAssert.Contains(expired.Finding, "'share-e'");
        StringAssert.Contains(near.Finding, "'ChannelIntegrityKey'");
        StringAssert.Contains(near.Finding, "'share-b'");
        foreach (string absent in new[] { "share-c", "share-f", "share-g" })
        {
            Assert.IsFalse(expired.Finding.Contains(absent, StringComparison.Ordinal) || near.Finding.Contains(absent,
                StringComparison.Ordinal), absent);
        }

        Assert.AreEqual(AlertSeverity.Error, AlertKinds.SeverityOf(AlertKind.SecretExpired));
        Assert.AreEqual(AlertSeverity.Warning, AlertKinds.SeverityOf(AlertKind.SecretNearExpiry));
        Assert.IsEmpty(SecretExpiryCheck.Check("ase1", [Secret("share-a", Now.AddDays(365))], Now, Window),
            "renewed: nothing found, so the sweep resolves");
    }
}
