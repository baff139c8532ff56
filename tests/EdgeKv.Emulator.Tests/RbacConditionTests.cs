namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Delegated role assignment management under an ABAC condition, Azure's "constrain roles" pattern: a principal whose
/// roleAssignments write and delete are conditioned on two role ids can assign and remove exactly those roles, and gets
/// Resource Manager's 403 AuthorizationFailed for Owner or a custom role with <c>*</c>; a condition the emulator cannot
/// evaluate, or of another version, is refused with a 400 instead of being ignored.
/// </summary>
[TestClass]
public sealed class RbacConditionTests
{
    private const string Rg = "rg-rbac-condition";
    private const string OwnerRoleId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string ReaderRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private static ArmHttp arm = null!;
    private static string ownerToken = null!;
    private static string group = null!;
    private static Guid delegateRole;
    private static Guid allowedA;
    private static Guid allowedB;
    private static Guid everything;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        ownerToken = await arm.GetTokenAsync();
        group = $"{arm.SubscriptionPath}/resourceGroups/{Rg}";
        Assert.AreEqual(201, (await arm.PutAsync($"{group}?api-version=2025-04-01", ownerToken, """{"location":"westus2"}""")).Status);
        delegateRole = await CustomRoleAsync("condition delegate", """["Microsoft.Authorization/roleAssignments/read","Microsoft.Authorization/roleAssignments/write","Microsoft.Authorization/roleAssignments/delete"]""", "[]");
        allowedA = await CustomRoleAsync("condition allowed a", "[]", """["Microsoft.KeyVault/vaults/secrets/getSecret/action"]""");
        allowedB = await CustomRoleAsync("condition allowed b", "[]", """["Microsoft.KeyVault/vaults/secrets/setSecret/action"]""");
        everything = await CustomRoleAsync("condition everything", """["*"]""", "[]");

        // The delegate (the Reader principal, which holds only Reader elsewhere) gets role assignment management on the
        // group, constrained to the two roles.
        ArmReply delegated = await AssignAsync(ownerToken, delegateRole, Principal(EmulatorPrincipals.Reader),
            ConstrainTo(allowedA, allowedB));
        Assert.AreEqual(201, delegated.Status, delegated.Text);
        Assert.AreEqual("2.0", (string?)delegated.Json!["properties"]!["conditionVersion"]);
        Assert.AreEqual(ConstrainTo(allowedA, allowedB), (string?)delegated.Json["properties"]!["condition"]);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    public async Task The_delegate_assigns_and_removes_only_the_roles_its_condition_names()
    {
        string delegateToken = await arm.GetTokenAsync(EmulatorPrincipals.Reader);
        Guid assignee = Principal(EmulatorPrincipals.Contributor);

        ArmReply a = await AssignAsync(delegateToken, allowedA, assignee);
        ArmReply b = await AssignAsync(delegateToken, allowedB, assignee);
        ArmReply owner = await AssignAsync(delegateToken, Guid.Parse(OwnerRoleId), assignee);
        ArmReply star = await AssignAsync(delegateToken, everything, Principal(EmulatorPrincipals.Reader));

        Assert.AreEqual(201, a.Status, a.Text);
        Assert.AreEqual(201, b.Status, b.Text);
        Assert.AreEqual(403, owner.Status, owner.Text);
        Assert.AreEqual("AuthorizationFailed", owner.ErrorCode);
        StringAssert.Contains(owner.ErrorMessage, "Microsoft.Authorization/roleAssignments/write");
        Assert.AreEqual(403, star.Status, star.Text);
        Assert.AreEqual("AuthorizationFailed", star.ErrorCode);

        ArmReply removed = await arm.SendAsync(HttpMethod.Delete, $"{(string)a.Json!["id"]!}?api-version=2022-04-01", delegateToken);
        Assert.AreEqual(200, removed.Status, removed.Text);

        // An assignment of another role, made by the group's owner, is out of the delegate's reach.
        ArmReply reader = await AssignAsync(ownerToken, Guid.Parse(ReaderRoleId), assignee);
        Assert.AreEqual(201, reader.Status, reader.Text);
        ArmReply notRemoved = await arm.SendAsync(HttpMethod.Delete, $"{(string)reader.Json!["id"]!}?api-version=2022-04-01", delegateToken);
        Assert.AreEqual(403, notRemoved.Status, notRemoved.Text);
        Assert.AreEqual("AuthorizationFailed", notRemoved.ErrorCode);
        StringAssert.Contains(notRemoved.ErrorMessage, "Microsoft.Authorization/roleAssignments/delete");
        Assert.AreEqual(200, (await arm.GetAsync($"{(string)reader.Json["id"]!}?api-version=2022-04-01", ownerToken)).Status);
    }

    [TestMethod]
    public async Task A_condition_the_emulator_cannot_evaluate_or_of_another_version_is_refused_with_a_400()
    {
        Guid assignee = Principal(EmulatorPrincipals.Contributor);
        string unsupported = $"((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/write'}})) OR (@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {{'User'}}))";

        ArmReply byAttribute = await AssignAsync(ownerToken, delegateRole, assignee, unsupported);
        ArmReply malformed = await AssignAsync(ownerToken, delegateRole, assignee,
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR");
        ArmReply version = await AssignAsync(ownerToken, delegateRole, assignee, ConstrainTo(allowedA, allowedB),
            "1.0");

        foreach (ArmReply refused in new[] { byAttribute, malformed, version })
        {
            Assert.AreEqual(400, refused.Status, refused.Text);
            Assert.AreEqual("InvalidConditionExpression", refused.ErrorCode);
        }
    }

    /// <summary>Azure's documented condition constraining role assignment writes and deletes to two roles.</summary>
    private static string ConstrainTo(Guid first, Guid second) =>
        $"((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/write'}})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{first}, {second}}})) "
        + $"AND ((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/delete'}})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{first}, {second}}}))";

    private static Guid Principal(string name) => TestEmulator.Shared.GetPrincipal(name).ObjectId;

    private static async Task<Guid> CustomRoleAsync(string name, string actions, string dataActions)
    {
        Guid id = Guid.NewGuid();
        ArmReply role = await arm.PutAsync($"{group}/providers/Microsoft.Authorization/roleDefinitions/{id}?api-version=2022-04-01", ownerToken,
            $$$"""{"properties":{"roleName":"{{{name}}} {{{id:N}}}","type":"CustomRole","assignableScopes":["{{{group}}}"],"permissions":[{"actions":{{{actions}}},"dataActions":{{{dataActions}}}}]}}""");
        Assert.AreEqual(201, role.Status, role.Text);
        return id;
    }

    private static Task<ArmReply> AssignAsync(string token, Guid role, Guid principal, string? condition = null,
        string conditionVersion = "2.0")
    {
        string conditionProperties = condition is null ? string.Empty : $$$""","condition":"{{{condition}}}","conditionVersion":"{{{conditionVersion}}}" """;
        return arm.PutAsync($"{group}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01", token,
            $$$"""{"properties":{"roleDefinitionId":"{{{arm.SubscriptionPath}}}/providers/Microsoft.Authorization/roleDefinitions/{{{role}}}","principalId":"{{{principal}}}"{{{conditionProperties}}}}}""");
    }
}
