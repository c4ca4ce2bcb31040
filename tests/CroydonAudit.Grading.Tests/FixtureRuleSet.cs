using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>The tests' fixture rule set (tests/fixtures/rules), loaded once for the test run, and a grader over it.</summary>
public static class FixtureRuleSet
{
    private static readonly Lazy<RuleSet> Loaded = new(() => RuleSetLoader.Load(RepositoryRoot.FixtureRules));

    public static RuleSet RuleSet => Loaded.Value;

    public static AuditGrader Grader { get; } = new(Loaded.Value, TimeProvider.System);

    public static GradingResult Grade(AuditSubmission audit) => Grader.Grade(audit);
}
