namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Further subscriptions seeded at start: each holds every principal's subscription role and role grants (relative to
/// it), and Resource Manager decides each request by the roles held in the subscription it names.
/// </summary>
[TestClass]
public sealed class AdditionalSubscriptionsTests
{
    private const string Second = "00000000-0000-4000-8000-0000000000d2";
    private const string Api = "api-version=2022-09-01";

    [TestMethod]
    public async Task A_further_subscription_is_seeded_like_the_default_and_roles_are_checked_in_it()
    {
        var scoped = new EmulatorPrincipal("group-contributor", Guid.NewGuid(), "group-contributor-secret",
            Guid.NewGuid(),
            RoleGrants: [new EmulatorRoleGrant("resourceGroups/rg-granted", "Contributor")]);
        RunningEmulator emulator = await TestEmulator.StartAsync(o =>
        {
            o.AdditionalSubscriptions = [Second];
            o.Principals = [.. o.Principals, scoped];
        });
        try
        {
            using var arm = new ArmHttp(emulator);
            string owner = await arm.GetTokenAsync(); // Owner of every seeded subscription
            string group = await arm.GetTokenAsync("group-contributor");

            ArmReply subscription = await arm.GetAsync($"/subscriptions/{Second}?api-version=2022-12-01", owner);
            Assert.AreEqual(200, subscription.Status, subscription.Text);
            Assert.AreEqual(201, (await arm.PutAsync($"/subscriptions/{Second}/resourceGroups/rg-other?{Api}", owner, """{"location":"westus2"}""")).Status);

            // The grant's group exists in both subscriptions, and the grant holds in each; the other group stays out of
            // reach.
            foreach (string sub in new[] { emulator.SubscriptionId, Second })
            {
                ArmReply granted = await arm.GetAsync($"/subscriptions/{sub}/resourceGroups/rg-granted?{Api}", group);
                Assert.AreEqual(200, granted.Status, granted.Text);
            }

            ArmReply refused = await arm.GetAsync($"/subscriptions/{Second}/resourceGroups/rg-other?{Api}", group);
            Assert.AreEqual(403, refused.Status, refused.Text);
            Assert.AreEqual("AuthorizationFailed", refused.ErrorCode);

            ArmReply unknown = await arm.GetAsync($"/subscriptions/{Guid.NewGuid()}/resourceGroups/rg-granted?{Api}",
                owner);
            Assert.IsTrue(unknown.Status is 403 or 404, unknown.Text);
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }

    [TestMethod]
    public async Task A_further_subscription_that_is_not_a_guid_is_refused()
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => AzureEmulator.StartAsync(new EmulatorOptions { AdditionalSubscriptions = ["second"] }));
    }
}
