using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.WorkedCases;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>The fixture rule set's worked cases (tests/fixtures/rules/tests): the audits functional tests send.</summary>
public static class FixtureCases
{
    public static IEnumerable<string> Names => NamesIn(RepositoryRoot.FixtureRules);

    public static WorkedCase Load(string name) => LoadFrom(RepositoryRoot.FixtureRules, name);

    public static IEnumerable<string> NamesIn(string rules) =>
        Directory.EnumerateFiles(Path.Combine(rules, "tests"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static WorkedCase LoadFrom(string rules, string name)
    {
        var file = $"{RuleSetFiles.WorkedCaseFolder}{name}.json";
        var problems = new List<RuleSetProblem>();
        return WorkedCase.TryParse(file, File.ReadAllBytes(Path.Combine(rules, file)), problems, @base => File.Exists(Path.Combine(rules, @base)) ? File.ReadAllBytes(Path.Combine(rules, @base)) : null)
            ?? throw new InvalidDataException(string.Join(Environment.NewLine, problems));
    }
}
