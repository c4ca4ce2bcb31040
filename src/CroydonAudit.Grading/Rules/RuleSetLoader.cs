using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Text;
using RulesEngine.ExpressionBuilders;
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

    private const string OutputAction = "OutputExpression";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions StrictJson = new(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static readonly Dictionary<RuleEffect, string[]> AllowedProperties = new()
    {
        [RuleEffect.Base] = ["effect", "explanation", "guidance"],
        [RuleEffect.Limit] = ["effect", "explanation", "guidance", "limit", "kind"],
        [RuleEffect.Override] = ["effect", "explanation", "guidance", "relaxBy"],
        [RuleEffect.Finding] = ["effect", "explanation", "guidance", "severity", "message"],
    };

    /// <summary>RulesEngine settings: typed inputs only, and an expression error is reported, never read as "did not fire".</summary>
    internal static ReSettings EngineSettings => new()
    {
        AutoRegisterInputType = false,
        EnableExceptionAsErrorMessage = true,
        IgnoreException = false,
    };

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
        var stages = new List<RuleStage>();
        var engineWorkflows = new List<Workflow>();
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (fileName, _, workflow) in files)
        {
            var definitions = new List<(Rule Rule, RuleDefinition Definition)>();
            foreach (var rule in workflow.Rules ?? [])
            {
                if (!rule.Enabled)
                {
                    continue;
                }

                if (!ruleIds.TryAdd(rule.RuleName ?? "", fileName))
                {
                    problems.Add($"{fileName}: the rule name \"{rule.RuleName}\" is also used in {ruleIds[rule.RuleName!]}. Every rule needs its own name.");
                    continue;
                }

                if (ReadDefinition(fileName, workflow.WorkflowName, rule, problems) is { } definition)
                {
                    definitions.Add((rule, definition));
                }
            }

            // Override rules look at which limits fired, so they run after the rest of their workflow.
            foreach (var (suffix, group) in new[]
                     {
                         ("", definitions.Where(d => d.Definition.Effect != RuleEffect.Override).ToList()),
                         (":override", definitions.Where(d => d.Definition.Effect == RuleEffect.Override).ToList()),
                     })
            {
                if (group.Count == 0)
                {
                    continue;
                }

                var engineName = workflow.WorkflowName + suffix;
                engineWorkflows.Add(new Workflow { WorkflowName = engineName, GlobalParams = workflow.GlobalParams, Rules = group.Select(d => d.Rule).ToList() });
                stages.Add(new RuleStage(engineName, [.. group.Select(d => d.Definition)]));
            }
        }

        CheckExpressions(files, problems);
        if (problems.Count > 0)
        {
            throw new RuleSetException(problems);
        }

        RulesEngine.RulesEngine engine;
        try
        {
            engine = new RulesEngine.RulesEngine([.. engineWorkflows], EngineSettings);
        }
        catch (Exception e) when (e is RulesEngine.Exceptions.RuleValidationException or ArgumentException)
        {
            throw new RuleSetException([$"RulesEngine refused a workflow: {e.Message}"]);
        }

        var ruleSet = new RuleSet(Hash(manifestBytes, files), manifest.Description ?? "", blandText, stages, engine);
        CompileAndWarm(ruleSet, files);
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

    private static RuleDefinition? ReadDefinition(string fileName, string workflow, Rule rule, List<string> problems)
    {
        var where = $"{fileName}, rule \"{rule.RuleName}\"";
        var count = problems.Count;
        if (string.IsNullOrWhiteSpace(rule.RuleName))
        {
            problems.Add($"{fileName}: a rule has no \"RuleName\".");
            return null;
        }

        if (string.IsNullOrWhiteSpace(rule.Expression))
        {
            problems.Add($"{where}: the rule needs an \"Expression\", the condition under which it fires.");
        }

        var properties = rule.Properties ?? [];
        var effectText = Text(properties, "effect");
        if (!Enum.TryParse<RuleEffect>(effectText, ignoreCase: true, out var effect) || int.TryParse(effectText, out _))
        {
            problems.Add($"{where}: \"Properties\".\"effect\" must be one of \"base\", \"limit\", \"override\" or \"finding\"{Was(effectText)}.");
            return null;
        }

        foreach (var key in properties.Keys.Where(k => !AllowedProperties[effect].Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{where}: \"Properties\" has \"{key}\", which a {effectText} rule does not use. It may use: {string.Join(", ", AllowedProperties[effect])}.");
        }

        var hasOutput = rule.Actions?.OnSuccess is not null;
        if (hasOutput && (rule.Actions!.OnSuccess.Name != OutputAction || Text(rule.Actions.OnSuccess.Context ?? [], "expression") is null))
        {
            problems.Add($"{where}: its \"Actions\".\"OnSuccess\" must be an \"{OutputAction}\" with a \"Context\".\"Expression\".");
        }

        if (rule.Actions?.OnFailure is not null)
        {
            problems.Add($"{where}: \"Actions\".\"OnFailure\" is not used by grading; remove it.");
        }

        var guidance = Text(properties, "guidance");
        if (string.IsNullOrWhiteSpace(guidance))
        {
            problems.Add($"{where}: \"Properties\".\"guidance\" must say where in the guidance the rule comes from.");
        }

        var explanation = ReadTemplate(where, properties, "explanation", required: true, problems);
        var kind = LimitKind.None;
        var limit = Grade.Unspecified;
        var relaxBy = 0;
        var severity = Severity.Unspecified;
        var message = Template.Empty;
        switch (effect)
        {
            case RuleEffect.Base when !hasOutput:
                problems.Add($"{where}: a base rule needs an \"Actions\".\"OnSuccess\" \"{OutputAction}\" whose expression gives the base grade's rank (1 Outstanding to 4 Inadequate), e.g. \"audit.MedianRank\".");
                break;
            case RuleEffect.Limit:
                var kindText = Text(properties, "kind");
                if (!Enum.TryParse(kindText, ignoreCase: true, out kind) || kind == LimitKind.None || int.TryParse(kindText, out _))
                {
                    problems.Add($"{where}: \"Properties\".\"kind\" must be \"hard\" (never relaxed) or \"soft\" (relaxed by an override){Was(kindText)}.");
                }

                var limitText = Text(properties, "limit");
                if (limitText is not null && hasOutput)
                {
                    problems.Add($"{where}: give the limit either as \"Properties\".\"limit\" or as an output expression, not both.");
                }
                else if (limitText is not null && !Words.TryParseGrade(limitText, out limit))
                {
                    problems.Add($"{where}: \"Properties\".\"limit\" must be a grade: \"Outstanding\", \"Good\", \"Requires improvement\" or \"Inadequate\"{Was(limitText)}.");
                }
                else if (limitText is null && !hasOutput)
                {
                    problems.Add($"{where}: a limit rule needs \"Properties\".\"limit\", the best grade the audit may have when the rule fires (or an output expression giving its rank).");
                }

                break;
            case RuleEffect.Override:
                relaxBy = properties.TryGetValue("relaxBy", out var relax) && relax is JsonElement { ValueKind: JsonValueKind.Number } number
                    && number.TryGetInt32(out var grades) ? grades : -1;
                if (relaxBy is < 1 or > 3)
                {
                    problems.Add($"{where}: \"Properties\".\"relaxBy\" must be how many grades the override relaxes each soft limit by: 1, 2 or 3.");
                }

                break;
            case RuleEffect.Finding:
                var severityText = Text(properties, "severity");
                if (!Enum.TryParse(severityText, ignoreCase: true, out severity) || severity == Severity.Unspecified || int.TryParse(severityText, out _))
                {
                    problems.Add($"{where}: \"Properties\".\"severity\" must be \"ERROR\", \"WARNING\" or \"INFO\"{Was(severityText)}.");
                }

                message = ReadTemplate(where, properties, "message", required: true, problems);
                break;
        }

        return problems.Count > count
            ? null
            : new RuleDefinition(workflow, rule.RuleName, effect, kind, limit, relaxBy, severity, message, explanation, guidance!, hasOutput);
    }

    private static Template ReadTemplate(string where, Dictionary<string, object> properties, string key, bool required, List<string> problems)
    {
        var text = Text(properties, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                problems.Add($"{where}: \"Properties\".\"{key}\" is missing: write what the rule means, in plain English.");
            }

            return Template.Empty;
        }

        var template = Template.Parse(text, out var unknown);
        foreach (var name in unknown)
        {
            problems.Add($"{where}: the {key} mentions {{{name}}}, which is not a value the service knows. Check its spelling against the list in rules/README.md.");
        }

        return template;
    }

    /// <summary>
    /// Parses every expression now, so every mistake is reported together at load, not when a rule first
    /// fires: conditions must be true/false, base and limit outputs a rank, finding outputs a list of subjects.
    /// </summary>
    private static void CheckExpressions(IEnumerable<(string FileName, byte[] Bytes, Workflow Workflow)> files, List<string> problems)
    {
        var parser = new RuleExpressionParser(EngineSettings);
        ParameterExpression[] inputs = [Expression.Parameter(typeof(AuditFacts), AuditInput), Expression.Parameter(typeof(GradingProgress), GradingInput)];
        foreach (var (fileName, _, workflow) in files)
        {
            foreach (var rule in workflow.Rules.Where(r => r.Enabled && !string.IsNullOrWhiteSpace(r.Expression)))
            {
                var where = $"{fileName}, rule \"{rule.RuleName}\"";
                if (ParseType(parser, rule.Expression, inputs, where, "Expression", problems) is { } condition && condition != typeof(bool))
                {
                    problems.Add($"{where}: its Expression must be a condition that is true or false, e.g. \"audit.CareAct == \\\"Partial\\\"\".");
                }

                if (Text(rule.Actions?.OnSuccess?.Context ?? [], "expression") is not { } output
                    || ParseType(parser, output, inputs, where, "output expression", problems) is not { } type)
                {
                    continue;
                }

                var isFinding = string.Equals(Text(rule.Properties ?? [], "effect"), nameof(RuleEffect.Finding), StringComparison.OrdinalIgnoreCase);
                if (isFinding && !typeof(IEnumerable<IFindingSubject>).IsAssignableFrom(type))
                {
                    problems.Add($"{where}: its output expression must list what each finding is about (areas, texts, key evidence or recommendations), e.g. \"audit.Areas.Where(a => a.Graded)\".");
                }
                else if (!isFinding && type != typeof(int))
                {
                    problems.Add($"{where}: its output expression must give a grade's rank, a whole number from 1 (Outstanding) to 4 (Inadequate).");
                }
            }
        }
    }

    private static Type? ParseType(RuleExpressionParser parser, string expression, ParameterExpression[] inputs, string where, string what, List<string> problems)
    {
        try
        {
            var parsed = parser.Parse(expression, inputs, null);
            return parsed is LambdaExpression lambda ? lambda.ReturnType : parsed.Type;
        }
        catch (Exception e) when (e is System.Linq.Dynamic.Core.Exceptions.ParseException or InvalidOperationException or ArgumentException)
        {
            problems.Add($"{where}: its {what} \"{expression}\" cannot be understood: {e.Message.TrimEnd('.')}. The facts a rule can use are listed in rules/README.md.");
            return null;
        }
    }

    /// <summary>Compiles every rule expression by running each stage once on a sample audit; a failure is reported now.</summary>
    private static void CompileAndWarm(RuleSet ruleSet, IEnumerable<(string FileName, byte[] Bytes, Workflow Workflow)> files)
    {
        var fileOf = files.ToDictionary(f => f.Workflow.WorkflowName, f => f.FileName);
        var audit = new RuleParameter(AuditInput, AuditFactsBuilder.Build(SampleAudit.Value, ruleSet.BlandText));
        var grading = new RuleParameter(GradingInput, GradingProgress.Start);
        var problems = new List<string>();
        foreach (var stage in ruleSet.Stages)
        {
            var results = ruleSet.Engine.ExecuteAllRulesAsync(stage.EngineWorkflow, audit, grading).AsTask().GetAwaiter().GetResult();
            foreach (var result in results.Where(r => !string.IsNullOrEmpty(r.ExceptionMessage)))
            {
                var file = fileOf[stage.Rules[0].Workflow];
                problems.Add($"{file}, rule \"{result.Rule.RuleName}\": its Expression \"{result.Rule.Expression}\" cannot be evaluated: {result.ExceptionMessage}");
            }
        }

        if (problems.Count > 0)
        {
            throw new RuleSetException(problems);
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

    private static string? Text(IDictionary<string, object> properties, string key)
    {
        var pair = properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
        return pair.Value switch
        {
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement e => e.GetRawText(),
            string s => s,
            null => null,
            var other => other.ToString(),
        };
    }

    private static string Was(string? text) => text is null ? "" : $", not \"{text}\"";

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

    private static readonly Lazy<AuditSubmission> SampleAudit = new(() => new AuditSubmission(
        "warm-up", "warm-up", "warm-up", "", null,
        [.. Enum.GetValues<PracticeArea>()[1..].Select(a => new AreaAssessment(a, Grade.Good, false, "Evidence drawn from the case file records.", "", false, ""))],
        Grade.Good, "", KeyEvidence.None, Safeguarding.None, "", "", "", [new Recommendation("", CroydonValue.OneTeam)], []));
}
