using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// The report over months that have ended: worked out once and kept, they give exactly what counting every row
/// afresh gives (here, in SQL of the test's own), for every team and for one; and a new revision of an audit graded
/// in a kept month takes it out of that month at once; a moderator's decision on one changes its month's grades of
/// record at once, and leaves the rules' grades as they were.
/// </summary>
public sealed class ProgrammeReportMonthsTests : IDisposable
{
    private const int Seeded = 3_000;

    private readonly TestDatabase _database = new();
    private readonly GradingServiceHost _host;

    public ProgrammeReportMonthsTests() => _host = new GradingServiceHost(_database);

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task KeptMonths_GiveWhatCountingAfreshGives_AndANewRevisionLeavesItsMonthAtOnce()
    {
        await StoreSeeding.SeedAsync(_host, Seeded);
        var reports = new ReportService.ReportServiceClient(_host.ChannelFor(_host.Token([Roles.Analyst])));
        var period = new GetProgrammeReportRequest
        {
            GradedFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddYears(-3)),
            GradedTo = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
        };

        var first = (await reports.GetProgrammeReportAsync(period)).Report;
        Assert.InRange(_database.Count("SELECT count(*) FROM report_month"), 20, 40);
        var again = (await reports.GetProgrammeReportAsync(period)).Report;
        Assert.Equal(first, again);
        await AssertCountedAfresh(first, period, team: null);

        var team = first.Auditors[0].AuditorId.Split("-auditor-")[0];
        var ofTeam = period.Clone();
        ofTeam.Team = team;
        await AssertCountedAfresh((await reports.GetProgrammeReportAsync(ofTeam)).Report, ofTeam, team);

        // seed-1 was graded two years ago, in a kept month: a new revision moves it to this month.
        var grading = new GradingService.GradingServiceClient(_host.ChannelFor(_host.Token([Roles.Grader, Roles.Auditor])));
        var old = (await grading.GetAuditAsync(new() { AuditId = "seed-1" })).Audit.Submission;
        old.Learning = "A new revision, so the audit leaves its month.";
        old.AuditedAt = null;
        await grading.GradeAuditAsync(new() { Audit = old });

        var after = (await reports.GetProgrammeReportAsync(period)).Report;
        Assert.Equal(first.Audits, after.Audits);
        Assert.NotEqual(first.Months, after.Months);
        await AssertCountedAfresh(after, period, team: null);

        // seed-2, in a kept month too, is moderated to another grade: the grade of record moves, the rules' stays.
        var moderation = new ReportService.ReportServiceClient(_host.ChannelFor(_host.Token([Roles.Moderator], name: "report-moderator")));
        var seed2 = (await grading.GetAuditAsync(new() { AuditId = "seed-2" })).Audit.Result.OverallGrade;
        var changedTo = seed2 == Grade.Inadequate ? Grade.Good : Grade.Inadequate;
        await moderation.RecordModerationDecisionAsync(new() { AuditId = "seed-2", Outcome = ModerationOutcome.GradeChanged, FinalGrade = changedTo, Reason = "Moderated." });

        var moderated = (await reports.GetProgrammeReportAsync(period)).Report;
        Assert.Equal(after.OverallGrades, moderated.OverallGrades);
        Assert.Equal(after.FinalGrades.Single(g => g.Grade == changedTo).Count + 1, moderated.FinalGrades.Single(g => g.Grade == changedTo).Count);
        Assert.Equal(after.FinalGrades.Single(g => g.Grade == seed2).Count - 1, moderated.FinalGrades.Single(g => g.Grade == seed2).Count);
        await AssertCountedAfresh(moderated, period, team: null);
    }

    // The audits, overall grades, grades of record and month-by-month counts, counted by the test itself: the grade of
    // record from the moderators' decisions, not from the column the service keeps.
    private async Task AssertCountedAfresh(ProgrammeReport report, GetProgrammeReportRequest period, string? team)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT to_char(date_trunc('month', f.graded_at AT TIME ZONE 'Europe/London'), 'YYYY-MM-DD'), f.overall_grade,
                   coalesce((SELECT m.final_grade FROM moderation_decision AS m WHERE m.audit_id = f.audit_id AND m.revision = f.revision
                             ORDER BY m.id DESC LIMIT 1), f.overall_grade), count(*)
            FROM audit_figures AS f WHERE f.graded_at >= $1 AND f.graded_at < $2 AND ($3::text IS NULL OR f.team = $3) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<DateTime> { TypedValue = period.GradedFrom.ToDateTime() },
                new NpgsqlParameter<DateTime> { TypedValue = period.GradedTo.ToDateTime() },
                new NpgsqlParameter<string?> { TypedValue = team, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        };
        var rows = new List<(string Month, Grade Grade, Grade Final, long Count)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), (Grade)reader.GetInt16(1), (Grade)reader.GetInt16(2), reader.GetInt64(3)));
            }
        }

        var counted = rows.GroupBy(r => (r.Month, r.Grade)).Select(g => (g.Key.Month, g.Key.Grade, Count: g.Sum(r => r.Count))).ToList();
        var final = rows.GroupBy(r => (r.Month, r.Final)).Select(g => (g.Key.Month, Grade: g.Key.Final, Count: g.Sum(r => r.Count))).OrderBy(r => r.Month).ThenBy(r => r.Grade).ToList();
        Assert.Equal(
            final.GroupBy(c => c.Grade).Select(g => (g.Key, g.Sum(c => c.Count))).OrderBy(g => g.Key).ToList(),
            report.FinalGrades.Where(g => g.Count > 0).Select(g => (g.Grade, g.Count)).OrderBy(g => g.Grade).ToList());
        Assert.Equal(final, report.Months.SelectMany(m => m.FinalGrades.Where(g => g.Count > 0).Select(g => (m.Month, g.Grade, g.Count))).ToList());

        Assert.Equal(counted.Sum(c => c.Count), report.Audits);
        Assert.Equal(
            counted.GroupBy(c => c.Grade).Select(g => (g.Key, g.Sum(c => c.Count))).OrderBy(g => g.Key).ToList(),
            report.OverallGrades.Where(g => g.Count > 0).Select(g => (g.Grade, g.Count)).OrderBy(g => g.Grade).ToList());
        Assert.Equal(
            counted.Select(c => (c.Month, c.Grade, c.Count)).ToList(),
            report.Months.SelectMany(m => m.Grades.Where(g => g.Count > 0).Select(g => (m.Month, g.Grade, g.Count))).ToList());
    }
}
