using System.Diagnostics;
using CroydonAudit.FunctionalTests.Infrastructure;

namespace CroydonAudit.FunctionalTests.Store;

[CollectionDefinition(nameof(RestartsPostgreSql), DisableParallelization = true)]
public sealed class RestartsPostgreSql;

/// <summary>A graded audit survives a restart of the service and of PostgreSQL, and reads back exactly as first returned.</summary>
[Collection(nameof(RestartsPostgreSql))]
public sealed class RestartTests
{
    [Fact]
    public async Task GetAudit_AfterServiceAndDatabaseRestart_ReturnsTheResultAndTraceAsFirstReturned()
    {
        using var database = new TestDatabase();
        var audit = FixtureCases.Load("override-relaxes-soft-limit").Audit;
        Croydon.Audit.V1.GradingResult graded;
        Croydon.Audit.V1.AuditRecord read;
        using (var first = new GradingServiceHost(database))
        {
            graded = (await first.Client.GradeAuditAsync(new() { Audit = audit })).Result;
            read = (await first.Client.GetAuditAsync(new() { AuditId = audit.AuditId })).Audit;
        }

        var startedBefore = database.Count("SELECT extract(epoch FROM pg_postmaster_start_time()) * 1000000");
        await RestartPostgreSql();
        // PostgreSQL really did restart: a stop or start that did nothing cannot pass for one. (The pool's connections
        // from before were ended by it.)
        Npgsql.NpgsqlConnection.ClearAllPools();
        Assert.NotEqual(startedBefore, database.Count("SELECT extract(epoch FROM pg_postmaster_start_time()) * 1000000"));
        using var second = new GradingServiceHost(database);
        var reread = (await second.Client.GetAuditAsync(new() { AuditId = audit.AuditId, Revision = 1 })).Audit;

        Assert.Equal(graded, reread.Result);
        Assert.Equal(read, reread);
        Assert.True(reread.Result.ModerationRequired);
    }

    /// <summary>
    /// ./test.sh's private cluster is restarted, through the script it names. Without one the test cannot do what it
    /// says, so it fails saying so rather than pass without a restart (as a database the tests do not own must not be
    /// restarted, run them with ./test.sh).
    /// </summary>
    private static async Task RestartPostgreSql()
    {
        var control = Environment.GetEnvironmentVariable("CROYDON_TEST_POSTGRES_CTL") is { Length: > 0 } given
            ? given
            : throw new InvalidOperationException("CROYDON_TEST_POSTGRES_CTL is not set, so PostgreSQL cannot be restarted: run the tests with ./test.sh, which sets it.");

        foreach (var step in new[] { "stop", "start" })
        {
            using var process = Process.Start(new ProcessStartInfo(control, step) { RedirectStandardError = true })!;
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{control} {step} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }
}
