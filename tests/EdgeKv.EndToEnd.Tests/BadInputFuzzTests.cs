using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Thousands of generated bad requests over every route the host serves (the EdgeKv API, the Durable management API,
/// the webhooks, the admin API): bodies, content types, charsets, names, ids, query values, methods, credentials and
/// roles. None may answer a 5xx, and a block of requests that all failed changes nothing EdgeKv keeps.
/// </summary>
[TestClass]
public sealed class BadInputFuzzTests
{
    private const int Requests = 10_000;
    private const int BlockSize = 25;
    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "PATCH"];
    private static readonly string[] Callers =
    [
        "security-team", "operator", "auditor", "no-roles", "device-a", "none", "bad-token", "bad-device",
        "scoped-security", "group-operator", "overage-auditor",
    ];

    private static readonly string[] Names =
    [
        SecuredHost.A, SecuredHost.B, "ase-nope", "fz-new-1", "a", new string('a', 3000), "..", "%2e%2e%2f", "%00",
            "a%07b", "a%E2%80%AEb",
        "%ED%A0%80", "a'b", "a\"b", "%22%3E%3Cscript%3E", "con", "%C3%A4", "x%2Fy", "Activation", "HealthSweep",
        "DeleteResource",
        "RecoverVault", "HelloSequence", "NoSuchOrchestrator", "eventgrid_extension", "health-sweep",
        "activation-ase-a", "-", "0",
    ];

    private static readonly string[] Queries =
    [
        "", "?top=-1", "?top=abc", "?top=100000", "?top=5", "?continuationToken=%25%25%25",
            "?continuationToken=bm90LWEtdG9rZW4",
        "?createdTimeFrom=1.5", "?createdTimeTo=yesterday", "?runtimeStatus=Bogus", "?showHistory=perhaps",
        "?showInput=2",
        "?includeValues=maybe", "?includeValues=true", "?from=notadate&to=2026-13-45",
        "?confirm=ase-a&deleteVault=Maybe",
        "?confirm=" + new string('c', 5000), "?code=wrong", "?functionName=Nope", "?principal=%00&operation=%E2%80%AE",
        "?resource=../x",
        "?instanceIdPrefix=%00", "?state=Nope&severity=Huge", "?category=Nope", "?top=1&top=2", "?reason=" + new string('r', 2000),
    ];

    private static readonly string?[] Bodies =
    [
        null, "", "{", "[[[[", "{}", "[]", "null", "5", "\"s\"", "{\"vaultName\":5}", "{\"vaultName\":\"\"}",
            "{\"vaultName\":\"ok-vault-1\"}",
        "{\"vaultName\":\"" + new string('v', 300) + "\"}", "[\"\\ud800\"]", "{\"value\":\"\\udfff\"}",
        "{\"principalId\":7,\"role\":\"7\",\"scope\":null}",
        "{\"principalId\":\"0b1d0c1a-0000-4000-8000-0000000000cc\",\"role\":\"Auditor\"}",
        "{\"value\":" + new string('9', 400) + "}",
        "{\"newVaultName\":{\"a\":1}}", "{\"activationKey\":\"not-a-key\"}",
        "{\"bitLockerRecoveryKey\":1,\"bmcUserPassword\":[]}",
        "{\"resourceId\":\"/subscriptions/x\"}", "{\"location\":\"\\u0000\"}",
        "{\"value\":\"" + new string('s', 30_000) + "\"}",
        new string('[', 600) + new string(']', 600), "{\"a\":" + new string('{', 300) + new string('}', 300) + "}",
        "\u00ef\u00bb\u00bf{}",
        "[{\"eventType\":\"Microsoft.Resources.ResourceDeleteSuccess\",\"data\":5}]",
        "[{\"data\":{\"validationCode\":7}}]", "{\"deleteVault\":true}",
        "{\"principalId\":\"0b1d0c1a-0000-4000-8000-0000000000cc\",\"role\":\"Auditor\",\"Role\":\"SecurityTeam\",\"scope\":\"/resources/ase-a\"}",
        "{\"principalId\":\"0b1d0c1a-0000-4000-8000-0000000000cc\",\"role\":\"SecurityTeam\",\"scope\":\"/\",\"condition\":\"true\"}",
        "{\"keyCollection\":\"kmsvault1\",\"credentials\":{\"clientId\":\"x\",\"extra\":1},\"KEYCOLLECTION\":\"y\"}",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "application/json", "application/json", "text/plain", "application/json; charset=bogus",
            "application/json; charset=utf-16",
        "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=\"",
    ];

    private static readonly string[] EventTypes = ["Notification", "SubscriptionValidation", "Bogus", ""];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Ten_thousand_generated_bad_requests_over_every_route_get_no_5xx_and_failed_ones_change_nothing()
    {
        // Flows a fuzzed request may start (a device sync waiting for the device) end quickly here, and the sweep's
        // timer is
        // off: a sweep it started on the quarter hour would change state in the middle of a block of failed requests.
        await using SecuredHost secured = await SecuredHost.StartAsync(
            "--EdgeKv:Health:DeviceSyncTimeout", "00:00:03", "--AzureWebJobs.HealthSweepTimer.Disabled", "true");
        InProcessHost host = secured.Host;
        await AddScopedCallersAsync(secured);
        string[] templates = RouteTemplates(host.Services);
        Assert.IsGreaterThan(30, templates.Length, "the routes were found: " + string.Join(", ", templates));
        using var http = new HttpClient { BaseAddress = host.Api.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        var random = new Random(20261127);
        var fivexx = new List<string>();
        var changed = new List<string>();
        int[] byClass = new int[6];
        int compared = 0;

        for (int sent = 0; sent < Requests; sent += BlockSize)
        {
            string before = await SnapshotAsync(secured, http);
            bool mutated = false;
            var block = new List<string>();
            for (int i = 0; i < BlockSize; i++)
            {
                (HttpRequestMessage request, string label) = Generate(random, templates, secured);
                using (request)
                using (HttpResponseMessage response = await http.SendAsync(request, TestContext.CancellationToken))
                {
                    int status = (int)response.StatusCode;
                    byClass[status / 100]++;
                    if (status >= 500) fivexx.Add($"{status} {label}: {Truncate(await response.Content.ReadAsStringAsync(TestContext.CancellationToken), 300)}");
                    if (status is >= 200 and < 300 && request.Method != HttpMethod.Get) mutated = true;
                    block.Add($"{status} {label}");
                }
            }

            if (mutated)
            {
                await QuiesceAsync(secured, http); // a started flow may still change state: wait for it, then carry on
                continue;
            }

            compared++;
            string after = await SnapshotAsync(secured, http);
            if (before != after) changed.Add($"a block of failed requests changed state ({Differences(before, after)}):\n  " + string.Join("\n  ", block));
        }

        TestContext.WriteLine($"{Requests} requests over {templates.Length} routes: 2xx {byClass[2]}, 3xx {byClass[3]}, 4xx {byClass[4]}, 5xx {byClass[5]}; "
            + $"{compared} of {Requests / BlockSize} blocks had no successful write and were checked for a change of state");
        Assert.IsGreaterThan(Requests / BlockSize / 2, compared, "most blocks are checked for a change of state");
        Assert.IsEmpty(fivexx, $"{fivexx.Count} answers were 5xx:\n" + string.Join("\n", fivexx.Take(40)));
        Assert.IsEmpty(changed, string.Join("\n", changed.Take(5)));
    }

    /// <summary>
    /// Callers whose rights come from EdgeKv's role assignments at a narrower scope: the security team on ase-a only,
    /// an operator through a group on ase-b, and an auditor's group left out of its token (group overage).
    /// </summary>
    private static async Task AddScopedCallersAsync(SecuredHost secured)
    {
        Guid scoped = Guid.NewGuid(), member = Guid.NewGuid(), group = Guid.NewGuid(), overage = Guid.NewGuid(),
            auditors = Guid.NewGuid();
        foreach ((string id, Guid principal, string role, string scope) in new[]
        {
            ("fuzz-scoped-security", scoped, "SecurityTeam", "/resources/" + SecuredHost.A),
            ("fuzz-group-operator", group, "Operator", "/resources/" + SecuredHost.B),
            ("fuzz-overage-auditor", auditors, "Auditor", "/"),
        })
        {
            using HttpResponseMessage put = await secured.SendAsync("security-team", HttpMethod.Put,
                "/api/roleAssignments/" + id,
                new { principalId = principal.ToString(), role, scope });
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode, await put.Content.ReadAsStringAsync());
        }

        secured.Callers["scoped-security"] = "Bearer " + await secured.Host.IssueTokenAsync("no-roles",
            objectId: scoped);
        secured.Callers["group-operator"] = "Bearer " + await secured.Host.IssueTokenAsync("no-roles", groups: [group],
            objectId: member);
        secured.Callers["overage-auditor"] = "Bearer " + await secured.Host.IssueTokenAsync("no-roles",
            groups: [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid()).Append(auditors)], objectId: overage);
    }

    /// <summary>Every route the host serves, as its template, from the routing table itself.</summary>
    private static string[] RouteTemplates(IServiceProvider services) =>
        [.. services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(t => !t.Contains("{**", StringComparison.Ordinal) && !t.Contains("{*", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static (HttpRequestMessage Request, string Label) Generate(Random random, string[] templates,
        SecuredHost secured)
    {
        string template = Pick(random, templates);
        string path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)(:[^}]*)?\??\}",
            _ => Pick(random, Names));
        string url = path + Pick(random, Queries);
        string method = Pick(random, Methods);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        string caller = Pick(random, Callers);
        if (secured.Callers[caller] is { } header)
        {
            int space = header.IndexOf(' ', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation("Authorization", $"{header[..space]} {header[(space + 1)..]}");
        }

        if (random.Next(6) == 0) request.Headers.TryAddWithoutValidation("aeg-event-type", Pick(random, EventTypes));
        string? body = method is "GET" or "DELETE" && random.Next(4) != 0 ? null : Pick(random, Bodies);
        string? contentType = Pick(random, ContentTypes);
        if (body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.Remove("Content-Type");
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Content = content;
        }

        return (request, $"{caller} {method} {Truncate(url, 160)} [{contentType}] {Truncate(body ?? "(no body)", 80)}");
    }

    /// <summary>
    /// What EdgeKv keeps, as one string: resources, role assignments, alerts and orchestration instances (the audit
    /// trail grows with every call by design).
    /// </summary>
    private static async Task<string> SnapshotAsync(SecuredHost secured, HttpClient http)
    {
        var parts = new StringBuilder();
        foreach (string path in new[] { "/api/resources?top=1000", "/api/roleAssignments", "/api/alerts?top=1000",
            "/api/durabletask/instances?top=1000" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(secured.Callers["security-team"]!);
            using HttpResponseMessage response = await http.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, path);
            parts.Append(path).Append('=').Append(Normalize(await response.Content.ReadAsStringAsync())).Append('\n');
        }

        return parts.ToString();
    }

    /// <summary>Which of the snapshot's reads differ, so a failure names what changed.</summary>
    private static string Differences(string before, string after) => string.Join(", ",
        before.Split('\n').Zip(after.Split('\n')).Where(p => p.First != p.Second).Select(p => p.First.Split('=')[0]));

    /// <summary>
    /// Reads that change every time without a change of state (an instance's last-updated time while it waits) are
    /// dropped.
    /// </summary>
    private static string Normalize(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Canonical(document.RootElement);
    }

    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject()
            .Where(p => p.Name is not ("lastUpdatedTime" or "lastUpdatedAt" or "nextLink"))
            .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",",
            element.EnumerateArray().Select(Canonical).Order(StringComparer.Ordinal)) + "]",
        _ => element.GetRawText(),
    };

    /// <summary>Waits (bounded) until no orchestration is running or pending.</summary>
    private static async Task QuiesceAsync(SecuredHost secured, HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                "/api/durabletask/instances?runtimeStatus=Running,Pending&top=100");
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(secured.Callers["security-team"]!);
            using HttpResponseMessage response = await http.SendAsync(request, timeout.Token);
            string body = await response.Content.ReadAsStringAsync(timeout.Token);
            using JsonDocument list = JsonDocument.Parse(body);
            JsonElement items = list.RootElement.ValueKind == JsonValueKind.Array ? list.RootElement : list.RootElement.GetProperty("value");
            if (items.GetArrayLength() == 0) return;

            await Task.Delay(250, timeout.Token);
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
