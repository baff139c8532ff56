using EdgeKv.Records.Tables;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// One Azurite for every Table storage contract of this assembly (started once, not once per class), and a fresh
/// table prefix per test.
/// </summary>
[TestClass]
public static class TableStorageAzurite
{
    private static AzuriteProcess? s_azurite;

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [AssemblyCleanup]
    public static void Stop() => s_azurite?.Dispose();

    /// <summary>A prefix no other test uses (tables of its own); inconclusive when Azurite is not installed.</summary>
    public static string NewPrefix()
    {
        if (s_azurite is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        return $"T{Guid.NewGuid():N}"[..16];
    }

    /// <summary>
    /// The account under <paramref name="prefix"/>, with clients of its own each time, as each host has: race tests
    /// open several stores on the same tables.
    /// </summary>
    public static SharedStoreAccount Account(string prefix) => SharedStoreAccount.FromConnectionString(s_azurite!.ConnectionString, prefix);

    /// <summary>The Azurite connection string, for tests that build their clients themselves.</summary>
    public static string ConnectionString => s_azurite!.ConnectionString;
}
