using System.Text.Json;
using System.Text.Json.Nodes;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.RuleSets.WorkedCases;

/// <summary>
/// One file of a rule set's <c>tests/</c>: an audit in the contract's JSON form and what grading must
/// decide for it. The principal social worker adds one with every rule change. The audit may be written whole, or as
/// the differences from a base audit of <c>tests/bases/</c> (<c>"base"</c>): answers to the template's questions by
/// id (<c>"answers"</c>, overriding the base's), and any other parts of the audit (<c>"audit"</c>, merged over the
/// base's: an object's properties replace the base's, a list replaces the base's list, null removes a property).
/// </summary>
/// <param name="File">Its path in the rule set, e.g. <c>tests/complete-good.json</c>.</param>
/// <param name="Description">What it shows.</param>
/// <param name="Audit">The audit as a case recording system would send it.</param>
/// <param name="Expect">What grading must decide.</param>
public sealed record WorkedCase(string File, string Description, V1.AuditSubmission Audit, WorkedCaseExpectation Expect)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    /// <summary>Its name: the file name without folder or extension.</summary>
    public string Name => Path.GetFileNameWithoutExtension(File);

    /// <summary>Reads a worked case, its base (if it names one) found by <paramref name="baseOf"/>; null after adding its problems.</summary>
    public static WorkedCase? TryParse(string file, byte[] bytes, List<RuleSetProblem> problems, Func<string, byte[]?>? baseOf = null)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, RuleJson.Document);
            var root = document.RootElement;
            if (Compose(file, root, baseOf, problems) is not { } audit)
            {
                return null;
            }

            var expect = root.GetProperty("expect");
            var limits = expect.TryGetProperty("limits", out var pinned)
                ? pinned.EnumerateObject().ToDictionary(
                    p => p.Name,
                    p => new LimitPin(
                        Words.TryParseGrade(p.Value.GetProperty("limit").GetString(), out var grade) ? grade : throw new FormatException($"\"{p.Value.GetProperty("limit").GetString()}\" is not a grade."),
                        Enum.Parse<LimitKind>(p.Value.GetProperty("kind").GetString()!, ignoreCase: true)),
                    StringComparer.Ordinal)
                : [];
            return new WorkedCase(
                file,
                root.GetProperty("description").GetString() ?? "",
                audit,
                new WorkedCaseExpectation(
                    ContractEnum<Grade>(expect.GetProperty("overall_grade")),
                    ContractEnum<AuditStatus>(expect.GetProperty("status")),
                    [.. expect.GetProperty("fired").EnumerateArray().Select(e => e.GetString()!)],
                    [.. expect.GetProperty("findings").EnumerateArray().Select(e => e.GetString()!)],
                    limits,
                    expect.TryGetProperty("base_grade", out var baseGrade) ? ContractEnum<Grade>(baseGrade) : null,
                    expect.TryGetProperty("cap_applied", out var cap) ? cap.GetBoolean() : null,
                    expect.TryGetProperty("moderation_required", out var moderation) ? moderation.GetBoolean() : null));
        }
        catch (JsonException e)
        {
            problems.Add(new RuleSetProblem(file, null, null, RuleJson.Mistake(e)));
            return null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException)
        {
            problems.Add(new RuleSetProblem(file, null, null, $"is not a worked case the service can read: {e.Message.TrimEnd('.')}. A worked case has a \"description\", an \"audit\" and an \"expect\"; see rules/README.md."));
            return null;
        }
    }

    // The case's audit: written whole, or its base's with the case's differences.
    private static V1.AuditSubmission? Compose(string file, JsonElement root, Func<string, byte[]?>? baseOf, List<RuleSetProblem> problems)
    {
        var given = root.TryGetProperty("audit", out var audit) ? JsonNode.Parse(RuleJson.Text(audit)) : null;
        JsonNode? composed = given;
        if (root.TryGetProperty("base", out var named))
        {
            var name = named.GetString() ?? "";
            var path = $"{RuleSetFiles.BaseFolder}{name}.json";
            if ((baseOf ?? (_ => null))(path) is not { } bytes)
            {
                problems.Add(new RuleSetProblem(file, null, "base", $"names the base audit \"{name}\", but there is no {path}."));
                return null;
            }

            var baseRoot = JsonNode.Parse(bytes, documentOptions: RuleJson.Document);
            composed = Merge(baseRoot?["audit"], given);
        }

        if (composed is null)
        {
            throw new KeyNotFoundException("it has neither an \"audit\" nor a \"base\"");
        }

        var parsed = Parser.Parse<V1.AuditSubmission>(composed.ToJsonString());
        return root.TryGetProperty("answers", out var answers) ? Answered(file, parsed, answers, problems) : parsed;
    }

    // The audit with the case's answers: one to a question of the audit's own fields sets that field (whatever the base
    // said); any other is sent as an answer.
    private static V1.AuditSubmission? Answered(string file, V1.AuditSubmission audit, JsonElement answers, List<RuleSetProblem> problems)
    {
        var own = new List<QuestionAnswer>();
        foreach (var answer in answers.EnumerateObject())
        {
            var value = answer.Value.ValueKind switch
            {
                JsonValueKind.True => Grading.Templates.ContractQuestions.Yes,
                JsonValueKind.False => Grading.Templates.ContractQuestions.No,
                _ => answer.Value.GetString() ?? "",
            };
            if (Grading.Templates.ContractQuestions.Find(answer.Name) is not { } question)
            {
                if (audit.Answers.FirstOrDefault(a => a.QuestionId == answer.Name) is { } earlier)
                {
                    audit.Answers.Remove(earlier);
                }

                audit.Answers.Add(new V1.Answer { QuestionId = answer.Name, Value = value });
            }
            else if (!question.Accepts(value))
            {
                problems.Add(new RuleSetProblem(file, null, "answers",
                    $"answers \"{answer.Name}\" with \"{value}\", which is not one of its options: {Words.List([.. question.Options.Select(o => $"\"{o}\"")], "or")}."));
                return null;
            }
            else
            {
                own.Add(new QuestionAnswer(answer.Name, value));
            }
        }

        if (own.Count == 0)
        {
            return audit;
        }

        var sent = audit.Answers.Clone();
        var folded = Grading.Templates.ContractQuestions.Fold(audit.ToDomain() with { Answers = own }, overriding: true).ToContract();
        folded.Answers.Clear();
        folded.Answers.Add(sent);
        return folded;
    }

    // A JSON merge patch (RFC 7396): the patch's properties replace the target's, objects merged, null removing one.
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject properties)
        {
            return patch?.DeepClone() ?? target?.DeepClone();
        }

        var merged = target is JsonObject objectTarget ? (JsonObject)objectTarget.DeepClone() : [];
        foreach (var (name, value) in properties)
        {
            if (value is null)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = Merge(merged[name], value);
            }
        }

        return merged;
    }

    /// <summary>
    /// An expected value, as the contract names it ("GRADE_GOOD") or in words as the guidance does ("Good", "Requires
    /// improvement", "complete"), as the domain's enum, which shares the contract's numbers.
    /// </summary>
    private static TEnum ContractEnum<TEnum>(JsonElement element)
        where TEnum : struct, Enum
    {
        var text = element.GetString() ?? "";
        var descriptor = V1.AuditReflection.Descriptor.EnumTypes.Single(e => e.Name == typeof(TEnum).Name);
        if (descriptor.FindValueByName(text) is { Number: > 0 } named)
        {
            return (TEnum)Enum.ToObject(typeof(TEnum), named.Number);
        }

        var words = Enum.GetValues<TEnum>()[1..];
        return words.FirstOrDefault(v => string.Equals(Words.Describe(v), text.Trim(), StringComparison.OrdinalIgnoreCase)) is var value
            && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0
            ? value
            : throw new FormatException($"\"{text}\" is not {(typeof(TEnum) == typeof(Grade) ? "a grade" : "a status")}: write {Words.List([.. words.Select(v => Words.Describe(v))], "or")}");
    }
}

/// <summary>What grading must decide for a worked case.</summary>
/// <param name="OverallGrade">The overall grade.</param>
/// <param name="Status">Complete or incomplete.</param>
/// <param name="Fired">Every rule that fires, in trace order.</param>
/// <param name="Findings">The rule of each finding, in order.</param>
/// <param name="Limits">Limits it pins: the grade each limits the audit to (before any override), and its kind.</param>
/// <param name="BaseGrade">The base grade, when stated.</param>
/// <param name="CapApplied">Whether rules held the grade below the base, when stated.</param>
/// <param name="ModerationRequired">Whether the audit needs moderation, when stated.</param>
public sealed record WorkedCaseExpectation(
    Grade OverallGrade,
    AuditStatus Status,
    IReadOnlyList<string> Fired,
    IReadOnlyList<string> Findings,
    IReadOnlyDictionary<string, LimitPin> Limits,
    Grade? BaseGrade,
    bool? CapApplied,
    bool? ModerationRequired);

/// <summary>A limit as a worked case pins it.</summary>
/// <param name="Limit">The grade it limits the audit to, before any override.</param>
/// <param name="Kind">Hard or soft.</param>
public sealed record LimitPin(Grade Limit, LimitKind Kind)
{
    /// <summary>"a hard limit of Good".</summary>
    public override string ToString() => $"a {Kind.ToString().ToLowerInvariant()} limit of {Words.Of(Limit)}";
}
