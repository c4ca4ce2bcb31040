using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CroydonAudit.Grading.Text;
using RulesEngine.Models;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Reads a rule set (<c>ruleset.json</c> and the workflow files it lists), checks every rule, compiles
/// it once, checks that every audit gets a base grade, evaluates every rule on sample audits, and
/// returns a ready <see cref="RuleSet"/>. Every problem found is reported together, in words a rule
/// author can act on.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>The manifest's file name in the rules folder.</summary>
    public const string ManifestFile = "ruleset.json";

    /// <summary>The names rule expressions use for their two inputs.</summary>
    public const string AuditInput = "audit", GradingInput = "grading";

    /// <summary>The most rules a rule set may have.</summary>
    public const int MaxRules = 500;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Loads, checks and compiles the rule set in <paramref name="directory"/>.</summary>
    /// <exception cref="RuleSetException">The rule files cannot be used; the message says why.</exception>
    public static RuleSet Load(string directory) => Load(RuleSetFiles.FromDirectory(directory));

    /// <summary>Loads, checks and compiles a rule set from its files.</summary>
    /// <exception cref="RuleSetException">The rule files cannot be used; the message says why.</exception>
    public static RuleSet Load(RuleSetFiles files)
    {
        var problems = new List<RuleSetProblem>();
        return TryLoad(files, problems) ?? throw new RuleSetException(problems);
    }

    /// <summary>Loads, checks and compiles a rule set; null after adding every problem found to <paramref name="problems"/>.</summary>
    public static RuleSet? TryLoad(RuleSetFiles files, List<RuleSetProblem> problems)
    {
        var count = problems.Count;
        var manifestSite = new ProblemSite(problems, ManifestFile);
        if (files[ManifestFile] is not { } manifestBytes)
        {
            manifestSite.Add("is missing: the rules folder needs a ruleset.json that lists the workflow files in the order they run.");
            return null;
        }

        var manifest = Deserialize<RuleSetManifest>(manifestSite, manifestBytes, Json);
        if (manifest is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(manifest.Label))
        {
            manifestSite.Add("needs a \"label\": a short name for this version of the rules, e.g. \"Default rules, November 2026\".", "label");
        }

        var blandText = ReadBlandText(manifestSite, manifest);
        var template = Templates.TemplateReader.Read(files, problems);
        var workflows = ReadWorkflowFiles(manifestSite, files, manifest);
        if (template is null)
        {
            return null;
        }

        var compiler = new RuleExpressionCompiler(template);
        var rules = new List<CompiledRule>();
        var sites = new Dictionary<CompiledRule, ProblemSite>();
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (fileName, workflow) in workflows)
        {
            var fileSite = new ProblemSite(problems, fileName);
            foreach (var rule in workflow.Rules.Where(r => r.Enabled))
            {
                var site = fileSite.ForRule(rule.RuleName);
                if (string.IsNullOrWhiteSpace(rule.RuleName))
                {
                    fileSite.Add("a rule has no \"RuleName\"; give every rule a name of its own.", "RuleName");
                }
                else if (!ruleIds.TryAdd(rule.RuleName, fileName))
                {
                    site.Add($"the rule name \"{rule.RuleName}\" is also used in {ruleIds[rule.RuleName]}. Every rule needs its own name.", "RuleName");
                }
                else if (ruleIds.Count > MaxRules)
                {
                    fileSite.Add($"the rule set has more than {MaxRules} rules; split the policy or remove rules that are no longer used.");
                    return null;
                }
                else if (RuleDefinitionReader.Read(site, workflow.WorkflowName, rule) is { } definition
                    && compiler.Compile(site, definition, rule) is { } compiled)
                {
                    rules.Add(compiled);
                    sites[compiled] = site;
                }
            }
        }

        if (problems.Count == count)
        {
            BaseCoverage.Check(rules, blandText, r => sites[r], manifestSite);
        }

        if (problems.Count > count)
        {
            return null;
        }

        // The template is hashed in when the rule set has one: a version stored before templates were data keeps its version.
        string[] templateFile = files[Templates.TemplateReader.File] is null ? [] : [Templates.TemplateReader.File];
        var gradingFiles = files.Only([ManifestFile, .. workflows.Select(w => w.FileName), .. templateFile]);
        var hashed = workflows.Select(w => (w.FileName, files[w.FileName]!)).Concat(templateFile.Select(t => (t, files[t]!)));
        var ruleSet = new RuleSet(Hash(manifestBytes, hashed), manifest.Label!.Trim(), manifest.Description ?? "", blandText, rules, gradingFiles, template);
        return Warm(ruleSet, r => sites[r]) ? ruleSet : null;
    }

    private static BlandTextPolicy ReadBlandText(ProblemSite site, RuleSetManifest manifest)
    {
        var minimumWords = manifest.BlandText?.MinimumWords ?? 0;
        if (manifest.BlandText?.MinimumWords is null or < 0)
        {
            site.Add("\"blandText\" needs \"minimumWords\", a whole number of 0 or more: a text with fewer words is bland.", "minimumWords");
        }

        var phrases = manifest.BlandText?.Phrases ?? [];
        if (phrases.Any(string.IsNullOrWhiteSpace))
        {
            site.Add("\"blandText\".\"phrases\" has an empty phrase; remove it.", "phrases");
        }

        return new BlandTextPolicy(phrases.Where(p => !string.IsNullOrWhiteSpace(p)), minimumWords);
    }

    private static List<(string FileName, Workflow Workflow)> ReadWorkflowFiles(ProblemSite manifestSite, RuleSetFiles files, RuleSetManifest manifest)
    {
        var workflows = new List<(string, Workflow)>();
        if (manifest.Workflows is not { Count: > 0 } listed)
        {
            manifestSite.Add("\"workflows\" must list the workflow files in the order they run, e.g. [\"base.json\", \"limits.json\", \"findings.json\"].", "workflows");
            return workflows;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fileName in listed.Distinct(StringComparer.Ordinal))
        {
            var site = new ProblemSite(manifestSite.Problems, fileName);
            if (fileName is ManifestFile or Templates.TemplateReader.File || RuleSetFiles.IsTestFile(fileName) || files[fileName] is not { } bytes)
            {
                manifestSite.Add($"lists {fileName}, but there is no such workflow file in the rules folder.", "workflows");
                continue;
            }

            var workflow = Deserialize<Workflow>(site, bytes, Json);
            if (workflow is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(workflow.WorkflowName))
            {
                site.Add("the workflow needs a \"WorkflowName\".", "WorkflowName");
            }
            else if (!names.Add(workflow.WorkflowName))
            {
                site.Add($"the workflow name \"{workflow.WorkflowName}\" is used by another file. Every workflow needs its own name.", "WorkflowName");
            }
            else if (workflow.Rules is null || !workflow.Rules.Any())
            {
                site.Add("the workflow has no \"Rules\".", "Rules");
            }
            else
            {
                workflows.Add((fileName, workflow));
            }
        }

        var unlisted = files.Files.Keys.Where(name => name is not (ManifestFile or Templates.TemplateReader.File) && !RuleSetFiles.IsTestFile(name) && !listed.Contains(name));
        foreach (var name in unlisted)
        {
            new ProblemSite(manifestSite.Problems, name).Add($"is in the rules folder but not listed in {ManifestFile} \"workflows\". Add it there, or move it out of the folder.");
        }

        return workflows;
    }

    /// <summary>Evaluates every rule on the sample audits now, so an expression that fails when run is reported at load.</summary>
    private static bool Warm(RuleSet ruleSet, Func<CompiledRule, ProblemSite> siteOf)
    {
        // Loading has no caller's deadline to keep: the grader's clock only times the evaluation budget here.
        var grader = new AuditGrader(ruleSet, TimeProvider.System);
        try
        {
            foreach (var audit in SampleAudits.All)
            {
                grader.Grade(audit);
            }

            return true;
        }
        catch (RuleEvaluationException e) when (ruleSet.Rules.FirstOrDefault(r => r.RuleId == e.RuleId) is { } rule)
        {
            siteOf(rule).Add($"it fails when evaluated on a sample audit: {e.Problem}");
            return false;
        }
    }

    private static T? Deserialize<T>(ProblemSite site, byte[] bytes, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            if (value is null)
            {
                site.Add("is empty.");
            }

            return value;
        }
        catch (JsonException e)
        {
            site.Add(RuleJson.Mistake(e));
            return null;
        }
    }

    private static string Hash(byte[] manifest, IEnumerable<(string FileName, byte[] Bytes)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(manifest);
        foreach (var (fileName, bytes) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes("\0" + fileName + "\0"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
