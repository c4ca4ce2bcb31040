using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Domain = CroydonAudit.Grading.Domain;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Contracts.Mapping;

/// <summary>The grading library's result as the contract's.</summary>
public static class ResultMapping
{
    // A not-fired trace entry and an area result are shared, immutable instances in the grading library;
    // their messages are built once and shared too (responses are only ever serialised, never changed).
    private static readonly ConditionalWeakTable<Domain.RuleTraceEntry, V1.RuleTraceEntry> SharedTrace = new();
    private static readonly ConditionalWeakTable<Domain.AreaResult, V1.AreaResult> SharedAreas = new();

    /// <summary>Maps a grading result, trace and all.</summary>
    public static V1.GradingResult ToContract(this Domain.GradingResult result) => new()
    {
        AuditId = result.AuditId,
        Revision = result.Revision,
        OverallGrade = (V1.Grade)result.OverallGrade,
        BaseGrade = (V1.Grade)result.BaseGrade,
        MedianGrade = (V1.Grade)result.MedianGrade,
        LowestGrade = (V1.Grade)result.LowestGrade,
        AreaGrades = { result.AreaGrades.Select(a => SharedAreas.GetValue(a, ToContract)) },
        Status = (V1.AuditStatus)result.Status,
        CapApplied = result.CapApplied,
        ModerationRequired = result.ModerationRequired,
        Findings =
        {
            result.Findings.Select(f => new V1.Finding
            {
                RuleId = f.RuleId,
                Severity = (V1.Severity)f.Severity,
                Area = (V1.PracticeArea)f.Area,
                Message = f.Message,
            }),
        },
        Trace = { result.Trace.ToContract() },
        Summary = result.Summary,
        RuleSetVersion = result.RuleSetVersion,
        GradedAt = Timestamp.FromDateTimeOffset(result.GradedAt),
    };

    /// <summary>
    /// The contract's result as the grading library's: the inverse of <see cref="ToContract(Domain.GradingResult)"/> for all the
    /// contract holds. <see cref="Domain.GradingResult.DecidingLimits"/> is not in the contract and comes back empty: it is
    /// read from the report's figures, kept when the result is stored, and never from a stored result.
    /// </summary>
    public static Domain.GradingResult ToDomain(this V1.GradingResult result) => new(
        result.AuditId,
        result.Revision,
        (Domain.Grade)result.OverallGrade,
        (Domain.Grade)result.BaseGrade,
        (Domain.Grade)result.MedianGrade,
        (Domain.Grade)result.LowestGrade,
        [.. result.AreaGrades.Select(a => new Domain.AreaResult((Domain.PracticeArea)a.Area, (Domain.Grade)a.Grade, a.NotApplicable))],
        (Domain.AuditStatus)result.Status,
        result.CapApplied,
        result.ModerationRequired,
        [.. result.Findings.Select(f => new Domain.Finding(f.RuleId, (Domain.Severity)f.Severity, (Domain.PracticeArea)f.Area, f.Message))],
        [.. result.Trace.Select(t => new Domain.RuleTraceEntry(t.Workflow, t.RuleId, t.Fired, t.Effect, t.Explanation, t.GuidanceRef, t.Error))],
        result.Summary,
        result.RuleSetVersion,
        result.GradedAt.ToDateTimeOffset());

    /// <summary>Maps a trace: a rule that fired says something of this audit alone; one that did not is shared.</summary>
    public static IEnumerable<V1.RuleTraceEntry> ToContract(this IEnumerable<Domain.RuleTraceEntry> trace) =>
        trace.Select(t => t.Fired ? t.ToContract() : SharedTrace.GetValue(t, ToContract));

    private static V1.AreaResult ToContract(this Domain.AreaResult area) => new()
    {
        Area = (V1.PracticeArea)area.Area,
        Grade = (V1.Grade)area.Grade,
        NotApplicable = area.NotApplicable,
    };

    private static V1.RuleTraceEntry ToContract(this Domain.RuleTraceEntry entry) => new()
    {
        Workflow = entry.Workflow,
        RuleId = entry.RuleId,
        Fired = entry.Fired,
        Effect = entry.Effect,
        Explanation = entry.Explanation,
        GuidanceRef = entry.GuidanceRef,
        Error = entry.Error,
    };
}
