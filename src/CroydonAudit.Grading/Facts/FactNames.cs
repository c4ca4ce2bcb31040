using System.Reflection;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// A fact in words, as pages and sentences name it.
/// </summary>
/// <param name="Name">What it is, mid-sentence: "the lowest area grade", "risk", "Care Act compliance".</param>
/// <param name="Holds">For a yes/no fact, what holds when it is yes: of its owner ("has a significant concern"), or, for
/// the audit's own, a whole clause ("the auditor proposed a grade").</param>
/// <param name="HoldsNot">The same when it is no.</param>
/// <param name="One">For a count, one of what it counts ("word", "graded area").</param>
/// <param name="Many">More than one of them ("words").</param>
public sealed record FactName(string Name, string? Holds = null, string? HoldsNot = null, string? One = null, string? Many = null)
{
    /// <summary>The name at the start of a line: "The lowest area grade", "Risk".</summary>
    public string Capitalised => Name.Length == 0 ? Name : char.ToUpperInvariant(Name[0]) + Name[1..];
}

/// <summary>
/// The one place that names the facts rules read, for every page and sentence that shows them (what a rule looked at,
/// when it applies): a fact whose own name is the engine's is named in the guidance's words; every other by its name.
/// </summary>
public static class FactNames
{
    private static readonly Dictionary<string, FactName> Known = new(StringComparer.Ordinal)
    {
        [nameof(AuditFacts.HasProposedGrade)] = new("the auditor proposed a grade", "the auditor proposed a grade", "the auditor did not propose a grade"),
        [nameof(AuditFacts.ProposedGrade)] = new("the grade the auditor proposed"),
        [nameof(AuditFacts.ProposedRank)] = new("the grade the auditor proposed"),
        [nameof(AuditFacts.GradedAreaCount)] = new("graded areas", One: "graded area", Many: "graded areas"),
        [nameof(AuditFacts.MedianGrade)] = new("the median of the area grades"),
        [nameof(AuditFacts.MedianRank)] = new("the median of the area grades"),
        [nameof(AuditFacts.LowestGrade)] = new("the lowest area grade"),
        [nameof(AuditFacts.WorstRank)] = new("the lowest area grade"),
        [nameof(AuditFacts.LowestAreas)] = new("the areas at the lowest grade"),
        [nameof(AuditFacts.ConcernAreas)] = new("the areas with a significant concern"),
        [nameof(AuditFacts.Areas)] = new("areas", One: "area", Many: "areas"),
        [nameof(AuditFacts.CareAct)] = new("Care Act compliance"),
        [nameof(AuditFacts.KeyEvidence)] = new("key evidence", One: "key evidence field", Many: "key evidence fields"),
        [nameof(AuditFacts.ImmediateRiskIdentified)] = new("immediate risk identified", "an immediate safeguarding risk was identified", "no immediate safeguarding risk was identified"),
        [nameof(AuditFacts.Recommendations)] = new("recommendations", One: "recommendation", Many: "recommendations"),
        [nameof(AuditFacts.OrganisationalLearningPointCount)] = new("organisational learning points", One: "organisational learning point", Many: "organisational learning points"),
        [nameof(AuditFacts.Texts)] = new("texts", One: "text", Many: "texts"),
        [nameof(AuditFacts.Strengths)] = new("strengths text"),
        [nameof(AuditFacts.RequiredUnanswered)] = new("required questions left unanswered", One: "required question left unanswered", Many: "required questions left unanswered"),
        [nameof(AreaFact.Listed)] = new("listed", "is listed", "is not listed"),
        [nameof(AreaFact.NotApplicable)] = new("not applicable", "is marked not applicable", "is not marked not applicable"),
        [nameof(AreaFact.Graded)] = new("graded", "is graded", "is not graded"),
        [nameof(AreaFact.SignificantConcern)] = new("significant concern", "has a significant concern", "has no significant concern"),
        [nameof(AreaFact.ConcernDetail)] = new("significant concern detail"),
        [nameof(AreaFact.Rank)] = new("grade"),
        [nameof(TextFact.IsEmpty)] = new("not written", "is not written", "is written"),
        [nameof(TextFact.IsBland)] = new("written in general terms only", "says nothing specific", "says something specific"),
        [nameof(TextFact.Words)] = new("words", One: "word", Many: "words"),
        [nameof(KeyEvidenceFact.Recorded)] = new("recorded", "is recorded", "is not recorded"),
        [nameof(RecommendationFact.NamesValue)] = new("names a Croydon value", "names a Croydon value", "does not name a Croydon value"),
        [nameof(RecommendationFact.Value)] = new("Croydon value"),
        [nameof(AnswerFact.Answered)] = new("answered", "is answered", "is not answered", "answered question", "answered questions"),
        [nameof(SectionFact.Unanswered)] = new("unanswered", One: "unanswered question", Many: "unanswered questions"),
        [nameof(AnswerFact.Yes)] = new("yes", "is yes", "is not yes"),
        [nameof(GradingProgress.BaseGrade)] = new("the base grade"),
        [nameof(GradingProgress.BaseRank)] = new("the base grade"),
        [nameof(GradingProgress.OverallGrade)] = new("the overall grade so far"),
        [nameof(GradingProgress.OverallRank)] = new("the overall grade so far"),
        [nameof(GradingProgress.StrictestSoftLimit)] = new("the strictest soft limit"),
        [nameof(GradingProgress.StrictestSoftLimitRank)] = new("the strictest soft limit"),
        [nameof(GradingProgress.StrictestHardLimit)] = new("the strictest hard limit"),
        [nameof(GradingProgress.StrictestHardLimitRank)] = new("the strictest hard limit"),
        [nameof(GradingProgress.OverrideApplied)] = new("whether an override relaxed the limits", "an override relaxed the soft limits", "no override relaxed the soft limits"),
        [nameof(GradingProgress.SoftLimitsRelaxedBy)] = new("how far an override relaxed the soft limits", One: "grade an override relaxed the soft limits by", Many: "grades an override relaxed the soft limits by"),
    };

    /// <summary>The fact in words.</summary>
    public static FactName Of(MemberInfo fact) => Of(fact.Name);

    /// <summary>The fact of this name in words; one without words of its own is named by its name ("PersonInvolvement": "person involvement").</summary>
    public static FactName Of(string factName)
    {
        if (Known.TryGetValue(factName, out var known))
        {
            return known;
        }

        var named = Words.Named(factName);
        return new FactName(named.Length == 0 ? named : char.ToLowerInvariant(named[0]) + named[1..]);
    }

    /// <summary>
    /// A recorded value of a fact in the template's words, where the fact is one of the template's questions (the
    /// audit's own, e.g. risk's "weighed": "Risks and protective factors appropriately weighed up"); else in words.
    /// </summary>
    public static string ValueWords(MemberInfo fact, object? value, AuditTemplate template)
    {
        if (value is Enum recorded and not Grade && Convert.ToInt32(recorded, System.Globalization.CultureInfo.InvariantCulture) != 0
            && template.Question(ContractQuestions.Kebab(fact.Name))?.Option(ContractQuestions.Kebab(recorded.ToString())) is { } option)
        {
            return option.Words;
        }

        return Words.Describe(value);
    }
}
