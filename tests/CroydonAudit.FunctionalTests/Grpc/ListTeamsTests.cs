using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>ListTeams: the teams with stored audits, by name, with how many each has; a team-limited token sees only its own.</summary>
public sealed class ListTeamsTests
{
    [Fact]
    public async Task TheTeams_AreListedByName_WithTheirAudits_AndATeamLimitedTokenSeesOnlyItsOwn()
    {
        using var host = new GradingServiceHost();
        var audit = FixtureCases.Load("complete-good").Audit;
        foreach (var (id, team) in new[] { ("t-1", "Team North"), ("t-2", "Team North"), ("t-3", "Team East") })
        {
            await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => (a.AuditId, a.Team) = (id, team)) });
        }

        // A new revision is the same audit: it counts once.
        await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => (a.AuditId, a.Team, a.Learning) = ("t-1", "Team North", "Revised.")) });

        var analyst = await new GradingService.GradingServiceClient(host.ChannelFor(host.Token([Roles.Analyst]))).ListTeamsAsync(new());
        var limited = await new GradingService.GradingServiceClient(host.ChannelFor(host.Token([Roles.Auditor], team: "Team East"))).ListTeamsAsync(new());

        Assert.Equal([("Team East", 1L), ("Team North", 2L)], analyst.Teams.Select(t => (t.Team, t.Audits)));
        Assert.False(analyst.Truncated);
        Assert.Equal([("Team East", 1L)], limited.Teams.Select(t => (t.Team, t.Audits)));
    }
}
