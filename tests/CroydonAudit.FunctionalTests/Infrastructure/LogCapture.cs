using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>Keeps what the service logs, with its structured values, for tests to read.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<LoggedEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Events);

    public void Dispose()
    {
    }

    public sealed record LoggedEvent(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception = null);

    private sealed class Logger(string category, ConcurrentQueue<LoggedEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : [];
            events.Enqueue(new LoggedEvent(category, logLevel, formatter(state, exception), values, exception));
        }
    }
}
