using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// ListAudits' two filters for auditors' pages: audits awaiting moderation (newest first, leaving the list once
/// moderated) and audits by status; each combines with the others, and an unknown status is refused by name.
/// </summary>
public sealed class ListFilterTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private const string Team = "Filter Team";

    [Fact]
    public async Task AwaitingModerationAndStatus_EachKeepOnlyTheirAudits_NewestFirst()
    {
        await Store("filter-complete", "complete-good");
        await Store("filter-moderate-1", "override-relaxes-soft-limit");
        await Store("filter-incomplete", "areas-listed-without-grade");
        await Store("filter-moderate-2", "override-relaxes-soft-limit");

        Assert.Equal(["filter-moderate-2", "filter-moderate-1"], await List(new() { AwaitingModeration = true }));
        Assert.Equal(["filter-incomplete"], await List(new() { Status = AuditStatus.Incomplete }));
        Assert.Equal(["filter-moderate-2", "filter-moderate-1", "filter-complete"], await List(new() { Status = AuditStatus.Complete }));
        Assert.Empty(await List(new() { AwaitingModeration = true, Status = AuditStatus.Incomplete }));

        await new ReportService.ReportServiceClient(host.Channel).RecordModerationDecisionAsync(new() { AuditId = "filter-moderate-2", Outcome = ModerationOutcome.Agreed });
        Assert.Equal(["filter-moderate-1"], await List(new() { AwaitingModeration = true }));
    }

    [Fact]
    public async Task AnUnknownStatus_IsRefusedByName()
    {
        var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () => await host.Client.ListAuditsAsync(new() { Status = (AuditStatus)42 }));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("status", error.Status.Detail, StringComparison.Ordinal);
    }

    private async Task<List<string>> List(ListAuditsRequest request)
    {
        request.Team = Team;
        request.PageSize = 1;
        var ids = new List<string>();
        do
        {
            var page = await host.Client.ListAuditsAsync(request);
            ids.AddRange(page.Audits.Select(a => a.AuditId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");

        return ids;
    }

    private async Task Store(string auditId, string fixture) =>
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load(fixture).Audit.Also(a => (a.AuditId, a.Team) = (auditId, Team)) });
}
