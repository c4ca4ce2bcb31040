using Google.Protobuf.WellKnownTypes;
using Domain = CroydonAudit.Grading.Domain;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Mapping;

/// <summary>The grading library's result as the contract's.</summary>
public static class ResultMapping
{
    /// <summary>Maps a grading result, trace and all.</summary>
    public static V1.GradingResult ToContract(this Domain.GradingResult result) => new()
    {
        AuditId = result.AuditId,
        Revision = result.Revision,
        OverallGrade = (V1.Grade)result.OverallGrade,
        BaseGrade = (V1.Grade)result.BaseGrade,
        MedianGrade = (V1.Grade)result.MedianGrade,
        LowestGrade = (V1.Grade)result.LowestGrade,
        AreaGrades =
        {
            result.AreaGrades.Select(a => new V1.AreaResult
            {
                Area = (V1.PracticeArea)a.Area,
                Grade = (V1.Grade)a.Grade,
                NotApplicable = a.NotApplicable,
            }),
        },
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
        Trace =
        {
            result.Trace.Select(t => new V1.RuleTraceEntry
            {
                Workflow = t.Workflow,
                RuleId = t.RuleId,
                Fired = t.Fired,
                Effect = t.Effect,
                Explanation = t.Explanation,
                GuidanceRef = t.GuidanceRef,
                Error = t.Error,
            }),
        },
        Summary = result.Summary,
        RuleSetVersion = result.RuleSetVersion,
        GradedAt = Timestamp.FromDateTimeOffset(result.GradedAt),
    };
}
