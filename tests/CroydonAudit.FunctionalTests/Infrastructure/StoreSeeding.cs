using CroydonAudit.Store.Contracts;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Seeding;
using CroydonAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>Fills a host's database through the benchmark seeder, with templates graded by the host's own (fixture) rules.</summary>
public static class StoreSeeding
{
    public static Task SeedAsync(GradingServiceHost host, int revisions) =>
        SeedAsync(host, revisions, FixtureCases.Names.Select(name => FixtureCases.Load(name).Audit.ToDomain()));

    /// <summary>Seeds copies of <paramref name="audits"/> (at least two), each copy's chosen by the seeder's hash of its id.</summary>
    public static async Task SeedAsync(GradingServiceHost host, int revisions, IEnumerable<CroydonAudit.Grading.Domain.AuditSubmission> audits)
    {
        await host.Services.GetRequiredService<AuditStore>().EnsureSchemaAsync(CancellationToken.None);
        var templates = BenchmarkSeeder.Templates(RuleSetLoader.Load(RepositoryRoot.FixtureRules), audits);
        await using var dataSource = NpgsqlDataSource.Create(host.Database.ConnectionString);
        await BenchmarkSeeder.SeedAsync(
            dataSource, templates, revisions, new Accessor("seed", "tests", ["grader"], "GradeAudit"), RecordMapping.Answer, null, CancellationToken.None);
    }
}
