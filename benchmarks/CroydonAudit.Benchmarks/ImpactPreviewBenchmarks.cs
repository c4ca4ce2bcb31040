using CroydonAudit.Store.Contracts;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.Store;
using CroydonAudit.Store.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;

namespace CroydonAudit.Benchmarks;

/// <summary>
/// A rule change's impact preview over 100,000 stored audits: every latest revision streamed back from
/// PostgreSQL, graded again by the candidate on every core, and compared with what is stored. The
/// candidate is the shipped rules with one limit made stricter, its worked cases not yet updated, as the
/// principal social worker previews it. Needs PostgreSQL: ConnectionStrings__Audit, or the cluster ./bench.sh starts.
/// </summary>
[MemoryDiagnoser]
public class ImpactPreviewBenchmarks
{
    public const int Audits = 100_000;
    private const string Database = "croydon_bench_impact";

    private NpgsqlDataSource _dataSource = null!;
    private AuditStore _store = null!;
    private CheckedRuleSet _candidate = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("ConnectionStrings__Audit") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres");
        Admin(server, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        Admin(server, $"CREATE DATABASE {Database}");
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database }.ConnectionString);
        _store = new AuditStore(_dataSource, new StoreReads(_dataSource, _dataSource, ResiliencePipeline.Empty), new StoreSchema(_dataSource, NullLogger<StoreSchema>.Instance), ResiliencePipeline.Empty, new AuditStoreOptions(), RecordMapping.Documents);
        var grader = new AuditGrader(RuleSetLoader.Load(RuleFolders.Default), TimeProvider.System);

        var now = DateTimeOffset.UtcNow;
        var risks = Enum.GetValues<RiskPractice>()[1..];
        var careActs = Enum.GetValues<CareActCompliance>()[1..];
        var pending = Enumerable.Range(0, Audits).Select(i =>
        {
            var audit = SampleAudits.Typical($"impact-{i:D6}").WithRisk(risks[i % risks.Length]);
            audit = audit with { Team = $"Locality {i % 20}", KeyEvidence = audit.KeyEvidence with { CareAct = careActs[i / 7 % careActs.Length] } };
            return new PendingRevision(audit, grader.Grade(audit), now).WithAnswer();
        });
        foreach (var batch in pending.Chunk(500))
        {
            _store.SaveBatchAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        }

        _candidate = RuleSetCheck.Run(StricterCareActLimit());
    }

    /// <summary>Previews the candidate's impact on every stored audit.</summary>
    [Benchmark(Description = "Impact preview over 100,000 stored audits")]
    public async Task<int> PreviewImpact()
    {
        var impact = await ImpactPreview.RunAsync(_candidate, _store.StreamLatestAsync(AuditFilter.All, CancellationToken.None), 100, CancellationToken.None);
        return impact.Compared == Audits && impact.Changed > 0 ? impact.Compared : throw new InvalidOperationException($"Compared {impact.Compared} audits ({impact.Changed} changed), expected {Audits}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dataSource.Dispose();
    }

    private static RuleSetFiles StricterCareActLimit()
    {
        var files = RuleSetFiles.FromDirectory(RuleFolders.Default);
        var limits = JsonNode.Parse(files["limits.json"])!;
        limits["Rules"]!.AsArray().Single(r => (string?)r!["RuleName"] == "limit.care-act-partial")!["Properties"]!["limit"] = "Inadequate";
        return RuleSetFiles.From(files.Files.Select(f => (f.Key, f.Key == "limits.json" ? System.Text.Encoding.UTF8.GetBytes(limits.ToJsonString()) : f.Value)));
    }

    private static void Admin(NpgsqlConnectionStringBuilder server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
