using System.Text;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Text;
using CroydonAudit.RuleSets.WorkedCases;
using CroydonAudit.Store;

namespace CroydonAudit.RuleSets.Impact;

/// <summary>What activating a candidate rule set would change in the stored audits: nothing is written.</summary>
/// <param name="CandidateVersion">The candidate's version.</param>
/// <param name="CandidateLabel">Its label.</param>
/// <param name="Compared">How many audits (latest revisions) were re-graded and compared.</param>
/// <param name="Changed">How many would get a different overall grade or status.</param>
/// <param name="GradeChanges">Audits by overall grade as stored and with the candidate, for every pair that has any.</param>
/// <param name="CompleteToIncomplete">Complete audits that would become incomplete.</param>
/// <param name="IncompleteToComplete">Incomplete audits that would become complete.</param>
/// <param name="ChangedAuditIds">Audits whose overall grade or status would change, in id order, up to the limit asked for.</param>
/// <param name="RuleFireCounts">Rules that would fire more or less often than in the stored results.</param>
/// <param name="Failed">Audits the candidate could not grade, with why (up to the limit asked for).</param>
/// <param name="FailedCount">How many audits the candidate could not grade.</param>
/// <param name="FailingWorkedCases">The candidate's worked cases that do not pass yet.</param>
public sealed record RuleSetImpact(
    string CandidateVersion,
    string CandidateLabel,
    int Compared,
    int Changed,
    IReadOnlyList<GradeChange> GradeChanges,
    int CompleteToIncomplete,
    int IncompleteToComplete,
    IReadOnlyList<string> ChangedAuditIds,
    IReadOnlyList<RuleFireCount> RuleFireCounts,
    IReadOnlyList<string> Failed,
    int FailedCount,
    IReadOnlyList<WorkedCaseResult> FailingWorkedCases)
{
    /// <summary>The report as <c>./run.sh rules impact</c> prints it.</summary>
    public string ToText(string source, AuditFilter filter)
    {
        var text = new StringBuilder();
        text.AppendLine($"Impact of the rules in {source} (\"{CandidateLabel}\", version {CandidateVersion}) on {Scope(filter)}.");
        text.AppendLine($"Compared {Compared:N0} stored audit{(Compared == 1 ? "" : "s")} (each audit's latest revision). Nothing was written.");
        text.AppendLine();
        text.AppendLine(Changed == 0
            ? "No audit would change its overall grade or status."
            : $"{Changed:N0} audit{(Changed == 1 ? "" : "s")} would change overall grade or status; {Compared - Changed - FailedCount:N0} would not.");
        if (GradeChanges.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Overall grades, as stored → with these rules:");
            foreach (var change in GradeChanges)
            {
                text.AppendLine($"  {Words.Of(change.From),-20} → {Words.Of(change.To),-20} {change.Audits,8:N0}{(change.From == change.To ? "" : "  (changed)")}");
            }
        }

        if (CompleteToIncomplete + IncompleteToComplete > 0)
        {
            text.AppendLine();
            text.AppendLine($"Status: {CompleteToIncomplete:N0} complete audit{(CompleteToIncomplete == 1 ? "" : "s")} would become incomplete, {IncompleteToComplete:N0} incomplete would become complete.");
        }

        if (RuleFireCounts.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Rules that would fire more or less often (audits, as stored → with these rules):");
            foreach (var rule in RuleFireCounts)
            {
                text.AppendLine($"  {rule.RuleId,-40} {rule.Stored,8:N0} → {rule.Candidate,-8:N0}");
            }
        }

        if (ChangedAuditIds.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(ChangedAuditIds.Count < Changed ? $"The first {ChangedAuditIds.Count:N0} audits that would change:" : "The audits that would change:");
            text.AppendLine("  " + string.Join(", ", ChangedAuditIds));
        }

        if (FailedCount > 0)
        {
            text.AppendLine();
            text.AppendLine($"{FailedCount:N0} audit{(FailedCount == 1 ? "" : "s")} could not be graded by these rules:");
            foreach (var failed in Failed)
            {
                text.AppendLine($"  {failed}");
            }
        }

        text.AppendLine();
        if (FailingWorkedCases.Count == 0)
        {
            text.AppendLine("Every worked case passes.");
        }
        else
        {
            text.AppendLine($"{FailingWorkedCases.Count} worked case{(FailingWorkedCases.Count == 1 ? " fails" : "s fail")}; the rules cannot be activated until they pass:");
            foreach (var failed in FailingWorkedCases)
            {
                text.AppendLine($"  {failed.File}: {string.Join("; ", failed.Differences)}");
            }
        }

        return text.ToString();
    }

    /// <summary>The audits a filter covers, in words: "every stored audit", "the stored audits of team X, graded from 2026-04-01".</summary>
    public static string Scope(AuditFilter filter) =>
        string.Join(", ", new[]
        {
            filter.Team is { Length: > 0 } team ? $"of team {team}" : null,
            filter.AuditorId is { Length: > 0 } auditor ? $"by auditor {auditor}" : null,
            filter.GradedFrom is { } from ? $"graded from {from:yyyy-MM-dd HH:mm}" : null,
            filter.GradedTo is { } to ? $"graded before {to:yyyy-MM-dd HH:mm}" : null,
        }.OfType<string>()) is { Length: > 0 } scope ? $"the stored audits {scope}" : "every stored audit";
}

/// <summary>How many audits would move from one overall grade to another.</summary>
/// <param name="From">As stored.</param>
/// <param name="To">With the candidate.</param>
/// <param name="Audits">How many.</param>
public sealed record GradeChange(Grade From, Grade To, int Audits);

/// <summary>How many audits a rule fired for in the stored results, and would with the candidate.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Stored">As stored.</param>
/// <param name="Candidate">With the candidate.</param>
public sealed record RuleFireCount(string RuleId, int Stored, int Candidate);
