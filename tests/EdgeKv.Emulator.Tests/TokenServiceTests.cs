using System.Text.Json.Nodes;
using EdgeKv.Emulator;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Emulator.Tests;

[TestClass]
public sealed class TokenServiceTests
{
    private static ArmHttp arm = null!;

    [ClassInitialize]
    public static void Initialize(TestContext context) => arm = new ArmHttp(TestEmulator.Shared);

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    private static string VaultsPath => $"{arm.SubscriptionPath}/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01";

    [TestMethod]
    public async Task Token_HasEntraClaims_AndValidatesAgainstPublishedKeys()
    {
        var token = await arm.GetTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv/.default");
        var configuration = (await arm.GetAsync($"/{TestEmulator.Shared.TenantId}/v2.0/.well-known/openid-configuration", null)).Json!;
        var jwksUri = new Uri((string)configuration["jwks_uri"]!);
        var keys = new JsonWebKeySet((await arm.GetAsync(jwksUri.AbsolutePath, null)).Text);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)configuration["issuer"]!,
            ValidAudience = "api://edgekv",
            IssuerSigningKeys = keys.GetSigningKeys(),
        });

        Assert.IsTrue(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        var principal = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.SecurityTeam);
        Assert.AreEqual(principal.ObjectId.ToString(), jwt.GetClaim("oid").Value);
        Assert.AreEqual(TestEmulator.Shared.TenantId.ToString(), jwt.GetClaim("tid").Value);
        Assert.AreEqual(principal.ClientId.ToString(), jwt.GetClaim("appid").Value);
        Assert.AreEqual("EdgeKv.SecurityTeam", jwt.GetClaim("roles").Value);
        Assert.AreEqual("RS256", jwt.Alg);
        Assert.AreEqual(TestEmulator.Shared.Issuer, jwt.Issuer);
    }

    [TestMethod]
    public async Task V1Token_ValidatesAgainstTheV1Metadata_WhoseIssuerIsNotTheAuthority()
    {
        var tenant = TestEmulator.Shared.TenantId;
        var v1 = (await arm.GetAsync($"/{tenant}/.well-known/openid-configuration", null)).Json!;
        var v2 = (await arm.GetAsync($"/{tenant}/v2.0/.well-known/openid-configuration", null)).Json!;
        var v1Issuer = (string)v1["issuer"]!;
        Assert.AreNotEqual((string)v2["issuer"]!, v1Issuer);
        Assert.IsFalse(v1Issuer.StartsWith($"{TestEmulator.Shared.Endpoint.AbsoluteUri}{tenant}",
            StringComparison.Ordinal), v1Issuer);
        var keys = new JsonWebKeySet((await arm.GetAsync(new Uri((string)v1["jwks_uri"]!).AbsolutePath, null)).Text);

        var token = await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv",
            version: "1.0");
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = v1Issuer,
            ValidAudience = "api://edgekv",
            IssuerSigningKeys = keys.GetSigningKeys(),
        });

        Assert.IsTrue(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.AreEqual("1.0", jwt.GetClaim("ver").Value);
        Assert.IsFalse(jwt.TryGetClaim("azp", out _), "v1 tokens name the client in appid");

        // Resource Manager takes both versions.
        var management = await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam,
            "https://management.azure.com/", version: "1.0");
        var listed = await arm.GetAsync(VaultsPath, management);
        Assert.AreNotEqual(401, listed.Status, listed.Text);
    }

    [TestMethod]
    public async Task AdminToken_CarriesGroupsUpToEntrasLimit_AndAnOverageIndicatorBeyondIt()
    {
        Guid user = Guid.NewGuid();
        Guid[] few = [Guid.NewGuid(), Guid.NewGuid()];
        var withGroups = new JsonWebToken(await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.NoRoles,
            "api://edgekv", groups: few, objectId: user));
        Assert.AreEqual(user.ToString(), withGroups.GetClaim("oid").Value);
        CollectionAssert.AreEquivalent(few.Select(g => g.ToString()).ToArray(),
            withGroups.Claims.Where(c => c.Type == "groups").Select(c => c.Value).ToArray());
        Assert.IsFalse(withGroups.TryGetClaim("_claim_names", out _));

        Guid[] many = [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid())];
        var overage = new JsonWebToken(await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.NoRoles,
            "api://edgekv", groups: many));
        Assert.IsFalse(overage.Claims.Any(c => c.Type == "groups"), "past the limit the groups are left out");
        var names = JsonNode.Parse(overage.GetClaim("_claim_names").Value)!;
        string source = (string)names["groups"]!;
        var sources = JsonNode.Parse(overage.GetClaim("_claim_sources").Value)!;
        StringAssert.StartsWith((string)sources[source]!["endpoint"]!, "https://graph.microsoft.com/");
    }

    [TestMethod]
    public async Task TokenEndpoint_WrongSecret_Answers401InvalidClient()
    {
        var principal = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService);
        using var response = await arm.RequestTokenAsync(principal.ClientId.ToString(), "nope",
            ArmHttp.ManagementScope);

        Assert.AreEqual(401, (int)response.StatusCode);
        Assert.AreEqual("invalid_client",
            (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [TestMethod]
    public async Task TokenEndpoint_UnknownClientOrTenant_Answers400()
    {
        using var unknownClient = await arm.RequestTokenAsync(Guid.NewGuid().ToString(), "x", ArmHttp.ManagementScope);
        using var unknownTenant = await arm.RequestTokenAsync(Guid.NewGuid().ToString(), "x", ArmHttp.ManagementScope,
            Guid.NewGuid().ToString());

        Assert.AreEqual(400, (int)unknownClient.StatusCode);
        Assert.AreEqual(400, (int)unknownTenant.StatusCode);
    }

    [TestMethod]
    public async Task Arm_NoToken_Answers401WithBearerChallenge()
    {
        var reply = await arm.GetAsync(VaultsPath, null);

        Assert.AreEqual(401, reply.Status);
        Assert.AreEqual("AuthenticationFailed", reply.ErrorCode);
        StringAssert.StartsWith(reply.Headers["WWW-Authenticate"], "Bearer authorization_uri=");
    }

    [TestMethod]
    public async Task Arm_ExpiredToken_Answers401ExpiredAuthenticationToken()
    {
        var token = await TestEmulator.Shared.Admin.IssueTokenAsync(EmulatorPrincipals.EdgeKvService,
            "https://management.azure.com/", TimeSpan.FromMinutes(-5));

        var reply = await arm.GetAsync(VaultsPath, token);

        Assert.AreEqual(401, reply.Status);
        Assert.AreEqual("ExpiredAuthenticationToken", reply.ErrorCode);
        Assert.IsTrue(reply.Headers.ContainsKey("WWW-Authenticate"));
    }

    [TestMethod]
    public async Task Arm_VaultAudienceToken_Answers401InvalidAuthenticationTokenAudience()
    {
        var token = await arm.GetTokenAsync(EmulatorPrincipals.EdgeKvService, "https://vault.azure.net/.default");

        var reply = await arm.GetAsync(VaultsPath, token);

        Assert.AreEqual(401, reply.Status);
        Assert.AreEqual("InvalidAuthenticationTokenAudience", reply.ErrorCode);
    }

    [TestMethod]
    [DataRow("not-a-jwt")]
    [DataRow("eyJhbGciOiJub25lIn0.eyJvaWQiOiJ4In0.")]
    public async Task Arm_MalformedOrUnsignedToken_Answers401InvalidAuthenticationToken(string token)
    {
        var reply = await arm.GetAsync(VaultsPath, token);

        Assert.AreEqual(401, reply.Status);
        Assert.AreEqual("InvalidAuthenticationToken", reply.ErrorCode);
    }

    [TestMethod]
    public async Task Arm_TokenSignedByAnotherKey_Answers401()
    {
        var token = await arm.GetTokenAsync();
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(new byte[256])}";

        var reply = await arm.GetAsync(VaultsPath, forged);

        Assert.AreEqual(401, reply.Status);
        Assert.AreEqual("InvalidAuthenticationToken", reply.ErrorCode);
    }

    [TestMethod]
    public async Task ManagedIdentityEndpoint_UnknownHeader_Answers400()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{TestEmulator.Shared.IdentityEndpoint}?api-version=2019-08-01&resource=https://vault.azure.net");
        request.Headers.Add("X-IDENTITY-HEADER", "unknown");

        using var response = await http.SendAsync(request);

        Assert.AreEqual(400, (int)response.StatusCode);
    }
}
