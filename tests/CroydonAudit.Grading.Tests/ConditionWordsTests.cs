using System.Text.Json;
using System.Text.RegularExpressions;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>
/// When a rule applies, in words derived from its parsed condition and the rule set's vocabulary (the facts' names,
/// the template's questions and options, the grades): on every fixture rule, and on conditions written here as a
/// principal social worker might, each loaded as a rule; what cannot be put in words is named by its facts, never shown
/// as an expression.
/// </summary>
public sealed partial class ConditionWordsTests
{
    private static readonly string[] Written =
    [
        "audit.Areas.Any(a => a.SignificantConcern)",
        "!audit.Areas.Any(a => a.SignificantConcern)",
        "grading.BaseRank > 2",
        "audit.WorstRank <= 2",
        "audit.MedianGrade == \"Inadequate\"",
        "audit.Answer(\"immediate-risk-identified\").Yes && !audit.Answer(\"safeguarding-action-taken\").Answered",
        "audit.OverrideRationale.Words >= 10 && !audit.OverrideRationale.IsBland",
        "Math.Abs(audit.ProposedRank - audit.MedianRank) >= 2",
        "Math.Max(grading.BaseRank, audit.WorstRank) > 3",
        "audit.Areas.Count(a => a.Graded) < 3",
        "audit.Section(\"assessment\").Evidencing(\"inadequate\") >= 2",
        "audit.Evidencing(\"requires-improvement\") > 0",
        "!(audit.Risk == \"Weighed\" || audit.Risk == \"PositiveRiskTaking\")",
        "audit.Areas.All(a => a.Graded || a.NotApplicable)",
        "grading.OverallRank == grading.BaseRank + 1",
        "audit.KeyEvidence.Where(k => !k.Recorded).Count() >= 2",
        "audit.Answer(\"advocacy\").Is(\"required-not-provided\")",
        "audit.Answer(\"procedure-followed\").Option != \"unclear\" && audit.HasProposedGrade == false",
        "audit.Strengths.IsEmpty && audit.Areas.All(a => a.GoodPractice.IsEmpty)",
        "audit.LowestAreas == \"Assessment\"",
        "audit.Texts.Select(t => t.Words).Sum() > 100",
        "true",
    ];

    // The conditions above, each loaded as a finding rule of a copy of the fixture rules (whose template is the contract's).
    private static readonly Lazy<RuleSet> WrittenRules = new(() =>
    {
        using var copy = new RuleFolderCopy();
        for (var i = 0; i < Written.Length; i++)
        {
            copy.AddRule("findings.json", $$"""
                { "RuleName": "written.{{i}}", "Expression": {{JsonSerializer.Serialize(Written[i])}},
                  "Properties": { "effect": "finding", "severity": "INFO", "message": "Written.", "explanation": "Written.", "guidance": "Written here" } }
                """);
        }

        return RuleSetLoader.Load(copy.Path);
    });

    [Theory]
    [InlineData("limit.significant-concern", "any area has a significant concern")]
    [InlineData("base.median", "the auditor did not propose a grade")]
    [InlineData("cap.lowest-plus-one", "the base grade is more than one grade better than the lowest area grade")]
    [InlineData("limit.risk-not-acknowledged", "risk is “not acknowledged”")]
    [InlineData("limit.outstanding-evidence", "person involvement is not “central” or risk is neither “positive risk taking” nor “weighed”")]
    [InlineData("cap.override", "the auditor proposed a grade, the override rationale has at least 10 words, the override rationale says something specific and the strictest soft limit is worse than the base grade")]
    [InlineData("finding.area-not-graded", "any area is not graded and is not marked not applicable")]
    [InlineData("finding.evidence-missing", "any area is graded and its evidence is not written")]
    [InlineData("finding.no-summary", "the summary of findings is not written")]
    [InlineData("finding.no-recommendations", "there are no recommendations")]
    [InlineData("finding.recommendation-value", "any recommendation does not name a Croydon value")]
    [InlineData("finding.override-needs-moderation", "an override relaxed the soft limits")]
    public void AFixtureRulesCondition_IsSaidInWords(string ruleId, string words) =>
        Assert.Equal(words, ConditionWords.Of(Rule(FixtureRuleSet.RuleSet, ruleId), FixtureRuleSet.RuleSet.Template));

    [Fact]
    public void EveryFixtureRule_ReadsAsASentence_WithNoExpressionIdOrEnumName()
    {
        var rules = FixtureRuleSet.RuleSet;
        Assert.All(rules.Rules, rule =>
        {
            var words = RuleWords.AppliesWhen(rule, rules.Template);
            Assert.StartsWith("Applies when ", words, StringComparison.Ordinal);
            Assert.EndsWith(".", words, StringComparison.Ordinal);
            AssertPlain(words, rule.RuleId);
            Assert.DoesNotContain("the rule's own test", words, StringComparison.Ordinal);
            Assert.DoesNotContain("a test on", words, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(0, "any area has a significant concern")]
    [InlineData(1, "no area has a significant concern")]
    [InlineData(2, "the base grade is below Good")]
    [InlineData(3, "the lowest area grade is Good or above")]
    [InlineData(4, "the median of the area grades is Inadequate")]
    [InlineData(5, "the answer to “Was an immediate safeguarding risk identified?” is yes and the answer to “What was done, and how was it managed?” is not answered")]
    [InlineData(6, "the override rationale has at least 10 words and the override rationale says something specific")]
    [InlineData(7, "the grade the auditor proposed is at least 2 grades away from the median of the area grades")]
    [InlineData(8, "the worse of the base grade and the lowest area grade is below Requires improvement")]
    [InlineData(9, "there are fewer than 3 areas where the area is graded")]
    [InlineData(10, "the section “Assessment” has at least 2 answers evidencing Inadequate")]
    [InlineData(11, "there is at least one answer evidencing Requires improvement")]
    [InlineData(12, "risk is neither “weighed” nor “positive risk taking”")]
    [InlineData(13, "every area is graded or is marked not applicable")]
    [InlineData(14, "the overall grade so far is exactly one grade worse than the base grade")]
    [InlineData(15, "there are at least 2 key evidence fields where the key evidence field is not recorded")]
    [InlineData(16, "the answer to “Was advocacy needed, and provided?” is “required not provided”")]
    [InlineData(17, "the answer to “Was the safeguarding procedure followed?” is not “unclear” and the auditor did not propose a grade")]
    [InlineData(18, "the strengths text is not written and every area's good practice is not written")]
    public void AWrittenCondition_IsSaidInWords(int written, string words) =>
        Assert.Equal(words, ConditionWords.Of(Rule(WrittenRules.Value, $"written.{written}"), WrittenRules.Value.Template));

    [Fact]
    public void WhatCannotBePutInWords_IsNamedByTheFactsItReads_NeverShownAsAnExpression()
    {
        var rules = WrittenRules.Value;

        Assert.Equal("a test on the areas at the lowest grade is met", ConditionWords.Of(Rule(rules, "written.19"), rules.Template));
        Assert.Equal("a test on texts and words is met", ConditionWords.Of(Rule(rules, "written.20"), rules.Template));
        Assert.Equal("Applies to every audit.", RuleWords.AppliesWhen(Rule(rules, "written.21"), rules.Template));
        Assert.All(rules.Rules, rule => AssertPlain(RuleWords.AppliesWhen(rule, rules.Template), rule.RuleId));
    }

    [Fact]
    public void AQuestionAndItsOption_AreSaidInTheTemplatesWords()
    {
        // The same condition, read against a template that words the question and its options its own way.
        var template = new AuditTemplate("v", "A template", [new TemplateSection(ContractQuestions.KeyEvidenceSection, "Key evidence", PracticeArea.Unspecified,
            [new TemplateQuestion("advocacy", ContractQuestions.KeyEvidenceSection, "Was an advocate needed, and provided?", "advocacy", "", AnswerKind.Choice,
                [new TemplateOption("not-required", "Not required", Grade.Unspecified), new TemplateOption("required-not-provided", "Required, not provided", Grade.Inadequate)],
                Required: true, Informational: false)])], TemplatePrompts.Contract);
        var rule = Rule(WrittenRules.Value, "written.16");

        Assert.Equal("advocacy is “Required, not provided”", ConditionWords.Of(rule, template));
        Assert.Equal("Would apply if advocacy is “Required, not provided”.", RuleWords.WouldApplyIf(rule, template));
    }

    private static void AssertPlain(string words, string ruleId)
    {
        Assert.DoesNotContain(ruleId, words, StringComparison.Ordinal);
        foreach (var engine in new[] { "grading.", "==", "!=", "=>", "&&", "||", "(", ")", "\"", "Rank", "Unspecified" })
        {
            Assert.DoesNotContain(engine, words, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(@"\baudit\.\w", words);
        Assert.DoesNotMatch(Identifier(), words);
        Assert.DoesNotMatch(OptionId(), words);
    }

    // camelCase or PascalCase run together ("HasProposedGrade", "notAcknowledged"), or an underscore.
    [GeneratedRegex(@"\b[A-Za-z][a-z]+[A-Z][A-Za-z]*\b|_")]
    private static partial Regex Identifier();

    // An option's or question's id in quotes: "“not-acknowledged”", "“care-act”".
    [GeneratedRegex(@"“[a-z]+(-[a-z]+)+”")]
    private static partial Regex OptionId();

    private static CompiledRule Rule(RuleSet rules, string ruleId) => rules.Rules.Single(r => r.RuleId == ruleId);
}
