using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Store.Retention;
using CroydonAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// Least privilege in PostgreSQL: migrations run as the tables' owner, the service as a role granted only what it
/// uses. Everything works as that role — grading, reading, moderating, retention through its one function — and
/// nothing that could erase the access log does; the service refuses to run as a superuser outside local mode.
/// </summary>
public sealed class DatabaseRoleTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("croydon-roles");
    private readonly string _owner;
    private readonly string _runtime;
    private readonly RulesHost _host;

    public DatabaseRoleTests()
    {
        (_owner, _runtime) = _database.LeastPrivilege();
        _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string>
        {
            ["ConnectionStrings:Audit"] = _runtime,
            ["ConnectionStrings:AuditOwner"] = _owner,
            ["Retention:Years"] = "6",
        });
    }

    public static TheoryData<string> WhatTheServiceMayNotDo =>
    [
        "TRUNCATE access_record",
        "UPDATE access_record SET subject = 'someone else'",
        "DELETE FROM access_record",
        "ALTER TABLE access_record DISABLE TRIGGER access_record_append_only",
        "SET session_replication_role = replica",
        "DELETE FROM audit_revision",
        "DROP TABLE audit_revision",
        "CREATE TABLE mine (id integer)",
        "UPDATE schema_history SET success = false",
        "UPDATE moderation_decision SET reason = 'changed afterwards'",
        "UPDATE rule_set_activation SET activated_by = 'someone else'",
        "UPDATE rule_trace SET fired = false",
    ];

    [Theory]
    [MemberData(nameof(WhatTheServiceMayNotDo))]
    public async Task TheServicesRole_CannotEraseOrChangeTheRecord(string sql)
    {
        await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "as-runtime") });
        await using var connection = new NpgsqlConnection(_runtime);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains(refused.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, "P0001" });
        Assert.True(_database.Count("SELECT count(*) FROM access_record") > 0);
    }

    [Fact]
    public async Task AsTheServicesRole_EverythingItDoesWorks_RetentionThroughItsFunction()
    {
        var moderator = new ReportService.ReportServiceClient(_host.ChannelFor(_host.Token([Roles.Moderator])));
        foreach (var id in new[] { "old-audit", "kept-audit" })
        {
            await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a => a.AuditId = id) });
        }

        var read = await _host.Client.GetAuditAsync(new() { AuditId = "kept-audit" });
        await moderator.RecordModerationDecisionAsync(new() { AuditId = "kept-audit", Outcome = ModerationOutcome.Agreed });
        var report = await new ReportService.ReportServiceClient(_host.ChannelFor(_host.Token([Roles.Analyst]))).GetProgrammeReportAsync(new());
        _database.Count("WITH aged AS (UPDATE audit_revision SET received_at = now() - interval '7 years' WHERE audit_id = 'old-audit' RETURNING 1) SELECT count(*) FROM aged");
        var deleted = await _host.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal("kept-audit", read.Audit.Submission.AuditId);
        Assert.True(report.Report.Audits >= 1);
        Assert.Equal(1, deleted);
        Assert.Equal(1, _database.Count("SELECT count(*) FROM access_record WHERE action = 'deleted' AND audit_id = 'old-audit'"));
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'old-audit'"));
        Assert.Equal($"{_database.Name}_owner", Owner("audit_revision"));
    }

    [Fact]
    public async Task OutsideLocalMode_TheServiceRefusesToStartAsASuperuser_SayingWhy()
    {
        using var superuser = new TestDatabase();
        var (exitCode, output, errors) = await BuiltProgram.RunAsync(BuiltProgram.Service, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Pages__Url"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Audit"] = superuser.ConnectionString,
            ["Grading__RulesPath"] = RepositoryRoot.FixtureRules,
            ["Auth__Authority"] = "https://login.example.org/tenant/v2.0",
            ["Auth__Audience"] = "api://croydon-audit",
        }, TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("The service cannot start: The service connects to PostgreSQL as \"postgres\", a superuser", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output + errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        _scratch.Delete(recursive: true);
    }

    private string Owner(string table)
    {
        using var connection = new NpgsqlConnection(_owner);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT tableowner FROM pg_tables WHERE tablename = '{table}'", connection);
        return (string)command.ExecuteScalar()!;
    }
}
