using System.Net;
using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// More of what the pages promise: another team's audit is not found exactly as a missing one is; the menu offers
/// only what the roles open; an incomplete audit is never headlined with a grade; a revision is compared text
/// against text with the one before; the auditor's safeguarding, recommendations and learning points show as written.
/// </summary>
public sealed partial class PageTests
{
    [Fact]
    public async Task AnotherTeamsAudit_IsNotFound_ExactlyAsAMissingOneIs_ForATeamLimitedPerson()
    {
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a => (a.AuditId, a.Team) = ("pages-theirs", "Pages Their Team")) });
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor, Roles.Moderator], team: "Pages Own Team"));

        foreach (var query in new[] { "", "?revision=1", "?revision=2" })
        {
            var theirs = await browser.GetAsync($"/audits/pages-theirs{query}");
            var missing = await browser.GetAsync($"/audits/pages-never-stored{query}");
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.Equal(missing.StatusCode, theirs.StatusCode);
            Assert.Equal(await Body(missing), await Body(theirs));
        }

        // Recording a decision on it is answered alike too.
        var form = await browser.GetStringAsync("/audits");
        var decideTheirs = await browser.PostAsync("/audits/pages-theirs?handler=Moderate", Form(form, ("outcome", "agreed")));
        var decideMissing = await browser.PostAsync("/audits/pages-never-stored?handler=Moderate", Form(form, ("outcome", "agreed")));
        Assert.Equal(HttpStatusCode.NotFound, decideTheirs.StatusCode);
        Assert.Equal(decideMissing.StatusCode, decideTheirs.StatusCode);
        Assert.Equal(await Body(decideMissing), await Body(decideTheirs));
        Assert.Empty((await host.Client.GetAuditAsync(new() { AuditId = "pages-theirs" })).Audit.ModerationDecisions);

        // The page's own per-request token aside, the bodies are the same.
        static async Task<string> Body(HttpResponseMessage response) => AntiForgery().Replace(await response.Content.ReadAsStringAsync(), "");
    }

    [Theory]
    [InlineData(Roles.Grader)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Moderator)]
    [InlineData(Roles.RulesApprover)]
    public async Task TheMenu_OffersExactlyThePagesTheRolesOpen(string role)
    {
        using var browser = Browser();
        await SignIn(browser, host.Token([role]));
        var sections = new[] { "/audits", "/moderation", "/report", "/rules" };

        var opens = new Dictionary<string, bool>();
        var pages = new List<string>();
        foreach (var path in sections)
        {
            var response = await browser.GetAsync(path);
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden });
            opens[path] = response.StatusCode == HttpStatusCode.OK;
            pages.Add(await response.Content.ReadAsStringAsync());
        }

        // Every page, whether it opens or is refused, offers the same menu: exactly the pages that open.
        Assert.All(pages, page => Assert.Equal(sections.Where(p => opens[p]), Menu().Match(page) is { Success: true } nav ? MenuLinks().Matches(nav.Value).Select(m => m.Groups[1].Value) : []));
        Assert.All(pages, page => Assert.Equal(sections.Any(p => opens[p]), Menu().IsMatch(page)));
        // The roles' reach as the service grants it, so a menu that offered too much or too little fails above.
        string[] reach = role switch
        {
            Roles.Grader => [],
            Roles.Auditor => ["/audits", "/rules"],
            Roles.Analyst => ["/report", "/rules"],
            Roles.Moderator => ["/audits", "/moderation", "/report", "/rules"],
            _ => ["/rules"],
        };
        Assert.Equal(reach, sections.Where(p => opens[p]));
    }

    [Fact]
    public async Task AnIncompleteAudit_IsHeadlinedIncomplete_NeverWithAGrade()
    {
        await Store("pages-incomplete", "areas-listed-without-grade");
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-incomplete"));
        var list = WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&incomplete=true"));

        Assert.Contains("Overall grade: <strong class=\"govuk-tag govuk-tag--grey\">Incomplete</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("Overall grade: <strong[^>]*>(Outstanding|Good|Requires improvement|Inadequate)</strong>", page);
        Assert.Matches("pages-incomplete[\\s\\S]*?<strong class=\"govuk-tag govuk-tag--grey\">Incomplete</strong>", list);
    }

    [Fact]
    public async Task ARevision_IsComparedTextAgainstText_WithTheRevisionBefore()
    {
        var first = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team, a.Learning, a.Strengths) = ("pages-revised", Team, "Record decisions when they are made.", "A trusting relationship."));
        await host.Client.GradeAuditAsync(new() { Audit = first });
        await host.Client.GradeAuditAsync(new() { Audit = first.Clone().Also(a => a.Learning = "Record each decision, and why, on the day.") });
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));

        var second = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-revised"));
        var original = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-revised?revision=1"));

        Assert.Contains("Compared with revision 1", second, StringComparison.Ordinal);
        Assert.Matches("<th scope=\"row\" class=\"govuk-table__header\">Learning</th><td[^>]*>Record decisions when they are made\\.</td><td[^>]*>Record each decision, and why, on the day\\.</td>", second);
        // What did not change is not listed as a change.
        Assert.DoesNotContain("<th scope=\"row\" class=\"govuk-table__header\">Strengths</th>", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Compared with revision", original, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditPage_ShowsSafeguardingRecommendationsAndLearningPoints_AsWritten()
    {
        var audit = FixtureCases.Load("complete-good").Audit.Also(a =>
        {
            (a.AuditId, a.Team) = ("pages-record", Team);
            a.Safeguarding = new Safeguarding { ImmediateRiskIdentified = true, ActionTaken = "A safeguarding concern was raised with the duty team the same day." };
            a.Recommendations.Clear();
            a.Recommendations.Add(new Recommendation { Text = "Offer the daughter a carer's assessment.", Value = CroydonValue.OneTeam });
            a.Recommendations.Add(new Recommendation { Text = "Review the plan with the adult every quarter.", Value = CroydonValue.TakingResponsibility });
            a.OrganisationalLearningPoints.Clear();
            a.OrganisationalLearningPoints.Add("Carers are asked about their own needs at first contact.");
        });
        await host.Client.GradeAuditAsync(new() { Audit = audit });
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-record"));

        Assert.Contains("An immediate risk was identified. Action taken: A safeguarding concern was raised with the duty team the same day.", page, StringComparison.Ordinal);
        foreach (var recommendation in audit.Recommendations)
        {
            Assert.Contains($"{recommendation.Text}</span> <span class=\"govuk-body-s\">(Croydon value: {Show.Of(recommendation.Value)})</span>", page, StringComparison.Ordinal);
        }

        Assert.Contains("Croydon value: One team", page, StringComparison.Ordinal);
        Assert.Contains(">Carers are asked about their own needs at first contact.</li>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegradedRevisionBackInTheQueue_ShowsTheEarlierRevisionsDecision()
    {
        // A host of its own: this test changes the active rules.
        using var own = new GradingServiceHost();
        await own.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a => a.AuditId = "pages-regraded") });
        await new ReportService.ReportServiceClient(own.Channel).RecordModerationDecisionAsync(new()
        {
            AuditId = "pages-regraded", Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.RequiresImprovement, Reason = "The override is not borne out.",
        });
        // Partial Care Act compliance now limits to Inadequate: the grade the moderator judged is gone.
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        await own.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        Assert.True((await own.Client.RegradeAuditAsync(new() { AuditId = "pages-regraded" })).Regraded);
        using var browser = Browser(own);
        await SignIn(browser, own.Token([Roles.Moderator], name: "moderator-regraded"));
        Assert.Contains("pages-regraded", await browser.GetStringAsync("/moderation"), StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-regraded"));
        var moderation = page[page.IndexOf("id=\"moderation\"", StringComparison.Ordinal)..];
        var decided = (await own.Client.GetAuditAsync(new() { AuditId = "pages-regraded", Revision = 1 })).Audit.ModerationDecisions.Single();

        Assert.Contains("This grade needs moderation, and no decision has been recorded yet.", moderation, StringComparison.Ordinal);
        Assert.Contains($"An earlier revision (revision 1) was moderated by <bdi>{decided.DecidedBy}</bdi> on {Show.When(decided.DecidedAt)}: they changed the final grade to Requires improvement, saying: The override is not borne out.", moderation, StringComparison.Ordinal);
        // A first revision, or one that kept its decision, has nothing earlier to show.
        Assert.DoesNotContain("An earlier revision", WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-regraded?revision=1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditsList_PagesForwardAndBack_RememberingABoundedWayBack()
    {
        const string team = "Pages Paging Team";
        var size = CroydonAudit.Api.Pages.Audits.IndexModel.PageSize;
        for (var i = 0; i < (2 * size) + 5; i++)
        {
            await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = ($"pages-paging-{i:D2}", team)) });
        }

        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));
        var first = WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(team)}"));
        var second = WebUtility.HtmlDecode(await browser.GetStringAsync(Link(first, "next")));
        var third = WebUtility.HtmlDecode(await browser.GetStringAsync(Link(second, "next")));
        var backToSecond = WebUtility.HtmlDecode(await browser.GetStringAsync(Link(third, "prev")));
        var backToFirst = WebUtility.HtmlDecode(await browser.GetStringAsync(Link(backToSecond, "prev")));

        Assert.Equal((size, size, 5), (Listed(first).Count, Listed(second).Count, Listed(third).Count));
        Assert.Equal(Listed(second), Listed(backToSecond));
        Assert.Equal(Listed(first), Listed(backToFirst));
        Assert.Null(Link(first, "prev", required: false));
        Assert.Null(Link(backToFirst, "prev", required: false));
        Assert.Null(Link(third, "next", required: false));
        Assert.Contains($"team={Uri.EscapeDataString(team)}", Link(backToSecond, "prev"), StringComparison.Ordinal);

        // An address carrying more earlier pages than are remembered, or text that is no page token, passes on only
        // the last ones that could be tokens.
        var after = new Uri(new Uri("http://pages/"), Link(first, "next")).Query.Split('&').Single(p => p.StartsWith("after=", StringComparison.Ordinal))["after=".Length..];
        var crafted = string.Join("&", Enumerable.Range(0, 30).Select(_ => $"back={after}").Append("back=%3Cscript%3E").Append($"after={after}"));
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(team)}&{crafted}"));
        Assert.Equal(CroydonAudit.Api.Pages.Support.AuditList.MaxBack, Regex.Matches(Link(page, "next")!, "[?&]back=").Count);
        Assert.DoesNotContain("script", Link(page, "next")!, StringComparison.Ordinal);

        static List<string> Listed(string page) => [.. Regex.Matches(page, "<a class=\"govuk-link\" href=\"/audits/([^\"]+)\"><bdi>").Select(m => m.Groups[1].Value)];

        static string? Link(string page, string rel, bool required = true)
        {
            var link = Regex.Match(page, $"href=\"([^\"]+)\" rel=\"{rel}\"");
            Assert.True(link.Success || !required, $"No {rel} link.");
            return link.Success ? link.Groups[1].Value : null;
        }
    }

    [GeneratedRegex("<nav aria-label=\"Menu\"[\\s\\S]*?</nav>")]
    private static partial Regex Menu();

    [GeneratedRegex("<a class=\"govuk-service-navigation__link\" href=\"([^\"]+)\"")]
    private static partial Regex MenuLinks();
}
