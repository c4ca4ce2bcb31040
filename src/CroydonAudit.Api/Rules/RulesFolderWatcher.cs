using System.Threading.Channels;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Hosting;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Rules;

/// <summary>
/// Watches the rules folder, where asked (<see cref="GradingOptions.WatchRulesFolder"/>, off by default). When it
/// changes and the edits have settled — nothing changed for the settle time, and two reads a moment apart agree, so a
/// half-saved folder is never read — the snapshot is proposed if it passes every check, and refused (and recorded)
/// if not. An edit never changes the rules every service grades by: only an activation does.
/// </summary>
public sealed partial class RulesFolderWatcher(RuleSetCoordinator coordinator, IOptions<GradingOptions> options, TimeProvider clock, ILogger<RulesFolderWatcher> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SupervisedLoop.RunAsync("watching the rules folder", WatchAsync, logger, clock, stoppingToken);

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var folder = coordinator.FolderPath;
        if (!options.Value.WatchRulesFolder || !Directory.Exists(folder))
        {
            return;
        }

        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler onChange = (_, _) => changed.Writer.TryWrite(true);
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, _) => changed.Writer.TryWrite(true);
        watcher.Error += (_, _) => changed.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;

        var seen = coordinator.FolderFingerprintAtStart;
        while (await changed.Reader.WaitToReadAsync(stoppingToken))
        {
            var snapshot = await SettledSnapshotAsync(folder, changed.Reader, stoppingToken);
            if (snapshot is null || snapshot.Fingerprint == seen)
            {
                continue;
            }

            seen = snapshot.Fingerprint;
            LogEdited(folder);
            try
            {
                await coordinator.OnFolderEditedAsync(snapshot, stoppingToken);
            }
            catch (AuditStoreUnavailableException)
            {
                LogCannotPropose(folder);
                seen = null;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever an edit holds, the watcher carries on watching.
                LogEditFailed(e);
            }
        }
    }

    private async Task<RuleSetFiles?> SettledSnapshotAsync(string folder, ChannelReader<bool> changed, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (changed.TryRead(out _))
            {
            }

            await Task.Delay(options.Value.RulesSettleTime, clock, cancellationToken);
            if (changed.TryRead(out _))
            {
                continue;
            }

            try
            {
                var first = RuleSetFiles.FromDirectory(folder);
                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
                var second = RuleSetFiles.FromDirectory(folder);
                if (first.Fingerprint == second.Fingerprint && !changed.TryRead(out _))
                {
                    return second;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or RuleSetException)
            {
                // Mid-save, or the folder is gone: wait for the next change.
                LogUnreadable(folder, e.Message);
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An edit of the rules folder could not be dealt with; the rules in use carry on grading")]
    private partial void LogEditFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The edit of the rules folder {Folder} could not be proposed: the database cannot be reached. Save the folder again once it can")]
    private partial void LogCannotPropose(string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "The rules folder {Folder} changed; checking it")]
    private partial void LogEdited(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rules folder {Folder} cannot be read yet: {Reason}")]
    private partial void LogUnreadable(string folder, string reason);
}
