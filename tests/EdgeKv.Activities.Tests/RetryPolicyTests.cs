using Azure;
using EdgeKv.Activities;
using Microsoft.DurableTask;
using EdgeKv.Orchestrations;

namespace EdgeKv.Activities.Tests;

[TestClass]
public sealed class RetryPolicyTests
{
    private static IEnumerable<TaskOptions> Policies => [CallPolicies.ArmCalls, CallPolicies.VaultDataCalls,
        CallPolicies.ValidationCalls];

    [TestMethod]
    public void Refusals_are_never_retried()
    {
        TaskFailureDetails refused = Failure(new ActivationRefusedException("VaultNameInUse", "taken"));
        Assert.IsFalse(CallPolicies.IsTransient(refused));
        foreach (TaskOptions options in Policies) Assert.IsNotNull(options.Retry!.Policy);
    }

    [TestMethod]
    [DataRow(429)]
    [DataRow(500)]
    [DataRow(503)]
    public void Throttling_and_server_errors_are_retried_with_backoff(int status)
    {
        TaskFailureDetails transient = Failure(new RequestFailedException(status, "busy"));
        foreach (TaskOptions options in Policies)
        {
            RetryPolicy policy = options.Retry!.Policy!;
            Assert.IsTrue(CallPolicies.IsTransient(transient));
            Assert.IsTrue(policy.BackoffCoefficient > 1 && policy.MaxRetryInterval > policy.FirstRetryInterval);
        }
    }

    [TestMethod]
    [DataRow(400, false)]
    [DataRow(403, false)]
    [DataRow(409, false)]
    [DataRow(429, true)]
    [DataRow(502, true)]
    public void Azure_failures_are_sorted_into_transient_and_refusals(int status, bool transient) =>
        Assert.AreEqual(transient, AzureFailures.IsTransient(new RequestFailedException(status, "x")));

    [TestMethod]
    public void A_refusal_message_keeps_its_code()
    {
        var refused = new ActivationRefusedException("VaultNameSoftDeleted", "held by a deleted vault");
        Assert.AreEqual(("VaultNameSoftDeleted", "held by a deleted vault"),
            ActivationRefusedException.Parse(refused.Message));
    }

    /// <summary>A failure as the framework records it: the exception's type name and message.</summary>
    private static TaskFailureDetails Failure(Exception exception) => new(exception.GetType().FullName!,
        exception.Message, null, null, null);
}
