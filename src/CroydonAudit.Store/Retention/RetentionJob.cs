using CroydonAudit.Store.Hosting;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CroydonAudit.Store.Retention;

/// <summary>
/// Deletes revisions older than the retention period, with their trace and report figures, and records each deletion in the
/// access log — in one statement, so a deletion is never unrecorded. Runs daily when Retention:Years is set;
/// replicas may run it together (rows being deleted by one are skipped by the others).
/// </summary>
public sealed partial class RetentionJob(NpgsqlDataSource dataSource, AuditStore store, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger)
    : BackgroundService
{
    // The deletion runs as the tables' owner, in a function the service may only call (V22): the service's own role
    // may not delete anything. The function takes the period, never a cutoff, and dates it by the database's clock, so
    // the service cannot ask it to delete anything younger; the cutoff below only words the log and the access records.
    private const string DeleteBatch = "SELECT delete_expired_revisions(@years, @batch, @why)";

    /// <summary>Deletes everything older than the retention period now; how many revisions were deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Years is not ({ } years and > 0))
        {
            return 0;
        }

        await store.EnsureSchemaAsync(cancellationToken);
        var cutoff = clock.GetUtcNow().AddYears(-years);
        var why = $"received before {cutoff:yyyy-MM-dd}: kept for {years} year{(years == 1 ? "" : "s")}";
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var batch = await connection.ExecuteScalarAsync<int>(new CommandDefinition(DeleteBatch, new { years, batch = options.Value.BatchSize, why }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            deleted += batch;
            if (batch < options.Value.BatchSize)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            LogDeleted(deleted, why);
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Years is > 0 ? SupervisedLoop.RunAsync("the retention job", RunDailyAsync, logger, clock, stoppingToken) : Task.CompletedTask;

    private async Task RunDailyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or AuditStoreUnavailableException)
            {
                LogFailed(e.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} revisions {Why}, each recorded in the access log")]
    private partial void LogDeleted(int count, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not run ({Reason}); it tries again at its next interval")]
    private partial void LogFailed(string reason);
}
