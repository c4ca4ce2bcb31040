using System.Globalization;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Reporting;

/// <summary>
/// What the programme report counts of one graded audit (a row of <c>audit_figures</c>, see V13): made from the
/// submission and its result, by the write path and the benchmark seeder alike. The arrays are PostgreSQL array
/// literals, so a batch's rows travel as one text array per column.
/// </summary>
internal sealed record AuditFigures(short ProposedGrade, string AreaGrades, string DecidingLimits, string Findings, string RecommendationValues, short LearningPoints)
{
    /// <summary>An area marked not applicable, in <c>area_grades</c>.</summary>
    public const short NotApplicable = 5;

    public static AuditFigures Of(AuditSubmission submission, GradingResult result) => new(
        (short)submission.ProposedOverallGrade,
        Literal(Enumerable.Range(1, 9).Select(area =>
            result.AreaGrades.FirstOrDefault(a => (int)a.Area == area) is { } found
                ? (found.NotApplicable ? NotApplicable : (short)found.Grade)
                : (short)0)),
        Literal(result.DecidingLimits),
        Literal(result.Findings.Select(f => f.RuleId)),
        Literal(submission.Recommendations.Select(r => (short)r.Value)),
        (short)Math.Min(submission.OrganisationalLearningPoints.Count, short.MaxValue));

    private static string Literal(IEnumerable<short> values) => $"{{{string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}}}";

    // Each element quoted, so any rule id reads back as written.
    private static string Literal(IEnumerable<string> values) =>
        $"{{{string.Join(',', values.Select(v => $"\"{v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\""))}}}";
}
