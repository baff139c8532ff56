using Azure;
using Azure.Core;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class TokenRefusalTests
{
    [TestMethod]
    [DataRow("https://management.azure.com/", -300, "ExpiredAuthenticationToken")]
    [DataRow("https://vault.azure.net", 3600, "InvalidAuthenticationTokenAudience")]
    public async Task ArmClient_WithRefusedToken_Gets401WithAzureCode(string audience, int lifetimeSeconds,
        string expectedCode)
    {
        var token = await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.EdgeKvService, audience,
            TimeSpan.FromSeconds(lifetimeSeconds));
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var client = factory.CreateArmClient(new FixedTokenCredential(token));

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetVaultsClient(client).ListAsync());

        Assert.AreEqual(401, error.Status);
        Assert.AreEqual(expectedCode, error.ErrorCode);
    }

    [TestMethod]
    public async Task ArmClient_WithTokenFromAdmin_IsAccepted()
    {
        var token = await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.Reader,
            "https://management.azure.com/");
        var factory = TestEmulator.Factory(TestEmulator.Shared);

        var vaults = await factory.GetVaultsClient(factory.CreateArmClient(new FixedTokenCredential(token))).ListAsync();

        Assert.IsNotNull(vaults);
    }

    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext,
            CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
