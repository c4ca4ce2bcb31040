using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Identity;
using CroydonAudit.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CroydonAudit.FunctionalTests.Grpc;

/// <summary>
/// Clients in other languages, each made from protos/ alone (tests/clients), read every answer whole: each grades
/// audits, records a moderation decision and, once the test has rewritten revisions into the older forms the store
/// still reads and activated other rules, re-grades one, then reads every revision back with GetAudit (by number and
/// as the latest), lists them, and checks field by field that each is what GradeAudit or RegradeAudit returned; and
/// decodes a BadRequest. Node.js decodes with protobufjs, which keeps only the last copy of a message field written
/// twice, so it reads a grade as unspecified where the wire is not canonical.
/// </summary>
public sealed class ClientConformanceTests
{
    [Theory]
    [InlineData("python")]
    [InlineData("node")]
    public async Task Client_ReadsEveryAnswerAsGradeAuditReturnedIt_InEveryStorageForm(string language)
    {
        using var database = new TestDatabase();
        using var changed = new RuleFolderCopy();
        RuleMistakes.MakeCareActPartialInadequate(changed);
        using var host = new RulesHost(RepositoryRoot.FixtureRules, database);
        var team = $"Client {language}";
        var cases = new Dictionary<string, string>
        {
            ["plain"] = "complete-good",
            ["moderated"] = "override-relaxes-soft-limit",
            ["regraded"] = "care-act-partial",
            ["v16"] = "override-leaves-hard-limit",
            ["documents"] = "significant-concern",
        };
        var audits = cases.ToDictionary(c => c.Key, c => Convert.ToBase64String(new GradeAuditRequest
        {
            Audit = FixtureCases.Load(c.Value).Audit.Also(a =>
            {
                a.AuditId = $"{language}-{c.Key}";
                a.Team = team;
                // One is sent without audited_at: GetAudit shows when it was received there.
                a.AuditedAt = c.Key == "documents" ? null : Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 3, 10, 15, 0, TimeSpan.Zero));
            }),
        }.ToByteArray()));
        var auditsFile = Path.Combine(Path.GetTempPath(), $"croydon-client-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(auditsFile, JsonSerializer.Serialize(new { team, audits }));

        try
        {
            using var client = Start(language, auditsFile, host);
            var errors = client.StandardError.ReadToEndAsync();
            var output = new List<string>();
            string? line;
            while ((line = await client.StandardOutput.ReadLineAsync()) is not null && line != "paused")
            {
                output.Add(line);
            }

            if (line != "paused")
            {
                Assert.Fail($"the {language} client stopped before grading every audit:\n{string.Join('\n', output)}\n{await errors}");
            }

            Assert.Equal(1, StoredBeforeAnswers.OutcomesAsRows(database, $"r.audit_id = '{language}-v16'"));
            Assert.Equal(1, StoredBeforeAnswers.Rewrite(database, sentWithoutAuditedAt: true, $"audit_id = '{language}-documents'"));
            await host.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed.Path) } });
            await client.StandardInput.WriteLineAsync("go");
            await client.StandardInput.FlushAsync();
            output.AddRange((await client.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await client.WaitForExitAsync();

            var report = $"{string.Join('\n', output)}\n{await errors}";
            Assert.True(client.ExitCode == 0, $"the {language} client exited {client.ExitCode}:\n{report}");
            // At least every revision read by number and as the latest: 12 reads of 19 checks each.
            var summary = Assert.Single(output, l => l.StartsWith("checked ", StringComparison.Ordinal));
            Assert.True(int.Parse(summary.Split(' ')[1].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture) >= 12 * 19, report);
            Assert.EndsWith("failed 0", summary);
        }
        finally
        {
            File.Delete(auditsFile);
        }
    }

    [Fact]
    public async Task APythonClient_AnswersAQuestionAddedToTheTemplate_WithoutNewGeneratedCode_AndIsGradedByIt()
    {
        using var database = new TestDatabase();
        using var rules = new RuleFolderCopy();
        TemplateChanges.AddCarersAssessment(rules);
        using var host = new RulesHost(rules.Path, database);
        var auditsFile = Path.Combine(Path.GetTempPath(), $"croydon-client-{Guid.NewGuid():N}.json");
        var plain = new GradeAuditRequest { Audit = FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = "python-answers") };
        await File.WriteAllTextAsync(auditsFile, JsonSerializer.Serialize(new { audits = new { plain = Convert.ToBase64String(plain.ToByteArray()) } }));
        try
        {
            using var client = Start("python-answers", auditsFile, host, TemplateChanges.Question, "Not offered");
            var output = await client.StandardOutput.ReadToEndAsync();
            var errors = await client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync();

            Assert.True(client.ExitCode == 0, $"{output}\n{errors}");
            Assert.Equal(["question: Was a carer's assessment offered?", $"option: {TemplateChanges.NotOffered}", "graded: GRADE_REQUIRES_IMPROVEMENT"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(TemplateChanges.NotOffered, (await host.Client.GetAuditAsync(new() { AuditId = "python-answers" })).Audit.Submission.Answers.Single().Value);
        }
        finally
        {
            File.Delete(auditsFile);
        }
    }

    private static Process Start(string language, string auditsFile, GradingServiceHost host, params string[] arguments)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var commonProtos = Path.Combine(packages, "google.api.commonprotos", Version(typeof(Google.Rpc.BadRequest).Assembly.GetName().Version!), "content", "protos");
        var wellKnown = Path.Combine(packages, "grpc.tools", PackageVersion("Grpc.Tools"), "build", "native", "include");
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "tests", "clients", "run.sh"), language, auditsFile, commonProtos, wellKnown, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CROYDON_AUDIT_ADDRESS"] = $"{host.Address.Host}:{host.Address.Port}",
                ["CROYDON_AUDIT_TOKEN"] = host.Token([Roles.Grader, Roles.Auditor, Roles.Moderator, Roles.RulesAdmin]),
            },
        };
        return Process.Start(start)!;
    }

    private static string Version(Version version) => $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";

    private static string PackageVersion(string id) =>
        XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == id).Attribute("Version")!.Value;
}
