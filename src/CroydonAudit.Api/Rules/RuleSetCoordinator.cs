using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Activation;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Rules;

/// <summary>
/// Decides which rule set this replica grades by, and changes it only to one that passed every check.
///
/// Which source wins: the database. Its active rule set (the latest activation) is what every replica
/// grades by. A rules folder found at start-up is activated only if its version has never been active: a
/// version that was active once and has since been replaced stays replaced, so a replica restarting with
/// an older folder never undoes a newer activation. An edit to the folder while the service runs is a
/// deliberate change, and is activated when it passes. ActivateRuleSet and <c>./run.sh rules activate</c>
/// activate what they are given when it passes. A start-up folder that fails its check is refused, and
/// the service grades by the database's active rule set; with neither, it does not start.
/// </summary>
public sealed partial class RuleSetCoordinator(
    ActiveRuleSet active,
    RuleSetStore store,
    RuleSetActivator activator,
    IOptions<GradingOptions> options,
    IHostEnvironment environment,
    ILogger<RuleSetCoordinator> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The rule set in use is the database's active one. False while the database could not be asked:
    // previews carry on, but nothing is stored until it has been.
    private volatile bool _agreesWithStore;

    // A folder rule set that passed while the database could not be reached, and whether it came from an
    // edit (activated when the database returns) or from start-up (activated only if never active before).
    private (RuleSet RuleSet, bool IsEdit)? _pendingFolder;

    private RuleSetRefusal? _lastRefusalHere;

    /// <summary>The rules folder, as a full path.</summary>
    public string FolderPath => Path.GetFullPath(options.Value.RulesPath, environment.ContentRootPath);

    /// <summary>The folder's fingerprint at start-up, so the watcher acts only on what changes after it.</summary>
    public string? FolderFingerprintAtStart { get; private set; }

    /// <summary>The latest candidate this replica refused (also recorded in the database when it could be).</summary>
    public RuleSetRefusal? LastRefusalHere => _lastRefusalHere;

    private static string FolderOnThisHost => $"the rules folder on {Environment.MachineName}";

    /// <summary>Loads the rule set to grade by before the service serves; false when no rule set can be used (the report has been logged).</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        var files = TryRead(FolderPath, out var unreadable);
        FolderFingerprintAtStart = files?.Fingerprint;
        var folder = files is null ? new CheckedRuleSet(null, new RuleSetCheckReport("", "", 0, unreadable, [], null)) : RuleSetCheck.Run(files, options.Value.EvaluationBudgetSteps);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.StartupStoreTimeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!folder.Report.Passed)
            {
                LogFolderRefused(FolderPath, folder.Report.ToText(FolderPath));
                _lastRefusalHere = RuleSetActivator.Refusal(folder.Report, FolderOnThisHost, RuleSetSource.RulesFolder);
            }

            await ReconcileAsync(folder.Report.Passed ? (folder.RuleSet!, false) : null, timeout.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (timeout.IsCancellationRequested || e is AuditStoreUnavailableException or NoActiveRuleSetException))
        {
            if (folder.Report.Passed)
            {
                active.Use(folder.RuleSet!);
                _pendingFolder = (folder.RuleSet!, false);
                LogGradingByFolderWithoutStore(folder.RuleSet!.Label, folder.RuleSet.Version);
                return true;
            }

            LogCannotStart(e is NoActiveRuleSetException ? "no rule set has ever been activated in the database" : "the database cannot be reached to find the active rule set");
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The grader to store a grading by: only once this replica agrees with the database on the active rule set.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be reached to find out.</exception>
    public async ValueTask<AuditGrader> GraderForStoringAsync(CancellationToken cancellationToken)
    {
        if (!_agreesWithStore)
        {
            await FollowAsync(cancellationToken);
            if (!_agreesWithStore)
            {
                throw new AuditStoreUnavailableException(new TimeoutException("The active rule set could not be read from the database."));
            }
        }

        return active.Grader;
    }

    /// <summary>Brings this replica to the database's active rule set: on every notification and poll, and before storing.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_agreesWithStore)
            {
                await ReconcileAsync(_pendingFolder, cancellationToken);
                return;
            }

            var activeNow = await store.GetActiveAsync(cancellationToken);
            if (activeNow is not null && activeNow.Version != active.Grader.RuleSet.Version)
            {
                await UseStoredAsync(activeNow, cancellationToken);
            }
        }
        catch (Exception e) when (e is RuleSetException or NoActiveRuleSetException)
        {
            LogCannotFollow(e.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An edit to the rules folder, settled: activated if it passes every check, refused (and recorded) if not.</summary>
    public Task OnFolderEditedAsync(RuleSetFiles snapshot, CancellationToken cancellationToken) =>
        OfferAsync(snapshot, FolderOnThisHost, RuleSetSource.RulesFolder, cancellationToken);

    /// <summary>A rule set sent to be activated (RuleSetService.ActivateRuleSet).</summary>
    public Task<ActivationResult> ActivateAsync(RuleSetFiles files, string activatedBy, CancellationToken cancellationToken) =>
        OfferAsync(files, activatedBy, RuleSetSource.Service, cancellationToken);

    private async Task<ActivationResult> OfferAsync(RuleSetFiles files, string by, RuleSetSource source, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await activator.ActivateAsync(files, by, source, cancellationToken);
            if (result.Outcome is { } outcome)
            {
                active.Use(result.Candidate.RuleSet!);
                (_agreesWithStore, _pendingFolder) = (true, null);
                LogActivated(outcome.Active.Label, outcome.Active.Version, by, outcome.Changed);
            }
            else
            {
                _lastRefusalHere = result.Refusal;
                LogCandidateRefused(by, result.Candidate.Report.ToText(source == RuleSetSource.RulesFolder ? FolderPath : "the rules sent to the service"));
            }

            return result;
        }
        catch (AuditStoreUnavailableException) when (source == RuleSetSource.RulesFolder && RuleSetCheck.Run(files, options.Value.EvaluationBudgetSteps) is { Report.Passed: true, RuleSet: { } edited })
        {
            // Activation needs the database: the edit waits, and is activated as soon as it can be.
            (_pendingFolder, _agreesWithStore) = ((edited, true), false);
            LogEditWaitsForStore(edited.Label, edited.Version);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The rule that decides which source wins (see the class comment).
    private async Task ReconcileAsync((RuleSet RuleSet, bool IsEdit)? folder, CancellationToken cancellationToken)
    {
        if (folder is var (ruleSet, isEdit))
        {
            var outcome = await store.ActivateAsync(ruleSet, FolderOnThisHost, RuleSetSource.RulesFolder, unlessSuperseded: !isEdit, cancellationToken);
            if (outcome.Active.Version == ruleSet.Version)
            {
                active.Use(ruleSet);
                LogGradingBy(ruleSet.Label, ruleSet.Version, outcome.Changed ? "activated from the rules folder now" : "already the active rule set");
            }
            else
            {
                LogFolderSuperseded(ruleSet.Version, outcome.Active.Label, outcome.Active.Version, outcome.Active.ActivatedAt, outcome.Active.ActivatedBy);
                await UseStoredAsync(outcome.Active, cancellationToken);
            }
        }
        else
        {
            if (_lastRefusalHere is { } refusal)
            {
                await activator.TryRecordAsync(refusal, cancellationToken);
            }

            var activeNow = await store.GetActiveAsync(cancellationToken) ?? throw new NoActiveRuleSetException();
            await UseStoredAsync(activeNow, cancellationToken);
        }

        (_agreesWithStore, _pendingFolder) = (true, null);
    }

    private async Task UseStoredAsync(RuleSetActivation activation, CancellationToken cancellationToken)
    {
        var files = await store.GetFilesAsync(activation.Version, cancellationToken)
            ?? throw new RuleSetException("ruleset.json", $"the active rule set {activation.Version} has no files in the database.");
        active.Use(RuleSetLoader.Load(files));
        LogGradingBy(activation.Label, activation.Version, $"the active rule set, activated {activation.ActivatedAt:yyyy-MM-dd HH:mm} UTC by {activation.ActivatedBy}");
    }

    private static RuleSetFiles? TryRead(string folder, out IReadOnlyList<RuleSetProblem> problems)
    {
        try
        {
            problems = [];
            return RuleSetFiles.FromDirectory(folder);
        }
        catch (RuleSetException e)
        {
            problems = e.Problems;
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grading by rule set \"{Label}\" ({Version}): {How}")]
    private partial void LogGradingBy(string label, string version, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule set \"{Label}\" ({Version}) activated by {By}{Already}")]
    private partial void LogActivatedCore(string label, string version, string by, string already);

    private void LogActivated(string label, string version, string by, bool changed) => LogActivatedCore(label, version, by, changed ? "" : " (it was already the active rule set)");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rules folder holds version {FolderVersion}, which was active before and has since been replaced by \"{Label}\" ({Version}), activated {ActivatedAt:yyyy-MM-dd HH:mm} UTC by {By}. Grading by that. To go back to the folder's version, activate it: ./run.sh rules activate")]
    private partial void LogFolderSuperseded(string folderVersion, string label, string version, DateTimeOffset activatedAt, string by);

    [LoggerMessage(Level = LogLevel.Error, Message = "The rules in {Folder} cannot be used, so they were not activated; grading carries on by the active rule set.\n{Report}")]
    private partial void LogFolderRefused(string folder, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rule set offered by {By} was refused; grading carries on by the active rule set.\n{Report}")]
    private partial void LogCandidateRefused(string by, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached: grading previews by the rules folder's \"{Label}\" ({Version}); nothing is stored until the database says which rule set is active")]
    private partial void LogGradingByFolderWithoutStore(string label, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The edited rules \"{Label}\" ({Version}) passed every check; they will be activated when the database can be reached")]
    private partial void LogEditWaitsForStore(string label, string version);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The service cannot start: the rules folder cannot be used (see above) and {Why}. Put the rules right (./run.sh rules check), or activate a good rule set, and start again.")]
    private partial void LogCannotStart(string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot change to the active rule set: {Problem}; grading carries on by the rule set in use")]
    private partial void LogCannotFollow(string problem);

    /// <summary>The database has never had a rule set activated.</summary>
    private sealed class NoActiveRuleSetException() : Exception("no rule set has ever been activated in the database");
}
