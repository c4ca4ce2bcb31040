using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
using CroydonAudit.Store.Reporting;
using Google.Protobuf.WellKnownTypes;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Mapping;

/// <summary>The programme report's figures as the contract gives them, each rule named in words.</summary>
public static class ReportMapping
{
    /// <summary>The report of <paramref name="figures"/>; <paramref name="rules"/> (the active rule set) names each rule.</summary>
    public static V1.ProgrammeReport ToContract(this ProgrammeFigures figures, DateTimeOffset from, DateTimeOffset to, string? team, RuleSet? rules)
    {
        var titles = rules?.Rules.ToDictionary(r => r.RuleId, r => RuleWords.Name(r.Definition)) ?? [];
        V1.RuleCount Named(RuleCount count) => new()
        {
            RuleId = count.RuleId,
            Title = titles.GetValueOrDefault(count.RuleId) ?? "A rule that is no longer in the active rules",
            Count = count.Count,
        };

        return new V1.ProgrammeReport
        {
            GradedFrom = Timestamp.FromDateTimeOffset(from),
            GradedTo = Timestamp.FromDateTimeOffset(to),
            Team = team ?? "",
            Audits = figures.Audits,
            OverallGrades = { ByGrade(figures.OverallGrades) },
            FinalGrades = { ByGrade(figures.FinalGrades) },
            Areas =
            {
                figures.Areas.Select(a => new V1.AreaGradeCounts
                {
                    Area = (V1.PracticeArea)a.Area,
                    Grades = { ByGrade(a.Grades) },
                    NotApplicable = a.NotApplicable,
                    NotGraded = a.NotGraded,
                }),
            },
            Months =
            {
                figures.Months.Select(m => new V1.MonthGradeCounts
                {
                    Month = m.Month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Audits = m.Grades.Sum(),
                    Grades = { ByGrade(m.Grades) },
                    FinalGrades = { ByGrade(m.FinalGrades) },
                }),
            },
            DecidingLimits = { figures.DecidingLimits.Select(Named) },
            Findings = { figures.Findings.Select(Named) },
            Agreement = ToContract(figures.Agreement),
            Auditors = { figures.Auditors.Select(a => new V1.AuditorAgreement { AuditorId = a.AuditorId, Agreement = ToContract(a.Agreement) }) },
            Moderation = new V1.ModerationCounts
            {
                Required = figures.Moderation.Required,
                Agreed = figures.Moderation.Agreed,
                GradeChanged = figures.Moderation.GradeChanged,
                Awaiting = figures.Moderation.Awaiting,
            },
            Recommendations = { figures.Recommendations.Select(v => new V1.ValueCount { Value = (V1.CroydonValue)v.Value, Count = v.Count }) },
            LearningPoints =
            {
                figures.LearningPoints.Select(p => new V1.LearningPoint
                {
                    AuditId = p.AuditId,
                    Team = p.Team,
                    GradedAt = Timestamp.FromDateTimeOffset(p.GradedAt),
                    Text = p.Text,
                }),
            },
            LearningPointCount = figures.LearningPointCount,
        };
    }

    private static IEnumerable<V1.GradeCount> ByGrade(IReadOnlyList<long> counts) =>
        counts.Select((count, i) => new V1.GradeCount { Grade = (V1.Grade)(i + 1), Count = count });

    private static V1.Agreement ToContract(Agreement agreement) =>
        new() { Audits = agreement.Audits, Proposed = agreement.Proposed, Agreed = agreement.Agreed };
}
