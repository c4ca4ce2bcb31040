using Microsoft.Extensions.Logging;

namespace CroydonAudit.Store.Hosting;

/// <summary>
/// Runs a background loop that cannot die silently: an exception its body does not handle is logged as a bug (at
/// Critical, with its stack trace; a failure repeated at each restart, once), and the body starts again after a pause
/// that doubles up to a minute, and starts at a second again once the body has run well for a minute. An exception leaving a background service would otherwise stop the host, or, leaving a
/// worker task, stop the work without a word.
/// </summary>
public static partial class SupervisedLoop
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Runs <paramref name="body"/> until it returns or <paramref name="stoppingToken"/> is cancelled, restarting it after
    /// each failure (pauses timed by <paramref name="clock"/>); <paramref name="name"/> says in words what the loop does,
    /// for the log ("the retention job").
    /// </summary>
    public static async Task RunAsync(string name, Func<CancellationToken, Task> body, ILogger logger, TimeProvider clock, CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        string? lastFailure = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            try
            {
                await body(stoppingToken);
                return;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: whatever the body threw on its way out is not a bug.
                return;
            }
            catch (Exception e)
            {
                // A body that ran well for a while before failing starts afresh: the failure is news, and soon retried.
                if (clock.GetElapsedTime(started) >= LongestPause)
                {
                    (pause, lastFailure) = (FirstPause, null);
                }

                var failure = $"{e.GetType().FullName}: {e.Message}";
                if (failure != lastFailure)
                {
                    LogRestarting(logger, e, name, pause);
                    lastFailure = failure;
                }

                await Task.Delay(pause, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "A bug: {Loop} stopped on an exception it does not expect; it starts again in {Pause}")]
    private static partial void LogRestarting(ILogger logger, Exception exception, string loop, TimeSpan pause);
}
