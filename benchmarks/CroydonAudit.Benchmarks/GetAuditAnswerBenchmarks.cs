using BenchmarkDotNet.Attributes;
using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;
using Google.Protobuf;

namespace CroydonAudit.Benchmarks;

/// <summary>
/// GetAudit's answer for a typical stored audit, from the answer stored with it, as the bytes sent: parsed, completed
/// and written again (as REST's JSON path still builds the message), or sent as stored with its completion after it.
/// </summary>
[MemoryDiagnoser]
public class GetAuditAnswerBenchmarks
{
    private byte[] _answer = null!;
    private AuditRecord _completion = null!;

    [GlobalSetup]
    public void Setup()
    {
        var submission = SampleAudits.Typical();
        var result = new AuditGrader(RuleSetLoader.Load(RuleFolders.Multiplied(1)), TimeProvider.System).Grade(submission);
        _answer = RecordMapping.Answer(submission, result, DateTimeOffset.UtcNow, Store.RevisionReason.NewContent, new Accessor("auditor", "case-system", ["auditor"], "GradeAudit"));
        _completion = new AuditRecord { Result = new GradingResult { Revision = 1, Trace = { result.Trace.ToContract() } } };
    }

    [Benchmark(Baseline = true)]
    public byte[] ParsedAndWrittenAgain()
    {
        var record = AuditRecord.Parser.ParseFrom(_answer);
        record.MergeFrom(_completion);
        return new GetAuditResponse { Audit = record }.ToByteArray();
    }

    [Benchmark]
    public byte[] SentAsStored() => GetAuditResponse.Concatenating(_answer, _completion).ToByteArray();
}
