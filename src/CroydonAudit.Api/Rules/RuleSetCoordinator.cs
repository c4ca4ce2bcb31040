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
/// grades by, and only people change it: ActivateRuleSet, with an approval where one is required. A rules
/// folder found at start-up is activated only when no rule set has ever been active (a new database);
/// otherwise a replica's own folder never replaces or rolls back the active rule set. An edit to a watched
/// folder is proposed, never activated. A start-up folder that fails its check is refused, and the service
/// grades by the database's active rule set; with neither, it does not start.
/// </summary>
public sealed partial class RuleSetCoordinator(
    ActiveRuleSet active,
    RuleSetStore store,
    RuleSetActivator activator,
    IOptions<GradingOptions> options,
    IOptions<RulesOptions> rules,
    IOptions<CroydonAudit.Api.Security.AuthOptions> auth,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<RuleSetCoordinator> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The rule set in use is the database's active one. False while the database could not be asked:
    // previews carry on, but nothing is stored until it has been.
    private volatile bool _agreesWithStore;

    // The start-up folder's rule set, when it passed while the database could not be reached: activated when the
    // database returns only if no rule set has ever been active.
    private (RuleSet RuleSet, RuleSetFiles Files)? _pendingFolder;

    private RuleSetRefusal? _lastRefusalHere;

    /// <summary>The rules folder, as a full path.</summary>
    public string FolderPath => Path.GetFullPath(options.Value.RulesPath, environment.ContentRootPath);

    /// <summary>The folder's fingerprint at start-up, so the watcher acts only on what changes after it.</summary>
    public string? FolderFingerprintAtStart { get; private set; }

    /// <summary>The latest candidate this replica refused (also recorded in the database when it could be).</summary>
    public RuleSetRefusal? LastRefusalHere => _lastRefusalHere;

    /// <summary>
    /// Only an approved version, or one active before, may be activated (<see cref="RulesOptions.RequireApproval"/>);
    /// unset, everywhere but local mode as asked for (Auth:Mode=Local), whatever the environment is named.
    /// </summary>
    public bool ApprovalRequired => rules.Value.RequireApproval ?? !auth.Value.IsLocal;

    private ActivationGuard Guard => ApprovalRequired ? ActivationGuard.ApprovedOrActiveBefore : ActivationGuard.None;

    private static string FolderOnThisHost => $"the rules folder on {Environment.MachineName}";

    /// <summary>Loads the rule set to grade by before the service serves; false when no rule set can be used (the report has been logged).</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        var files = TryRead(FolderPath, out var unreadable);
        FolderFingerprintAtStart = files?.Fingerprint;
        var folder = files is null ? new CheckedRuleSet(null, new RuleSetCheckReport("", "", 0, unreadable, [], null)) : RuleSetCheck.Run(files, options.Value.EvaluationBudgetSteps, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.StartupStoreTimeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!folder.Report.Passed)
            {
                LogFolderRefused(FolderPath, folder.Report.ToText(FolderPath));
                _lastRefusalHere = activator.Refusal(folder.Report, FolderOnThisHost, RuleSetSource.RulesFolder);
            }

            await ReconcileAsync(folder.Report.Passed ? (folder.RuleSet!, files!) : null, timeout.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (timeout.IsCancellationRequested || e is AuditStoreUnavailableException or NoActiveRuleSetException))
        {
            if (folder.Report.Passed)
            {
                active.Use(folder.RuleSet!);
                _pendingFolder = (folder.RuleSet!, files!);
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

    /// <summary>An edit to a watched rules folder, settled: proposed if it passes every check, refused (and recorded) if not.</summary>
    public async Task OnFolderEditedAsync(RuleSetFiles snapshot, CancellationToken cancellationToken)
    {
        var result = await activator.ProposeAsync(snapshot, FolderOnThisHost, RuleSetSource.RulesFolder, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            _lastRefusalHere = refusal;
            LogCandidateRefused(FolderOnThisHost, result.Candidate.Report.ToText(FolderPath));
        }
        else
        {
            LogFolderProposed(result.Candidate.RuleSet!.Label, result.Candidate.RuleSet.Version);
        }
    }

    /// <summary>A rule set proposed (RuleSetService.ProposeRuleSet): stored with its worked cases if it passes every check.</summary>
    public Task<ActivationResult> ProposeAsync(RuleSetFiles files, string proposedBy, CancellationToken cancellationToken) =>
        activator.ProposeAsync(files, proposedBy, RuleSetSource.Service, cancellationToken);

    /// <summary>A rule set sent to be activated (RuleSetService.ActivateRuleSet with files).</summary>
    /// <exception cref="RuleSetNotApprovedException">Approval is required and the candidate has none.</exception>
    public async Task<ActivationResult> ActivateAsync(RuleSetFiles files, string activatedBy, CancellationToken cancellationToken) =>
        (await UsingAsync(async () => await activator.ActivateAsync(files, activatedBy, RuleSetSource.Service, Guard, cancellationToken), activatedBy, cancellationToken))!;

    /// <summary>A stored version to activate (RuleSetService.ActivateRuleSet with a version); null when there is none.</summary>
    /// <exception cref="RuleSetNotApprovedException">Approval is required and the version has none, nor was it active before.</exception>
    public Task<ActivationResult?> ActivateStoredAsync(string version, string activatedBy, CancellationToken cancellationToken) =>
        UsingAsync(() => activator.ActivateStoredAsync(version, activatedBy, Guard, cancellationToken), activatedBy, cancellationToken);

    // Runs an activation under the gate, and grades by what it activated.
    private async Task<ActivationResult?> UsingAsync(Func<Task<ActivationResult?>> activate, string by, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await activate();
            if (result?.Outcome is { } outcome)
            {
                active.Use(result.Candidate.RuleSet!);
                (_agreesWithStore, _pendingFolder) = (true, null);
                LogActivated(outcome.Active.Label, outcome.Active.Version, by, outcome.Changed);
            }
            else if (result?.Refusal is { } refusal)
            {
                _lastRefusalHere = refusal;
                LogCandidateRefused(by, result.Candidate.Report.ToText("the rules sent to the service"));
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The rule that decides which source wins (see the class comment).
    private async Task ReconcileAsync((RuleSet RuleSet, RuleSetFiles Files)? folder, CancellationToken cancellationToken)
    {
        if (folder is var (ruleSet, files))
        {
            var outcome = await store.ActivateAsync(ruleSet, files, FolderOnThisHost, RuleSetSource.RulesFolder, ActivationGuard.NothingActive, cancellationToken);
            if (outcome.Active.Version == ruleSet.Version)
            {
                active.Use(ruleSet);
                LogGradingBy(ruleSet.Label, ruleSet.Version, outcome.Changed ? "the first rule set, activated from the rules folder now" : "the active rule set, as the rules folder holds it");
            }
            else
            {
                LogFolderNotActive(ruleSet.Version, outcome.Active.Label, outcome.Active.Version, outcome.Active.ActivatedAt, outcome.Active.ActivatedBy);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rules folder holds version {FolderVersion}, which is not the active rule set: grading by \"{Label}\" ({Version}), activated {ActivatedAt:yyyy-MM-dd HH:mm} UTC by {By}. A folder never changes the active rule set; to grade by the folder's rules, propose them (./run.sh rules propose), have them approved and activate them")]
    private partial void LogFolderNotActive(string folderVersion, string label, string version, DateTimeOffset activatedAt, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "The edited rules folder was proposed as \"{Label}\" ({Version}); it grades nothing until it is approved and activated")]
    private partial void LogFolderProposed(string label, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "The rules in {Folder} cannot be used, so they were not activated; grading carries on by the active rule set.\n{Report}")]
    private partial void LogFolderRefused(string folder, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rule set offered by {By} was refused; grading carries on by the active rule set.\n{Report}")]
    private partial void LogCandidateRefused(string by, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached: grading previews by the rules folder's \"{Label}\" ({Version}); nothing is stored until the database says which rule set is active")]
    private partial void LogGradingByFolderWithoutStore(string label, string version);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The service cannot start: the rules folder cannot be used (see above) and {Why}. Put the rules right (./run.sh rules check), or activate a good rule set, and start again.")]
    private partial void LogCannotStart(string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot change to the active rule set: {Problem}; grading carries on by the rule set in use")]
    private partial void LogCannotFollow(string problem);

    /// <summary>The database has never had a rule set activated.</summary>
    private sealed class NoActiveRuleSetException() : Exception("no rule set has ever been activated in the database");
}
