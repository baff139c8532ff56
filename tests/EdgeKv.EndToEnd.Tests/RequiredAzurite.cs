using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Azurite for a test that cannot run without it (the shared launcher is also the bench's, which has no MSTest).
/// </summary>
internal static class RequiredAzurite
{
    public static async Task<AzuriteProcess> StartAsync() =>
        await AzuriteProcess.StartAsync() ?? throw new AssertInconclusiveException("Azurite is not installed (.ci/install puts it under .tools/azurite).");
}
