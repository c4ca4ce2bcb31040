using BenchmarkDotNet.Attributes;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;

namespace CroydonAudit.Benchmarks;

/// <summary>What a rule change costs before it grades: building and warming the rule set, and the whole check an activation runs.</summary>
[MemoryDiagnoser]
public class RuleSetLoadBenchmarks
{
    [Benchmark]
    public RuleSet LoadAndWarm() => RuleSetLoader.Load(RuleFolders.Default);

    /// <summary>An activation's check: read the folder, JSON Schemas, compile and warm every rule, every worked case, coverage.</summary>
    [Benchmark]
    public CheckedRuleSet CheckForActivation() => RuleSetCheck.Run(RuleFolders.Default) is { Report.Passed: true } passed
        ? passed
        : throw new InvalidOperationException("The shipped rules do not pass their check.");
}
