using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// The access log holds one row for every read and every write, and a refusal, by whom and how — identifiers
/// only, no free text — and cannot be changed. A write's row is stored in the transaction that stores it.
/// </summary>
public sealed class AccessLogTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task ReadsWritesAndRefusals_AreEachRecordedOnce_WithoutFreeText()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "logged-access"; a.Team = "Logged Team"; });
        using var grader = host.ChannelFor(host.Token([Roles.Grader], name: "case-system"));
        using var auditor = host.ChannelFor(host.Token([Roles.Auditor], name: "auditor-amy"));
        using var otherTeam = host.ChannelFor(host.Token([Roles.Auditor], team: "Another Team", name: "auditor-ben"));

        await new GradingService.GradingServiceClient(grader).GradeAuditAsync(new() { Audit = audit });
        // A retry stores nothing: it is answered with the revision that holds its content, a read.
        await new GradingService.GradingServiceClient(grader).GradeAuditAsync(new() { Audit = audit });
        await new GradingService.GradingServiceClient(auditor).GetAuditAsync(new() { AuditId = "logged-access" });
        await new GradingService.GradingServiceClient(auditor).GetAuditAsync(new() { AuditId = "logged-access", Revision = 1 });
        await Assert.ThrowsAsync<RpcException>(async () => await new GradingService.GradingServiceClient(otherTeam).GetAuditAsync(new() { AuditId = "logged-access" }));
        using var reviewer = host.ChannelFor(host.Token([Roles.DataProtection], name: "ig-officer"));

        var records = (await new AccessLogService.AccessLogServiceClient(reviewer).ListAccessRecordsAsync(new() { AuditId = "logged-access" })).Records;

        Assert.Equal(
            [("auditor-ben", "refused", 0), ("auditor-amy", "read", 1), ("auditor-amy", "read", 1), ("case-system", "read", 1), ("case-system", "write", 1)],
            records.Select(r => (r.Subject, r.Action, r.Revision)));
        Assert.All(records, r => Assert.Equal("croydon-audit-local", r.ClientId));
        Assert.Equal("/croydon.audit.v1.GradingService/GradeAudit", records[^1].Method);
        var everything = string.Join('\n', records.Select(r => r.ToString()));
        Assert.All(new[] { audit.Strengths, audit.Learning, audit.SummaryOfFindings, audit.Areas[0].Evidence, audit.CaseReference }, text => Assert.DoesNotContain(text, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAudits_IsRecordedOnce_WithItsFilter()
    {
        using var auditor = host.ChannelFor(host.Token([Roles.Auditor], name: "auditor-lister"));
        using var reviewer = host.ChannelFor(host.Token([Roles.DataProtection], name: "ig-officer"));

        await new GradingService.GradingServiceClient(auditor).ListAuditsAsync(new() { Team = "Listed Team", PageSize = 5 });
        var records = (await new AccessLogService.AccessLogServiceClient(reviewer).ListAccessRecordsAsync(new() { Subject = "auditor-lister" })).Records;

        var record = Assert.Single(records);
        Assert.Equal(("read", "/croydon.audit.v1.GradingService/ListAudits", "", 0), (record.Action, record.Method, record.AuditId, record.Revision));
        Assert.Equal([Roles.Auditor], record.Roles);
        Assert.Contains("team=Listed Team", record.Query, StringComparison.Ordinal);
        Assert.Contains("page_size=5", record.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAccessRecords_IsItselfRecorded_WithItsFilter()
    {
        using var reviewer = host.ChannelFor(host.Token([Roles.DataProtection], name: "ig-reviewer"));
        var log = new AccessLogService.AccessLogServiceClient(reviewer);

        await log.ListAccessRecordsAsync(new() { Subject = "auditor-under-review", PageSize = 20 });
        var reviews = (await log.ListAccessRecordsAsync(new() { Subject = "ig-reviewer" })).Records;

        // The second review's own record is there too, made before it answered.
        Assert.Equal(2, reviews.Count);
        Assert.All(reviews, r => Assert.Equal(("read", "/croydon.audit.v1.AccessLogService/ListAccessRecords", ""), (r.Action, r.Method, r.AuditId)));
        Assert.Contains("subject=auditor-under-review", reviews[1].Query, StringComparison.Ordinal);
        Assert.Contains("page_size=20", reviews[1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAudits_WhoseReadCannotBeRecorded_ShowsNothing()
    {
        using var database = new TestDatabase();
        using var own = new GradingServiceHost(database);
        await own.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "unlisted") });
        RefuseToRecordReads(database);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await own.Client.ListAuditsAsync(new()));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Equal(0, database.Count("SELECT count(*) FROM access_record WHERE action = 'read'"));
    }

    [Fact]
    public async Task GetAudit_WhoseReadCannotBeRecorded_ShowsNothing()
    {
        using var database = new TestDatabase();
        using var own = new GradingServiceHost(database);
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "unrecordable");
        await own.Client.GradeAuditAsync(new() { Audit = audit });
        RefuseToRecordReads(database);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await own.Client.GetAuditAsync(new() { AuditId = "unrecordable" }));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Equal(0, database.Count("SELECT count(*) FROM access_record WHERE action = 'read'"));
    }

    // From now on the access log refuses every read's record, as a full disk or a failing database would.
    private static void RefuseToRecordReads(TestDatabase database) => database.Count("""
        CREATE FUNCTION refuse_reads() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no reads recorded'; END $$;
        CREATE TRIGGER refuse_reads BEFORE INSERT ON access_record FOR EACH ROW WHEN (NEW.action = 'read') EXECUTE FUNCTION refuse_reads();
        SELECT 1
        """);

    [Fact]
    public async Task ARecordThatCannotBeStored_FailsAlone_NotTheOthersOfItsBatch()
    {
        var log = host.Services.GetRequiredService<CroydonAudit.Store.Access.AccessLog>();
        var by = new CroydonAudit.Store.Access.Accessor("batch-mate", "", [Roles.Auditor], "test");
        await log.RecordAsync(by.Did("read", "warm-up"), CancellationToken.None);

        // Recorded together, as concurrent calls are: one of them with an action the table refuses.
        var records = Enumerable.Range(0, 40).Select(i => log.RecordAsync(by.Did(i == 17 ? "not-an-action" : "read", $"batched-{i}"), CancellationToken.None)).ToList();
        var outcomes = await Task.WhenAll(records.Select(async r =>
        {
            try
            {
                await r;
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i != 17), outcomes);
        Assert.Equal(39, host.Database.Count("SELECT count(*) FROM access_record WHERE subject = 'batch-mate' AND audit_id LIKE 'batched-%'"));
    }

    [Theory]
    [InlineData("WITH gone AS (DELETE FROM access_record RETURNING 1) SELECT count(*) FROM gone")]
    [InlineData("WITH changed AS (UPDATE access_record SET subject = 'someone else' RETURNING 1) SELECT count(*) FROM changed")]
    [InlineData("TRUNCATE access_record; SELECT 1")]
    public async Task AccessLog_IsAppendOnly_EvenForTheTablesOwner(string change)
    {
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "append-only") });

        var error = Assert.ThrowsAny<Npgsql.PostgresException>(() => host.Database.Count(change));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }
}
