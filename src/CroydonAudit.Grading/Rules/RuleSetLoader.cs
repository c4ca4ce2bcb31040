using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Text;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Reads a rules folder (<c>ruleset.json</c> and the workflow files it lists), checks every rule,
/// compiles it once, and returns a ready <see cref="RuleSet"/>. Every problem found is reported
/// together in one <see cref="RuleSetException"/>, in words a rule author can act on.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>The manifest's file name in the rules folder.</summary>
    public const string ManifestFile = "ruleset.json";

    /// <summary>The names rule expressions use for their two inputs.</summary>
    public const string AuditInput = "audit", GradingInput = "grading";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions StrictJson = new(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Loads, checks and compiles the rule set in <paramref name="directory"/>.</summary>
    /// <exception cref="RuleSetException">The rule files cannot be used; the message says why.</exception>
    public static RuleSet Load(string directory)
    {
        var problems = new List<string>();
        if (!Directory.Exists(directory))
        {
            throw new RuleSetException([$"The rules folder {directory} does not exist."]);
        }

        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new RuleSetException([$"The rules folder {directory} has no {ManifestFile}, which lists the workflow files in the order they run."]);
        }

        var manifestBytes = File.ReadAllBytes(manifestPath);
        var manifest = Deserialize<RuleSetManifest>(ManifestFile, manifestBytes, StrictJson, problems);
        if (manifest is null)
        {
            throw new RuleSetException(problems);
        }

        var blandText = ReadBlandText(manifest, problems);
        var files = ReadWorkflowFiles(directory, manifest, problems);
        var compiler = new RuleExpressionCompiler();
        var rules = new List<CompiledRule>();
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (fileName, _, workflow) in files)
        {
            foreach (var rule in workflow.Rules.Where(r => r.Enabled))
            {
                if (string.IsNullOrWhiteSpace(rule.RuleName))
                {
                    problems.Add($"{fileName}: a rule has no \"RuleName\".");
                }
                else if (!ruleIds.TryAdd(rule.RuleName, fileName))
                {
                    problems.Add($"{fileName}: the rule name \"{rule.RuleName}\" is also used in {ruleIds[rule.RuleName]}. Every rule needs its own name.");
                }
                else if (RuleDefinitionReader.Read(fileName, workflow.WorkflowName, rule, problems) is { } definition
                    && compiler.Compile($"{fileName}, rule \"{rule.RuleName}\"", definition, rule, problems) is { } compiled)
                {
                    rules.Add(compiled);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new RuleSetException(problems);
        }

        var ruleSet = new RuleSet(Hash(manifestBytes, files), manifest.Description ?? "", blandText, rules);
        Warm(ruleSet, files);
        return ruleSet;
    }

    private static BlandTextPolicy ReadBlandText(RuleSetManifest manifest, List<string> problems)
    {
        var minimumWords = manifest.BlandText?.MinimumWords ?? 0;
        if (manifest.BlandText?.MinimumWords is null or < 0)
        {
            problems.Add($"{ManifestFile}: \"blandText\" needs \"minimumWords\", a whole number of 0 or more: a text with fewer words is bland.");
        }

        var phrases = manifest.BlandText?.Phrases ?? [];
        if (phrases.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{ManifestFile}: \"blandText\".\"phrases\" has an empty phrase; remove it.");
        }

        return new BlandTextPolicy(phrases.Where(p => !string.IsNullOrWhiteSpace(p)), minimumWords);
    }

    private static List<(string FileName, byte[] Bytes, Workflow Workflow)> ReadWorkflowFiles(string directory, RuleSetManifest manifest, List<string> problems)
    {
        var files = new List<(string, byte[], Workflow)>();
        if (manifest.Workflows is not { Count: > 0 } listed)
        {
            problems.Add($"{ManifestFile}: \"workflows\" must list the workflow files in the order they run, e.g. [\"base.json\", \"limits.json\", \"findings.json\"].");
            return files;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fileName in listed)
        {
            var path = Path.Combine(directory, fileName);
            if (!File.Exists(path))
            {
                problems.Add($"{ManifestFile} lists {fileName}, but there is no such file in the rules folder.");
                continue;
            }

            var bytes = File.ReadAllBytes(path);
            var workflow = Deserialize<Workflow>(fileName, bytes, Json, problems);
            if (workflow is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(workflow.WorkflowName))
            {
                problems.Add($"{fileName}: the workflow needs a \"WorkflowName\".");
            }
            else if (!names.Add(workflow.WorkflowName))
            {
                problems.Add($"{fileName}: the workflow name \"{workflow.WorkflowName}\" is used by another file. Every workflow needs its own name.");
            }
            else if (workflow.Rules is null || !workflow.Rules.Any())
            {
                problems.Add($"{fileName}: the workflow has no \"Rules\".");
            }
            else
            {
                files.Add((fileName, bytes, workflow));
            }
        }

        var unlisted = Directory.EnumerateFiles(directory, "*.json")
            .Select(Path.GetFileName)
            .Where(name => name != ManifestFile && !listed.Contains(name!))
            .Order(StringComparer.Ordinal);
        foreach (var name in unlisted)
        {
            problems.Add($"{name} is in the rules folder but not listed in {ManifestFile} \"workflows\". Add it there, or move it out of the folder.");
        }

        return files;
    }

    /// <summary>
    /// Evaluates every rule on two sample audits now — a complete one, and a sparse one on which most
    /// findings fire and run their output expressions — so an expression that fails when run is reported at load.
    /// </summary>
    private static void Warm(RuleSet ruleSet, IEnumerable<(string FileName, byte[] Bytes, Workflow Workflow)> files)
    {
        var fileOf = files.ToDictionary(f => f.Workflow.WorkflowName, f => f.FileName);
        var grader = new AuditGrader(ruleSet, TimeProvider.System);
        try
        {
            foreach (var audit in SampleAudits.Value)
            {
                grader.Grade(audit);
            }
        }
        catch (RuleEvaluationException e)
        {
            throw new RuleSetException([$"{fileOf[e.Workflow]}, rule \"{e.RuleId}\": it fails when evaluated on a sample audit: {e.Problem}"]);
        }
    }

    private static T? Deserialize<T>(string fileName, byte[] bytes, JsonSerializerOptions options, List<string> problems)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            if (value is null)
            {
                problems.Add($"{fileName} is empty.");
            }

            return value;
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $" near line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            problems.Add($"{fileName} is not valid rule JSON{at}: {e.Message.Split(" Path:")[0]}");
            return null;
        }
    }

    private static string Hash(byte[] manifest, IEnumerable<(string FileName, byte[] Bytes, Workflow Workflow)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(manifest);
        foreach (var (fileName, bytes, _) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes("\0" + fileName + "\0"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static readonly Lazy<AuditSubmission[]> SampleAudits = new(() =>
    [
        new AuditSubmission(
            "sample-complete", "sample", "sample", "", null,
            [.. Enum.GetValues<PracticeArea>()[1..].Select(a => new AreaAssessment(a, Grade.Good, false, "Evidence drawn from the case file records.", "", false, ""))],
            Grade.Good, "", KeyEvidence.None, Safeguarding.None, "", "", "", [new Recommendation("", CroydonValue.OneTeam)], []),
        new AuditSubmission(
            "sample-sparse", "sample", "sample", "", null,
            [new AreaAssessment(PracticeArea.Assessment, Grade.Inadequate, false, "", "ok", true, ""), new AreaAssessment(PracticeArea.Impact, Grade.Unspecified, true, "", "", false, "")],
            Grade.Outstanding, "", KeyEvidence.None, new Safeguarding(true, "", ProcedureFollowed.Unspecified), "fine", "", "", [new Recommendation("done", CroydonValue.Unspecified)], []),
    ]);
}
