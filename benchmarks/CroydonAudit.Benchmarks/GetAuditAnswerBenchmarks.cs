using CroydonAudit.Store.Contracts;
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
/// and written again (as REST's JSON path still builds the message), or its bytes copied with the revision number, trace
/// and moderation spliced in. Both write the same bytes.
/// </summary>
[MemoryDiagnoser]
public class GetAuditAnswerBenchmarks
{
    private byte[] _answer = null!;
    private AuditRecord _completion = null!;
    private RuleTraceEntry[] _trace = null!;

    [GlobalSetup]
    public void Setup()
    {
        var submission = SampleAudits.Typical();
        var result = new AuditGrader(RuleSetLoader.Load(RuleFolders.Multiplied(1)), TimeProvider.System).Grade(submission);
        _answer = RecordMapping.Answer(submission, result, DateTimeOffset.UtcNow, Store.RevisionReason.NewContent, new Accessor("auditor", "case-system", ["auditor"], "GradeAudit"));
        _trace = [.. result.Trace.ToContract()];
        _completion = new AuditRecord { Result = new GradingResult { Revision = 1, Trace = { _trace } } };
    }

    [Benchmark(Baseline = true)]
    public byte[] ParsedAndWrittenAgain()
    {
        var record = AuditRecord.Parser.ParseFrom(_answer);
        record.MergeFrom(_completion);
        return new GetAuditResponse { Audit = record }.ToByteArray();
    }

    [Benchmark]
    public byte[] Spliced() => GetAuditResponse.Splicing(_answer, 1, _trace, [])!.ToByteArray();
}
