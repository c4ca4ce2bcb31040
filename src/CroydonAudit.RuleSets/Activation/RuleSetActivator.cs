using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;

namespace CroydonAudit.RuleSets.Activation;

/// <summary>
/// Activates a candidate rule set only when it passes every check of <c>rules check</c>, worked cases
/// included; a refused one changes nothing, and the refusal is recorded with its reasons. The service (its
/// rules folder and ActivateRuleSet) and <c>./run.sh rules activate</c> all activate through this.
/// </summary>
public sealed class RuleSetActivator(RuleSetStore store, long evaluationBudget = EvaluationBudget.DefaultSteps)
{
    /// <summary>Checks the candidate and activates it, or records why it was refused.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database could not be reached to activate a candidate that passed.</exception>
    public async Task<ActivationResult> ActivateAsync(RuleSetFiles files, string activatedBy, RuleSetSource source, CancellationToken cancellationToken)
    {
        var candidate = RuleSetCheck.Run(files, evaluationBudget);
        if (!candidate.Report.Passed)
        {
            var refusal = Refusal(candidate.Report, activatedBy, source);
            var recorded = await TryRecordAsync(refusal, cancellationToken);
            return new ActivationResult(candidate, null, refusal, recorded);
        }

        var outcome = await store.ActivateAsync(candidate.RuleSet!, activatedBy, source, unlessSuperseded: false, cancellationToken);
        return new ActivationResult(candidate, outcome, null, false);
    }

    /// <summary>A refusal of a candidate whose check did not pass, with every reason.</summary>
    public static RuleSetRefusal Refusal(RuleSetCheckReport report, string refusedBy, RuleSetSource source) =>
        new(report.Version, report.Label, DateTimeOffset.UtcNow, refusedBy, source, [.. report.Reasons]);

    /// <summary>Records a refusal; false when the database cannot be reached (the refusal stands all the same).</summary>
    public async Task<bool> TryRecordAsync(RuleSetRefusal refusal, CancellationToken cancellationToken)
    {
        try
        {
            await store.RecordRefusalAsync(refusal, cancellationToken);
            return true;
        }
        catch (AuditStoreUnavailableException)
        {
            return false;
        }
    }
}

/// <summary>What offering a candidate came to.</summary>
/// <param name="Candidate">The candidate as checked.</param>
/// <param name="Outcome">The activation, when it passed every check.</param>
/// <param name="Refusal">Why it was refused, when it did not.</param>
/// <param name="RefusalRecorded">The refusal was recorded in the database.</param>
public sealed record ActivationResult(CheckedRuleSet Candidate, ActivationOutcome? Outcome, RuleSetRefusal? Refusal, bool RefusalRecorded)
{
    /// <summary>The candidate passed and is the active rule set now.</summary>
    public bool Activated => Outcome is not null;
}
