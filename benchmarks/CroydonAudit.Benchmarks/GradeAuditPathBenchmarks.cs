using BenchmarkDotNet.Attributes;
using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Contracts;
using Google.Protobuf;

namespace CroydonAudit.Benchmarks;

/// <summary>
/// GradeAudit's work in the service before the store, step by step, for the typical audit as typed fields and as
/// answers: where an audit sent as answers costs more than the engine's share.
/// </summary>
[MemoryDiagnoser]
public class GradeAuditPathBenchmarks
{
    private static readonly Accessor Auditor = new("auditor", "case-system", ["auditor"], "GradeAudit");
    private AuditGrader _grader = null!;
    private byte[] _request = null!;
    private Croydon.Audit.V1.AuditSubmission _audit = null!;
    private Grading.Domain.AuditSubmission _domain = null!;
    private Grading.Domain.GradingResult _result = null!;

    [Params("typed", "answers")]
    public string Form { get; set; } = "typed";

    [GlobalSetup]
    public void Setup()
    {
        _grader = new AuditGrader(RuleSetLoader.Load(RuleFolders.Multiplied(1)), TimeProvider.System);
        var audit = (Form == "typed" ? SampleAudits.Typical() : SampleAudits.TypicalAsAnswers()).ToContract();
        _request = new GradeAuditRequest { Audit = audit }.ToByteArray();
        _audit = GradeAuditRequest.Parser.ParseFrom(_request).Audit;
        _domain = _audit.ToDomain();
        _result = _grader.Grade(_domain);
    }

    [Benchmark]
    public bool WireLimitsWalk() => WireLimits.Check(new System.Buffers.ReadOnlySequence<byte>(_request), GradeAuditRequest.Descriptor) is null;

    [Benchmark]
    public GradeAuditRequest Parse() => GradeAuditRequest.Parser.ParseFrom(_request);

    [Benchmark]
    public int Validate() => AuditSubmissionValidator.Validate(_audit).Count;

    [Benchmark]
    public Grading.Domain.AuditSubmission ToDomain() => _audit.ToDomain();

    [Benchmark]
    public int ValidateAgainstTemplate() => TemplateAnswers.Validate(_audit, _grader.RuleSet.Template, _domain).Count;

    [Benchmark]
    public Grading.Domain.GradingResult Grade() => _grader.Grade(_domain);

    [Benchmark]
    public PendingRevision HashAndAnswer() =>
        new PendingRevision(_domain, _result, DateTimeOffset.UtcNow) { StoredBy = Auditor }.WithAnswer(_grader.RuleSet.Template);

    [Benchmark]
    public PendingRevision Hash() => new PendingRevision(_domain, _result, DateTimeOffset.UtcNow) { StoredBy = Auditor };

    [Benchmark]
    public int Answered() => _grader.RuleSet.Template.Answered(_domain).Count();

    [Benchmark]
    public Croydon.Audit.V1.AuditSubmission SubmissionToContract() => _domain.ToContract();

    [Benchmark]
    public byte[] Response() => new GradeAuditResponse { Result = _result.ToContract() }.ToByteArray();
}
