using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Store;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>Re-grading reads back the latest submission of every audit, as sent, in audit id order.</summary>
public sealed class LatestSubmissionsTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task StreamLatestSubmissions_AfterRevisions_YieldsEachAuditsLatestSubmissionOnce()
    {
        var template = FixtureCases.Load("complete-good").Audit;
        foreach (var id in new[] { "stream-b", "stream-a", "stream-c" })
        {
            await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => a.AuditId = id) });
        }

        await host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => { a.AuditId = "stream-a"; a.Team = "Revised Team"; }) });
        var store = host.Services.GetRequiredService<AuditStore>();

        var streamed = new List<CroydonAudit.Grading.Domain.AuditSubmission>();
        await foreach (var submission in store.StreamLatestSubmissionsAsync(CancellationToken.None))
        {
            streamed.Add(submission);
        }

        Assert.Equal(["stream-a", "stream-b", "stream-c"], streamed.Select(s => s.AuditId));
        Assert.Equal("Revised Team", streamed[0].Team);
        Assert.Equal(template.SummaryOfFindings, streamed[1].SummaryOfFindings);
        Assert.Equal(9, streamed[2].Areas.Count);
    }
}
