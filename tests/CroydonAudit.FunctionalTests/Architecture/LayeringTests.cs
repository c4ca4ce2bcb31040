using System.Reflection;

namespace CroydonAudit.FunctionalTests.Architecture;

/// <summary>
/// Dependencies point one way: the grading library knows nothing else of the service; the store knows grading, never
/// the contract; the contract (generated code and its validation) knows grading, never the store; only
/// CroydonAudit.Store.Contracts maps one onto the other, for the rule sets, the service and the command line.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string, string[]> MayNotReference => new()
    {
        { "CroydonAudit.Grading", ["CroydonAudit.Store", "CroydonAudit.Contracts", "CroydonAudit.Store.Contracts", "CroydonAudit.RuleSets", "CroydonAudit.Api"] },
        { "CroydonAudit.Store", ["CroydonAudit.Contracts", "CroydonAudit.Store.Contracts", "CroydonAudit.RuleSets", "CroydonAudit.Api"] },
        { "CroydonAudit.Contracts", ["CroydonAudit.Store", "CroydonAudit.Store.Contracts", "CroydonAudit.RuleSets", "CroydonAudit.Api"] },
        { "CroydonAudit.Store.Contracts", ["CroydonAudit.RuleSets", "CroydonAudit.Api"] },
        { "CroydonAudit.RuleSets", ["CroydonAudit.Api"] },
    };

    [Theory]
    [MemberData(nameof(MayNotReference))]
    public void AnAssembly_ReferencesOnlyTheLayersBelowIt(string assembly, string[] above)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(r => r.Name).ToList();

        Assert.Empty(references.Intersect(above));
        // The test would pass vacuously if the assembly referenced nothing of the service: it is built on grading.
        if (assembly != "CroydonAudit.Grading")
        {
            Assert.Contains("CroydonAudit.Grading", references);
        }
    }
}
