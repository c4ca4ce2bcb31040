using BenchmarkDotNet.Attributes;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;

namespace CroydonAudit.Benchmarks;

/// <summary>
/// Re-grading stored audits in bulk — streamed back from PostgreSQL and graded again by the rules —
/// the path a rule change's impact preview takes. One operation is 1,000 audits.
/// Needs PostgreSQL: ConnectionStrings__Audit, or the local cluster ./bench.sh starts.
/// </summary>
[MemoryDiagnoser]
public class RegradeBenchmarks
{
    public const int Audits = 1_000;
    private const string Database = "croydon_bench_regrade";

    private NpgsqlDataSource _dataSource = null!;
    private AuditStore _store = null!;
    private AuditGrader _grader = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("ConnectionStrings__Audit") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres");
        Admin(server, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        Admin(server, $"CREATE DATABASE {Database}");
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database }.ConnectionString);
        _store = new AuditStore(_dataSource, new StoreSchema(_dataSource, NullLogger<StoreSchema>.Instance), ResiliencePipeline.Empty, new AuditStoreOptions());
        _grader = new AuditGrader(RuleSetLoader.Load(RuleFolders.Default), TimeProvider.System);

        var now = DateTimeOffset.UtcNow;
        var risks = Enum.GetValues<RiskPractice>()[1..];
        var pending = Enumerable.Range(0, Audits).Select(i =>
        {
            var audit = SampleAudits.Typical($"regrade-{i:D5}").WithRisk(risks[i % risks.Length]);
            return new PendingRevision(audit, _grader.Grade(audit), now);
        });
        foreach (var batch in pending.Chunk(250))
        {
            _store.SaveBatchAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>Streams every stored audit and grades it again, on every core.</summary>
    [Benchmark(Description = "Stream 1,000 stored audits and re-grade them")]
    public async Task<int> StreamAndRegrade()
    {
        var graded = 0;
        await Parallel.ForEachAsync(
            _store.StreamLatestAsync(AuditFilter.All, CancellationToken.None),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            (latest, _) =>
            {
                _grader.Grade(latest.Submission);
                Interlocked.Increment(ref graded);
                return ValueTask.CompletedTask;
            });
        return graded == Audits ? graded : throw new InvalidOperationException($"Re-graded {graded} audits, expected {Audits}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dataSource.Dispose();
    }

    private static void Admin(NpgsqlConnectionStringBuilder server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
