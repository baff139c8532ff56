using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Admin;

/// <summary>
/// Applies the configured fault rules to requests (never to the admin API), with seeded random numbers. Removing a
/// latency rule releases the requests it holds, so a test can hold a call for as long as it needs and no longer.
/// </summary>
internal sealed class FaultInjector(int seed, TimeProvider hostClock, ILogger<FaultInjector> logger)
{
    private readonly Lock sync = new();
    private readonly List<(FaultRule Rule, Regex Pattern, CancellationTokenSource Released)> rules = [];
    private readonly Dictionary<string, int> fired = [];
    private Random random = new(seed);

    public FaultRule Add(FaultRule rule)
    {
        var withId = rule with { Id = rule.Id ?? Guid.NewGuid().ToString("N")[..12] };
        var pattern = new Regex(rule.PathPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            PatternTimeout.Value);
        lock (sync)
        {
            rules.Add((withId, pattern, new CancellationTokenSource()));
        }

        return withId;
    }

    public IReadOnlyList<FaultRule> List()
    {
        lock (sync)
        {
            return rules.Select(r => r.Rule with { Fired = fired.GetValueOrDefault(r.Rule.Id!) }).ToList();
        }
    }

    public bool Remove(string id)
    {
        lock (sync)
        {
            int index = rules.FindIndex(r => r.Rule.Id == id);
            if (index < 0) return false;
            rules[index].Released.Cancel();
            rules.RemoveAt(index);
            return true;
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            foreach (var rule in rules) rule.Released.Cancel();
            rules.Clear();
            fired.Clear();
            random = new Random(seed);
        }
    }

    /// <summary>Returns true when the fault answered the request (or dropped it).</summary>
    public async Task<bool> ApplyAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        FaultRule? hit = null;
        CancellationToken released = default;
        lock (sync)
        {
            foreach (var (rule, pattern, ruleReleased) in rules)
            {
                if ((rule.Method is null || rule.Method.Equals(context.Request.Method,
                    StringComparison.OrdinalIgnoreCase)) &&
                    pattern.IsMatch(path) && (rule.Count is null || fired.GetValueOrDefault(rule.Id!) < rule.Count) &&
                    random.NextDouble() < rule.Rate)
                {
                    fired[rule.Id!] = fired.GetValueOrDefault(rule.Id!) + 1;
                    hit = rule;
                    released = ruleReleased.Token;
                    break;
                }
            }
        }

        if (hit is null)
        {
            return false;
        }

        Logs.FaultInjected(logger, hit.Kind.ToString(), context.Request.Method, path);
        switch (hit.Kind)
        {
            case FaultKind.Latency:
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, released))
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(hit.LatencyMilliseconds), hostClock, wait.Token);
                    }
                    catch (OperationCanceledException) when (released.IsCancellationRequested &&
                        !context.RequestAborted.IsCancellationRequested)
                    {
                        // The rule was removed: the request goes on now.
                    }
                }

                return false;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.Throttle:
                await WriteAsync(context, 429, "TooManyRequests", "The request is being throttled.",
                    hit.RetryAfterSeconds);
                return true;
            case FaultKind.Unavailable:
                await WriteAsync(context, 503, "ServiceUnavailable", "The service is temporarily unavailable.",
                    hit.RetryAfterSeconds);
                return true;
            default:
                await WriteAsync(context, 500, "InternalServerError", "Encountered internal server error.", null);
                return true;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string code, string message, int? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync($"{{\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\"}}}}",
            context.RequestAborted);
    }
}
