using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class DurableTaskHttpApiTests
{
    private const string Api = HttpManagementPayload.RoutePrefix;
    private static HostFixture s_host = null!;

    [ClassInitialize]
    public static async Task StartHost(TestContext _)
        => s_host = await HostFixture.StartAsync(r => r
            .AddOrchestratorFunc<string?, string>("WaitForApproval", async (ctx, note) =>
            {
                ctx.SetCustomStatus(new { waitingFor = "Approval" });
                string answer = await ctx.WaitForExternalEvent<string>("Approval");
                return $"{note}: {answer}";
            }),
            // A test flow the management API may start and signal, like the diagnostic one.
            services => services.AddSingleton(new OrchestrationRule("WaitForApproval", Permission.OrchestrationsManage,
                _ => null, StartableThroughApi: true)));

    [ClassCleanup]
    public static async Task StopHost() => await s_host.DisposeAsync();

    private static HttpClient Http => s_host.Http;

    [TestMethod]
    public async Task HelloSequence_starts_with_a_check_status_payload_and_polls_to_completed()
    {
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("""["Tokyo","Seattle","London"]"""));

        Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode);
        JsonElement payload = await start.Content.ReadFromJsonAsync<JsonElement>();
        string id = payload.GetProperty("id").GetString()!;
        foreach (string uri in new[] { "statusQueryGetUri", "sendEventPostUri", "terminatePostUri",
            "purgeHistoryDeleteUri", "restartPostUri", "suspendPostUri", "resumePostUri" })
        {
            StringAssert.Contains(payload.GetProperty(uri).GetString(), $"/instances/{id}");
        }

        Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), start.Headers.Location!.ToString());
        JsonElement done = await s_host.PollUntilDoneAsync(start.Headers.Location.ToString());
        Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString());
        CollectionAssert.AreEqual(new[] { "Hello Tokyo!", "Hello Seattle!", "Hello London!" },
            done.GetProperty("output").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [TestMethod]
    public async Task Running_instance_answers_202_with_location_and_its_custom_status()
    {
        string id = await StartWaiterAsync();

        using HttpResponseMessage status = await Http.GetAsync($"{Api}/instances/{id}");

        Assert.AreEqual(HttpStatusCode.Accepted, status.StatusCode);
        Assert.IsNotNull(status.Headers.Location);
        JsonElement body = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("Running", body.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual("Approval", body.GetProperty("customStatus").GetProperty("waitingFor").GetString());
        Assert.AreEqual("note", body.GetProperty("input").GetString());
    }

    [TestMethod]
    public async Task Raise_event_completes_the_instance_and_later_signals_are_gone()
    {
        string id = await StartWaiterAsync();

        using HttpResponseMessage raised = await Http.PostAsync($"{Api}/instances/{id}/raiseEvent/approval",
            Json("\"yes\""));
        Assert.AreEqual(HttpStatusCode.Accepted, raised.StatusCode);
        JsonElement done = await s_host.PollUntilDoneAsync($"{Api}/instances/{id}");
        Assert.AreEqual("note: yes", done.GetProperty("output").GetString());

        foreach (string signal in new[] { "raiseEvent/approval", "terminate", "suspend", "resume" })
        {
            using HttpResponseMessage late = await Http.PostAsync($"{Api}/instances/{id}/{signal}", Json("\"again\""));
            Assert.AreEqual(HttpStatusCode.Gone, late.StatusCode, signal);
        }
    }

    [TestMethod]
    public async Task Suspend_resume_and_terminate_change_the_status()
    {
        string id = await StartWaiterAsync();

        Assert.AreEqual(HttpStatusCode.Accepted,
            (await Http.PostAsync($"{Api}/instances/{id}/suspend?reason=maintenance", null)).StatusCode);
        await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        Assert.AreEqual(HttpStatusCode.Accepted,
            (await Http.PostAsync($"{Api}/instances/{id}/resume?reason=done", null)).StatusCode);
        await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        Assert.AreEqual(HttpStatusCode.Accepted,
            (await Http.PostAsync($"{Api}/instances/{id}/terminate?reason=cancelled", null)).StatusCode);

        JsonElement done = await s_host.PollUntilDoneAsync($"{Api}/instances/{id}");
        Assert.AreEqual("Terminated", done.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual("cancelled", done.GetProperty("output").GetString());
    }

    [TestMethod]
    public async Task Starting_a_running_instance_id_again_is_a_conflict()
    {
        string id = await StartWaiterAsync();

        using HttpResponseMessage again = await Http.PostAsync($"{Api}/orchestrators/WaitForApproval/{id}",
            Json("\"note\""));

        await AssertAzureErrorAsync(again, HttpStatusCode.Conflict, "InstanceAlreadyExists");
    }

    [TestMethod]
    public void Every_link_names_EdgeKvs_instance_API_with_no_key_in_it()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("edgekv.azurewebsites.net");

        HttpManagementPayload links = HttpManagementPayload.For(context.Request, "activation-ase1");

        Assert.AreEqual("https://edgekv.azurewebsites.net/api/durabletask/instances/activation-ase1",
            links.StatusQueryGetUri);
        Assert.AreEqual("https://edgekv.azurewebsites.net/api/durabletask/instances/activation-ase1/terminate?reason={text}", links.TerminatePostUri);
        foreach (string link in new[] { links.StatusQueryGetUri, links.SendEventPostUri, links.TerminatePostUri,
            links.PurgeHistoryDeleteUri, links.RestartPostUri, links.SuspendPostUri, links.ResumePostUri })
        {
            Assert.IsFalse(link.Contains("code=", StringComparison.Ordinal) || link.Contains("/runtime/",
                StringComparison.Ordinal), link);
        }
    }

    [TestMethod]
    public async Task A_starters_links_work_with_a_bearer_token()
    {
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/WaitForApproval/links-{Guid.NewGuid():N}", Json("\"note\""));
        Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode, await start.Content.ReadAsStringAsync());
        JsonElement payload = await start.Content.ReadFromJsonAsync<JsonElement>();
        StringAssert.StartsWith(start.Headers.Location!.AbsolutePath, "/api/durabletask/instances/");
        await WaitForStatusAsync(payload.GetProperty("id").GetString()!, OrchestrationRuntimeStatus.Running);

        using (HttpResponseMessage status = await Http.GetAsync(start.Headers.Location)) Assert.AreEqual(HttpStatusCode.Accepted, status.StatusCode);
        using (HttpResponseMessage raised = await Http.PostAsync(payload.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", "Approval", StringComparison.Ordinal), Json("\"yes\"")))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, raised.StatusCode);
        }

        JsonElement done = await s_host.PollUntilDoneAsync(payload.GetProperty("statusQueryGetUri").GetString()!);
        Assert.AreEqual("\"note: yes\"", done.GetProperty("output").GetRawText());
        using HttpResponseMessage purged = await Http.DeleteAsync(payload.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.AreEqual(HttpStatusCode.OK, purged.StatusCode, await purged.Content.ReadAsStringAsync());
    }

    // Follows Azure/azure-functions-host src/WebJobs.Script.WebHost/Controllers/HostController.cs
    // (ExtensionWebHookHandler on runtime/webhooks/{extensionName}, [Authorize(Policy =
    // PolicyNames.SystemKeyAuthLevel)]) and
    // src/WebJobs.Script.WebHost/Security/Authorization/Policies/AuthorizationOptionsExtensions.cs (that policy wants
    // the system key named by DefaultScriptWebHookProvider.GetKeyName: "durabletask_extension"); a bearer token is no
    // key.
    [TestMethod]
    public async Task The_hosts_runtime_webhooks_durabletask_answers_401_to_a_bearer_token_and_opens_with_the_system_key()
    {
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("""["key"]"""));
        string id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await s_host.PollUntilDoneAsync(start.Headers.Location!.ToString());
        const string Webhook = "/runtime/webhooks/durabletask";

        foreach ((string method, string path) in new[] { ("GET", $"{Webhook}/instances/{id}"),
            ("GET", $"{Webhook}/instances"), ("POST", $"{Webhook}/orchestrators/HelloSequence") })
        {
            using HttpResponseMessage refused = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method),
                path) { Content = method == "POST" ? Json("[]") : null });
            Assert.AreEqual(HttpStatusCode.Unauthorized, refused.StatusCode, $"{method} {path} with a bearer token");
        }

        using (HttpResponseMessage wrong = await Http.GetAsync($"{Webhook}/instances/{id}?code=not-the-key")) Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using HttpResponseMessage rotated = await Http.PostAsync("/admin/host/systemkeys/durabletask_extension", null);
        Assert.AreEqual(HttpStatusCode.OK, rotated.StatusCode, await rotated.Content.ReadAsStringAsync());
        string key = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;
        using var keyOnly = new HttpClient { BaseAddress = Http.BaseAddress };

        JsonElement byCode = await keyOnly.GetFromJsonAsync<JsonElement>($"{Webhook}/instances/{id}?code={Uri.EscapeDataString(key)}");
        using var byHeader = new HttpRequestMessage(HttpMethod.Get, $"{Webhook}/instances?instanceIdPrefix={id}");
        byHeader.Headers.Add("x-functions-key", key);
        using HttpResponseMessage listed = await keyOnly.SendAsync(byHeader);

        Assert.AreEqual("Completed", byCode.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual(HttpStatusCode.OK, listed.StatusCode);
        Assert.AreEqual(1, (await listed.Content.ReadFromJsonAsync<JsonElement[]>())!.Length);
    }

    [TestMethod]
    public async Task History_is_shown_on_request_with_outputs_only_when_asked()
    {
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("""["a"]"""));
        string id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await s_host.PollUntilDoneAsync($"{Api}/instances/{id}");

        JsonElement without = await Http.GetFromJsonAsync<JsonElement>($"{Api}/instances/{id}?showHistory=true&showInput=false");
        JsonElement with = await Http.GetFromJsonAsync<JsonElement>($"{Api}/instances/{id}?showHistory=true&showHistoryOutput=true");

        Assert.AreEqual(JsonValueKind.Null, without.GetProperty("input").ValueKind);
        JsonElement completed = without.GetProperty("historyEvents").EnumerateArray().Single(e => e.GetProperty("eventType").GetString() == "TaskCompleted");
        Assert.IsFalse(completed.TryGetProperty("result", out _));
        JsonElement completedWithOutput = with.GetProperty("historyEvents").EnumerateArray().Single(e => e.GetProperty("eventType").GetString() == "TaskCompleted");
        Assert.AreEqual("\"Hello a!\"", completedWithOutput.GetProperty("result").GetString());
    }

    [TestMethod]
    public async Task A_host_whose_client_cannot_read_history_answers_501_instead_of_a_status_without_it()
    {
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("""["b"]"""));
        string id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await s_host.PollUntilDoneAsync(start.Headers.Location!.ToString());
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = s_host.Services };
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?showHistory=true");
        context.Response.Body = new MemoryStream();
        await using var client = new HistorylessDurableTaskClient(DurableClientBinding.GetClient(s_host.Services));

        Microsoft.AspNetCore.Http.IResult result = await DurableTaskHttpApi.GetStatusAsync(id, context.Request, client,
            CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.AreEqual(501, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using JsonDocument body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.AreEqual("HistoryNotSupported", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        context.Request.QueryString = Microsoft.AspNetCore.Http.QueryString.Empty;
        Assert.IsInstanceOfType<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<InstanceStatus>>(
            await DurableTaskHttpApi.GetStatusAsync(id, context.Request, client, CancellationToken.None),
            "without showHistory the status is read as usual");
    }

    [TestMethod]
    public async Task Query_filters_and_pages_with_the_continuation_header()
    {
        string prefix = $"page-{Guid.NewGuid():N}";
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage started = await Http.PostAsync($"{Api}/orchestrators/HelloSequence/{prefix}-{i}",
                Json("[]"));
            await s_host.PollUntilDoneAsync(started.Headers.Location!.ToString());
        }

        var ids = new List<string>();
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"{Api}/instances?instanceIdPrefix={prefix}&runtimeStatus=Completed,Failed&top=2");
            if (token is not null) request.Headers.Add("x-ms-continuation-token", token);
            using HttpResponseMessage page = await Http.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
            ids.AddRange((await page.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()!));
            token = page.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
        }
        while (token is not null);

        CollectionAssert.AreEquivalent(new[] { $"{prefix}-0", $"{prefix}-1", $"{prefix}-2" }, ids);
    }

    [TestMethod]
    public async Task Purge_refuses_a_running_instance_then_deletes_a_finished_one()
    {
        string id = await StartWaiterAsync();
        await AssertAzureErrorAsync(await Http.DeleteAsync($"{Api}/instances/{id}"), HttpStatusCode.Conflict,
            "InstanceNotFinished");

        await Http.PostAsync($"{Api}/instances/{id}/terminate", null);
        await s_host.PollUntilDoneAsync($"{Api}/instances/{id}");
        using HttpResponseMessage purged = await Http.DeleteAsync($"{Api}/instances/{id}");

        Assert.AreEqual(HttpStatusCode.OK, purged.StatusCode);
        Assert.AreEqual(1, (await purged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instancesDeleted").GetInt32());
        await AssertAzureErrorAsync(await Http.GetAsync($"{Api}/instances/{id}"), HttpStatusCode.NotFound,
            "InstanceNotFound");
    }

    [TestMethod]
    public async Task Purge_by_filter_needs_a_start_time_and_deletes_what_matches()
    {
        await AssertAzureErrorAsync(await Http.DeleteAsync($"{Api}/instances?runtimeStatus=Completed"),
            HttpStatusCode.BadRequest, "InvalidQueryParameter");
        using HttpResponseMessage started = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("[]"));
        await s_host.PollUntilDoneAsync(started.Headers.Location!.ToString());

        using HttpResponseMessage purged = await Http.DeleteAsync($"{Api}/instances?createdTimeFrom=2000-01-01T00:00:00Z&runtimeStatus=Completed");

        Assert.AreEqual(HttpStatusCode.OK, purged.StatusCode);
        Assert.IsTrue((await purged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instancesDeleted").GetInt32() >= 1);
    }

    [TestMethod]
    public async Task Restart_starts_a_finished_instance_again_under_a_new_id()
    {
        using HttpResponseMessage started = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("""["again"]"""));
        string id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await s_host.PollUntilDoneAsync(started.Headers.Location!.ToString());

        using HttpResponseMessage restarted = await Http.PostAsync($"{Api}/instances/{id}/restart", null);

        Assert.AreEqual(HttpStatusCode.Accepted, restarted.StatusCode);
        string newId = (await restarted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.AreNotEqual(id, newId);
        JsonElement done = await s_host.PollUntilDoneAsync(restarted.Headers.Location!.ToString());
        Assert.AreEqual("Hello again!", done.GetProperty("output")[0].GetString());
    }

    [TestMethod]
    [DataRow("POST", Api + "/orchestrators/NoSuchOrchestrator", "[]", HttpStatusCode.NotFound, "OrchestratorNotFound")]
    [DataRow("POST", Api + "/orchestrators/HelloSequence", "{not json", HttpStatusCode.BadRequest,
        "InvalidRequestContent")]
    [DataRow("POST", Api + "/orchestrators/HelloSequence", "{\"names\":1}", HttpStatusCode.BadRequest, "InvalidInput")]
    [DataRow("POST", Api + "/orchestrators/HelloSequence/bad%23id", "[]", HttpStatusCode.BadRequest,
        "InvalidInstanceId")]
    [DataRow("GET", Api + "/instances/no-such-instance", null, HttpStatusCode.NotFound, "InstanceNotFound")]
    [DataRow("GET", Api + "/instances/x?showHistory=maybe", null, HttpStatusCode.BadRequest, "InvalidQueryParameter")]
    [DataRow("GET", Api + "/instances?runtimeStatus=Sleeping", null, HttpStatusCode.BadRequest,
        "InvalidQueryParameter")]
    [DataRow("GET", Api + "/instances?top=0", null, HttpStatusCode.BadRequest, "InvalidQueryParameter")]
    [DataRow("GET", Api + "/instances?createdTimeFrom=yesterday", null, HttpStatusCode.BadRequest,
        "InvalidQueryParameter")]
    [DataRow("POST", Api + "/instances/no-such-instance/terminate", null, HttpStatusCode.NotFound, "InstanceNotFound")]
    [DataRow("POST", Api + "/instances/no-such-instance/raiseEvent/x", "{bad", HttpStatusCode.BadRequest,
        "InvalidRequestContent")]
    [DataRow("DELETE", Api + "/instances/no-such-instance", null, HttpStatusCode.NotFound, "InstanceNotFound")]
    [DataRow("GET", "/no/such/route", null, HttpStatusCode.NotFound, "NotFound")]
    [DataRow("DELETE", Api + "/instances?createdTimeFrom=1.5", null, HttpStatusCode.BadRequest,
        "InvalidQueryParameter")]
    [DataRow("GET", Api + "/instances?createdTimeFrom=1.5", null, HttpStatusCode.BadRequest, "InvalidQueryParameter")]
    [DataRow("DELETE", Api + "/instances?createdTimeFrom=2000-01-01T00:00:00Z", null, HttpStatusCode.BadRequest,
        "PurgeAllNotConfirmed")]
    [DataRow("DELETE", Api + "/instances?createdTimeFrom=2000-01-01T00:00:00Z&runtimeStatus=Running", null,
        HttpStatusCode.BadRequest, "InvalidQueryParameter")]
    [DataRow("POST", Api + "/orchestrators/HealthSweep/spin-1", "{}", HttpStatusCode.Forbidden, "StartThroughStarter")]
    [DataRow("POST", Api + "/orchestrators/DeleteResource/op-delete-1",
        "{\"resourceName\":\"victim\",\"resourceId\":\"x\",\"deleteVault\":true}", HttpStatusCode.Forbidden,
        "StartThroughStarter")]
    public async Task Bad_requests_get_a_4xx_in_azure_error_shape(string method, string path, string? body,
        HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method),
            path) { Content = body is null ? null : Json(body) };

        using HttpResponseMessage response = await Http.SendAsync(request);

        await AssertAzureErrorAsync(response, status, code);
    }

    [TestMethod]
    public async Task An_input_the_orchestrations_rule_refuses_is_a_400_before_anything_starts()
    {
        string names = "[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"n{i}\"")) + "]";

        using HttpResponseMessage response = await Http.PostAsync($"{Api}/orchestrators/HelloSequence/too-many-names",
            Json(names));

        await AssertAzureErrorAsync(response, HttpStatusCode.BadRequest, "InvalidInput");
        await AssertAzureErrorAsync(await Http.GetAsync($"{Api}/instances/too-many-names"), HttpStatusCode.NotFound,
            "InstanceNotFound");
    }

    [TestMethod]
    public async Task A_sweep_started_with_zero_parallel_pages_fails_at_once_with_the_reason_instead_of_spinning()
    {
        DurableTaskClient client = DurableClientBinding.GetClient(s_host.Services);
        string id = await client.ScheduleNewOrchestrationInstanceAsync("HealthSweep",
            new EdgeKv.Activities.Health.SweepRequest(200, 0, "test"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true,
            timeout.Token);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        StringAssert.Contains(done.FailureDetails!.ErrorMessage, "maxParallelPages");
    }

    [TestMethod]
    public async Task Purging_everything_since_a_time_must_say_so()
    {
        using HttpResponseMessage started = await Http.PostAsync($"{Api}/orchestrators/HelloSequence", Json("[]"));
        await s_host.PollUntilDoneAsync(started.Headers.Location!.ToString());

        using HttpResponseMessage purged = await Http.DeleteAsync($"{Api}/instances?createdTimeFrom=2000-01-01T00:00:00Z&purgeAll=true");

        Assert.AreEqual(HttpStatusCode.OK, purged.StatusCode, await purged.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Bad_continuation_token_is_a_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api}/instances");
        request.Headers.Add("x-ms-continuation-token", "garbage!");

        await AssertAzureErrorAsync(await Http.SendAsync(request), HttpStatusCode.BadRequest,
            "InvalidContinuationToken");
    }

    [TestMethod]
    public async Task Health_is_ready_when_the_task_hub_runs()
    {
        JsonElement health = await Http.GetFromJsonAsync<JsonElement>("/healthz");

        Assert.AreEqual("Healthy", health.GetProperty("status").GetString());
    }

    private static async Task<string> StartWaiterAsync()
    {
        string id = $"waiter-{Guid.NewGuid():N}";
        using HttpResponseMessage start = await Http.PostAsync($"{Api}/orchestrators/WaitForApproval/{id}",
            Json("\"note\""));
        Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode);
        await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        return id;
    }

    private static async Task WaitForStatusAsync(string id, OrchestrationRuntimeStatus status)
    {
        DurableTaskClient client = DurableClientBinding.GetClient(s_host.Services);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await client.GetInstanceAsync(id, timeout.Token))?.RuntimeStatus != status)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20),
                timeout.Token); // bounded poll for the status the test awaits
        }
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task AssertAzureErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, text);
        using var body = JsonDocument.Parse(text);
        Assert.AreEqual(code, body.RootElement.GetProperty("error").GetProperty("code").GetString(), text);
        Assert.IsFalse(string.IsNullOrWhiteSpace(body.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }
}
