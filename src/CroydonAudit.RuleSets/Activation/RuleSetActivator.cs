using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;

namespace CroydonAudit.RuleSets.Activation;

/// <summary>
/// Proposes and activates a candidate rule set only when it passes every check of <c>rules check</c>, worked
/// cases included; a refused one changes nothing, and the refusal is recorded with its reasons. The service's
/// RuleSetService and its rules folder propose and activate through this.
/// </summary>
public sealed class RuleSetActivator(RuleSetStore store, long evaluationBudget = EvaluationBudget.DefaultSteps, TimeProvider? clock = null)
{
    /// <summary>Checks the candidate and activates it, if <paramref name="guard"/> holds, or records why it was refused.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database could not be reached to activate a candidate that passed.</exception>
    /// <exception cref="RuleSetNotApprovedException">The guard needs an approval the candidate does not have.</exception>
    public async Task<ActivationResult> ActivateAsync(RuleSetFiles files, string activatedBy, RuleSetSource source, ActivationGuard guard, CancellationToken cancellationToken)
    {
        var candidate = RuleSetCheck.Run(files, evaluationBudget, clock);
        return candidate.Report.Passed
            ? new ActivationResult(candidate, await store.ActivateAsync(candidate.RuleSet!, files, activatedBy, source, guard, cancellationToken), null, false)
            : await RefusedAsync(candidate, activatedBy, source, cancellationToken);
    }

    /// <summary>
    /// Activates a stored version, checked again against the worked cases stored with it; null when there is no such
    /// version. A version stored before worked cases were kept with their rules was active then: its rules need only load.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database could not be reached.</exception>
    /// <exception cref="RuleSetNotApprovedException">The guard needs an approval the version does not have.</exception>
    public async Task<ActivationResult?> ActivateStoredAsync(string version, string activatedBy, ActivationGuard guard, CancellationToken cancellationToken)
    {
        if (await store.GetFilesAsync(version, cancellationToken) is not { } files)
        {
            return null;
        }

        var candidate = RuleSetCheck.Run(files, evaluationBudget, clock);
        var passed = candidate.Report.Passed || (!files.WorkedCases.Any() && candidate.RuleSet is not null && candidate.Report.Problems.Count == 0);
        return passed
            ? new ActivationResult(candidate, await store.ActivateAsync(candidate.RuleSet!, null, activatedBy, RuleSetSource.Service, guard, cancellationToken), null, false)
            : await RefusedAsync(candidate, activatedBy, RuleSetSource.Service, cancellationToken);
    }

    /// <summary>Checks the candidate and stores it as proposed by <paramref name="proposedBy"/>, or records why it was refused.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database could not be reached to store a candidate that passed.</exception>
    public async Task<ActivationResult> ProposeAsync(RuleSetFiles files, string proposedBy, RuleSetSource source, CancellationToken cancellationToken)
    {
        var candidate = RuleSetCheck.Run(files, evaluationBudget, clock);
        if (!candidate.Report.Passed)
        {
            return await RefusedAsync(candidate, proposedBy, source, cancellationToken);
        }

        await store.ProposeAsync(candidate.RuleSet!, files, proposedBy, cancellationToken);
        return new ActivationResult(candidate, null, null, false);
    }

    /// <summary>A refusal of a candidate whose check did not pass, with every reason.</summary>
    public RuleSetRefusal Refusal(RuleSetCheckReport report, string refusedBy, RuleSetSource source) =>
        new(report.Version, report.Label, (clock ?? TimeProvider.System).GetUtcNow(), refusedBy, source, [.. report.Reasons]);

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

    private async Task<ActivationResult> RefusedAsync(CheckedRuleSet candidate, string by, RuleSetSource source, CancellationToken cancellationToken)
    {
        var refusal = Refusal(candidate.Report, by, source);
        return new ActivationResult(candidate, null, refusal, await TryRecordAsync(refusal, cancellationToken));
    }
}

/// <summary>What offering a candidate (to propose or to activate) came to.</summary>
/// <param name="Candidate">The candidate as checked.</param>
/// <param name="Outcome">The activation, when it was activated.</param>
/// <param name="Refusal">Why it was refused, when it did not pass its check.</param>
/// <param name="RefusalRecorded">The refusal was recorded in the database.</param>
public sealed record ActivationResult(CheckedRuleSet Candidate, ActivationOutcome? Outcome, RuleSetRefusal? Refusal, bool RefusalRecorded)
{
    /// <summary>The candidate passed and is the active rule set now.</summary>
    public bool Activated => Outcome is not null;
}
