using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>ListAudits: the latest revision of each audit, newest first, filtered, paged by an opaque keyset token.</summary>
public sealed class ListAuditsTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task ListAudits_PagingWhileOthersAreGraded_SeesEveryEarlierAuditOnceNewestFirst()
    {
        var team = "Paging Team";
        var earlier = await GradeMany(120, team, "page");
        var seen = new List<AuditSummary>();
        var newcomers = 0;
        var request = new ListAuditsRequest { Team = team, PageSize = 50 };

        do
        {
            var page = await host.Client.ListAuditsAsync(request);
            seen.AddRange(page.Audits);
            await GradeMany(7, team, $"late-{newcomers++}");
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");

        Assert.Equal(seen.Count, seen.Select(a => a.AuditId).Distinct().Count());
        Assert.Superset(earlier.ToHashSet(), seen.Select(a => a.AuditId).ToHashSet());
        Assert.Equal(seen.OrderByDescending(a => a.GradedAt).ThenByDescending(a => a.AuditId, StringComparer.Ordinal).Select(a => a.AuditId), seen.Select(a => a.AuditId));
    }

    [Fact]
    public async Task ListAudits_NoPageSize_Returns50()
    {
        await GradeMany(60, "Size Team", "size");

        var byDefault = await host.Client.ListAuditsAsync(new() { Team = "Size Team" });

        Assert.Equal(50, byDefault.Audits.Count);
        Assert.NotEqual("", byDefault.NextPageToken);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(1, 1)]
    [InlineData(500, 500)]
    [InlineData(501, 500)]
    [InlineData(int.MaxValue, 500)]
    public void ListAudits_PageSize_DefaultsTo50AndIsCappedAt500(int requested, int served) =>
        Assert.Equal(served, CroydonAudit.Api.Validation.AuditQueryValidator.Validate(new ListAuditsRequest { PageSize = requested }).PageSize);

    [Fact]
    public async Task ListAudits_Filters_ByTeamAuditorGradeAndTime()
    {
        var before = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMilliseconds(-1));
        await GradeOne("filter-a", "Filter Team", "auditor-a", CareActCompliance.Compliant);
        await GradeOne("filter-b", "Filter Team", "auditor-b", CareActCompliance.Partial);
        await GradeOne("filter-c", "Other Team", "auditor-a", CareActCompliance.Partial);
        var after = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMilliseconds(1));

        Assert.Equal(["filter-b", "filter-a"], await Ids(new() { Team = "Filter Team" }));
        Assert.Equal(["filter-c", "filter-a"], await Ids(new() { AuditorId = "auditor-a", GradedFrom = before }));
        Assert.Equal(["filter-b"], await Ids(new() { Team = "Filter Team", OverallGrade = Grade.RequiresImprovement }));
        Assert.Empty(await Ids(new() { Team = "Filter Team", GradedFrom = after }));
        Assert.Empty(await Ids(new() { Team = "Filter Team", GradedTo = before }));
    }

    [Fact]
    public async Task ListAudits_RevisedAudit_IsListedOnceAtItsLatestRevision()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = "listed-revised"; a.Team = "Revision Team"; });
        await host.Client.GradeAuditAsync(new() { Audit = audit });
        audit.Learning = "Check the carer's own needs at every review, not only at the start.";
        await host.Client.GradeAuditAsync(new() { Audit = audit });

        var listed = Assert.Single((await host.Client.ListAuditsAsync(new() { Team = "Revision Team" })).Audits);

        Assert.Equal(("listed-revised", 2, "CR-000123"), (listed.AuditId, listed.Revision, listed.CaseReference));
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("AQ")]
    [InlineData("////////////")]
    public async Task ListAudits_ForgedPageToken_IsInvalid(string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ListAuditsAsync(new() { PageToken = token }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_token", error.Status.Detail);
    }

    [Fact]
    public async Task ListAudits_NegativePageSizeOrUnknownGrade_IsInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ListAuditsAsync(new() { PageSize = -1, OverallGrade = (Grade)8 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_size", error.Status.Detail);
        Assert.Contains("overall_grade", error.Status.Detail);
    }

    private async Task<List<string>> Ids(ListAuditsRequest request) =>
        [.. (await host.Client.ListAuditsAsync(request)).Audits.Select(a => a.AuditId)];

    private async Task GradeOne(string id, string team, string auditor, CareActCompliance careAct)
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a => { a.AuditId = id; a.Team = team; a.AuditorId = auditor; a.KeyEvidence.CareAct = careAct; });
        await host.Client.GradeAuditAsync(new() { Audit = audit });
    }

    private async Task<List<string>> GradeMany(int count, string team, string prefix)
    {
        var template = FixtureCases.Load("complete-good").Audit;
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i:D4}").ToList();
        foreach (var chunk in ids.Chunk(16))
        {
            await Task.WhenAll(chunk.Select(id => host.Client.GradeAuditAsync(new() { Audit = template.Clone().Also(a => { a.AuditId = id; a.Team = team; }) }).ResponseAsync));
        }

        return ids;
    }
}
