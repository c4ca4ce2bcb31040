using System.Globalization;
using System.Text;
using Croydon.Audit.V1;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>The programme report's figures as CSV (figure, item, grade, count): the same report the page shows.</summary>
public static class ReportCsv
{
    /// <summary>The CSV text.</summary>
    public static string Of(ProgrammeReport report)
    {
        var csv = new StringBuilder("figure,item,detail,count\r\n");
        void Row(string figure, string item, string detail, long count) =>
            csv.Append(CultureInfo.InvariantCulture, $"{Cell(figure)},{Cell(item)},{Cell(detail)},{count}\r\n");

        Row("audits", "all", "", report.Audits);
        foreach (var grade in report.OverallGrades)
        {
            Row("overall grade", Show.Of(grade.Grade), "", grade.Count);
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
            foreach (var grade in month.Grades)
            {
                Row("month", month.Month, Show.Of(grade.Grade), grade.Count);
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
