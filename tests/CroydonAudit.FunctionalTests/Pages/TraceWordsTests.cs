using System.Net;
using System.Text.RegularExpressions;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Pages;

/// <summary>
/// The trace in words: on the audit page a rule that did not apply says when it would have ("Would apply if …"), then
/// what this audit has ("Here: …"); a rule that applied keeps its explanation; the rules page says when each rule
/// applies, in the same words, derived from the rule's condition and the rule set's vocabulary (the fixture rules).
/// </summary>
public sealed class TraceWordsTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    [Fact]
    public async Task ARuleThatDidNotApply_SaysWhenItWould_AndWhatThisAuditHas()
    {
        var stored = (await host.Client.GradeAuditAsync(new()
        {
            Audit = FixtureCases.Load("complete-good").Audit.Also(a => (a.AuditId, a.Team) = ("trace-words", "Trace Words Team")),
        })).Result;
        using var browser = await SignedIn(Roles.Auditor);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/audits/trace-words"));

        Assert.Contains("Would apply if any area has a significant concern. Here: Significant concern: none of the areas.", Text(page), StringComparison.Ordinal);
        Assert.Contains("Would apply if the summary of findings is not written.", Text(page), StringComparison.Ordinal);
        // One such sentence for each rule that did not apply; each that applied keeps its explanation.
        Assert.Equal(stored.Trace.Count(t => !t.Fired), Regex.Count(page, "Would apply if "));
        Assert.All(stored.Trace.Where(t => t.Fired), t => Assert.Contains(t.Explanation, page, StringComparison.Ordinal));
        Assert.DoesNotContain("Had it applied", page, StringComparison.Ordinal);
        Assert.All(stored.Trace, t => Assert.DoesNotContain(t.RuleId, page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRulesPage_SaysWhenEachRuleApplies()
    {
        using var browser = await SignedIn(Roles.Auditor);

        var page = Text(WebUtility.HtmlDecode(await browser.GetStringAsync("/rules")));

        Assert.Contains("<th scope=\"col\" class=\"govuk-table__header\">When it applies</th>", page, StringComparison.Ordinal);
        Assert.Contains("Applies when any area has a significant concern.", page, StringComparison.Ordinal);
        Assert.Contains("Applies when the base grade is more than one grade better than the lowest area grade.", page, StringComparison.Ordinal);
        Assert.Contains("Applies when risk is “not acknowledged”.", page, StringComparison.Ordinal);
        Assert.Contains("Applies when there are no recommendations.", page, StringComparison.Ordinal);
        // Never the expression itself.
        Assert.DoesNotMatch(@"\b(audit|grading)\.[A-Z]|=>|==|&&", page);
    }

    // The page's text with the markup between sentences closed up: "Would apply if …. Here: …".
    private static string Text(string page) => Regex.Replace(Regex.Replace(page, @"</span>\s*<span>", " "), @"\s+", " ");

    private async Task<HttpClient> SignedIn(string role)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host.PagesAddress };
        var form = await browser.GetStringAsync("/sign-in");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await browser.PostAsync("/sign-in?handler=Token", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("token", host.Token([role])), new("returnUrl", "")]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
