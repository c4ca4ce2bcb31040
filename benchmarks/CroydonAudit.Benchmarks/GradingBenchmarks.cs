using BenchmarkDotNet.Attributes;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Benchmarks;

/// <summary>
/// Grading one audit with the full trace, by the real rules and by 3× and 10× as many; the typical audit also as a form
/// built from the template sends it, every question answered in <c>answers</c> rather than the typed fields.
/// </summary>
[MemoryDiagnoser]
public class GradingBenchmarks
{
    private AuditGrader _grader = null!;
    private AuditSubmission _typical = null!;
    private AuditSubmission _worst = null!;
    private AuditSubmission _answers = null!;

    [Params(1, 3, 10)]
    public int RuleMultiplier { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _grader = new AuditGrader(RuleSetLoader.Load(RuleFolders.Multiplied(RuleMultiplier)), TimeProvider.System);
        _typical = SampleAudits.Typical();
        _worst = SampleAudits.WorstCase();
        _answers = SampleAudits.TypicalAsAnswers();
    }

    [Benchmark(Baseline = true)]
    public GradingResult Typical() => _grader.Grade(_typical);

    [Benchmark]
    public GradingResult WorstCase() => _grader.Grade(_worst);

    [Benchmark]
    public GradingResult TypicalAsAnswers() => _grader.Grade(_answers);
}
