using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Reporting;

/// <summary>The programme report's figures for a period (and perhaps a team): each audit counted once, as its latest revision.</summary>
/// <param name="Audits">How many audits were graded in the period.</param>
/// <param name="OverallGrades">Audits by overall grade (the rules'), Outstanding to Inadequate.</param>
/// <param name="FinalGrades">Audits by grade of record (a moderator's decision where there is one), Outstanding to Inadequate.</param>
/// <param name="Areas">Each of the nine areas' grades, in the guidance's order.</param>
/// <param name="Months">Month by month (in London time), audits by overall grade.</param>
/// <param name="DecidingLimits">The limits that decided grades, by rule id, most often first.</param>
/// <param name="Findings">Findings raised, by rule id, most often first.</param>
/// <param name="Agreement">The auditor's proposed grade against the rule-derived grade, over every auditor.</param>
/// <param name="Auditors">The same per auditor, most audits first.</param>
/// <param name="Moderation">Moderation: audits that needed it and the outcomes of the latest decision on each.</param>
/// <param name="Recommendations">Recommendations by Croydon value (Unspecified: none named).</param>
/// <param name="LearningPoints">The period's organisation learning points, newest audit first (at most <see cref="ReportStore.MaxLearningPoints"/>).</param>
/// <param name="LearningPointCount">How many learning points the period's audits list in all.</param>
public sealed record ProgrammeFigures(
    long Audits,
    IReadOnlyList<long> OverallGrades,
    IReadOnlyList<long> FinalGrades,
    IReadOnlyList<AreaFigures> Areas,
    IReadOnlyList<MonthFigures> Months,
    IReadOnlyList<RuleCount> DecidingLimits,
    IReadOnlyList<RuleCount> Findings,
    Agreement Agreement,
    IReadOnlyList<AuditorAgreement> Auditors,
    ModerationFigures Moderation,
    IReadOnlyList<ValueCount> Recommendations,
    IReadOnlyList<LearningPoint> LearningPoints,
    long LearningPointCount);

/// <summary>One area's grades: audits by grade (Outstanding to Inadequate), not applicable, and not graded.</summary>
public sealed record AreaFigures(PracticeArea Area, IReadOnlyList<long> Grades, long NotApplicable, long NotGraded);

/// <summary>One month (its first day, London time): audits by overall grade and by grade of record, Outstanding to Inadequate.</summary>
public sealed record MonthFigures(DateOnly Month, IReadOnlyList<long> Grades, IReadOnlyList<long> FinalGrades);

/// <summary>How often a rule decided a grade, or raised a finding.</summary>
public sealed record RuleCount(string RuleId, long Count);

/// <summary>Of the audits with a proposed grade, how many the rules graded the same.</summary>
public sealed record Agreement(long Audits, long Proposed, long Agreed);

/// <summary>One auditor's agreement.</summary>
public sealed record AuditorAgreement(string AuditorId, Agreement Agreement);

/// <summary>
/// Audits that needed moderation; the latest decision's outcome on each moderated audit (whether or not it
/// needed moderation); and how many that needed it have no decision yet.
/// </summary>
public sealed record ModerationFigures(long Required, long Agreed, long GradeChanged, long Awaiting);

/// <summary>Recommendations in line with one Croydon value.</summary>
public sealed record ValueCount(CroydonValue Value, long Count);

/// <summary>An organisation learning point, with the audit it came from.</summary>
public sealed record LearningPoint(string AuditId, string Team, DateTimeOffset GradedAt, string Text);
