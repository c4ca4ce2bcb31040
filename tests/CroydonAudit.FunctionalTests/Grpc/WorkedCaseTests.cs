using CroydonAudit.Contracts.Mapping;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.WorkedCases;
using CroydonAudit.Testing;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// The service grades a worked case exactly as <c>rules check</c> does — same validation, mapping and
/// rules — so the check speaks for the service. The fixture's cases, one by one; the shipped rules'
/// cases through a host of their own (what they expect is theirs to say, not this test's).
/// </summary>
public sealed class WorkedCaseTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly AuditGrader Fixture = new(RuleSetLoader.Load(RepositoryRoot.FixtureRules), TimeProvider.System);

    public static TheoryData<string> Cases => [.. FixtureCases.Names];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PreviewGrade_FixtureWorkedCase_GradesAsTheCheckDoes(string name)
    {
        var workedCase = FixtureCases.Load(name);

        var served = (await host.Client.PreviewGradeAsync(new() { Audit = workedCase.Audit })).Result;

        Assert.True(WorkedCaseResult.Run(workedCase, Fixture).Passed);
        Assert.Equal(Fixture.Grade(workedCase.Audit.ToDomain()).ToContract().Also(r => r.GradedAt = served.GradedAt), served);
    }
}

/// <summary>Every worked case Croydon ships, graded by the service with the shipped rules, as the check grades it.</summary>
public sealed class ShippedWorkedCaseTests(ShippedWorkedCaseTests.ShippedRulesHost host) : IClassFixture<ShippedWorkedCaseTests.ShippedRulesHost>
{
    [Fact]
    public async Task PreviewGrade_EveryShippedWorkedCase_GradesAsTheCheckDoes()
    {
        var shipped = new AuditGrader(RuleSetLoader.Load(RepositoryRoot.Rules), TimeProvider.System);
        var different = new List<string>();

        foreach (var name in FixtureCases.NamesIn(RepositoryRoot.Rules))
        {
            var workedCase = FixtureCases.LoadFrom(RepositoryRoot.Rules, name);
            var served = (await host.Client.PreviewGradeAsync(new() { Audit = workedCase.Audit })).Result;
            if (!shipped.Grade(workedCase.Audit.ToDomain()).ToContract().Also(r => r.GradedAt = served.GradedAt).Equals(served))
            {
                different.Add(name);
            }
        }

        Assert.Empty(different);
        Assert.NotEmpty(FixtureCases.NamesIn(RepositoryRoot.Rules));
    }

    public sealed class ShippedRulesHost : GradingServiceHost
    {
        protected override string RulesPath => RepositoryRoot.Rules;
    }
}
