using System.Net;
using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// The pages over plain HTTP/1.1, signed in as a browser is (a session cookie holding the token, forms with
/// their anti-forgery token): each page renders real data from the store through the contract, in words, never
/// rule ids or enum names; roles are obeyed; a moderation decision made on the audit page shows there and takes
/// the audit out of the queue; the report and its CSV carry the contract's figures; the cookie is never accepted
/// by the REST/JSON routes.
/// </summary>
public sealed partial class PageTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private const string Team = "Pages Team";

    [Fact]
    public async Task ABrowserWithoutSignIn_IsSentToSignIn_AndComesBackAfterwards()
    {
        using var browser = Browser();
        var response = await browser.GetAsync("/audits?team=x");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in?returnUrl=%2Faudits%3Fteam%3Dx", response.Headers.Location!.OriginalString);

        var signedIn = await SignIn(browser, host.Token([Roles.Auditor]), "/audits?team=x");
        Assert.Equal("/audits?team=x", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audits?team=x")).StatusCode);

        // Text that is not a token the service accepts is refused at sign-in, saying so, and no session is kept for it.
        using var forged = Browser();
        var sessions = host.Database.Count("SELECT count(*) FROM page_session");
        foreach (var (text, why) in new[] { ("not-a-token", "it was not made by ./run.sh token for this copy of the service"), (host.Token([Roles.Auditor], now: DateTime.UtcNow.AddHours(-2)), "has expired"), (host.Token([Roles.Auditor], team: ""), "team claim is empty") })
        {
            var form = await forged.GetStringAsync("/sign-in");
            var answer = await forged.PostAsync("/sign-in?handler=Token", Form(form, ("token", text), ("returnUrl", "")));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains(why, WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.Equal(sessions, host.Database.Count("SELECT count(*) FROM page_session"));
        Assert.Equal(HttpStatusCode.Redirect, (await forged.GetAsync("/audits")).StatusCode);
    }

    [Fact]
    public async Task TheAuditsAndAnAudit_ShowStoredAuditsInWords()
    {
        var stored = await Store("pages-capped", "significant-concern");
        await Store("pages-good", "complete-good");
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));

        var list = await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}");
        Assert.Contains("pages-capped", list, StringComparison.Ordinal);
        Assert.Contains("pages-good", list, StringComparison.Ordinal);
        Assert.DoesNotContain("pages-good", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&grade=RequiresImprovement"), StringComparison.Ordinal);
        Assert.DoesNotContain("pages-good", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&incomplete=true"), StringComparison.Ordinal);
        Assert.Contains("pages-good", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}"), StringComparison.Ordinal);
        Assert.Contains("audits on this page", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}"), StringComparison.Ordinal);
        // The team filter offers the teams there are.
        Assert.Contains($"<option value=\"{Team}\" selected=\"selected\">{Team}</option>", WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}")), StringComparison.Ordinal);

        // A date that is not one, or a period ending before it starts, is said so against its field: never ignored.
        var notADate = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits?from=2026-13-45"));
        var backwards = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits?from=2026-05-01&to=2026-04-01"));
        Assert.Contains("<a href=\"#from\">The date graded on or after must be a real date, like 2026-04-01.</a>", notADate, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Audits", notADate, StringComparison.Ordinal);
        Assert.Contains("The date graded on or after must be the same as or before the date graded on or before.", backwards, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-capped"));
        Assert.Contains(stored.Summary, page, StringComparison.Ordinal);
        Assert.Contains("Requires improvement", page, StringComparison.Ordinal);
        Assert.Contains("Adult's voice", page, StringComparison.Ordinal);
        Assert.All(stored.Trace.Where(t => t.Fired), t => Assert.Contains(t.Explanation, page, StringComparison.Ordinal));
        Assert.All(stored.Trace, t => Assert.DoesNotContain(t.RuleId, page, StringComparison.Ordinal));
        Assert.DoesNotContain("GRADE_", page, StringComparison.Ordinal);

        // Why a rule did not apply: the facts its condition read, with this audit's values.
        var risk = CroydonAudit.Grading.Text.Words.Describe((CroydonAudit.Grading.Domain.RiskPractice)FixtureCases.Load("significant-concern").Audit.KeyEvidence.Risk);
        Assert.Contains("Here: ", page, StringComparison.Ordinal);
        // The auditor's record, in their words: every area's evidence, and the whole audit's text.
        var audit = FixtureCases.Load("significant-concern").Audit;
        Assert.All(audit.Areas.Where(a => a.Evidence.Length > 0), a => Assert.Contains(a.Evidence, page, StringComparison.Ordinal));
        Assert.All(audit.Areas.Where(a => a.SignificantConcern), a => Assert.Contains(a.SignificantConcernDetail, page, StringComparison.Ordinal));
        Assert.Contains(audit.SummaryOfFindings, page, StringComparison.Ordinal);
        Assert.All(audit.Recommendations, r => Assert.Contains(r.Text, page, StringComparison.Ordinal));
        // The trace headed by each rule's title, grouped by kind, never by its guidance reference alone.
        Assert.Contains("<caption class=\"govuk-table__caption govuk-table__caption--s\">Limits on the overall grade</caption>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("From the guidance:", page, StringComparison.Ordinal);
        Assert.Contains($"Risk: {risk}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("RequiresImprovement", Regex.Replace(page, "value=\"[A-Za-z]+\"", ""), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/audits/no-such-audit")).StatusCode);
        Assert.Contains("There is no audit with this id that your access covers.", await (await browser.GetAsync("/audits/no-such-audit")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModerationDecision_MadeOnThePage_ShowsOnTheAudit_AndLeavesTheQueue()
    {
        await Store("pages-moderate", "override-relaxes-soft-limit");
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Moderator], name: "moderator-pages"));
        Assert.Contains("pages-moderate", await browser.GetStringAsync($"/moderation?team={Uri.EscapeDataString(Team)}"), StringComparison.Ordinal);
        Assert.Contains("The oldest has waited under an hour since it was graded.", WebUtility.HtmlDecode(await browser.GetStringAsync($"/moderation?team={Uri.EscapeDataString(Team)}")), StringComparison.Ordinal);
        Assert.Contains("pages-moderate", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&awaiting=true"), StringComparison.Ordinal);

        // Changing the grade without a reason, or deciding nothing, is refused on the page as the service refuses it,
        // against the form's own field, in its words.
        var form = await browser.GetStringAsync("/audits/pages-moderate");
        var refused = WebUtility.HtmlDecode(await (await browser.PostAsync("/audits/pages-moderate?handler=Moderate", Form(form, ("outcome", "changed"), ("finalGrade", "Inadequate")))).Content.ReadAsStringAsync());
        var undecided = WebUtility.HtmlDecode(await (await browser.PostAsync("/audits/pages-moderate?handler=Moderate", Form(form))).Content.ReadAsStringAsync());
        Assert.Contains("<a href=\"#reason\">The reason is required when the moderator changes the grade: say why.</a>", refused, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#outcome\">Your decision must say whether the moderator agreed or changed the grade.</a>", undecided, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Audit pages-moderate", undecided, StringComparison.Ordinal);

        var decided = await browser.PostAsync("/audits/pages-moderate?handler=Moderate",
            Form(form, ("outcome", "changed"), ("finalGrade", "RequiresImprovement"), ("reason", "The plan was not reviewed with the adult.")));
        Assert.Equal((HttpStatusCode.Redirect, "/audits/pages-moderate?decided=true"), (decided.StatusCode, decided.Headers.Location!.OriginalString));
        Assert.Contains("Your decision is recorded: the grade of record is now Requires improvement.", WebUtility.HtmlDecode(await browser.GetStringAsync(decided.Headers.Location)), StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-moderate"));
        Assert.Contains("<bdi>moderator-pages</bdi> changed the final grade to Requires improvement: The plan was not reviewed with the adult.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Your decision is recorded", page, StringComparison.Ordinal);
        // The override the moderator judged, in the auditor's words.
        Assert.Contains(FixtureCases.Load("override-relaxes-soft-limit").Audit.OverrideRationale, page, StringComparison.Ordinal);
        // The moderator's grade is the grade of record: headlined, with the rules' grade beside it, and in the list.
        Assert.Contains("Overall grade: <strong class=\"govuk-tag govuk-tag--", page, StringComparison.Ordinal);
        Assert.Matches("Overall grade: <strong[^>]*>Requires improvement</strong>", page);
        Assert.Contains("Moderated by <bdi>moderator-pages</bdi> on", page, StringComparison.Ordinal);
        Assert.Contains(": was Good, the rules' grade.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("I agree with the grade of", page, StringComparison.Ordinal);
        Assert.Contains("Change the final grade from Requires improvement", page, StringComparison.Ordinal);
        Assert.Matches("pages-moderate[\\s\\S]*?>Requires improvement</strong><span class=\"govuk-body-s\"> \\(moderated; the rules gave Good\\)",
            WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}")));
        Assert.DoesNotContain("pages-moderate", await browser.GetStringAsync($"/moderation?team={Uri.EscapeDataString(Team)}"), StringComparison.Ordinal);
        Assert.DoesNotContain("pages-moderate", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&awaiting=true"), StringComparison.Ordinal);
        // The list filters on the grade of record; the report and its CSV count it, with the rules' grade beside it.
        Assert.Contains("pages-moderate", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&grade=RequiresImprovement"), StringComparison.Ordinal);
        Assert.DoesNotContain("pages-moderate", await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(Team)}&grade=Good"), StringComparison.Ordinal);
        var report = (await new ReportService.ReportServiceClient(host.Channel).GetProgrammeReportAsync(new() { Team = Team })).Report;
        var csv = await browser.GetAsync($"/report/csv?team={Uri.EscapeDataString(Team)}");
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.Contains($"grade of record,Requires improvement,,{report.FinalGrades.Single(g => g.Grade == Grade.RequiresImprovement).Count}", csvText, StringComparison.Ordinal);
        Assert.Contains($"rules' grade,Good,,{report.OverallGrades.Single(g => g.Grade == Grade.Good).Count}", csvText, StringComparison.Ordinal);
        Assert.StartsWith($"figure,item,detail,count\r\nperiod,", csvText, StringComparison.Ordinal);
        Assert.Contains($"team,{Team},,", csvText, StringComparison.Ordinal);
        Assert.Matches("^programme-report-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}-pages-team\\.csv$", csv.Content.Headers.ContentDisposition!.FileNameStar ?? csv.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        // The report's own page, not only its CSV: the moderated grade counted, the rules' grade beside it.
        var reportPage = WebUtility.HtmlDecode(await browser.GetStringAsync($"/report?team={Uri.EscapeDataString(Team)}"));
        var (ofRecord, byRules) = (report.FinalGrades.Single(g => g.Grade == Grade.RequiresImprovement).Count, report.OverallGrades.Single(g => g.Grade == Grade.RequiresImprovement).Count);
        Assert.True(ofRecord > byRules, "The moderated grade is not counted as the grade of record.");
        Assert.Matches($"<th scope=\"row\" class=\"govuk-table__header\">Requires improvement</th><td[^>]*>{Show.Count(ofRecord)}</td><td[^>]*>[^<]*</td><td[^>]*>{Show.Count(byRules)}</td>", reportPage);
        var stored = (await host.Client.GetAuditAsync(new() { AuditId = "pages-moderate" })).Audit.ModerationDecisions.Single();
        Assert.Equal((ModerationOutcome.GradeChanged, Grade.RequiresImprovement, "moderator-pages"), (stored.Outcome, stored.FinalGrade, stored.DecidedBy));

        // A form without its anti-forgery token is refused.
        var forged = await browser.PostAsync("/audits/pages-moderate?handler=Moderate", new FormUrlEncodedContent([new("outcome", "agreed")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task TheReportAndItsCsv_CarryTheContractsFigures_ForAnalystsOnly()
    {
        await Store("pages-report-1", "lowest-plus-one");
        await Store("pages-report-2", "complete-good");
        var figures = (await new ReportService.ReportServiceClient(host.ChannelFor(host.Token([Roles.Analyst]))).GetProgrammeReportAsync(new() { Team = Team })).Report;
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Analyst]));

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/report?team={Uri.EscapeDataString(Team)}"));
        Assert.Contains($"{figures.Audits} audits", page, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"croydon-chart\" role=\"img\"", page, StringComparison.Ordinal);
        Assert.All(figures.DecidingLimits, l => Assert.Contains(l.Title, page, StringComparison.Ordinal));

        var csv = await browser.GetStringAsync($"/report/csv?team={Uri.EscapeDataString(Team)}");
        Assert.Contains($"audits,all,,{figures.Audits}", csv, StringComparison.Ordinal);
        foreach (var grade in figures.OverallGrades)
        {
            Assert.Contains($"rules' grade,{CroydonAudit.Api.Pages.Support.Show.Of(grade.Grade)},,{grade.Count}", csv, StringComparison.Ordinal);
        }

        // A period the service refuses, or a date that is not one, is said so against its field, with no figures.
        var backwards = WebUtility.HtmlDecode(await browser.GetStringAsync("/report?from=2026-05-01&to=2026-04-01"));
        var notADate = WebUtility.HtmlDecode(await browser.GetStringAsync("/report?from=2026-13-45"));
        Assert.Contains("<a href=\"#from\">The first day must be before the last day", backwards, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Programme report", backwards, StringComparison.Ordinal);
        Assert.DoesNotContain("graded_", backwards, StringComparison.Ordinal);
        Assert.DoesNotContain("croydon-chart", backwards, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#from\">The first day must be a real date, like 2026-04-01.</a>", notADate, StringComparison.Ordinal);

        // An auditor may read audits, not the report.
        using var auditor = Browser();
        await SignIn(auditor, host.Token([Roles.Auditor]));
        var forbidden = await auditor.GetAsync("/report");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("You do not have access to this page", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRulesPage_ShowsTheActiveVersion()
    {
        var active = (await host.RuleSets.GetActiveRuleSetAsync(new())).RuleSet;
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/rules"));
        Assert.Contains(active.Version, page, StringComparison.Ordinal);
        Assert.Contains(active.Label, page, StringComparison.Ordinal);

        // Each active rule in words, never by its id.
        var rules = CroydonAudit.Grading.Rules.RuleSetLoader.Load(RepositoryRoot.FixtureRules);
        Assert.All(rules.Rules, r => Assert.Contains(CroydonAudit.Grading.Text.RuleWords.WhatItDoes(r.Definition), page, StringComparison.Ordinal));
        // And when each applies.
        Assert.All(rules.Rules, r => Assert.Contains(CroydonAudit.Grading.Text.RuleWords.AppliesWhen(r, rules.Template), page, StringComparison.Ordinal));
        Assert.All(rules.Rules, r => Assert.DoesNotContain(r.RuleId, page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEarlierVersionsImpact_IsPreviewedAsAMatrix_ForTheRulesAdministratorOnly()
    {
        // A host of its own: this test changes the active rules.
        using var own = new GradingServiceHost();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        await own.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        await own.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit.Also(a => a.AuditId = "impact-page") });
        var earlier = RuleFiles.VersionOf(RepositoryRoot.FixtureRules);

        using var admin = Browser(own);
        await SignIn(admin, own.Token([Roles.RulesAdmin, Roles.Auditor]));
        Assert.Contains($"/rules/impact?version={earlier}", await admin.GetStringAsync("/rules"), StringComparison.Ordinal);
        var rulesOfEarlier = WebUtility.HtmlDecode(await admin.GetStringAsync($"/rules?version={earlier}"));
        Assert.Contains($"The rules of version {earlier}", rulesOfEarlier, StringComparison.Ordinal);

        // Stored Inadequate by the active rules; the earlier version would grade it Requires improvement.
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/rules/impact?version={earlier}"));
        var matrix = page[page.IndexOf("id=\"impact-matrix\"", StringComparison.Ordinal)..];
        var inadequateRow = matrix[matrix.IndexOf(">Inadequate</th>", matrix.IndexOf("<tbody", StringComparison.Ordinal), StringComparison.Ordinal)..];
        Assert.Equal(["0", "0", "1", "0"], Cells().Matches(inadequateRow[..inadequateRow.IndexOf("</tr>", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value));
        Assert.Contains("Overall grade would change</dt><dd class=\"govuk-summary-list__value\">1</dd>", page, StringComparison.Ordinal);

        using var auditor = Browser(own);
        await SignIn(auditor, own.Token([Roles.Auditor]));
        Assert.DoesNotContain("/rules/impact", await auditor.GetStringAsync("/rules"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync($"/rules/impact?version={earlier}")).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookie_IsNeverAcceptedByTheRestRoutes()
    {
        using var browser = Browser();
        await SignIn(browser, host.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audits")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/v1/audits")).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookie_HoldsNoToken_AndSigningOutEndsTheSessionForAnyoneHoldingIt()
    {
        using var browser = Browser();
        var token = host.Token([Roles.Auditor], name: "signing-out");
        var signedIn = await SignIn(browser, token);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{PageSession.Cookie}=", StringComparison.Ordinal));
        var id = cookie[(PageSession.Cookie.Length + 1)..cookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audits")).StatusCode);

        var page = await browser.GetStringAsync("/audits");
        Assert.True(host.Database.Count("SELECT count(*) FROM page_session") > 0);
        Assert.Equal(0, host.Database.Count($"SELECT count(*) FROM page_session WHERE position(convert_to('{token[..40]}', 'UTF8') IN sealed_token) > 0"));
        var signedOut = await browser.PostAsync("/sign-out", Form(page));
        // Someone who copied the cookie before the sign-out, on this replica or any other.
        using var stolen = Browser();
        stolen.DefaultRequestHeaders.Add("Cookie", $"{PageSession.Cookie}={id}");
        var afterwards = await stolen.GetAsync("/audits");

        Assert.DoesNotContain(token[..20], cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", id, StringComparison.Ordinal);
        Assert.Equal(("/sign-in?signedOut=true", HttpStatusCode.Redirect), (signedOut.Headers.Location!.OriginalString, afterwards.StatusCode));
        Assert.StartsWith("/sign-in?", afterwards.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The session's row is gone; no row holds a token readable by whoever reads the table.
        Assert.Equal(0, host.Database.Count($"SELECT count(*) FROM page_session WHERE position(convert_to('{token[..40]}', 'UTF8') IN sealed_token) > 0"));
    }

    [Fact]
    public async Task WhatPeopleTyped_IsIsolated_SoARightToLeftCharacterCannotTurnThePagesWordsRound()
    {
        var team = "Team \u202Eevil";
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = ("pages-bidi", team)) });
        using var browser = Browser();
        await SignIn(browser, host.Token([Roles.Auditor]));

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/pages-bidi"));
        var list = WebUtility.HtmlDecode(await browser.GetStringAsync($"/audits?team={Uri.EscapeDataString(team)}"));

        Assert.Contains($"· <bdi>{team}</bdi> · audited by <bdi>", page, StringComparison.Ordinal);
        Assert.Contains($"<bdi>{team}</bdi></td>", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLocalSignIn_TakesTheRolesAndTeamChosen_AndRefusesAFormWithoutARole()
    {
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = ("local-north", "Local North")) });
        await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = ("local-south", "Local South")) });
        using var browser = Browser();
        var form = await browser.GetStringAsync("/sign-in");

        var noRole = await browser.PostAsync("/sign-in", Form(form, ("team", "Local North")));
        var twoLines = await browser.PostAsync("/sign-in", Form(form, ("roles", Roles.Auditor), ("team", "Local North\nLocal South")));
        var signedIn = await browser.PostAsync("/sign-in", Form(form, ("roles", Roles.Auditor), ("roles", "not-a-role"), ("team", "Local North"), ("name", "Lee Local")));
        var audits = await browser.GetStringAsync("/audits");

        Assert.Contains("Test sign-in: choose a role to try the service on this computer", form, StringComparison.Ordinal);
        Assert.Contains("Choose at least one role.", await noRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Enter a team name of at most 100 characters, on one line.", await twoLines.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, "/audits"), (signedIn.StatusCode, signedIn.Headers.Location!.OriginalString));
        Assert.Contains("local-north", audits, StringComparison.Ordinal);
        Assert.DoesNotContain("local-south", audits, StringComparison.Ordinal);
        Assert.Contains("Lee Local", audits, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionLeftIdle_Ends()
    {
        using var database = new TestDatabase();
        using var idle = new RulesHost(RepositoryRoot.FixtureRules, database, new Dictionary<string, string> { ["Pages:SessionIdleTimeout"] = "00:00:01" });
        using var browser = Browser(idle);
        await SignIn(browser, idle.Token([Roles.Auditor]));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audits")).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2));
        var afterwards = await browser.GetAsync("/audits");

        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.Contains("refused=true", afterwards.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("You have been signed out, because your session ended or was left unused.", await browser.GetStringAsync(afterwards.Headers.Location), StringComparison.Ordinal);
    }

    private HttpClient Browser() => Browser(host);

    private static HttpClient Browser(GradingServiceHost of) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = of.PagesAddress };

    private static async Task<HttpResponseMessage> SignIn(HttpClient browser, string token, string? returnUrl = null)
    {
        var form = await browser.GetStringAsync("/sign-in");
        var response = await browser.PostAsync("/sign-in?handler=Token", Form(form, ("token", token), ("returnUrl", returnUrl ?? "")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    // A page's form as a browser posts it: its anti-forgery token, and the fields given.
    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", AntiForgery().Match(page).Groups[1].Value), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private async Task<GradingResult> Store(string auditId, string fixture) =>
        (await host.Client.GradeAuditAsync(new()
        {
            Audit = FixtureCases.Load(fixture).Audit.Also(a => (a.AuditId, a.Team) = (auditId, Team)),
        })).Result;

    [GeneratedRegex("<td class=\"govuk-table__cell govuk-table__cell--numeric\">([^<]*)</td>")]
    private static partial Regex Cells();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgery();
}
