using System.Globalization;
using System.Text;
using Croydon.Audit.V1;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// The programme report's figures as CSV (figure, item, detail, count): the same report the page shows, its period and
/// team in its first rows (and its file name). Grades are counted as everyone sees them — the grade of record, a
/// moderator's decision where there is one — with the rules' grades beside them for agreement figures.
/// </summary>
public static class ReportCsv
{
    /// <summary>The file's name: the period and team it covers.</summary>
    public static string FileName(ProgrammeReport report) =>
        $"programme-report-{Day(report.GradedFrom)}-to-{Day(report.GradedTo, lastDay: true)}-{(report.Team.Length == 0 ? "every-team" : Slug(report.Team))}.csv";

    /// <summary>The CSV text.</summary>
    public static string Of(ProgrammeReport report)
    {
        var csv = new StringBuilder("figure,item,detail,count\r\n");
        void Row(string figure, string item, string detail, long? count) =>
            csv.Append(CultureInfo.InvariantCulture, $"{Cell(figure)},{Cell(item)},{Cell(detail)},{count}\r\n");

        Row("period", Day(report.GradedFrom), Day(report.GradedTo, lastDay: true), null);
        Row("team", report.Team.Length == 0 ? "every team" : report.Team, "", null);
        Row("audits", "all", "", report.Audits);
        foreach (var grade in report.FinalGrades)
        {
            Row("grade of record", Show.Of(grade.Grade), "", grade.Count);
        }

        foreach (var grade in report.OverallGrades)
        {
            Row("rules' grade", Show.Of(grade.Grade), "", grade.Count);
        }

        foreach (var area in report.Areas)
        {
            foreach (var grade in area.Grades)
            {
                Row("area grade", Show.Of(area.Area), Show.Of(grade.Grade), grade.Count);
            }

            Row("area grade", Show.Of(area.Area), "Not applicable", area.NotApplicable);
            Row("area grade", Show.Of(area.Area), "Not graded", area.NotGraded);
        }

        foreach (var month in report.Months)
        {
            foreach (var grade in month.FinalGrades)
            {
                Row("month, grade of record", month.Month, Show.Of(grade.Grade), grade.Count);
            }

            foreach (var grade in month.Grades)
            {
                Row("month, rules' grade", month.Month, Show.Of(grade.Grade), grade.Count);
            }
        }

        foreach (var limit in report.DecidingLimits)
        {
            Row("deciding limit", limit.Title, "", limit.Count);
        }

        foreach (var finding in report.Findings)
        {
            Row("finding", finding.Title, "", finding.Count);
        }

        Row("agreement", "all auditors", "proposed", report.Agreement.Proposed);
        Row("agreement", "all auditors", "agreed", report.Agreement.Agreed);
        foreach (var auditor in report.Auditors)
        {
            Row("agreement", auditor.AuditorId, "proposed", auditor.Agreement.Proposed);
            Row("agreement", auditor.AuditorId, "agreed", auditor.Agreement.Agreed);
        }

        Row("moderation", "needed", "", report.Moderation.Required);
        Row("moderation", "agreed", "", report.Moderation.Agreed);
        Row("moderation", "grade changed", "", report.Moderation.GradeChanged);
        Row("moderation", "awaiting", "", report.Moderation.Awaiting);
        foreach (var value in report.Recommendations)
        {
            Row("recommendations", Show.Of(value.Value), "", value.Count);
        }

        Row("learning points", "all", "", report.LearningPointCount);
        return csv.ToString();
    }

    // A day as YYYY-MM-DD; the report's end is exclusive, so its last day is the one before.
    private static string Day(Google.Protobuf.WellKnownTypes.Timestamp? at, bool lastDay = false) => at is null
        ? ""
        : Show.DayOf(at.ToDateTimeOffset().AddTicks(lastDay ? -1 : 0)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // A team's name as part of a file name: letters and digits, the rest as single hyphens.
    private static string Slug(string team)
    {
        var slug = string.Concat(team.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
        slug = System.Text.RegularExpressions.Regex.Replace(slug, "-+", "-").Trim('-');
        return slug.Length == 0 ? "team" : slug[..Math.Min(slug.Length, 60)];
    }

    // Quoted when it must be; a leading =, +, - or @ is escaped so a spreadsheet never runs it as a formula.
    private static string Cell(string text)
    {
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
