using System.Net;
using System.Text;
using System.Text.Json;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace CroydonAudit.FunctionalTests.Rest;

/// <summary>
/// REST/JSON beside gRPC, with plain HttpClient JSON calls to the HTTP/1.1 endpoint: every method of the contract
/// answers as its gRPC call does; errors are a google.rpc.Status in JSON with the HTTP status of their code and
/// the BadRequest's fields; tokens and roles are checked as for gRPC; bodies are bounded; the OpenAPI document
/// lists every method.
/// </summary>
public sealed class RestJsonTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(BadRequest.Descriptor)));

    private static readonly ServiceDescriptor[] Services =
        [GradingService.Descriptor, RuleSetService.Descriptor, ReportService.Descriptor, AccessLogService.Descriptor];

    [Fact]
    public async Task EveryMethod_AsJson_AnswersAsItsGrpcCallDoes()
    {
        const string team = "Rest Team";
        var audit = Audit("rest-stored", team, "override-relaxes-soft-limit");
        await host.Client.GradeAuditAsync(new() { Audit = audit });
        using var rest = host.RestClient(host.AdminToken);
        var reports = new ReportService.ReportServiceClient(host.Channel);
        var accessLog = new AccessLogService.AccessLogServiceClient(host.Channel);
        var called = new HashSet<string>();

        async Task Same<T>(string method, T grpc, HttpMethod verb, string path, IMessage? body = null)
            where T : IMessage<T>, new()
        {
            called.Add(method);
            Assert.Equal(grpc, await Call<T>(rest, verb, path, body));
        }

        // A preview is graded when asked: all but that time is the same.
        var preview = await Call<PreviewGradeResponse>(rest, HttpMethod.Post, "/v1/audits:preview", new PreviewGradeRequest { Audit = audit });
        called.Add("PreviewGrade");
        Assert.Equal((await host.Client.PreviewGradeAsync(new() { Audit = audit })).Result.Also(r => r.GradedAt = preview.Result.GradedAt), preview.Result);

        // Stored by REST first; the same audit by gRPC is then a retry, answered with the revision REST stored.
        var second = Audit("rest:second", team, "complete-good");
        var storedByRest = await Call<GradeAuditResponse>(rest, HttpMethod.Post, "/v1/audits", new GradeAuditRequest { Audit = second });
        called.Add("GradeAudit");
        Assert.Equal(1, storedByRest.Result.Revision);
        Assert.Equal(storedByRest, await host.Client.GradeAuditAsync(new() { Audit = second }));

        await Same("GetAudit", await host.Client.GetAuditAsync(new() { AuditId = "rest:second", Revision = 1 }), HttpMethod.Get, "/v1/audits/rest:second?revision=1");
        await Same("ListAudits", await host.Client.ListAuditsAsync(new() { Team = team, PageSize = 1 }), HttpMethod.Get, $"/v1/audits?team={Uri.EscapeDataString(team)}&pageSize=1");
        await Same("ListTeams", await host.Client.ListTeamsAsync(new()), HttpMethod.Get, "/v1/teams");
        await Same("ListModerationQueue", await reports.ListModerationQueueAsync(new() { Team = team }), HttpMethod.Get, $"/v1/moderationQueue?team={Uri.EscapeDataString(team)}");
        await Same("RegradeAudit", await host.Client.RegradeAuditAsync(new() { AuditId = "rest:second" }), HttpMethod.Post, "/v1/audits/rest:second:regrade", new RegradeAuditRequest());
        await Same("RegradeAudits", await host.Client.RegradeAuditsAsync(new() { Team = team }), HttpMethod.Post, "/v1/audits:regrade", new RegradeAuditsRequest { Team = team });
        var period = new GetProgrammeReportRequest
        {
            Team = team, GradedFrom = Timestamp.FromDateTime(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)), GradedTo = Timestamp.FromDateTime(new DateTime(2029, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        };
        await Same("GetProgrammeReport", await reports.GetProgrammeReportAsync(period), HttpMethod.Get,
            $"/v1/programmeReport?team={Uri.EscapeDataString(team)}&gradedFrom=2020-01-01T00:00:00Z&gradedTo=2029-01-01T00:00:00Z");
        await Same("ListAccessRecords", await accessLog.ListAccessRecordsAsync(new() { AuditId = "rest-stored" }), HttpMethod.Get, "/v1/accessRecords?auditId=rest-stored");
        await Same("GetAuditTemplate", await host.Client.GetAuditTemplateAsync(new()), HttpMethod.Get, "/v1/auditTemplate");

        // A decision recorded by REST shows on the audit read by gRPC, and takes it out of the queue.
        var decision = await Call<RecordModerationDecisionResponse>(rest, HttpMethod.Post, "/v1/audits/rest-stored/moderationDecisions",
            new RecordModerationDecisionRequest { Outcome = ModerationOutcome.Agreed, Reason = "Agreed by REST." });
        called.Add("RecordModerationDecision");
        Assert.Equal([decision.Decision], (await host.Client.GetAuditAsync(new() { AuditId = "rest-stored" })).Audit.ModerationDecisions);
        Assert.Empty((await reports.ListModerationQueueAsync(new() { Team = team })).Audits);

        var active = (await host.RuleSets.GetActiveRuleSetAsync(new())).RuleSet.Version;
        var files = RuleFiles.Of(RepositoryRoot.FixtureRules);
        await Same("GetActiveRuleSet", await host.RuleSets.GetActiveRuleSetAsync(new()), HttpMethod.Get, "/v1/activeRuleSet");
        await Same("ListRuleSets", await host.RuleSets.ListRuleSetsAsync(new()), HttpMethod.Get, "/v1/ruleSets");
        await Same("GetRuleSet", await host.RuleSets.GetRuleSetAsync(new() { Version = active }), HttpMethod.Get, $"/v1/ruleSets/{active}");
        await Same("GetRuleSetStatus", await host.RuleSets.GetRuleSetStatusAsync(new()), HttpMethod.Get, "/v1/ruleSetStatus");
        await Same("CheckRuleSet", await host.RuleSets.CheckRuleSetAsync(new() { Files = { files } }), HttpMethod.Post, "/v1/ruleSets:check", new CheckRuleSetRequest { Files = { files } });
        await Same("ActivateRuleSet", await host.RuleSets.ActivateRuleSetAsync(new() { Files = { files } }), HttpMethod.Post, "/v1/ruleSets:activate", new ActivateRuleSetRequest { Files = { files } });
        await Same("PreviewRuleSetImpact", await host.RuleSets.PreviewRuleSetImpactAsync(new() { Files = { files }, Team = team }), HttpMethod.Post, "/v1/ruleSets:previewImpact", new PreviewRuleSetImpactRequest { Files = { files }, Team = team });
        await Same("DiffRuleSets", await host.RuleSets.DiffRuleSetsAsync(new() { FromVersion = active, ToFiles = { files } }), HttpMethod.Post, "/v1/ruleSets:diff", new DiffRuleSetsRequest { FromVersion = active, ToFiles = { files } });

        // Proposed by REST, as the REST caller; approved by REST, by someone else; each then read by gRPC.
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        var proposed = await Call<ProposeRuleSetResponse>(rest, HttpMethod.Post, "/v1/ruleSets:propose", new ProposeRuleSetRequest { Files = { RuleFiles.Of(changed.Path) } });
        called.Add("ProposeRuleSet");
        using var approver = host.RestClient(host.Token([Roles.RulesApprover], name: "rest-approver"));
        var approved = await Call<ApproveRuleSetResponse>(approver, HttpMethod.Post, $"/v1/ruleSets/{proposed.RuleSet.Version}:approve", new ApproveRuleSetRequest());
        called.Add("ApproveRuleSet");
        Assert.Equal(RuleFiles.VersionOf(changed.Path), proposed.RuleSet.Version);
        Assert.True(proposed.Report.Passed);
        Assert.Equal(approved.RuleSet, (await host.RuleSets.GetRuleSetAsync(new() { Version = proposed.RuleSet.Version })).RuleSet);
        Assert.Equal([RuleSetStep.Proposed, RuleSetStep.Approved], approved.RuleSet.History.Select(e => e.Step));

        Assert.Equal(Services.SelectMany(s => s.Methods).Select(m => m.Name).Order(), called.Order());
    }

    [Fact]
    public async Task BadRequest_Is400_WithAGoogleRpcStatusNamingEveryField()
    {
        using var rest = host.RestClient(host.Token([Roles.Grader]));
        var audit = Audit("bad id!", "Rest Team", "complete-good").Also(a => a.CaseReference = "");

        var (code, status) = await Error(rest, HttpMethod.Post, "/v1/audits", new GradeAuditRequest { Audit = audit });

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var fields = status.Details.Single().Unpack<BadRequest>().FieldViolations.Select(v => v.Field);
        Assert.Equal(["audit.audit_id", "audit.case_reference"], fields);
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM audit_revision WHERE team = 'Rest Team' AND case_reference = ''"));

        // Not JSON, an unknown enum name, an unknown audit: each a status in JSON with the code's HTTP status.
        using var notJson = await rest.PostAsync("/v1/audits:preview", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal((int)Code.InvalidArgument, Parser.Parse<Google.Rpc.Status>(await notJson.Content.ReadAsStringAsync()).Code);
        using var auditor = host.RestClient(host.Token([Roles.Auditor]));
        Assert.Equal(HttpStatusCode.BadRequest, (await Error(auditor, HttpMethod.Get, "/v1/audits?overallGrade=GRADE_SPLENDID", null)).Code);
        var (missing, notFound) = await Error(auditor, HttpMethod.Get, "/v1/audits/never-graded", null);
        Assert.Equal((HttpStatusCode.NotFound, (int)Code.NotFound), (missing, notFound.Code));
    }

    [Fact]
    public async Task Tokens_AndRoles_AreCheckedAsForGrpc()
    {
        var request = new GradeAuditRequest { Audit = Audit("rest-refused", "Rest Team", "complete-good") };
        using var anonymous = host.RestClient(token: null);
        using var analyst = host.RestClient(host.Token([Roles.Analyst]));
        using var expired = host.RestClient(host.Token([Roles.Grader], lifetime: TimeSpan.FromMinutes(5), now: DateTime.UtcNow.AddHours(-1)));

        // Refusals are a google.rpc.Status in JSON too, as every other error.
        Assert.Equal((HttpStatusCode.Unauthorized, (int)Code.Unauthenticated), Refusal(await Error(anonymous, HttpMethod.Post, "/v1/audits", request)));
        Assert.Equal((HttpStatusCode.Unauthorized, (int)Code.Unauthenticated), Refusal(await Error(expired, HttpMethod.Post, "/v1/audits", request)));
        Assert.Equal((HttpStatusCode.Forbidden, (int)Code.PermissionDenied), Refusal(await Error(analyst, HttpMethod.Post, "/v1/audits", request)));
        Assert.Equal((HttpStatusCode.Unauthorized, (int)Code.Unauthenticated), Refusal(await Error(anonymous, HttpMethod.Get, "/v1/audits", null)));
        Assert.Equal(0, host.Database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'rest-refused'"));
    }

    [Fact]
    public async Task ABodyOverItsMethodsLimit_IsRefusedBeforeItIsRead_413()
    {
        using var rest = host.RestClient(host.Token([Roles.Grader]));
        var huge = "{\"audit\":{\"auditId\":\"" + new string('x', 9 * 1024 * 1024) + "\"}}";

        // As curl does for a large body, the client waits for the server's go-ahead, and is answered instead.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audits:preview") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await rest.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var status = Parser.Parse<Google.Rpc.Status>(await response.Content.ReadAsStringAsync());
        Assert.Equal(((int)Code.ResourceExhausted, "The request is 9 MiB; PreviewGrade accepts at most 4 MiB."), (status.Code, status.Message));
    }

    [Fact]
    public async Task ABodySentWithoutItsLength_IsHeldToTheSameLimit_413Over_AndReadWithin()
    {
        using var rest = host.RestClient(host.Token([Roles.Grader]));
        var within = JsonFormatter.Default.Format(new PreviewGradeRequest { Audit = FixtureCases.Load("complete-good").Audit });
        var over = "{\"audit\":{\"auditId\":\"" + new string('x', 5 * 1024 * 1024) + "\"}}";

        using var read = await rest.PostAsync("/v1/audits:preview", new Chunked(within));
        using var refused = await rest.PostAsync("/v1/audits:preview", new Chunked(over));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        var status = Parser.Parse<Google.Rpc.Status>(await refused.Content.ReadAsStringAsync());
        Assert.Equal(((int)Code.ResourceExhausted, "The request is larger than PreviewGrade accepts (4 MiB at most)."), (status.Code, status.Message));
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryMethod_AtItsRoute()
    {
        using var anonymous = host.RestClient(token: null);

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
            Assert.True(rule is not null, $"{method.FullName} has no REST route");
            var (verb, route) = rule.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("get", rule.Get),
                HttpRule.PatternOneofCase.Post => ("post", rule.Post),
                _ => throw new InvalidOperationException($"{method.FullName}: {rule.PatternCase}"),
            };
            // The document names path fields as JSON does: {audit_id} is {auditId}.
            var path = System.Text.RegularExpressions.Regex.Replace(route, "_([a-z])", m => m.Groups[1].Value.ToUpperInvariant());
            var operation = paths.TryGetProperty(path, out var operations) && operations.TryGetProperty(verb, out var found)
                ? found
                : throw new Xunit.Sdk.XunitException($"{verb} {path} is not in the document");
            Assert.Equal($"{method.Service.Name}_{method.Name}", operation.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method.FullName} has no summary");
        }
    }

    private static (HttpStatusCode, int) Refusal((HttpStatusCode Code, Google.Rpc.Status Status) error) => (error.Code, error.Status.Code);

    private static AuditSubmission Audit(string id, string team, string fixture) =>
        FixtureCases.Load(fixture).Audit.Also(a =>
        {
            a.AuditId = id;
            a.Team = team;
        });

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod verb, string path, IMessage? body)
    {
        using var request = new HttpRequestMessage(verb, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task<T> Call<T>(HttpClient client, HttpMethod verb, string path, IMessage? body)
        where T : IMessage<T>, new()
    {
        using var response = await Send(client, verb, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{verb} {path}: {(int)response.StatusCode} {text}");
        return Parser.Parse<T>(text);
    }

    private static async Task<(HttpStatusCode Code, Google.Rpc.Status Status)> Error(HttpClient client, HttpMethod verb, string path, IMessage? body)
    {
        using var response = await Send(client, verb, path, body);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, Parser.Parse<Google.Rpc.Status>(await response.Content.ReadAsStringAsync()));
    }

    // JSON sent in chunks, without a Content-Length, as a streaming client sends it.
    private sealed class Chunked : HttpContent
    {
        private readonly byte[] _json;

        public Chunked(string json)
        {
            _json = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < _json.Length; at += 64 * 1024)
            {
                await stream.WriteAsync(_json.AsMemory(at, Math.Min(64 * 1024, _json.Length - at)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
