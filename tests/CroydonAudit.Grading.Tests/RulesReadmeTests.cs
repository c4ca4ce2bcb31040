using System.Reflection;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Testing;

namespace CroydonAudit.Grading.Tests;

/// <summary>rules/README.md is the rule author's reference: every fact a rule can use is in it.</summary>
public sealed class RulesReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot.Rules, "README.md"));

    public static TheoryData<string> Facts =>
        [.. typeof(AuditFacts).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Concat(typeof(GradingProgress).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name))];

    [Theory]
    [MemberData(nameof(Facts))]
    public void Readme_DocumentsEveryFact(string fact) => Assert.Contains($"`{fact}`", Readme);
}
