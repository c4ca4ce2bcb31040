using Croydon.Audit.V1;
using CroydonAudit.Api.Validation;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// The pages in a real headless browser: Debian's Chromium (test.sh installs it) driven by Playwright. Every page
/// renders real data from PostgreSQL; axe-core finds no WCAG 2.2 A or AA violation on any of them; a moderation
/// decision is made by keyboard alone and shows on the audit and leaves the queue; filters and paging work. Every
/// page is checked at 1280 px and at 390 px wide, never wider than its window, even with the longest ids and reasons;
/// each page's screenshot at both widths is saved under .data/screenshots/.
/// </summary>
public sealed class BrowserTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>, IAsyncLifetime
{
    private const string Team = "Browser Team";

    private const int IndexModelPageSize = CroydonAudit.Api.Pages.Audits.IndexModel.PageSize;

    /// <summary>Debian's Chromium; Playwright's own browser download cannot run here.</summary>
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(RepositoryRoot.Path, ".data", "screenshots");

    /// <summary>A desktop's window and a phone's (390 px, as an iPhone's): every page is checked at both.</summary>
    private static readonly int[] Widths = [1280, 390];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"The browser tests need Chromium at {Chromium}: ./test.sh installs it (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox as root; no background connections, which this closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task EveryPage_RendersRealData_WithNoAccessibilityViolations()
    {
        // A team of this test's own: the report counts exactly these three.
        const string team = "Browser Pages Team";
        await Store("browser-capped", "significant-concern", team);
        await Store("browser-moderate", "override-relaxes-soft-limit", team);
        await Store("browser-good", "complete-good", team);
        var page = await SignedIn([Roles.Auditor, Roles.Moderator, Roles.Analyst]);

        var pages = new (string Path, string Name, string Shows)[]
        {
            ("/sign-in", "sign-in", "Test sign-in: choose a role to try the service on this computer"),
            ($"/audits?team={Uri.EscapeDataString(team)}", "audits", "browser-capped"),
            ("/audits/browser-capped", "audit", "Requires improvement"),
            ($"/moderation?team={Uri.EscapeDataString(team)}", "moderation", "browser-moderate"),
            ($"/report?team={Uri.EscapeDataString(team)}", "report", "3 audits"),
            ("/rules", "rules", "Active now"),
        };
        foreach (var (path, name, shows) in pages)
        {
            await AssertShownAndAccessible(page, host.PagesAddress + path.TrimStart('/'), name, shows);
        }
    }

    [Fact]
    public async Task TheRulesAdministratorsImpactPreview_HasNoAccessibilityViolations()
    {
        // A host of its own: the preview needs a second, inactive version of the rules.
        using var own = new GradingServiceHost();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        await own.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
        await own.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit.Also(a => a.AuditId = "browser-impact") });
        var page = await SignedIn([Roles.RulesAdmin], of: own);

        await AssertShownAndAccessible(page, $"{own.PagesAddress}rules/impact?version={RuleFiles.VersionOf(RepositoryRoot.FixtureRules)}", "rules-impact", "Audits compared");
    }

    [Fact]
    public async Task ARuleChange_ProposedApprovedAndActivatedOnThePages_ByTwoPeople_ThenRolledBack()
    {
        // A service of its own, where a second person must approve.
        using var database = new TestDatabase();
        using var own = new RulesHost(RepositoryRoot.FixtureRules, database, new Dictionary<string, string> { ["Rules:RequireApproval"] = "true" });
        var original = await own.ServingVersionAsync();
        await own.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit.Also(a => a.AuditId = "browser-rules") });
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        string[] uploads = [Path.Combine(changed.Path, "limits.json")];
        string[] cases = [.. new[] { "care-act-partial", "override-relaxes-soft-limit", "override-leaves-hard-limit" }.Select(c => Path.Combine(changed.Path, "tests", c + ".json"))];

        // The principal social worker edits a file on the page, uploads the changed limits and worked cases, checks, proposes.
        var psw = await SignedIn([Roles.RulesAdmin], name: "pat.psw", of: own);
        await psw.GotoAsync($"{own.PagesAddress}rules/propose");
        await psw.FillAsync("#content", "// Checked on the page.\n" + await psw.InputValueAsync("#content"));
        await psw.SetInputFilesAsync("#rule-uploads", uploads);
        await psw.SetInputFilesAsync("#case-uploads", cases);
        await psw.ClickAsync("button:has-text('Check and preview')");
        await AssertShownAndAccessible(psw, null, "rules-propose", "All is well: these rules can be proposed");
        Assert.Equal("1", await psw.InnerTextAsync("#impact-summary div:nth-child(2) dd"));
        await psw.SetInputFilesAsync("#rule-uploads", uploads);
        await psw.SetInputFilesAsync("#case-uploads", cases);
        await psw.ClickAsync("button:has-text('Propose these rules')");
        await psw.WaitForURLAsync("**/rules?done=proposed*");
        var version = new Uri(psw.Url).Query.Split('&').Single(p => p.StartsWith("version=", StringComparison.Ordinal))["version=".Length..];
        Assert.Equal(0, await psw.Locator($"#version-{version} button:has-text('Activate')").CountAsync());

        // Someone else approves; the proposer could not.
        var approver = await SignedIn([Roles.RulesApprover], name: "sam.approver", of: own);
        await approver.GotoAsync($"{own.PagesAddress}rules");
        await approver.ClickAsync($"#version-{version} button:has-text('Approve')");
        await approver.WaitForURLAsync("**/rules?done=approved*");
        await AssertShownAndAccessible(approver, null, "rules-approved", "You approved version");

        await psw.GotoAsync($"{own.PagesAddress}rules");
        await psw.ClickAsync($"#version-{version} button:has-text('Activate')");
        await psw.WaitForURLAsync("**/rules?done=activated*");
        Assert.True(await Eventually.HoldsAsync(async () => await own.ServingVersionAsync() == version, TimeSpan.FromSeconds(2)));
        var steps = await psw.InnerTextAsync($"#version-{version}");
        Assert.Contains("Proposed by pat.psw", steps, StringComparison.Ordinal);
        Assert.Contains("Approved by sam.approver", steps, StringComparison.Ordinal);
        Assert.Contains("Activated by pat.psw", steps, StringComparison.Ordinal);

        await psw.ClickAsync($"#version-{original} button:has-text('Roll back to this version')");
        await psw.WaitForURLAsync("**/rules?done=activated*");
        Assert.True(await Eventually.HoldsAsync(async () => await own.ServingVersionAsync() == original, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task AnAuditor_FillsInTheTemplatesForm_PreviewsTheGradeWithItsReasons_AndSubmits()
    {
        // A service whose template asks a question the principal social worker added.
        using var database = new TestDatabase();
        using var rules = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(rules);
        using var own = new RulesHost(rules.Path, database);
        var page = await SignedIn([Roles.Auditor], name: "auditor-on-the-page", of: own, team: "Form Team");
        await page.GotoAsync($"{own.PagesAddress}audits");
        await page.ClickAsync("a:has-text('Fill in a new audit')");
        await page.WaitForURLAsync("**/audits/new");

        // A mistake first: the service's refusal is shown against the field, in words.
        await page.FillAsync("#audit-id", "form audit!");
        await Submitted(page, "button:has-text('Preview the grade')");
        await AssertShownAndAccessible(page, null, "audit-form-error", "There is a problem");
        Assert.Contains("Error:", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Contains("The audit's reference may contain only letters", await page.InnerTextAsync("#problems"), StringComparison.Ordinal);

        await page.FillAsync("#audit-id", "form-audit-1");
        await page.FillAsync("#case-reference", "CR-FORM-1");
        foreach (var area in new[] { "risk-and-need", "assessment", "plans-and-reviews", "adult-voice", "family-engagement", "professional-curiosity", "management-oversight", "case-records", "impact" })
        {
            await page.CheckAsync($"#q-{area}-grade input[value=good]");
            await page.FillAsync($"#q-{area}-evidence", "Assessment completed within twenty eight days with the adult present.");
        }

        foreach (var (question, option) in new[] { ("advocacy", "not-required"), ("mental-capacity", "considered-and-documented"), ("care-act", "compliant"), ("person-involvement", "central"),
            ("risk", "weighed"), ("outcomes", "central-and-revisited"), ("policy-application", "good"), ("proposed-overall-grade", "good"), ("family-engagement-carers-assessment", "not-offered") })
        {
            await page.CheckAsync($"#q-{question} input[value={option}]");
        }

        await page.FillAsync("#strengths", "The worker built a trusting relationship with the adult and her daughter.");
        await page.FillAsync("#learning", "Record the reasons for each decision at the time it is made.");
        await page.FillAsync("#summary-of-findings", "A thorough, timely assessment that kept the adult's wishes at the centre.");
        await page.FillAsync("#recommendation-0", "Offer the daughter a carer's assessment at the next review.");
        await page.SelectOptionAsync("#recommendation-value-0", new SelectOptionValue { Label = "One team" });
        await Submitted(page, "button:has-text('Preview the grade')");
        await AssertShownAndAccessible(page, null, "audit-form-preview", "The rules would grade this audit Requires improvement");
        Assert.Contains("No carer's assessment was offered", await page.InnerTextAsync("#preview"), StringComparison.Ordinal);
        Assert.Equal(0, database.Count("SELECT count(*) FROM audit_revision"));

        await page.ClickAsync("button:has-text('Submit the audit')");
        await page.WaitForURLAsync("**/audits/form-audit-1");
        Assert.Contains("Was a carer's assessment offered?", await page.InnerTextAsync("#answers ~ table, main"), StringComparison.Ordinal);
        Assert.Contains("Not offered although there is a carer", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        var stored = (await own.Client.GetAuditAsync(new() { AuditId = "form-audit-1" })).Audit;
        Assert.Equal(("auditor-on-the-page", "Form Team", Grade.RequiresImprovement), (stored.Submission.AuditorId, stored.Submission.Team, stored.Result.OverallGrade));
    }

    [Fact]
    public async Task AModeratorDecides_ByKeyboardAlone_AndTheAuditLeavesTheQueue()
    {
        await Store("browser-keyboard", "override-relaxes-soft-limit");
        var page = await SignedIn([Roles.Moderator], name: "moderator-browser");
        await page.GotoAsync($"{host.PagesAddress}moderation?team={Uri.EscapeDataString(Team)}");

        // From the top of the page, Tab to the audit's link and follow it with Enter.
        await TabTo(page, "a[href='/audits/browser-keyboard#moderation']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/audits/browser-keyboard#moderation");

        // Tab to "I agree", choose it with Space, Tab to the button and press Enter.
        await TabTo(page, "#outcome");
        await page.Keyboard.PressAsync("Space");
        await TabTo(page, "button.govuk-button:has-text('Record decision')");
        // The page's address already matches before the decision is posted: wait for the page it is answered with.
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("main").GetByText("moderator-browser agreed with").First.WaitForAsync();

        Assert.Contains("moderator-browser agreed with", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.GotoAsync($"{host.PagesAddress}moderation?team={Uri.EscapeDataString(Team)}");
        Assert.DoesNotContain("browser-keyboard", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal(ModerationOutcome.Agreed, (await host.Client.GetAuditAsync(new() { AuditId = "browser-keyboard" })).Audit.ModerationDecisions.Single().Outcome);
    }

    [Fact]
    public async Task AFormWithAProblem_SaysSoInTheTitle_AndItsErrorSummaryTakesTheFocus()
    {
        // GOV.UK Frontend's own script, served by the service under its Content-Security-Policy, moves the focus.
        var page = await (await _browser!.NewContextAsync()).NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        await page.GotoAsync($"{host.PagesAddress}sign-in");
        await page.ClickAsync("button:text-is('Sign in')");
        await page.Locator(".govuk-error-summary").WaitForAsync();

        await AssertShownAndAccessible(page, null, "sign-in-error", "Choose at least one role.");
        Assert.StartsWith("Error: Sign in", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvalOnSelectorAsync<bool>(".govuk-error-summary", "e => e === document.activeElement"), "The error summary does not have the focus.");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheAuditList_FiltersAndPages()
    {
        const string team = "Browser Paging Team";
        for (var i = 0; i < 30; i++)
        {
            await Store($"browser-page-{i:D2}", i % 2 == 0 ? "complete-good" : "significant-concern", team);
        }

        var page = await SignedIn([Roles.Auditor]);
        await page.GotoAsync($"{host.PagesAddress}audits");
        // The team chosen from the teams there are.
        await page.SelectOptionAsync("#team", new SelectOptionValue { Label = team });
        await page.SelectOptionAsync("#grade", new SelectOptionValue { Label = "Requires improvement" });
        await page.ClickAsync("button:has-text('Apply filters')");
        var first = await page.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Equal(15, first.Count);
        Assert.All(first, row => Assert.Contains("Requires improvement", row, StringComparison.Ordinal));

        await page.GotoAsync($"{host.PagesAddress}audits?team={Uri.EscapeDataString(team)}");
        var listed = new List<string>(await page.Locator("tbody tr td:first-child").AllInnerTextsAsync());
        await page.ClickAsync("a[rel=next]");
        listed.AddRange(await page.Locator("tbody tr td:first-child").AllInnerTextsAsync());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"browser-page-{i:D2}").Reverse(), listed);
        Assert.Equal(0, await page.Locator("a[rel=next]").CountAsync());

        // And back: the page before is the first page again, which has no page before it.
        await page.ClickAsync("a[rel=prev]");
        Assert.Equal(listed.Take(IndexModelPageSize), await page.Locator("tbody tr td:first-child").AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("a[rel=prev]").CountAsync());
    }

    [Fact]
    public async Task TheLongestIdsAndReasons_WrapOnAPhone()
    {
        // The longest ids the service accepts, unbroken, and the longest moderation reason, of words longer than a phone is wide.
        const string team = "Browser Long Team";
        string Longest(string start) => start + new string('w', AuditSubmissionValidator.MaxIdLength - start.Length);
        var (decided, waiting) = (Longest("browser-long-decided-"), Longest("browser-long-waiting-"));
        var word = new string('r', 499);
        var reason = string.Join(" ", Enumerable.Repeat(word, 8)) + "s";
        Assert.Equal(AuditQueryValidator.MaxReasonLength, reason.Length);
        foreach (var id in new[] { decided, waiting })
        {
            await host.Client.GradeAuditAsync(new()
            {
                Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a =>
                    (a.AuditId, a.Team, a.CaseReference, a.AuditorId, a.OverrideRationale) = (id, team, Longest("case-"), Longest("auditor-"), $"{word} {a.OverrideRationale}")),
            });
        }

        await new ReportService.ReportServiceClient(host.Channel).RecordModerationDecisionAsync(new() { AuditId = decided, Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.RequiresImprovement, Reason = reason });
        var page = await SignedIn([Roles.Auditor, Roles.Moderator]);

        await AssertShownAndAccessible(page, $"{host.PagesAddress}audits/{decided}", "audit-long", word[..40]);
        await AssertShownAndAccessible(page, $"{host.PagesAddress}audits?team={Uri.EscapeDataString(team)}", "audits-long", "2 audits on this page");
        await AssertShownAndAccessible(page, $"{host.PagesAddress}moderation?team={Uri.EscapeDataString(team)}", "moderation-long", "1 audit on this page");
        Assert.Contains(waiting[..40], await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    // Shows the page, checks it says what it should, then on a desktop and on a phone (390 px, as an iPhone's) checks
    // it is no wider than the window, saves its screenshot and runs axe-core on it (WCAG 2.2 A and AA).
    // Without an address, the page as it is now (after a form was answered); the window is left as it was.
    private static async Task AssertShownAndAccessible(IPage page, string? address, string name, string shows)
    {
        if (address is not null)
        {
            var response = await page.GotoAsync(address);
            Assert.Equal(200, response!.Status);
        }

        Assert.Contains(shows, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        var was = page.ViewportSize ?? new PageViewportSizeResult { Width = 1280, Height = 720 };
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}-{width}.png"), FullPage = true });
            await AssertNoWiderThanTheWindow(page, width);

            var axe = await page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
            });
            Assert.True(axe.Violations.Length == 0, $"{address ?? page.Url} at {width} px: " + string.Join("; ", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
        }

        await page.SetViewportSizeAsync(was.Width, was.Height);
    }

    // The page never scrolls sideways: a wide table scrolls inside its own box, long words wrap.
    private static async Task AssertNoWiderThanTheWindow(IPage page, int width)
    {
        var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= width, $"{page.Url} is {pageWidth} px wide in a {width} px window.");
    }

    private async Task<IPage> SignedIn(string[] roles, string? name = "browser-user", GradingServiceHost? of = null, string? team = null)
    {
        of ??= host;
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        // Local mode's sign-in, as a person trying the service chooses who to be.
        await page.GotoAsync($"{of.PagesAddress}sign-in");
        foreach (var role in roles)
        {
            await page.CheckAsync($"input[name=roles][value='{role}']");
        }

        await page.FillAsync("#team", team ?? "");
        await page.FillAsync("#name", name ?? "");
        await page.ClickAsync("button:text-is('Sign in')");
        // Signed in once the list's document is in: the next step waits for what it needs itself.
        await page.WaitForURLAsync("**/audits", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        return page;
    }

    // Clicks a form's button and waits for the page the form is answered with.
    private static async Task Submitted(IPage page, string button)
    {
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync(button), r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    // Presses Tab until the element matching the selector has the focus.
    private static async Task TabTo(IPage page, string selector)
    {
        for (var presses = 0; presses < 200; presses++)
        {
            if (await page.EvalOnSelectorAsync<bool>(selector, "e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}.");
    }

    private async Task Store(string auditId, string fixture, string team = Team) =>
        await host.Client.GradeAuditAsync(new()
        {
            Audit = FixtureCases.Load(fixture).Audit.Also(a => (a.AuditId, a.Team) = (auditId, team)),
        });
}
