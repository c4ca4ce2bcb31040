using System.Collections.Concurrent;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Moderation;
using CroydonAudit.Store.Serialization;
using Npgsql;

namespace CroydonAudit.Store;

/// <summary>
/// Reads stored revisions back, exactly as first graded, in one statement and one round trip: the revision's
/// row with its rules' outcomes beside it (<see cref="Columns"/>), and the rest of its trace — every rule that
/// did not fire and said nothing — from the rules of its rule set version, which are read from
/// <c>rule_set_rule</c> once per version and process. A version is a hash of its rule files, so its rules
/// never change and the copy kept here can never be stale. A revision's submission and result come from its answer
/// when it was stored with one, else from its JSON documents (<paramref name="documents"/>).
/// </summary>
internal sealed class StoredRevisionReader(NpgsqlDataSource dataSource, StoredDocuments documents)
{
    // Versions ever graded by are few (one per activation); the bound is a guard, not a working limit.
    private const int MaxVersions = 256;

    /// <summary>
    /// The columns that read a revision of audit_revision <c>a</c> back; its trace's outcomes, in evaluation
    /// order, come as arrays from its own row (V17), or for a revision stored before, from one walk of rule_trace's
    /// primary key. Its documents are read only where
    /// <paramref name="documents"/>, an SQL condition, holds (or the revision has no stored answer): each is
    /// several kilobytes for PostgreSQL to decompress and send. None of the three is read where <paramref name="shown"/>
    /// does not hold (a revision refused to its reader), so a refusal costs what a missing revision does.
    /// </summary>
    public static string Columns(string documents = "true", string shown = "true") => $"""
        a.revision, CASE WHEN ({documents} OR a.answer IS NULL) AND {shown} THEN a.submission END,
        CASE WHEN ({documents} OR a.answer IS NULL) AND {shown} THEN a.result END,
        a.received_at, a.reason, a.caller_subject, a.caller_client, a.rule_set_version,
        coalesce(a.trace_positions, o.positions), coalesce(a.trace_fired, o.fired), coalesce(a.trace_effects, o.effects),
        coalesce(a.trace_explanations, o.explanations), coalesce(a.trace_errors, o.errors),
        m.outcomes, m.final_grades, m.reasons, m.decided_by, m.decided_at, a.audit_id, CASE WHEN {shown} THEN a.answer END, m.made_on
        """;

    /// <summary>
    /// What <see cref="Columns"/> needs after <c>FROM audit_revision AS a</c>: the rules' outcomes of a revision stored
    /// before V17 (for a later one, the condition on its own outcomes is decided once, before rule_trace is read) and the moderators'
    /// decisions — the latest 20, so an answer stays bounded however often a revision is moderated (all are kept); a
    /// revision never moderated (moderated_at, set by the statement that records its first decision) has none to look for.
    /// </summary>
    public const string Outcomes = """
        CROSS JOIN LATERAL (
            SELECT array_agg(t.position) AS positions, array_agg(t.fired) AS fired, array_agg(t.effect) AS effects,
                   array_agg(t.explanation) AS explanations, array_agg(t.error) AS errors
            FROM (SELECT * FROM rule_trace WHERE a.trace_positions IS NULL AND revision_id = a.id ORDER BY position) AS t) AS o
        CROSS JOIN LATERAL (
            SELECT array_agg(d.outcome) AS outcomes, array_agg(d.final_grade) AS final_grades, array_agg(d.reason) AS reasons,
                   array_agg(d.decided_by_subject) AS decided_by, array_agg(d.decided_at) AS decided_at,
                   array_agg(coalesce(d.carried_from, d.revision)) AS made_on
            FROM (SELECT * FROM (SELECT * FROM moderation_decision
                                 WHERE a.moderated_at IS NOT NULL AND audit_id = a.audit_id AND revision = a.revision ORDER BY id DESC LIMIT 20) AS l
                  ORDER BY id) AS d) AS m
        """;

    private const string SelectRules = """
        SELECT workflow, rule_id, guidance_ref FROM rule_set_rule WHERE rule_set_version = $1 ORDER BY position
        """;

    private readonly ConcurrentDictionary<string, RuleTraceEntry[]> _rules = new(StringComparer.Ordinal);

    /// <summary>Reads <see cref="Columns"/> from the reader's current row, starting at <paramref name="first"/>.</summary>
    public static Row ReadRow(NpgsqlDataReader reader, int first = 0) => new(
        reader.GetInt32(first),
        reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
        reader.GetFieldValue<DateTime>(first + 3),
        reader.GetInt16(first + 4),
        reader.GetString(first + 5),
        reader.GetString(first + 6),
        reader.GetString(first + 7),
        reader.IsDBNull(first + 8) ? null : new Outcome(
            reader.GetFieldValue<short[]>(first + 8),
            reader.GetFieldValue<bool[]>(first + 9),
            reader.GetFieldValue<string[]>(first + 10),
            reader.GetFieldValue<string[]>(first + 11),
            reader.GetFieldValue<string[]>(first + 12)),
        reader.IsDBNull(first + 13) ? [] : Decisions(
            reader.GetString(first + 18),
            reader.GetFieldValue<string[]>(first + 13),
            reader.GetFieldValue<short[]>(first + 14),
            reader.GetFieldValue<string[]>(first + 15),
            reader.GetFieldValue<string[]>(first + 16),
            reader.GetFieldValue<DateTime[]>(first + 17),
            reader.GetFieldValue<int[]>(first + 20)),
        reader.IsDBNull(first + 19) ? null : reader.GetFieldValue<byte[]>(first + 19));

    // Each decision with the revision it was made on: its own, or, carried to a re-graded revision (V20), the one before.
    private static ModerationDecision[] Decisions(string auditId, string[] outcomes, short[] grades, string[] reasons, string[] by, DateTime[] at, int[] madeOn) =>
        [.. outcomes.Select((outcome, i) => new ModerationDecision(
            auditId, madeOn[i], outcome == "grade_changed", (Grade)grades[i], reasons[i], by[i], new DateTimeOffset(at[i], TimeSpan.Zero)))];

    /// <summary>
    /// The stored audit a row holds. Reading its version's rules for the first time takes one query, on
    /// <paramref name="connection"/> when given (inside a write's transaction), else on a connection of its own.
    /// </summary>
    public async ValueTask<StoredAudit> ToStoredAsync(Row row, NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        var rules = _rules.TryGetValue(row.RuleSetVersion, out var known) ? known : await LoadRulesAsync(row.RuleSetVersion, connection, cancellationToken);
        var trace = new RuleTraceEntry[rules.Length];
        rules.CopyTo(trace, 0);
        if (row.Outcomes is { } outcomes)
        {
            for (var i = 0; i < outcomes.Positions.Length; i++)
            {
                var rule = rules[outcomes.Positions[i]];
                trace[outcomes.Positions[i]] = rule with
                {
                    Fired = outcomes.Fired[i], Effect = outcomes.Effects[i], Explanation = outcomes.Explanations[i], Error = outcomes.Errors[i],
                };
            }
        }

        // The submission and result are read only if asked for: GetAudit answers from the stored answer as it is.
        return new StoredAudit(
            row.Revision, trace, new DateTimeOffset(row.ReceivedAt, TimeSpan.Zero), (RevisionReason)row.Reason, row.CallerSubject, row.CallerClient, row.Answer,
            () =>
            {
                var (submission, result) = documents.Both(row.Submission, row.Result, row.Answer);
                return (submission, result with { Revision = row.Revision, Trace = trace });
            })
        {
            Moderation = row.Moderation,
        };
    }

    private async ValueTask<RuleTraceEntry[]> LoadRulesAsync(string version, NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        var own = connection is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        try
        {
            await using var command = new NpgsqlCommand(SelectRules, connection ?? own) { Parameters = { new NpgsqlParameter<string> { TypedValue = version } } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rules = new List<RuleTraceEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rules.Add(new RuleTraceEntry(reader.GetString(0), reader.GetString(1), false, "", "", reader.GetString(2), ""));
            }

            if (rules.Count == 0)
            {
                // Never the case for a stored revision: its rules are stored in the same transaction.
                throw new InvalidOperationException($"The rules of rule set version {version} are not stored.");
            }

            if (_rules.Count >= MaxVersions)
            {
                _rules.Clear();
            }

            return _rules[version] = [.. rules];
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>A stored revision as read, before its trace is put together; its documents, if read, as the JSON they are stored as.</summary>
    internal sealed record Row(
        int Revision, string? Submission, string? Result, DateTime ReceivedAt, short Reason, string CallerSubject, string CallerClient,
        string RuleSetVersion, Outcome? Outcomes, IReadOnlyList<ModerationDecision> Moderation, byte[]? Answer);

    /// <summary>The outcomes of the rules that fired or failed, by position in evaluation order.</summary>
    internal sealed record Outcome(short[] Positions, bool[] Fired, string[] Effects, string[] Explanations, string[] Errors);
}
