using EdgeKv.Azure.Monitoring;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class AuditLogLayoutTests
{
    private const string Vault = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1";
    private const string Root = "resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG1/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1/";

    [TestMethod]
    public void OneHour_IsOneHourPrefix()
    {
        var from = new DateTimeOffset(2026, 3, 4, 5, 0, 0, TimeSpan.Zero);
        CollectionAssert.AreEqual(new[] { Root + "y=2026/m=03/d=04/h=05/" },
            AuditLogLayout.PrefixesFor(Vault, from, from.AddHours(1)).ToList());
    }

    [TestMethod]
    public void RaggedWindow_UsesHoursAtTheEnds_AndWholeDaysMonthsAndYearsBetween()
    {
        var from = new DateTimeOffset(2025, 11, 30, 22, 15, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2027, 2, 2, 1, 30, 0, TimeSpan.Zero);

        var prefixes = AuditLogLayout.PrefixesFor(Vault, from, to).Select(p => p[Root.Length..]).ToList();

        CollectionAssert.AreEqual(new[]
        {
            "y=2025/m=11/d=30/h=22/", "y=2025/m=11/d=30/h=23/", "y=2025/m=12/", "y=2026/", "y=2027/m=01/",
                "y=2027/m=02/d=01/",
            "y=2027/m=02/d=02/h=00/", "y=2027/m=02/d=02/h=01/",
        }, prefixes);
    }

    [TestMethod]
    public void EmptyWindow_HasNoPrefix() =>
        Assert.AreEqual(0, AuditLogLayout.PrefixesFor(Vault, DateTimeOffset.UnixEpoch.AddHours(3),
            DateTimeOffset.UnixEpoch.AddHours(3)).Count);

    [TestMethod]
    public void BlobName_RoundTripsItsHour()
    {
        var hour = new DateTimeOffset(2026, 12, 7, 13, 0, 0, TimeSpan.Zero);
        var name = AuditLogLayout.BlobName(Vault, hour.AddMinutes(42));

        Assert.AreEqual(Root + "y=2026/m=12/d=07/h=13/m=00/PT1H.json", name);
        Assert.AreEqual(hour, AuditLogLayout.HourOf(name));
        Assert.IsNull(AuditLogLayout.HourOf(Root + "notes.txt"));
    }
}
