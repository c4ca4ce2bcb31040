using CroydonAudit.Grading.Rules;
using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace CroydonAudit.Store.RuleSets;

/// <summary>
/// Rule set versions in PostgreSQL: each with its files and worked cases, who proposed and approved it, every
/// activation (the latest is the active rule set, for every replica), and refused candidates. Activating notifies
/// every replica (<c>NOTIFY rule_set_activated</c>) in the same transaction, so they follow at once.
/// </summary>
public sealed class RuleSetStore
{
    /// <summary>The channel replicas listen on.</summary>
    public const string Channel = "rule_set_activated";

    private const int MaxListed = 100;

    // One activation at a time, across every replica and the command line: the decision and the new row
    // are made under this transaction-scoped lock, so two activations can never interleave.
    private const long ActivationLock = 0x43_52_4F_59_52_55_4C_45;

    private const string SelectActive = """
        SELECT a.version AS Version, s.label AS Label, a.activated_at AS ActivatedAt, a.activated_by AS ActivatedBy, a.source AS Source
        FROM rule_set_activation AS a JOIN rule_set AS s USING (version)
        ORDER BY a.id DESC LIMIT 1
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreCalls _calls;
    private readonly TimeProvider _clock;

    /// <summary>Creates the store over the audit store's database; <paramref name="clock"/> times the follower's retries.</summary>
    public RuleSetStore(NpgsqlDataSource dataSource, StoreSchema schema, ResiliencePipeline pipeline, TimeProvider? clock = null)
    {
        _dataSource = dataSource;
        _calls = new StoreCalls(schema, pipeline);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Stores a checked rule set, with the worked cases among <paramref name="files"/>, and makes it the active one,
    /// unless it already is or <paramref name="guard"/> does not hold: with <see cref="ActivationGuard.NothingActive"/>
    /// the active rule set, if any, stays.
    /// </summary>
    /// <exception cref="RuleSetNotApprovedException">The guard needs an approval the version does not have; nothing changed.</exception>
    public Task<ActivationOutcome> ActivateAsync(RuleSet ruleSet, RuleSetFiles? files, string activatedBy, RuleSetSource source, ActivationGuard guard, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, RuleSet: ruleSet, Files: files, By: activatedBy, Source: source, Guard: guard), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = ActivationLock }, transaction, cancellationToken: ct));
            await StoreAsync(connection, transaction, call.RuleSet, call.Files, ct);

            var active = await connection.QuerySingleOrDefaultAsync<ActivationRow>(new CommandDefinition(SelectActive, transaction: transaction, cancellationToken: ct));
            if (active is not null && (active.Version == call.RuleSet.Version || call.Guard == ActivationGuard.NothingActive))
            {
                await transaction.CommitAsync(ct);
                return new ActivationOutcome(active.ToActivation(), Changed: false);
            }

            if (call.Guard == ActivationGuard.ApprovedOrActiveBefore)
            {
                var (approved, wasActive, proposed) = await connection.QuerySingleAsync<(bool, bool, bool)>(new CommandDefinition("""
                    SELECT EXISTS (SELECT FROM rule_set_approval WHERE version = @version),
                           EXISTS (SELECT FROM rule_set_activation WHERE version = @version),
                           EXISTS (SELECT FROM rule_set_proposal WHERE version = @version)
                    """, new { version = call.RuleSet.Version }, transaction, cancellationToken: ct));
                if (!approved && !wasActive)
                {
                    throw new RuleSetNotApprovedException(call.RuleSet.Version, proposed);
                }
            }

            var activated = await connection.QuerySingleAsync<ActivationRow>(new CommandDefinition("""
                WITH added AS (
                    INSERT INTO rule_set_activation (version, activated_by, source) VALUES (@version, @by, @source)
                    RETURNING version, activated_at, activated_by, source)
                SELECT a.version AS Version, @label AS Label, a.activated_at AS ActivatedAt, a.activated_by AS ActivatedBy, a.source AS Source
                FROM added AS a
                """,
                new { version = call.RuleSet.Version, by = call.By, source = SourceText(call.Source), label = call.RuleSet.Label },
                transaction, cancellationToken: ct));

            // Delivered to every listening replica when the transaction commits, and not at all if it does not.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @version)", new { channel = Channel, version = call.RuleSet.Version }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return new ActivationOutcome(activated.ToActivation(), Changed: true);
        }, cancellationToken);

    /// <summary>Stores a checked rule set, with the worked cases among <paramref name="files"/>, as proposed by <paramref name="proposedBy"/> (once, however often they propose it).</summary>
    public Task ProposeAsync(RuleSet ruleSet, RuleSetFiles files, string proposedBy, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, RuleSet: ruleSet, Files: files, By: proposedBy), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await StoreAsync(connection, transaction, call.RuleSet, call.Files, ct);
            // Proposed again by the same person: one proposal, their first.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rule_set_proposal (version, proposed_by) SELECT @version, @by
                WHERE NOT EXISTS (SELECT FROM rule_set_proposal WHERE version = @version AND proposed_by = @by)
                """, new { version = call.RuleSet.Version, by = call.By }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>Records <paramref name="approvedBy"/>'s approval of a proposed version, unless they proposed it.</summary>
    public Task<ApprovalOutcome> ApproveAsync(string version, string approvedBy, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, Version: version, By: approvedBy), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // Under the activation lock: an approval and an activation of the same version never interleave.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = ActivationLock }, transaction, cancellationToken: ct));
            var (exists, proposed, ownProposal) = await connection.QuerySingleAsync<(bool, bool, bool)>(new CommandDefinition("""
                SELECT EXISTS (SELECT FROM rule_set WHERE version = @version),
                       EXISTS (SELECT FROM rule_set_proposal WHERE version = @version),
                       EXISTS (SELECT FROM rule_set_proposal WHERE version = @version AND proposed_by = @by)
                """, new { version = call.Version, by = call.By }, transaction, cancellationToken: ct));
            var outcome = !exists ? ApprovalOutcome.NotFound
                : !proposed ? ApprovalOutcome.NotProposed
                : ownProposal ? ApprovalOutcome.OwnProposal
                : await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO rule_set_approval (version, approved_by) VALUES (@version, @by) ON CONFLICT DO NOTHING",
                    new { version = call.Version, by = call.By }, transaction, cancellationToken: ct)) == 1 ? ApprovalOutcome.Approved : ApprovalOutcome.AlreadyApproved;
            await transaction.CommitAsync(ct);
            return outcome;
        }, cancellationToken);

    /// <summary>The active rule set's activation, or null when none was ever activated.</summary>
    public Task<RuleSetActivation?> GetActiveAsync(CancellationToken cancellationToken) =>
        _calls.Run(this, static async (store, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            return (await connection.QuerySingleOrDefaultAsync<ActivationRow>(new CommandDefinition(SelectActive, cancellationToken: ct)))?.ToActivation();
        }, cancellationToken);

    /// <summary>A stored version's files (the manifest, its workflow files and any worked cases), or null when there is no such version.</summary>
    public Task<RuleSetFiles?> GetFilesAsync(string version, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, Version: version), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            var files = (await connection.QueryAsync<(string Path, byte[] Content)>(new CommandDefinition(
                "SELECT path, content FROM rule_set_file WHERE version = @version", new { version = call.Version }, cancellationToken: ct))).AsList();
            return files.Count == 0 ? null : RuleSetFiles.From(files);
        }, cancellationToken);

    /// <summary>One stored version and its activations, or null.</summary>
    public async Task<StoredRuleSet?> GetAsync(string version, CancellationToken cancellationToken) =>
        (await ListAsync(1, null, version, cancellationToken)).RuleSets.FirstOrDefault();

    /// <summary>Stored versions, newest first, a page at a time (at most 100).</summary>
    public Task<(IReadOnlyList<StoredRuleSet> RuleSets, (DateTimeOffset StoredAt, string Version)? Next)> ListAsync(
        int pageSize, (DateTimeOffset StoredAt, string Version)? after, CancellationToken cancellationToken) =>
        ListAsync(pageSize, after, null, cancellationToken);

    /// <summary>Records a refused candidate: what GetRuleSetStatus shows as the last refusal.</summary>
    public Task RecordRefusalAsync(RuleSetRefusal refusal, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, Refusal: refusal), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            var refusal = call.Refusal;
            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rule_set_refusal (version, label, refused_by, source, reasons) VALUES (@version, @label, @by, @source, @reasons)",
                new { version = refusal.Version, label = refusal.Label, by = refusal.RefusedBy, source = SourceText(refusal.Source), reasons = refusal.Reasons.Take(50).Select(r => r.Length > 2000 ? r[..2000] : r).ToArray() },
                cancellationToken: ct));
        }, cancellationToken);

    /// <summary>The latest refused candidate, or null.</summary>
    public Task<RuleSetRefusal?> GetLastRefusalAsync(CancellationToken cancellationToken) =>
        _calls.Run(this, static async (store, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<RefusalRow>(new CommandDefinition("""
                SELECT version AS Version, label AS Label, refused_at AS RefusedAt, refused_by AS RefusedBy, source AS Source, reasons AS Reasons
                FROM rule_set_refusal ORDER BY id DESC LIMIT 1
                """, cancellationToken: ct));
            return row is null ? null : new RuleSetRefusal(row.Version, row.Label, Utc(row.RefusedAt), row.RefusedBy, ParseSource(row.Source), row.Reasons);
        }, cancellationToken);

    /// <summary>
    /// Calls <paramref name="check"/> whenever a rule set may have been activated — at once, on every
    /// notification, and every <paramref name="poll"/> in case one was missed — until cancelled. While the
    /// database cannot be reached it keeps trying; <paramref name="check"/> decides what changed.
    /// </summary>
    public async Task FollowAsync(Func<CancellationToken, Task> check, TimeSpan poll, ILogger logger, CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                try
                {
                    await connection.ExecuteAsync($"LISTEN {Channel}");
                    retry = TimeSpan.FromSeconds(1);
                    await check(cancellationToken);
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(poll, cancellationToken);
                        await check(cancellationToken);
                    }
                }
                finally
                {
                    // The connection goes back to the pool, which does not reset it: it must stop listening first.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await connection.ExecuteAsync("UNLISTEN *");
                    }
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is NpgsqlException or TimeoutException or AuditStoreUnavailableException or InvalidOperationException))
            {
                logger.LogWarning("Cannot follow the active rule set in the database ({Reason}); trying again in {Delay}", e.GetBaseException().Message, retry);
                await Task.Delay(retry, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, poll.TotalSeconds));
            }
        }
    }

    private Task<(IReadOnlyList<StoredRuleSet> RuleSets, (DateTimeOffset StoredAt, string Version)? Next)> ListAsync(
        int pageSize, (DateTimeOffset StoredAt, string Version)? after, string? only, CancellationToken cancellationToken) =>
        _calls.Run((Store: this, Size: Math.Clamp(pageSize, 1, MaxListed), After: after, Only: only), static async (call, ct) =>
        {
            await using var connection = await call.Store._dataSource.OpenConnectionAsync(ct);
            var rows = (await connection.QueryAsync<VersionRow>(new CommandDefinition("""
                SELECT version AS Version, label AS Label, description AS Description, stored_at AS StoredAt,
                       (SELECT count(*) FROM rule_set_file AS f WHERE f.version = rule_set.version AND f.path LIKE 'tests/%' AND f.path NOT LIKE 'tests/bases/%') AS WorkedCases
                FROM rule_set
                WHERE (@only::text IS NULL OR version = @only)
                  AND (@afterAt::timestamptz IS NULL OR (stored_at, version) < (@afterAt, @afterVersion))
                ORDER BY stored_at DESC, version DESC
                LIMIT @limit
                """, new { only = call.Only, afterAt = call.After?.StoredAt, afterVersion = call.After?.Version, limit = call.Size + 1 }, cancellationToken: ct))).AsList();
            var page = rows.Take(call.Size).ToList();
            var activations = (await connection.QueryAsync<ActivationRow>(new CommandDefinition("""
                SELECT a.version AS Version, s.label AS Label, a.activated_at AS ActivatedAt, a.activated_by AS ActivatedBy, a.source AS Source
                FROM rule_set_activation AS a JOIN rule_set AS s USING (version)
                WHERE a.version = ANY(@versions)
                ORDER BY a.id DESC
                """, new { versions = page.Select(r => r.Version).ToArray() }, cancellationToken: ct)))
                .ToLookup(a => a.Version, a => a.ToActivation());
            var steps = (await connection.QueryAsync<StepRow>(new CommandDefinition("""
                SELECT version AS Version, 1 AS Step, proposed_by AS By, proposed_at AS At FROM rule_set_proposal WHERE version = ANY(@versions)
                UNION ALL
                SELECT version, 2, approved_by, approved_at FROM rule_set_approval WHERE version = ANY(@versions)
                ORDER BY At
                """, new { versions = page.Select(r => r.Version).ToArray() }, cancellationToken: ct)))
                .ToLookup(e => e.Version, e => new RuleSetEvent((RuleSetStep)e.Step, e.By, Utc(e.At)));
            IReadOnlyList<StoredRuleSet> listed = [.. page.Select(r =>
            {
                var activated = activations[r.Version].Take(MaxListed).ToList();
                var history = steps[r.Version].TakeLast(MaxListed).Concat(activated.Select(a => new RuleSetEvent(RuleSetStep.Activated, a.ActivatedBy, a.ActivatedAt)))
                    .OrderBy(e => e.At).ThenBy(e => e.Step).ToList();
                return new StoredRuleSet(r.Version, r.Label, r.Description, Utc(r.StoredAt), activated, history, (int)r.WorkedCases);
            })];
            return (listed, rows.Count > call.Size ? (listed[^1].StoredAt, listed[^1].Version) : ((DateTimeOffset, string)?)null);
        }, cancellationToken);

    // The version's files and the worked cases among files: a version keeps the worked cases it was first stored with, and
    // gains any new ones (its rules, and so its grades, are the same whatever cases come with it).
    private static async Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RuleSet ruleSet, RuleSetFiles? files, CancellationToken cancellationToken)
    {
        var cases = files?.TestFiles.ToArray() ?? [];
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rule_set (version, label, description) VALUES (@version, @label, @description) ON CONFLICT DO NOTHING",
            new { version = ruleSet.Version, label = ruleSet.Label, description = ruleSet.Description }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rule_set_file (version, path, content) SELECT @version, * FROM unnest(@paths, @contents) ON CONFLICT DO NOTHING",
            new
            {
                version = ruleSet.Version,
                paths = ruleSet.Files.Files.Keys.Concat(cases).ToArray(),
                contents = ruleSet.Files.Files.Values.Concat(cases.Select(c => files![c]!)).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        await using var rules = new NpgsqlCommand(AuditStore.InsertRuleSet, connection, transaction)
        {
            Parameters =
            {
                new() { Value = ruleSet.Version },
                new() { Value = ruleSet.Rules.Select(r => r.Definition.Workflow).ToArray() },
                new() { Value = ruleSet.Rules.Select(r => r.RuleId).ToArray() },
                new() { Value = ruleSet.Rules.Select(r => r.Definition.GuidanceRef).ToArray() },
            },
        };
        await rules.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string SourceText(RuleSetSource source) => source switch
    {
        RuleSetSource.RulesFolder => "rules folder",
        RuleSetSource.Service => "service",
        _ => "command line",
    };

    private static RuleSetSource ParseSource(string text) => text switch
    {
        "rules folder" => RuleSetSource.RulesFolder,
        "service" => RuleSetSource.Service,
        _ => RuleSetSource.CommandLine,
    };

    private static DateTimeOffset Utc(DateTime instant) => new(DateTime.SpecifyKind(instant, DateTimeKind.Utc));

    private sealed record ActivationRow(string Version, string Label, DateTime ActivatedAt, string ActivatedBy, string Source)
    {
        public RuleSetActivation ToActivation() => new(Version, Label, Utc(ActivatedAt), ActivatedBy, ParseSource(Source));
    }

    private sealed record VersionRow(string Version, string Label, string Description, DateTime StoredAt, long WorkedCases);

    private sealed record StepRow(string Version, int Step, string By, DateTime At);

    // Settable properties, not a constructor: Dapper binds a PostgreSQL array only through a property.
    private sealed class RefusalRow
    {
        public string Version { get; init; } = "";

        public string Label { get; init; } = "";

        public DateTime RefusedAt { get; init; }

        public string RefusedBy { get; init; } = "";

        public string Source { get; init; } = "";

        public string[] Reasons { get; init; } = [];
    }
}
