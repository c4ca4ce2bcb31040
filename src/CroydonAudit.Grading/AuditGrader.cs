using System.Diagnostics;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading;

/// <summary>
/// Grades audits by one <see cref="Rules.RuleSet"/>: derives the audit's facts, evaluates every rule
/// in order — each sees in <c>grading</c> what the rules before it decided — and turns what fired into
/// the grade, findings, trace and summary. Nothing here knows a particular rule: what each rule does
/// comes from its JSON properties.
/// </summary>
public sealed class AuditGrader(RuleSet ruleSet, TimeProvider clock, long evaluationBudget = EvaluationBudget.DefaultSteps)
{
    /// <summary>The rule set this grader grades by.</summary>
    public RuleSet RuleSet => ruleSet;

    /// <summary>Grades one audit (revision 0: the caller stores it, if at all).</summary>
    /// <exception cref="RuleEvaluationException">A rule could not be evaluated for this audit, or needed more than the evaluation budget.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up (its deadline passed) while its audit was being graded.</exception>
    public GradingResult Grade(AuditSubmission audit, CancellationToken cancellationToken = default, DateTime? deadline = null) => Grade(audit, out _, cancellationToken, deadline);

    /// <summary>Grades one audit, and gives how each rule came out (in evaluation order) — what worked cases and impact previews compare.</summary>
    /// <exception cref="RuleEvaluationException">A rule could not be evaluated for this audit, or needed more than the evaluation budget.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up while its audit was being graded.</exception>
    public GradingResult Grade(AuditSubmission audit, out IReadOnlyList<RuleOutcome> ruleOutcomes, CancellationToken cancellationToken = default, DateTime? deadline = null)
    {
        var started = Stopwatch.GetTimestamp();
        var facts = AuditFactsBuilder.Build(audit, ruleSet.BlandText, ruleSet.Template);
        var rules = ruleSet.Rules;
        var outcomes = new RuleOutcome[rules.Count];
        var progress = GradingProgress.Start;
        using (EvaluationBudget.Begin(evaluationBudget, cancellationToken, deadline, clock))
        {
            for (var i = 0; i < rules.Count; i++)
            {
                outcomes[i] = RuleOutcome.Evaluate(rules[i], facts, progress);
                progress = OverallGradeCap.Apply(progress, outcomes[i]);
            }
        }

        ruleOutcomes = outcomes;
        var result = Compose(audit, facts, outcomes, progress);
        GradingMetrics.Record(result, Stopwatch.GetElapsedTime(started));
        return result;
    }

    // The result, with the rule ids of the limits that decided its overall grade (none unless one held it below the base).
    private GradingResult Compose(AuditSubmission audit, AuditFacts facts, RuleOutcome[] outcomes, GradingProgress progress)
    {
        if (progress.BaseRank == 0)
        {
            var firstBase = ruleSet.Rules.FirstOrDefault(r => r.Definition.Effect == RuleEffect.Base)?.Definition;
            throw new RuleEvaluationException(firstBase?.Workflow ?? "", firstBase?.RuleId ?? "", "no base rule fired, so the audit has no base grade; the base rules must cover every audit.");
        }

        var trace = new RuleTraceEntry[outcomes.Length];
        List<Finding>? findings = null;
        List<(int Position, int Limit)>? limits = null;
        var overall = progress.BaseRank;
        bool baseSet = false, overrideSet = false;
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            var rule = outcome.Rule;
            if (!outcome.Fired)
            {
                trace[i] = ruleSet.Rules[i].NotFired;
                continue;
            }

            string effect;
            switch (rule.Effect)
            {
                case RuleEffect.Base:
                    effect = baseSet ? "no change: an earlier rule had already set the base grade" : Effects.SetBase[progress.BaseRank];
                    baseSet = true;
                    break;
                case RuleEffect.Limit:
                    var limit = OverallGradeCap.EffectiveLimit(outcome, progress);
                    effect = limit == outcome.Rank
                        ? (limit > overall ? Effects.LimitedTo[limit] : Effects.AlreadyAt[overall])
                        : $"{(limit > overall ? Effects.LimitedTo[limit] : Effects.AlreadyAt[overall])} (relaxed from {Words.Of((Grade)outcome.Rank)} by the override)";
                    overall = Math.Max(overall, limit);
                    if (limit > progress.BaseRank)
                    {
                        (limits ??= []).Add((i, limit));
                    }

                    break;
                case RuleEffect.Override:
                    effect = !overrideSet
                        ? $"relaxed each soft limit by {progress.SoftLimitsRelaxedBy} grade{(progress.SoftLimitsRelaxedBy == 1 ? "" : "s")}; the audit needs moderation"
                        : "no change: an earlier rule had already relaxed the soft limits";
                    overrideSet = true;
                    break;
                default:
                    effect = RaiseFindings(outcome, facts, progress, findings ??= []);
                    break;
            }

            // {limit} is the rule's own limit; the effect says when an override relaxed it.
            var subjects = outcome.Subjects is { } s ? Words.List([.. s.Select(x => x.Label)]) : "";
            var values = new TemplateValues(facts, progress, outcome.Rank == 0 ? "" : Words.Of((Grade)outcome.Rank), subjects, outcome.Subjects?.Count ?? 0, "", rule.GuidanceRef);
            trace[i] = new RuleTraceEntry(rule.Workflow, rule.RuleId, true, effect, rule.Explanation.Render(values), rule.GuidanceRef, "");
        }

        IReadOnlyList<Finding> raised = findings ?? (IReadOnlyList<Finding>)[];
        var result = new GradingResult(
            audit.AuditId,
            Revision: 0,
            OverallGrade: (Grade)overall,
            BaseGrade: progress.BaseGrade,
            MedianGrade: facts.MedianGrade,
            LowestGrade: facts.LowestGrade,
            AreaGrades: AreaResults.Of(facts.Areas),
            Status: raised.Any(f => f.Severity == Severity.Error) ? AuditStatus.Incomplete : AuditStatus.Complete,
            CapApplied: overall > progress.BaseRank,
            ModerationRequired: progress.OverrideApplied,
            Findings: raised,
            Trace: trace,
            Summary: "",
            RuleSetVersion: ruleSet.Version,
            GradedAt: TruncateToMicroseconds(clock.GetUtcNow()));
        // The limits that held the grade: every one whose limit is the final overall grade, in its own words.
        var held = limits?.Where(l => l.Limit == overall).ToArray() ?? [];
        IReadOnlyList<string> holding = [.. held.Select(l => trace[l.Position].Explanation)];
        return result with
        {
            Summary = GradingSummary.Write(facts, result, holding),
            DecidingLimits = result.CapApplied ? [.. held.Select(l => trace[l.Position].RuleId)] : [],
        };
    }

    private static string RaiseFindings(in RuleOutcome outcome, AuditFacts facts, GradingProgress progress, List<Finding> findings)
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

        return Effects.Raised(findings.Count - before, rule.Severity);
    }

    // PostgreSQL keeps microseconds: truncating here makes a stored result read back exactly as returned.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
