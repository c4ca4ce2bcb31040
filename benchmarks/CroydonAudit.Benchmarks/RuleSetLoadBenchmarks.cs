using BenchmarkDotNet.Attributes;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Benchmarks;

/// <summary>Building and warming a new rule set: the price a hot reload pays once.</summary>
[MemoryDiagnoser]
public class RuleSetLoadBenchmarks
{
    [Benchmark]
    public RuleSet LoadAndWarm() => RuleSetLoader.Load(RuleFolders.Default);
}
