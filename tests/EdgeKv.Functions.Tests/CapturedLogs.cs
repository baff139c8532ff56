using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Every log line a host writes (event id, category, text), to count what was logged and check what was not.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Category, string Text)> lines = new();

    public IReadOnlyList<(int EventId, string Category, string Text)> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue((eventId.Id, category, formatter(state, exception)));
    }
}
