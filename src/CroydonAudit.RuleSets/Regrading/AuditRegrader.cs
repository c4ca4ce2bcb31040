using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store;
using CroydonAudit.Store.Access;

namespace CroydonAudit.RuleSets.Regrading;

/// <summary>
/// Re-grades stored audits after a rule change: an audit's latest submission, graded by the active rule set,
/// is stored as a new revision whose reason is "rule set changed", and every earlier revision is kept. An
/// audit whose latest revision was graded by the active rule set already is left as it is. Re-grading the
/// same audit twice under the same rule set stores one revision (the store is idempotent on it).
/// </summary>
public sealed class AuditRegrader(AuditStore store)
{
    /// <summary>The default and the most audits one bulk call re-grades.</summary>
    public const int DefaultBatch = 500, MaxBatch = 5_000;

    private const int InFlight = 32;

    /// <summary>Re-grades one audit; null when there is no such audit.</summary>
    public async Task<(GradingResult Latest, bool Regraded)?> RegradeAsync(string auditId, AuditGrader grader, Accessor caller, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(auditId, 0, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.Result.RuleSetVersion == grader.RuleSet.Version)
        {
            return (stored.Result, false);
        }

        // The submission was received when it was first sent: only the grading is new. Its answer is stored with it, as
        // GradeAudit's is: the new revision's one record of what it was graded from and to.
        var graded = grader.Grade(stored.Submission);
        var saved = await store.SaveAsync(
            new PendingRevision(stored.Submission, graded, stored.ReceivedAt, RevisionReason.RuleSetChanged) { StoredBy = caller }.WithAnswer(),
            cancellationToken);
        return (saved.Result, saved.Created);
    }

    /// <summary>Re-grades up to <paramref name="max"/> audits matching the filter whose latest revision another rule set graded.</summary>
    public async Task<(int Regraded, int Remaining)> RegradeManyAsync(AuditFilter filter, AuditGrader grader, int max, Accessor caller, CancellationToken cancellationToken)
    {
        var (ids, total) = await store.ListGradedByOtherVersionsAsync(filter, grader.RuleSet.Version, Math.Clamp(max, 1, MaxBatch), cancellationToken);
        var regraded = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            if (await RegradeAsync(id, grader, caller, ct) is (_, true))
            {
                Interlocked.Increment(ref regraded);
            }
        });
        return (regraded, Math.Max(0, total - regraded));
    }
}
