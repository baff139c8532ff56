using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Admin;

/// <summary>
/// Applies the configured fault rules to requests (never to the admin API), with seeded random numbers.
/// </summary>
internal sealed class FaultInjector(int seed, TimeProvider hostClock, ILogger<FaultInjector> logger)
{
    private readonly Lock sync = new();
    private readonly List<(FaultRule Rule, Regex Pattern)> rules = [];
    private readonly Dictionary<string, int> fired = [];
    private Random random = new(seed);

    public FaultRule Add(FaultRule rule)
    {
        var withId = rule with { Id = rule.Id ?? Guid.NewGuid().ToString("N")[..12] };
        var pattern = new Regex(rule.PathPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            PatternTimeout.Value);
        lock (sync)
        {
            rules.Add((withId, pattern));
        }

        return withId;
    }

    public IReadOnlyList<FaultRule> List()
    {
        lock (sync)
        {
            return rules.Select(r => r.Rule).ToList();
        }
    }

    public bool Remove(string id)
    {
        lock (sync)
        {
            return rules.RemoveAll(r => r.Rule.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (sync)
        {
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
        lock (sync)
        {
            foreach (var (rule, pattern) in rules)
            {
                if ((rule.Method is null || rule.Method.Equals(context.Request.Method,
                    StringComparison.OrdinalIgnoreCase)) &&
                    pattern.IsMatch(path) && (rule.Count is null || fired.GetValueOrDefault(rule.Id!) < rule.Count) &&
                    random.NextDouble() < rule.Rate)
                {
                    fired[rule.Id!] = fired.GetValueOrDefault(rule.Id!) + 1;
                    hit = rule;
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
                await Task.Delay(TimeSpan.FromMilliseconds(hit.LatencyMilliseconds), hostClock, context.RequestAborted);
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
        await context.Response.WriteAsync($"{{\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\"}}}}", context.RequestAborted);
    }
}
