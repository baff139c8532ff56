namespace EdgeKv.Azure.Tests;

[TestClass]
public static class AssemblySetup
{
    [AssemblyInitialize]
    public static async Task InitializeAsync(TestContext context) => await TestEmulator.StartSharedAsync();

    [AssemblyCleanup]
    public static async Task CleanupAsync() => await TestEmulator.StopSharedAsync();
}
