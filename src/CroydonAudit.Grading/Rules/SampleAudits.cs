using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Two audits every rule is evaluated on when a rule set loads — a complete one, and a sparse one on
/// which most findings fire and run their output expressions — so an expression that fails when run is
/// reported then, not while grading.
/// </summary>
internal static class SampleAudits
{
    public static AuditSubmission Complete { get; } = new(
        "sample-complete", "sample", "sample", "", null,
        [.. Enum.GetValues<PracticeArea>()[1..].Select(a => new AreaAssessment(a, Grade.Good, false, "Evidence drawn from the case file records.", "", false, ""))],
        Grade.Good, "", KeyEvidence.None, Safeguarding.None, "", "", "", [new Recommendation("", CroydonValue.OneTeam)], []);

    public static AuditSubmission Sparse { get; } = new(
        "sample-sparse", "sample", "sample", "", null,
        [new AreaAssessment(PracticeArea.Assessment, Grade.Inadequate, false, "", "ok", true, ""), new AreaAssessment(PracticeArea.Impact, Grade.Unspecified, true, "", "", false, "")],
        Grade.Outstanding, "", KeyEvidence.None, new Safeguarding(true, "", ProcedureFollowed.Unspecified), "fine", "", "", [new Recommendation("done", CroydonValue.Unspecified)], []);

    public static IReadOnlyList<AuditSubmission> All { get; } = [Complete, Sparse];
}
