using CroydonAudit.Store.Contracts;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;

namespace CroydonAudit.RuleSets.Regrading;

/// <summary>
/// Re-grades stored audits after a rule change, changing only what changed: an audit's latest submission is graded
/// by the active rule set; if that decides the same as its latest revision (<see cref="GradingResult.DecidesAsIn"/>),
/// the revision records that it was checked under that version and nothing new is stored; if not, the new grading
/// is stored as a new revision whose reason is "rule set changed", keeping every earlier one (and, where the moderation
/// need and overall grade are unchanged, its moderators' decisions: see the store). An audit whose latest revision was
/// graded by the active rule set already is left as it is.
/// </summary>
public sealed class AuditRegrader(AuditStore store)
{
    /// <summary>The default and the most audits one bulk call re-grades.</summary>
    public const int DefaultBatch = 500, MaxBatch = 5_000;

    private const int InFlight = 32;

    /// <summary>Re-grades one audit; null when there is no such audit.</summary>
    public async Task<Regraded?> RegradeAsync(string auditId, AuditGrader grader, Accessor caller, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(auditId, 0, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.Result.RuleSetVersion == grader.RuleSet.Version)
        {
            return new Regraded(stored.Result, stored.Result, Checked: false, Changed: false);
        }

        var graded = grader.Grade(stored.Submission);
        if (graded.DecidesAsIn(stored.Result))
        {
            await store.RecordCheckedAsync(auditId, stored.Revision, grader.RuleSet.Version, caller, cancellationToken);
            return new Regraded(stored.Result, stored.Result, Checked: true, Changed: false);
        }

        // The submission was received when it was first sent: only the grading is new. Its answer is stored with it, as
        // GradeAudit's is: the new revision's one record of what it was graded from and to.
        var saved = await store.SaveAsync(
            new PendingRevision(stored.Submission, graded, stored.ReceivedAt, RevisionReason.RuleSetChanged, stored.Revision) { StoredBy = caller }.WithAnswer(grader.RuleSet.Template),
            cancellationToken);
        return new Regraded(stored.Result, saved.Result, Checked: true, Changed: saved.Created);
    }

    /// <summary>Re-grades up to <paramref name="max"/> audits matching the filter whose latest revision was neither graded nor checked by the active rule set.</summary>
    public async Task<RegradeSummary> RegradeManyAsync(AuditFilter filter, AuditGrader grader, int max, Accessor caller, CancellationToken cancellationToken)
    {
        var (ids, total) = await store.ListGradedByOtherVersionsAsync(filter, grader.RuleSet.Version, Math.Clamp(max, 1, MaxBatch), cancellationToken);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Regraded>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            if (await RegradeAsync(id, grader, caller, ct) is { Checked: true } outcome)
            {
                outcomes.Add(outcome);
            }
        });
        var changed = outcomes.Where(o => o.Changed).ToList();
        return new RegradeSummary(
            outcomes.Count,
            changed.Count,
            [.. changed.GroupBy(o => (o.Before.OverallGrade, o.After.OverallGrade)).Select(g => (g.Key.Item1, g.Key.Item2, g.Count())).OrderBy(g => g.Item1).ThenBy(g => g.Item2)],
            Math.Max(0, total - outcomes.Count));
    }
}

/// <summary>What re-grading one audit came to.</summary>
/// <param name="Before">Its latest revision's result before.</param>
/// <param name="After">Its latest revision's result after: a new revision's when <paramref name="Changed"/>.</param>
/// <param name="Checked">It was graded under the active rule set now (false: that rule set had graded it already).</param>
/// <param name="Changed">The grading differed, and was stored as a new revision.</param>
public sealed record Regraded(GradingResult Before, GradingResult After, bool Checked, bool Changed);

/// <summary>What a bulk re-grade came to.</summary>
/// <param name="Checked">How many audits were graded under the active rule set.</param>
/// <param name="Changed">How many of them were graded differently, each now a new revision.</param>
/// <param name="GradeChanges">The changed ones, by overall grade before and after.</param>
/// <param name="Remaining">How many matching audits are left for a further call.</param>
public sealed record RegradeSummary(int Checked, int Changed, IReadOnlyList<(Grade From, Grade To, int Audits)> GradeChanges, int Remaining);
