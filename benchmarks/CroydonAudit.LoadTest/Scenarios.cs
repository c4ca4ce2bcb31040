using Croydon.Audit.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CroydonAudit.LoadTest;

/// <summary>One kind of call the driver makes over and over: <paramref name="Call"/>(channel, caller, n).</summary>
public sealed record Scenario(string Name, Func<GrpcChannel, int, long, Task> Call, Func<GrpcChannel, Task>? Prepare = null);

/// <summary>The scenarios: the server's ceiling (health), grading without and with storing, and reading back.</summary>
/// <remarks>
/// The driver shares the machine with the service, so it spends as little as it can per call: a request
/// is the typical audit's bytes, serialised once, behind a few bytes naming its audit id (protobuf
/// merges the two), and an answer is received whole — status, headers, every byte — but not parsed into
/// objects. The functional tests check what the answers say; this measures how fast they come.
/// </remarks>
public static class Scenarios
{
    private const int StoredForGet = 2_000;
    private static readonly string RunId = DateTime.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Marshaller<byte[]> Request = Marshallers.Create(static bytes => bytes, static bytes => bytes);
    private static readonly Marshaller<Answer> Response = Marshallers.Create<Answer>(
        static (_, _) => throw new NotSupportedException(),
        static context => new Answer(context.PayloadLength));

    private static readonly Method<byte[], Answer> Preview = Unary(nameof(GradingService.GradingServiceClient.PreviewGrade));
    private static readonly Method<byte[], Answer> Grade = Unary(nameof(GradingService.GradingServiceClient.GradeAudit));
    private static readonly Method<byte[], Answer> Get = Unary(nameof(GradingService.GradingServiceClient.GetAudit));
    private static readonly Method<byte[], Answer> List = Unary(nameof(GradingService.GradingServiceClient.ListAudits));
    private static readonly byte[] TypicalAudit = new GradeAuditRequest { Audit = SampleAudit.Typical("") }.ToByteArray();
    private static readonly byte[] TypicalAnswers = new GradeAuditRequest { Audit = SampleAudit.TypicalAsAnswers("") }.ToByteArray();

    public static Scenario Named(string name, LoadOptions options) => name switch
    {
        "health" => new(name, static (channel, _, _) => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync),
        "preview" => new(name, static (channel, caller, n) => Call(channel, Preview, AuditRequest($"preview-{caller}-{n}"))),
        "grade" => new(name, static (channel, caller, n) => Call(channel, Grade, AuditRequest($"load-{RunId}-{caller}-{n}"))),
        "grade-answers" => new(name, static (channel, caller, n) => Call(channel, Grade, AuditRequest($"answers-{RunId}-{caller}-{n}", TypicalAnswers))),
        "get" => new(name,
            static (channel, caller, n) => Call(channel, Get, new GetAuditRequest { AuditId = $"get-{RunId}-{(caller * 7919 + n) % StoredForGet}" }.ToByteArray()),
            Prepare: channel => Store(channel, "get")),
        "retry" => new(name,
            static (channel, caller, n) => Call(channel, Grade, AuditRequest($"retry-{RunId}-{(caller * 7919 + n) % StoredForGet}")),
            Prepare: channel => Store(channel, "retry")),
        "get-seeded" => options.Seeded > 0
            ? new(name, (channel, _, _) => Call(channel, Get, new GetAuditRequest { AuditId = $"seed-{Random.Shared.NextInt64(1, (long)Math.Ceiling(options.Seeded / 1.1) + 1)}" }.ToByteArray()))
            : throw new ArgumentException("get-seeded needs --seeded N: how many revisions croydon-audit store seed stored."),
        _ when Listings.TryGetValue(name, out var request) => new(name, (channel, _, _) => Call(channel, List, request.ToByteArray())),
        _ => throw new ArgumentException($"Unknown scenario '{name}' (--help lists them)."),
    };

    // The filters a listing benchmark uses, over a store from croydon-audit store seed (teams team-01, the largest, to
    // team-23, and team-rare with a few dozen audits in a million; auditors team-NN-auditor-01 to -20; two years).
    private static readonly Dictionary<string, ListAuditsRequest> Listings = new(StringComparer.Ordinal)
    {
        ["list-all"] = new(),
        ["list-team"] = new() { Team = "team-01" },
        ["list-rare-team"] = new() { Team = "team-rare" },
        ["list-auditor"] = new() { AuditorId = "team-05-auditor-03" },
        ["list-grade"] = new() { OverallGrade = Croydon.Audit.V1.Grade.Inadequate },
        ["list-team-grade"] = new() { Team = "team-12", OverallGrade = Croydon.Audit.V1.Grade.Outstanding },
        ["list-period"] = new() { GradedFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-400)), GradedTo = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-370)) },
        ["list-team-period"] = new() { Team = "team-20", GradedFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-200)), GradedTo = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-190)) },
        ["list-incomplete"] = new() { Status = Croydon.Audit.V1.AuditStatus.Incomplete },
        ["list-awaiting-moderation"] = new() { AwaitingModeration = true },
    };

    // PreviewGradeRequest and GradeAuditRequest are alike: field 1 is the audit.
    private static byte[] AuditRequest(string auditId, byte[]? audit = null) =>
        [.. new GradeAuditRequest { Audit = new AuditSubmission { AuditId = auditId } }.ToByteArray(), .. audit ?? TypicalAudit];

    private static async Task Call(GrpcChannel channel, Method<byte[], Answer> method, byte[] request)
    {
        var answer = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, request);
        if (answer.Bytes == 0)
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"{method.Name} answered with an empty message."));
        }
    }

    private static Method<byte[], Answer> Unary(string name) =>
        new(MethodType.Unary, GradingService.Descriptor.FullName, name, Request, Response);

    // Stores the audits a scenario reads back or retries: prefix-RunId-0 to -1999.
    private static async Task Store(GrpcChannel channel, string prefix)
    {
        foreach (var chunk in Enumerable.Range(0, StoredForGet).Chunk(64))
        {
            await Task.WhenAll(chunk.Select(i => Call(channel, Grade, AuditRequest($"{prefix}-{RunId}-{i}"))));
        }
    }

    /// <summary>An answer, received but not parsed: its size.</summary>
    private sealed record Answer(int Bytes);
}
