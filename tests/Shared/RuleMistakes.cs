using System.Text.Json.Nodes;

namespace CroydonAudit.Testing;

/// <summary>
/// The mistakes a rule author makes, each applied to a copy of the fixture rules, and the words the refusal
/// must contain: every one is refused by rules check, by the folder watcher and by ActivateRuleSet alike.
/// </summary>
public static class RuleMistakes
{
    private static readonly Dictionary<string, (Action<RuleFolderCopy> Make, string Reason)> All = new()
    {
        ["typo'd fact"] = (c => c.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Rsk == \"NotAcknowledged\""), "audit has no fact \"Rsk\". Did you mean \"Risk\"?"),
        ["misspelt value"] = (c => c.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.Risk == \"NotAcknowlegded\""), "Did you mean \"NotAcknowledged\"?"),
        ["invalid JSON"] = (c => c.Write("findings.json", "{ \"WorkflowName\": \"findings\", \"Rules\": [ "), "findings.json: is not valid JSON at line"),
        ["bad grade word"] = (c => c.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Requires Improvment"), "must be a grade: \"Outstanding\", \"Good\", \"Requires improvement\" or \"Inadequate\", not \"Requires Improvment\""),
        ["duplicate name"] = (c => c.EditRule("findings.json", "finding.no-summary", r => r["RuleName"] = "limit.care-act-partial"), "the rule name \"limit.care-act-partial\" is also used in limits.json"),
        ["missing explanation"] = (c => c.EditRule("findings.json", "finding.no-summary", r => r["Properties"]!.AsObject().Remove("explanation")), "\"explanation\" is missing"),
        ["base rules that cannot cover every audit"] = (c => c.EditRule("base.json", "base.median", r => r["Enabled"] = false), "no base rule fires for an audit where HasProposedGrade is no"),
        ["GetType()"] = (c => c.EditRule("limits.json", "limit.risk-not-acknowledged", r => r["Expression"] = "audit.GetType().Assembly.Location != null"), "uses GetType(…), which a rule may not"),
        ["worked case not JSON"] = (c => c.Write("tests/complete-good.json", "{ \"description\": \"a bracket short\",\n  \"audit\": { \"audit_id\": \"x\" \n"), "tests/complete-good.json: is not valid JSON at line 3, column 1"),
        ["failing worked case"] = (c => c.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Inadequate"), "tests/care-act-partial.json: the worked case fails: overall grade: expected Requires improvement, got Inadequate"),
    };

    public static TheoryData<string> Names => [.. All.Keys];

    /// <summary>Makes the mistake in the copy; returns words its refusal must contain.</summary>
    public static string Make(RuleFolderCopy copy, string mistake)
    {
        var (make, reason) = All[mistake];
        make(copy);
        return reason;
    }

    /// <summary>The fixture's legitimate policy change: partial Care Act compliance now limits to Inadequate, its worked cases updated.</summary>
    public static void MakeCareActPartialInadequate(RuleFolderCopy copy)
    {
        copy.EditRule("limits.json", "limit.care-act-partial", r => r["Properties"]!["limit"] = "Inadequate");
        copy.Edit("tests/care-act-partial.json", c =>
        {
            c["expect"]!["overall_grade"] = "GRADE_INADEQUATE";
            c["expect"]!["limits"]!["limit.care-act-partial"]!["limit"] = "Inadequate";
        });
        copy.Edit("tests/override-relaxes-soft-limit.json", c =>
        {
            c["expect"]!["overall_grade"] = "GRADE_REQUIRES_IMPROVEMENT";
            c["expect"]!["cap_applied"] = JsonValue.Create(true);
            c["expect"]!["limits"]!["limit.care-act-partial"]!["limit"] = "Inadequate";
        });
        copy.Edit("tests/override-leaves-hard-limit.json", c => c["expect"]!["limits"]!["limit.care-act-partial"]!["limit"] = "Inadequate");
    }
}
