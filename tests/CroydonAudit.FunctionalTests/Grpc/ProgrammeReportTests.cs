using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// The programme report over gRPC, against figures this test works out itself from what it stored: each audit
/// once (its latest revision), overall and area grades, the limits that decided grades, findings, agreement per
/// auditor, moderation outcomes, recommendations by value and the learning points; a period and a team bound it;
/// a token limited to a team reports only that team; bad periods are refused naming their fields.
/// </summary>
public sealed class ProgrammeReportTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly string[] Fixtures =
    [
        "significant-concern", "risk-not-acknowledged", "care-act-partial", "lowest-plus-one", "several-findings",
        "complete-good", "no-recommendations", "median-without-proposed", "override-relaxes-soft-limit", "override-leaves-hard-limit",
    ];

    [Fact]
    public async Task TheReport_CountsWhatWasStored_EachAuditOnce()
    {
        const string team = "Report Team";
        var stored = new Dictionary<string, (AuditSubmission Audit, GradingResult Result, CroydonAudit.RuleSets.WorkedCases.WorkedCaseExpectation Expect)>();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < Fixtures.Length * 2; i++)
        {
            var fixture = FixtureCases.Load(Fixtures[i % Fixtures.Length]);
            var audit = fixture.Audit.Clone();
            audit.AuditId = $"report-{i}";
            audit.Team = team;
            audit.AuditorId = $"report-auditor-{i % 3}";
            audit.OrganisationalLearningPoints.Clear();
            if (i % 4 == 0)
            {
                audit.OrganisationalLearningPoints.Add($"Learning point {i}: share plans with the adult's GP.");
            }

            var result = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
            stored[audit.AuditId] = (audit, result, fixture.Expect);
        }

        // A second revision replaces the first in every figure.
        var revised = stored["report-0"].Audit.Clone();
        revised.Learning = "A different learning, so a new revision.";
        stored["report-0"] = (revised, (await host.Client.GradeAuditAsync(new() { Audit = revised })).Result, stored["report-0"].Expect);

        var moderator = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Moderator])));
        var moderated = stored.Values.Where(s => s.Result.ModerationRequired).Select(s => s.Audit.AuditId).Order().ToList();
        Assert.True(moderated.Count >= 2);
        await moderator.RecordModerationDecisionAsync(new() { AuditId = moderated[0], Outcome = ModerationOutcome.Agreed });
        await moderator.RecordModerationDecisionAsync(new()
        {
            AuditId = moderated[1], Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.RequiresImprovement, Reason = "The plan was not reviewed.",
        });

        var analyst = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Analyst])));
        var report = (await analyst.GetProgrammeReportAsync(new() { Team = team, GradedFrom = Timestamp.FromDateTimeOffset(started) })).Report;

        var audits = stored.Values.ToList();
        Assert.Equal(team, report.Team);
        Assert.Equal(audits.Count, report.Audits);
        Assert.Equal(Count(audits.Select(a => a.Result.OverallGrade)), report.OverallGrades.ToDictionary(g => g.Grade, g => g.Count));
        foreach (var area in report.Areas)
        {
            var results = audits.Select(a => a.Result.AreaGrades.Single(r => r.Area == area.Area)).ToList();
            Assert.Equal(Count(results.Where(r => !r.NotApplicable).Select(r => r.Grade)), area.Grades.ToDictionary(g => g.Grade, g => g.Count));
            Assert.Equal(results.Count(r => r.NotApplicable), area.NotApplicable);
            Assert.Equal(results.Count(r => !r.NotApplicable && r.Grade == Grade.Unspecified), area.NotGraded);
        }

        Assert.Equal(9, report.Areas.Count);
        Assert.Equal(audits.Count, report.Months.Sum(m => m.Audits));

        // The limits that decided a grade: each worked case pins its limits; those at the final grade held it, when it was capped.
        var deciding = audits.Where(a => a.Result.CapApplied)
            .SelectMany(a => a.Expect.Limits.Where(l => (int)l.Value.Limit == (int)a.Result.OverallGrade).Select(l => l.Key));
        Assert.Equal(Tally(deciding), report.DecidingLimits.Select(l => (l.RuleId, l.Count)).Order().ToList());
        Assert.NotEmpty(report.DecidingLimits);
        Assert.All(report.DecidingLimits.Concat(report.Findings), r => Assert.False(string.IsNullOrWhiteSpace(r.Title)));

        Assert.Equal(Tally(audits.SelectMany(a => a.Result.Findings.Select(f => f.RuleId))), report.Findings.Select(f => (f.RuleId, f.Count)).Order().ToList());

        var proposed = audits.Where(a => a.Audit.ProposedOverallGrade != Grade.Unspecified).ToList();
        Assert.Equal((audits.Count, proposed.Count, proposed.Count(a => a.Audit.ProposedOverallGrade == a.Result.OverallGrade)),
            ((int)report.Agreement.Audits, (int)report.Agreement.Proposed, (int)report.Agreement.Agreed));
        foreach (var auditor in report.Auditors)
        {
            var own = proposed.Where(a => a.Audit.AuditorId == auditor.AuditorId).ToList();
            Assert.Equal(own.Count(a => a.Audit.ProposedOverallGrade == a.Result.OverallGrade), auditor.Agreement.Agreed);
            Assert.Equal(audits.Count(a => a.Audit.AuditorId == auditor.AuditorId), auditor.Agreement.Audits);
        }

        Assert.Equal(3, report.Auditors.Count);
        var required = audits.Count(a => a.Result.ModerationRequired);
        Assert.Equal((required, 1, 1, required - 2), ((int)report.Moderation.Required, (int)report.Moderation.Agreed, (int)report.Moderation.GradeChanged, (int)report.Moderation.Awaiting));

        Assert.Equal(
            Tally(audits.SelectMany(a => a.Audit.Recommendations.Select(r => r.Value.ToString()))),
            report.Recommendations.Select(r => (r.Value.ToString(), r.Count)).Order().ToList());

        var points = audits.SelectMany(a => a.Audit.OrganisationalLearningPoints).Order().ToList();
        Assert.Equal(points, report.LearningPoints.Select(p => p.Text).Order().ToList());
        Assert.Equal(points.Count, report.LearningPointCount);
        Assert.Contains(report.LearningPoints, p => p.AuditId == "report-0" && p.Team == team);

        // Audits stored with their documents, as before answers were kept (V16), list their learning points from those.
        Assert.Equal(audits.Count + 1, StoredBeforeAnswers.Rewrite(host.Database, sentWithoutAuditedAt: false, $"team = '{team}'"));
        var fromDocuments = (await analyst.GetProgrammeReportAsync(new() { Team = team, GradedFrom = Timestamp.FromDateTimeOffset(started) })).Report;
        Assert.Equal(report.LearningPoints, fromDocuments.LearningPoints);

        // Audits stored before the figures existed get them from their stored documents (V13's backfill): the
        // same figures as the write path makes, but for the deciding limits, which older results did not keep.
        var migration = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "CroydonAudit.Store", "Migrations", "V13__audit_figures.sql"));
        var backfill = migration[(migration.IndexOf("INSERT INTO audit_figures\n", StringComparison.Ordinal) + "INSERT INTO audit_figures\n".Length)..].TrimEnd().TrimEnd(';');
        Assert.Equal(audits.Count, host.Database.Count($"""
            SELECT count(*) FROM ({backfill}) AS b (audit_id, revision, team, auditor_id, graded_at, overall_grade, proposed_grade, moderation_required,
                area_grades, deciding_limits, findings, recommendation_values, learning_points)
            JOIN audit_figures AS f USING (audit_id)
            WHERE b.team = '{team}'
              AND (b.revision, b.auditor_id, b.graded_at, b.overall_grade, b.proposed_grade, b.moderation_required, b.area_grades, b.findings, b.recommendation_values, b.learning_points)
                = (f.revision, f.auditor_id, f.graded_at, f.overall_grade, f.proposed_grade, f.moderation_required, f.area_grades, f.findings, f.recommendation_values, f.learning_points)
            """));
    }

    [Fact]
    public async Task APeriodAndATeam_BoundTheReport_AndATeamTokenSeesOnlyItsTeam()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Clone();
        (audit.AuditId, audit.Team) = ("report-bounded", "Bounded Team");
        var graded = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result.GradedAt.ToDateTimeOffset();
        var analyst = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Analyst])));

        Assert.Equal(1, (await analyst.GetProgrammeReportAsync(new() { Team = "Bounded Team" })).Report.Audits);
        Assert.Equal(0, (await analyst.GetProgrammeReportAsync(new() { Team = "Bounded Team", GradedTo = Timestamp.FromDateTimeOffset(graded) })).Report.Audits);
        Assert.Equal(0, (await analyst.GetProgrammeReportAsync(new() { Team = "Nobody's Team" })).Report.Audits);

        var teamAnalyst = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Analyst], team: "Bounded Team")));
        var own = (await teamAnalyst.GetProgrammeReportAsync(new())).Report;
        Assert.Equal(("Bounded Team", 1L), (own.Team, own.Audits));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await teamAnalyst.GetProgrammeReportAsync(new() { Team = "Report Team" }));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task BadPeriods_AreRefusedNamingTheirFields()
    {
        var analyst = new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Analyst])));
        var now = DateTimeOffset.UtcNow;
        var cases = new (GetProgrammeReportRequest Request, string Field)[]
        {
            (new() { GradedFrom = Timestamp.FromDateTimeOffset(now), GradedTo = Timestamp.FromDateTimeOffset(now.AddDays(-1)) }, "graded_from"),
            (new() { GradedFrom = Timestamp.FromDateTimeOffset(now.AddYears(-20)) }, "graded_from"),
            (new() { GradedTo = new Timestamp { Seconds = 1, Nanos = -5 } }, "graded_to"),
        };

        foreach (var (request, field) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await analyst.GetProgrammeReportAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(field, error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        }
    }

    private static Dictionary<Grade, long> Count(IEnumerable<Grade> grades)
    {
        var counts = new[] { Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate }.ToDictionary(g => g, _ => 0L);
        foreach (var grade in grades.Where(counts.ContainsKey))
        {
            counts[grade]++;
        }

        return counts;
    }

    private static List<(string, long)> Tally(IEnumerable<string> keys) => [.. keys.CountBy(k => k).Select(p => (p.Key, (long)p.Value)).Order()];
}
