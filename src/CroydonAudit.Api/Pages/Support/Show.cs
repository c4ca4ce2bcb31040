using System.Globalization;
using Croydon.Audit.V1;
using Google.Protobuf.WellKnownTypes;
using Domain = CroydonAudit.Grading.Domain;
using Words = CroydonAudit.Grading.Text.Words;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>The contract's values as people read them: never an enum name.</summary>
public static class Show
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The four grades, best first.</summary>
    public static readonly Grade[] Grades = [Grade.Outstanding, Grade.Good, Grade.RequiresImprovement, Grade.Inadequate];

    /// <summary>"Requires improvement"; "Not graded" for none.</summary>
    public static string Of(Grade grade) => grade == Grade.Unspecified ? "Not graded" : Words.Of((Domain.Grade)grade);

    /// <summary>"Adult's voice".</summary>
    public static string Of(PracticeArea area) => Words.Of((Domain.PracticeArea)area);

    /// <summary>"Complete" or "Incomplete".</summary>
    public static string Of(AuditStatus status) => status == AuditStatus.Incomplete ? "Incomplete" : "Complete";

    /// <summary>"Error", "Warning", "For information".</summary>
    public static string Of(Severity severity) => severity switch
    {
        Severity.Error => "Error",
        Severity.Warning => "Warning",
        _ => "For information",
    };

    /// <summary>A Croydon value in words ("Proud to serve"); "No value named" for none.</summary>
    public static string Of(CroydonValue value) => value == CroydonValue.Unspecified
        ? "No value named"
        : Capitalised(Words.Describe((Domain.CroydonValue)value));

    /// <summary>Why a revision was stored.</summary>
    public static string Of(RevisionReason reason) => reason switch
    {
        RevisionReason.RuleSetChanged => "Re-graded under new rules",
        _ => "New content",
    };

    /// <summary>A GOV.UK tag's colour class for a grade.</summary>
    public static string TagClass(Grade grade) => grade switch
    {
        Grade.Outstanding => "govuk-tag govuk-tag--green",
        Grade.Good => "govuk-tag govuk-tag--blue",
        Grade.RequiresImprovement => "govuk-tag govuk-tag--yellow",
        Grade.Inadequate => "govuk-tag govuk-tag--red",
        _ => "govuk-tag govuk-tag--grey",
    };

    /// <summary>"3 March 2026 at 2:05pm", London time.</summary>
    public static string When(Timestamp? at) => at is null ? "" : When(at.ToDateTimeOffset());

    /// <summary>"3 March 2026 at 2:05pm", London time.</summary>
    public static string When(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, London);
        return $"{local.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} at {local.ToString("h:mmtt", CultureInfo.InvariantCulture).ToLowerInvariant()}";
    }

    /// <summary>The London day an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime);

    /// <summary>"March 2026" from "2026-03-01".</summary>
    public static string Month(string firstDay) =>
        DateOnly.TryParseExact(firstDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("MMMM yyyy", CultureInfo.InvariantCulture) : firstDay;

    /// <summary>The start of a London day, as the contract's instant.</summary>
    public static Timestamp? StartOf(DateOnly? day) => day is { } d
        ? Timestamp.FromDateTimeOffset(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), London.GetUtcOffset(d.ToDateTime(TimeOnly.MinValue))))
        : null;

    /// <summary>"12%" of a whole; "–" of none.</summary>
    public static string Percent(long part, long whole) => whole == 0 ? "–" : $"{Math.Round(100.0 * part / whole)}%";

    private static string Capitalised(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
