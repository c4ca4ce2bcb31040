using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;
using RulesEngine.Models;

namespace CroydonAudit.Grading;

/// <summary>
/// Grades audits by one <see cref="Rules.RuleSet"/>: derives the audit's facts, runs the rule
/// stages in order, and turns what fired into the grade, findings, trace and summary. Nothing
/// here knows a particular rule: what each rule does comes from its JSON properties.
/// </summary>
public sealed class AuditGrader(RuleSet ruleSet, TimeProvider clock)
{
    /// <summary>The rule set this grader grades by.</summary>
    public RuleSet RuleSet => ruleSet;

    /// <summary>Grades one audit (revision 0: the caller stores it, if at all).</summary>
    /// <exception cref="RuleEvaluationException">A rule could not be evaluated for this audit.</exception>
    public async ValueTask<GradingResult> GradeAsync(AuditSubmission audit, CancellationToken cancellationToken = default)
    {
        var facts = AuditFactsBuilder.Build(audit, ruleSet.BlandText);
        var auditInput = new RuleParameter(RuleSetLoader.AuditInput, facts);
        var outcomes = new RuleOutcome[ruleSet.Rules.Count];
        var progress = GradingProgress.Start;
        var evaluated = 0;
        foreach (var stage in ruleSet.Stages)
        {
            var gradingInput = new RuleParameter(RuleSetLoader.GradingInput, progress);
            var results = await ruleSet.Engine.ExecuteAllRulesAsync(stage.EngineWorkflow, [auditInput, gradingInput], cancellationToken);
            for (var i = 0; i < stage.Rules.Count; i++)
            {
                outcomes[evaluated++] = RuleOutcome.From(stage.Rules[i], results[i]);
            }

            progress = OverallGradeCap.Progress(outcomes.AsSpan(0, evaluated));
        }

        return Compose(audit, facts, outcomes, progress);
    }

    private GradingResult Compose(AuditSubmission audit, AuditFacts facts, RuleOutcome[] outcomes, GradingProgress progress)
    {
        if (progress.BaseRank == 0)
        {
            var firstBase = ruleSet.Rules.FirstOrDefault(r => r.Effect == RuleEffect.Base);
            throw new RuleEvaluationException(firstBase?.Workflow ?? "", firstBase?.RuleId ?? "", "no base rule fired, so the audit has no base grade; the base rules must cover every audit.");
        }

        var trace = new RuleTraceEntry[outcomes.Length];
        var findings = new List<Finding>();
        var overall = progress.BaseRank;
        string? baseSetBy = null, overrideSetBy = null;
        var holding = new List<string>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            var rule = outcome.Rule;
            if (!outcome.Fired)
            {
                trace[i] = new RuleTraceEntry(rule.Workflow, rule.RuleId, false, "", "", rule.GuidanceRef, "");
                continue;
            }

            var limit = outcome.Rank;
            string effect;
            switch (rule.Effect)
            {
                case RuleEffect.Base:
                    effect = baseSetBy is null
                        ? $"set the base grade to {Words.Of(progress.BaseGrade)}"
                        : $"no change: the base grade was already set by {baseSetBy}";
                    baseSetBy ??= rule.RuleId;
                    break;
                case RuleEffect.Limit:
                    limit = OverallGradeCap.EffectiveLimit(outcome, progress);
                    var relaxed = limit != outcome.Rank ? $" (relaxed from {Words.Of((Grade)outcome.Rank)} by the override)" : "";
                    effect = limit > overall
                        ? $"limited the overall grade to {Words.Of((Grade)limit)}{relaxed}"
                        : $"no change: the overall grade was already {Words.Of((Grade)overall)}{relaxed}";
                    overall = Math.Max(overall, limit);
                    if (limit == progress.OverallRank && limit > progress.BaseRank)
                    {
                        holding.Add(rule.RuleId);
                    }

                    break;
                case RuleEffect.Override:
                    effect = overrideSetBy is null
                        ? $"relaxed each soft limit by {progress.SoftLimitsRelaxedBy} grade{(progress.SoftLimitsRelaxedBy == 1 ? "" : "s")}; the audit needs moderation"
                        : $"no change: {overrideSetBy} already relaxed the soft limits";
                    overrideSetBy ??= rule.RuleId;
                    break;
                default:
                    effect = RaiseFindings(outcome, facts, progress, findings);
                    break;
            }

            var subjects = outcome.Subjects is { } s ? Words.List([.. s.Select(x => x.Label)]) : "";
            // {limit} is the rule's own limit; the effect says when an override relaxed it.
            var values = new TemplateValues(facts, progress, outcome.Rank == 0 ? "" : Words.Of((Grade)outcome.Rank), subjects, outcome.Subjects?.Count ?? 0, "", rule.GuidanceRef);
            trace[i] = new RuleTraceEntry(rule.Workflow, rule.RuleId, true, effect, rule.Explanation.Render(values), rule.GuidanceRef, "");
        }

        var status = findings.Any(f => f.Severity == Severity.Error) ? AuditStatus.Incomplete : AuditStatus.Complete;
        var result = new GradingResult(
            audit.AuditId,
            Revision: 0,
            OverallGrade: (Grade)overall,
            BaseGrade: progress.BaseGrade,
            MedianGrade: facts.MedianGrade,
            LowestGrade: facts.LowestGrade,
            AreaGrades: [.. facts.Areas.Select(a => new AreaResult(a.Area, a.Grade, a.NotApplicable))],
            Status: status,
            CapApplied: overall > progress.BaseRank,
            ModerationRequired: progress.OverrideApplied,
            Findings: findings,
            Trace: trace,
            Summary: "",
            RuleSetVersion: ruleSet.Version,
            GradedAt: TruncateToMicroseconds(clock.GetUtcNow()));
        return result with { Summary = GradingSummary.Write(facts, result, holding) };
    }

    private static string RaiseFindings(RuleOutcome outcome, AuditFacts facts, GradingProgress progress, List<Finding> findings)
    {
        var rule = outcome.Rule;
        var before = findings.Count;
        if (outcome.Subjects is null)
        {
            var values = new TemplateValues(facts, progress, "", "", 0, "", rule.GuidanceRef);
            findings.Add(new Finding(rule.RuleId, rule.Severity, PracticeArea.Unspecified, rule.Message.Render(values)));
        }
        else
        {
            foreach (var subject in outcome.Subjects)
            {
                var values = new TemplateValues(facts, progress, "", subject.Label, 1, subject.Label, rule.GuidanceRef);
                findings.Add(new Finding(rule.RuleId, rule.Severity, subject.Area, rule.Message.Render(values)));
            }
        }

        var raised = findings.Count - before;
        var severity = rule.Severity.ToString().ToUpperInvariant();
        return raised switch
        {
            0 => "raised no finding",
            1 => $"raised 1 {severity} finding",
            _ => $"raised {raised} {severity} findings",
        };
    }

    // PostgreSQL keeps microseconds: truncating here makes a stored result read back exactly as returned.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
