using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Store;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>An impact preview reads back the latest revision of every audit — its submission as sent, its grade and the rules that fired — in audit id order.</summary>
public sealed class LatestSubmissionsTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task StreamLatest_AfterRevisions_YieldsEachAuditsLatestRevisionOnce()
    {
        var template = FixtureCases.Load("complete-good").Audit;
        foreach (var id in new[] { "stream-b", "stream-a", "stream-c" })
        {
            await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => a.AuditId = id) });
        }

        await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => { a.AuditId = "stream-a"; a.Team = "Revised Team"; }) });
        var store = host.Services.GetRequiredService<AuditStore>();

        var streamed = new List<LatestRevision>();
        await foreach (var latest in store.StreamLatestAsync(AuditFilter.All, CancellationToken.None))
        {
            if (latest.AuditId is "stream-a" or "stream-b" or "stream-c")
            {
                streamed.Add(latest);
            }
        }

        Assert.Equal(["stream-a", "stream-b", "stream-c"], streamed.Select(s => s.AuditId));
        Assert.Equal("Revised Team", streamed[0].Submission.Team);
        Assert.Equal(template.SummaryOfFindings, streamed[1].Submission.SummaryOfFindings);
        Assert.Equal(9, streamed[2].Submission.Areas.Count);
        Assert.All(streamed, s => Assert.Equal(FixtureCases.Load("complete-good").Expect.Fired, s.FiredRules));
        Assert.All(streamed, s => Assert.Equal((CroydonAudit.Grading.Domain.Grade.Good, CroydonAudit.Grading.Domain.AuditStatus.Complete), (s.OverallGrade, s.Status)));
    }

    [Fact]
    public async Task StreamLatest_Filtered_YieldsOnlyThatTeamsAudits()
    {
        var template = FixtureCases.Load("complete-good").Audit;
        await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => { a.AuditId = "stream-team-x"; a.Team = "Team X"; }) });
        await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => { a.AuditId = "stream-team-y"; a.Team = "Team Y"; }) });
        var store = host.Services.GetRequiredService<AuditStore>();

        var streamed = new List<string>();
        await foreach (var latest in store.StreamLatestAsync(new AuditFilter("Team X", null, null, null), CancellationToken.None))
        {
            streamed.Add(latest.AuditId);
        }

        Assert.Equal(["stream-team-x"], streamed);
    }
}
