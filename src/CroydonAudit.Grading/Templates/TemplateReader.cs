using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.Grading.Templates;

/// <summary>
/// Reads and checks a rule set's <c>template.json</c>: every problem found, at the question it concerns, in words the
/// principal social worker can act on. A rule set without one has the contract's own questions
/// (<see cref="AuditTemplate.Contract"/>), as every version stored before templates were data does.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>The template's file name in the rules folder.</summary>
    public const string File = "template.json";

    /// <summary>The most sections, questions and options a template may have: an audit form is read by a person.</summary>
    public const int MaxSections = 30, MaxQuestions = 300, MaxOptions = 20;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    private static readonly Dictionary<string, AnswerKind> Kinds = new(StringComparer.Ordinal)
    {
        ["choice"] = AnswerKind.Choice,
        ["yes-no"] = AnswerKind.YesNo,
        ["text"] = AnswerKind.Text,
    };

    /// <summary>The template of <paramref name="files"/>, or null after adding its problems.</summary>
    public static AuditTemplate? Read(RuleSetFiles files, List<RuleSetProblem> problems)
    {
        if (files[File] is not { } bytes)
        {
            return AuditTemplate.Contract;
        }

        var site = new ProblemSite(problems, File);
        var count = problems.Count;
        TemplateFile? file;
        try
        {
            file = JsonSerializer.Deserialize<TemplateFile>(bytes, Json);
        }
        catch (JsonException e)
        {
            site.Add(RuleJson.Mistake(e));
            return null;
        }

        if (file is null)
        {
            site.Add("is empty.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(file.Label))
        {
            site.Add("needs a \"label\": a short name for this version of the template, e.g. \"London template, November 2026\".", "label");
        }

        var sections = ReadSections(site, file.Sections ?? []);
        var prompts = ReadPrompts(site, file.Prompts);
        if (problems.Count > count)
        {
            return null;
        }

        var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        return new AuditTemplate(version, file.Label!.Trim(), sections, prompts!);
    }

    private static List<TemplateSection> ReadSections(ProblemSite site, IReadOnlyList<SectionFile> given)
    {
        if (given.Count is 0 or > MaxSections)
        {
            site.Add($"needs from 1 to {MaxSections} \"sections\": the nine areas, key evidence, safeguarding and the overall grade, and any of your own.", "sections");
        }

        var sections = new List<TemplateSection>();
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in given.Take(MaxSections))
        {
            var id = section.Id ?? "";
            if (!Id().IsMatch(id))
            {
                site.Add($"a section's \"id\" (\"{Shown(id)}\") must be lower-case words joined by hyphens, e.g. \"family-engagement\".", "id");
                continue;
            }

            if (sections.Any(s => s.Id == id))
            {
                site.Add($"the section \"{id}\" is there twice; each section once.", "id");
                continue;
            }

            if (string.IsNullOrWhiteSpace(section.Title) || section.Title.Length > 200)
            {
                site.Add($"section \"{id}\" needs a \"title\" of at most 200 characters, as the auditor reads it.", "title");
            }

            var questions = new List<TemplateQuestion>();
            foreach (var question in section.Questions ?? [])
            {
                if (ReadQuestion(site, id, question) is { } read)
                {
                    if (!questionIds.Add(read.Id))
                    {
                        site.Add($"the question \"{read.Id}\" is there twice; every question needs an id of its own.", "id");
                    }
                    else if (questionIds.Count > MaxQuestions)
                    {
                        site.Add($"has more than {MaxQuestions} questions; an audit form is read by a person.", "questions");
                        return sections;
                    }
                    else
                    {
                        questions.Add(read);
                    }
                }
            }

            sections.Add(new TemplateSection(id, section.Title?.Trim() ?? "", AuditTemplate.AreaOf(id), questions));
        }

        CheckContractQuestions(site, sections);
        return sections;
    }

    private static TemplateQuestion? ReadQuestion(ProblemSite site, string sectionId, QuestionFile question)
    {
        var id = question.Id ?? "";
        if (!Id().IsMatch(id) || id.Length > 100)
        {
            site.Add($"a question of section \"{sectionId}\" has the id \"{Shown(id)}\": an id is at most 100 characters, lower-case words joined by hyphens or dots, e.g. \"{sectionId}.carers-assessment\".", "id");
            return null;
        }

        var count = site.Problems.Count;
        if (string.IsNullOrWhiteSpace(question.Text) || question.Text.Length > 500)
        {
            site.Add($"question \"{id}\" needs a \"text\" of at most 500 characters: the question as the auditor reads it.", "text");
        }

        if (question.Help?.Length > 2_000 || question.Label?.Length > 100)
        {
            site.Add($"question \"{id}\": its \"help\" may be at most 2,000 characters and its \"label\" at most 100.", "help");
        }

        if (!Kinds.TryGetValue(question.Kind ?? "", out var kind))
        {
            site.Add($"question \"{id}\" needs a \"kind\": \"choice\" (one of its options), \"yes-no\" or \"text\"{Suggest(question.Kind, Kinds.Keys)}", "kind");
            return null;
        }

        var options = ReadOptions(site, id, kind, question.Options ?? []);
        return site.Problems.Count > count
            ? null
            : new TemplateQuestion(id, sectionId, question.Text!.Trim(), string.IsNullOrWhiteSpace(question.Label) ? question.Text!.Trim() : question.Label.Trim(),
                question.Help?.Trim() ?? "", kind, options, question.Required ?? false, question.Informational ?? false);
    }

    private static List<TemplateOption> ReadOptions(ProblemSite site, string questionId, AnswerKind kind, IReadOnlyList<OptionFile> given)
    {
        var options = new List<TemplateOption>();
        if (kind == AnswerKind.Text)
        {
            if (given.Count > 0)
            {
                site.Add($"question \"{questionId}\" is answered in free text, so it has no \"options\".", "options");
            }

            return options;
        }

        if (kind == AnswerKind.Choice && given.Count is < 2 or > MaxOptions)
        {
            site.Add($"question \"{questionId}\" is a choice, so it needs from 2 to {MaxOptions} \"options\".", "options");
        }

        foreach (var option in given.Take(MaxOptions))
        {
            var id = option.Id ?? "";
            var level = Grade.Unspecified;
            if (!Id().IsMatch(id) || id.Length > 60)
            {
                site.Add($"question \"{questionId}\" has an option \"{Shown(id)}\": an option's id is at most 60 characters, lower-case words joined by hyphens.", "id");
            }
            else if (options.Any(o => o.Id == id))
            {
                site.Add($"question \"{questionId}\" has the option \"{id}\" twice.", "id");
            }
            else if (kind == AnswerKind.YesNo && id is not (ContractQuestions.Yes or ContractQuestions.No))
            {
                site.Add($"question \"{questionId}\" is answered yes or no: its options can only be \"yes\" and \"no\" (to word them or give their levels), not \"{id}\".", "id");
            }
            else if (string.IsNullOrWhiteSpace(option.Words) || option.Words.Length > 200)
            {
                site.Add($"question \"{questionId}\", option \"{id}\", needs \"words\" of at most 200 characters, as the auditor reads them.", "words");
            }
            else if (option.Level is { } text && (level = AuditTemplate.LevelOf(text)) == Grade.Unspecified)
            {
                site.Add($"question \"{questionId}\", option \"{id}\": its \"level\" must be a descriptor level: \"outstanding\", \"good\", \"requires-improvement\" or \"inadequate\"{Suggest(text, Levels)}", "level");
            }
            else
            {
                options.Add(new TemplateOption(id, option.Words.Trim(), level));
            }
        }

        if (kind == AnswerKind.YesNo)
        {
            // A yes/no question always has both answers, worded plainly unless the template words them.
            foreach (var (id, words) in new[] { (ContractQuestions.Yes, "Yes"), (ContractQuestions.No, "No") })
            {
                if (options.All(o => o.Id != id))
                {
                    options.Add(new TemplateOption(id, words, Grade.Unspecified));
                }
            }
        }

        return options;
    }

    // The contract's questions are answered by its typed fields: every template keeps each, in its section, answered
    // the same way, with the contract's options (their words and levels are the template's).
    private static void CheckContractQuestions(ProblemSite site, List<TemplateSection> sections)
    {
        var questions = sections.SelectMany(s => s.Questions).ToDictionary(q => q.Id, StringComparer.Ordinal);
        foreach (var sectionId in ContractQuestions.All.Select(q => q.SectionId).Distinct())
        {
            if (sections.All(s => s.Id != sectionId))
            {
                site.Add($"needs the section \"{sectionId}\": its questions are the audit's own fields, which every template keeps.", "sections");
            }
        }

        foreach (var contract in ContractQuestions.All)
        {
            if (!questions.TryGetValue(contract.Id, out var question))
            {
                if (sections.Any(s => s.Id == contract.SectionId))
                {
                    site.Add($"section \"{contract.SectionId}\" needs the question \"{contract.Id}\": it is one of the audit's own fields, which every template keeps (its words are yours to choose).", "questions");
                }
            }
            else if (question.SectionId != contract.SectionId)
            {
                site.Add($"question \"{contract.Id}\" belongs in the section \"{contract.SectionId}\".", "questions");
            }
            else if (question.Kind != contract.Kind)
            {
                site.Add($"question \"{contract.Id}\" is answered as {KindWords(contract.Kind)}: it is one of the audit's own fields.", "kind");
            }
            else if (contract.Kind == AnswerKind.Choice && !question.Options.Select(o => o.Id).Order().SequenceEqual(contract.Options.Order()))
            {
                site.Add($"question \"{contract.Id}\" is one of the audit's own fields, so its options are fixed: {Text.Words.List([.. contract.Options.Select(o => $"\"{o}\"")])} (their words and levels are yours to choose).", "options");
            }
        }
    }

    private static TemplatePrompts? ReadPrompts(ProblemSite site, PromptsFile? prompts)
    {
        var texts = new[] { prompts?.Strengths, prompts?.Learning, prompts?.SummaryOfFindings, prompts?.Recommendations, prompts?.OrganisationalLearningPoints };
        if (texts.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 500))
        {
            site.Add("needs \"prompts\" for the free texts, each at most 500 characters: \"strengths\", \"learning\", \"summaryOfFindings\", \"recommendations\" and \"organisationalLearningPoints\".", "prompts");
            return null;
        }

        return new TemplatePrompts(texts[0]!.Trim(), texts[1]!.Trim(), texts[2]!.Trim(), texts[3]!.Trim(), texts[4]!.Trim());
    }

    private static readonly string[] Levels = [.. Enum.GetValues<Grade>()[1..].Select(g => ContractQuestions.OptionId(g))];

    private static string KindWords(AnswerKind kind) => kind switch
    {
        AnswerKind.Choice => "a choice of its options",
        AnswerKind.YesNo => "yes or no",
        _ => "free text",
    };

    private static string Suggest(string? given, IEnumerable<string> known) =>
        Text.NearestWord.Find(given ?? "", known) is { } nearest ? $"; did you mean \"{nearest}\"?" : ".";

    private static string Shown(string id) => id.Length > 60 ? id[..60] + "…" : id;

    [GeneratedRegex("^[a-z0-9]+(?:[.-][a-z0-9]+)*$")]
    private static partial Regex Id();

    private sealed record TemplateFile(
        [property: JsonPropertyName("$schema")] string? Schema, string? Label, IReadOnlyList<SectionFile>? Sections, PromptsFile? Prompts);

    private sealed record SectionFile(string? Id, string? Title, IReadOnlyList<QuestionFile>? Questions);

    private sealed record QuestionFile(
        string? Id, string? Text, string? Label, string? Help, string? Kind, IReadOnlyList<OptionFile>? Options, bool? Required, bool? Informational);

    private sealed record OptionFile(string? Id, string? Words, string? Level);

    private sealed record PromptsFile(string? Strengths, string? Learning, string? SummaryOfFindings, string? Recommendations, string? OrganisationalLearningPoints);
}
