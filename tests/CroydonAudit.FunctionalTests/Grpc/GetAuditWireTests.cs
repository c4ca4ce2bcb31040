using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// The service's answers on the wire are canonical protobuf: each singular field written once at any depth, byte for
/// byte what protobuf's own serializer writes for the message, so a client that keeps the last copy of a message field
/// written twice (protobufjs) reads the same answer as one that merges copies. GetAudit's, which splices a stored
/// answer's bytes, in every form the store keeps a revision in; the other answers and reflection's descriptors too.
/// </summary>
public sealed class GetAuditWireTests
{
    private static readonly Method<GetAuditRequest, byte[]> RawGetAudit = Raw<GetAuditRequest>(GradingService.Descriptor, "GetAudit");

    [Fact]
    public async Task GetAudit_WritesEachFieldOnce_AsProtobufWritesIt_InEveryStorageForm()
    {
        using var database = new TestDatabase();
        var graded = new Dictionary<(string AuditId, int Revision), GradingResult>();
        var moderated = 0;
        using (var host = new GradingServiceHost(database))
        {
            var moderation = new ReportService.ReportServiceClient(host.Channel);
            foreach (var name in FixtureCases.Names)
            {
                var audit = FixtureCases.Load(name).Audit.Also(a => a.AuditId = $"wire-{name}");
                graded[(audit.AuditId, 1)] = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
                audit.Learning = "A second revision: the review date was added to the plan.";
                graded[(audit.AuditId, 2)] = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
                if (graded[(audit.AuditId, 1)].ModerationRequired || moderated == 0)
                {
                    // Decisions are the third part spliced into the stored answer; two on one revision, one on the other.
                    foreach (var (revision, outcome) in new[] { (1, ModerationOutcome.Agreed), (1, ModerationOutcome.GradeChanged), (2, ModerationOutcome.Agreed) })
                    {
                        await moderation.RecordModerationDecisionAsync(new()
                        {
                            AuditId = audit.AuditId, Revision = revision, Outcome = outcome,
                            FinalGrade = outcome == ModerationOutcome.GradeChanged ? Grade.Inadequate : Grade.Unspecified,
                            Reason = outcome == ModerationOutcome.GradeChanged ? "Changed at moderation." : "",
                        });
                    }
                    moderated++;
                }
            }
        }

        Assert.True(moderated > 1);
        var forms = new Dictionary<string, Dictionary<(string, int), byte[]>>
        {
            ["its answer, with its rules' outcomes in its row"] = await ReadAll(database, graded.Keys),
        };
        Assert.Equal(graded.Count, StoredBeforeAnswers.OutcomesAsRows(database, "r.audit_id LIKE 'wire-%'"));
        forms["its answer, with its rules' outcomes as rows (V16)"] = await ReadAll(database, graded.Keys);
        Assert.Equal(graded.Count, StoredBeforeAnswers.Rewrite(database, sentWithoutAuditedAt: true));
        forms["its documents (V15)"] = await ReadAll(database, graded.Keys);

        foreach (var (form, answers) in forms)
        {
            foreach (var (key, bytes) in answers)
            {
                Assert.True(CanonicalWire.Problems(bytes, GetAuditResponse.Descriptor) is [], $"{key} stored as {form}: {string.Join("; ", CanonicalWire.Problems(bytes, GetAuditResponse.Descriptor))}");
                var read = GetAuditResponse.Parser.ParseFrom(bytes);
                Assert.Equal(read.ToByteArray(), bytes);
                Assert.Equal(graded[key], read.Audit.Result);
            }
        }

        var first = forms.Values.First();
        Assert.All(forms.Values, answers => Assert.All(answers, a => Assert.Equal(first[a.Key], a.Value)));
        Assert.Contains(first.Values, bytes => GetAuditResponse.Parser.ParseFrom(bytes).Audit.ModerationDecisions.Count == 2);
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(127, 1, 1)]
    [InlineData(128, 40, 3)]
    [InlineData(300_000, 700, 20)]
    public void Splicing_WritesWhatParsingMergingAndWritingWrite_WhateverTheLengthsGrowTo(int revision, int rules, int decisions)
    {
        // Lengths cross a varint's byte boundaries (127/128, 16,383/16,384) as the spliced parts grow.
        var answer = new AuditRecord
        {
            Submission = FixtureCases.Load("several-findings").Audit,
            Result = new GradingResult { AuditId = "spliced", OverallGrade = Grade.Good, Summary = "Overall grade: Good.", RuleSetVersion = "abc", Findings = { new Finding { RuleId = "f", Message = "m" } } },
            Reason = RevisionReason.NewContent,
            CallerSubject = "auditor-1",
            // Fields after moderation_decisions: the decisions go before them.
            Answered = { new AnsweredQuestion { QuestionId = "risk", Question = "How were risks weighed up?", OptionId = "weighed", OptionWords = "Weighed" } },
            TemplateVersion = "0123456789abcdef",
        };
        var trace = Enumerable.Range(0, rules).Select(i => new RuleTraceEntry { Workflow = "limits", RuleId = $"rule-{i}", Fired = i % 3 == 0, Explanation = new string('x', i % 50) }).ToList();
        var decided = Enumerable.Range(0, decisions).Select(i => new ModerationDecision { AuditId = "spliced", Revision = revision, Outcome = ModerationOutcome.GradeChanged, FinalGrade = (Grade)(1 + (i % 4)), DecidedBy = "moderator" }).ToList();

        var spliced = GetAuditResponse.Splicing(answer.ToByteArray(), revision, trace, decided)!.ToByteArray();

        var merged = answer.Clone();
        merged.MergeFrom(new AuditRecord { Result = new GradingResult { Revision = revision, Trace = { trace } }, ModerationDecisions = { decided } });
        // The grade of record: the last decision's, else the rules' grade.
        merged.FinalGrade = decisions > 0 ? decided[^1].FinalGrade : Grade.Good;
        Assert.Equal(new GetAuditResponse { Audit = merged }.ToByteArray(), spliced);
        Assert.Empty(CanonicalWire.Problems(spliced, GetAuditResponse.Descriptor));
    }

    [Fact]
    public void Splicing_AnAnswerThatIsNotOfTheStoredShape_IsLeftToParsing()
    {
        var withRevision = new AuditRecord { Result = new GradingResult { AuditId = "a", Revision = 2 } }.ToByteArray();
        var withoutResult = new AuditRecord { CallerSubject = "auditor-1" }.ToByteArray();

        Assert.Null(GetAuditResponse.Splicing(withRevision, 3, [], []));
        Assert.Null(GetAuditResponse.Splicing(withoutResult, 3, [], []));
    }

    [Fact]
    public async Task OtherAnswers_AndReflectionsDescriptors_AreCanonical()
    {
        using var host = new GradingServiceHost();
        foreach (var name in FixtureCases.Names)
        {
            await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load(name).Audit.Also(a => a.AuditId = $"other-{name}") });
        }

        var invoker = host.Channel.CreateCallInvoker();
        var version = (await host.RuleSets.GetActiveRuleSetAsync(new())).RuleSet.Version;
        var answers = new (MethodDescriptor Method, byte[] Bytes)[]
        {
            await Call(invoker, GradingService.Descriptor, "ListAudits", new ListAuditsRequest { PageSize = 50 }),
            await Call(invoker, ReportService.Descriptor, "ListModerationQueue", new ListModerationQueueRequest()),
            await Call(invoker, ReportService.Descriptor, "GetProgrammeReport", new GetProgrammeReportRequest()),
            await Call(invoker, RuleSetService.Descriptor, "GetRuleSet", new GetRuleSetRequest { Version = version }),
            await Call(invoker, GradingService.Descriptor, "PreviewGrade", new PreviewGradeRequest { Audit = FixtureCases.Load("several-findings").Audit }),
        };

        foreach (var (method, bytes) in answers)
        {
            Assert.True(bytes.Length > 20, method.Name);
            Assert.True(CanonicalWire.Problems(bytes, method.OutputType) is [], $"{method.Name}: {string.Join("; ", CanonicalWire.Problems(bytes, method.OutputType))}");
            Assert.Equal(method.OutputType.Parser.ParseFrom(bytes).ToByteArray(), bytes);
        }

        using var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(30));
        await reflection.RequestStream.WriteAsync(new() { FileContainingSymbol = GradingService.Descriptor.FullName });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var files = reflection.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto;
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Empty(CanonicalWire.Problems(file.Span, Google.Protobuf.Reflection.FileDescriptorProto.Descriptor)));
    }

    private static async Task<(MethodDescriptor, byte[])> Call<TRequest>(CallInvoker invoker, ServiceDescriptor service, string name, TRequest request)
        where TRequest : class, IMessage<TRequest>, new() =>
        (service.FindMethodByName(name), await invoker.AsyncUnaryCall(Raw<TRequest>(service, name), null, new CallOptions(), request));

    // A method whose response is left as the bytes that came over the wire.
    private static Method<TRequest, byte[]> Raw<TRequest>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>, new() => new(
        MethodType.Unary, service.FullName, name,
        Marshallers.Create((TRequest r) => r.ToByteArray(), new MessageParser<TRequest>(() => new TRequest()).ParseFrom),
        Marshallers.Create((byte[] b) => b, b => b));

    // Every revision GetAudit answers, read by number, by a service started afresh on the store as it is now.
    private static async Task<Dictionary<(string, int), byte[]>> ReadAll(TestDatabase database, IEnumerable<(string AuditId, int Revision)> keys)
    {
        using var host = new GradingServiceHost(database);
        var invoker = host.Channel.CreateCallInvoker();
        var reads = keys.Select(async key => (key, await invoker.AsyncUnaryCall(RawGetAudit, null, new CallOptions(), new GetAuditRequest { AuditId = key.AuditId, Revision = key.Revision })));
        return (await Task.WhenAll(reads)).ToDictionary(r => r.key, r => r.Item2);
    }
}
