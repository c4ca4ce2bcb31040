using System.Runtime.CompilerServices;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Access;
using Dapper;
using Npgsql;

namespace CroydonAudit.Store;

// What impact previews and re-grading read: the latest revisions matching a filter, and the checks recorded.
public sealed partial class AuditStore
{
    private const string MatchesFilter = """
        (@team::text IS NULL OR r.team = @team)
          AND (@auditorId::text IS NULL OR r.auditor_id = @auditorId)
          AND (@from::timestamptz IS NULL OR r.graded_at >= @from)
          AND (@to::timestamptz IS NULL OR r.graded_at < @to)
        """;

    // The rules that fired, named through the revision's rule set version: outcomes name their rule by position. A
    // revision stored before V17 has its outcomes in rule_trace.
    private const string SelectLatest = $"""
        SELECT r.audit_id AS AuditId, r.submission AS Submission, r.answer AS Answer, r.overall_grade AS OverallGrade, r.status AS Status,
               r.rule_set_version AS RuleSetVersion,
               ARRAY(SELECT s.rule_id FROM (
                         SELECT o.position FROM unnest(r.trace_positions, r.trace_fired) AS o (position, fired) WHERE o.fired
                         UNION ALL
                         SELECT t.position FROM rule_trace AS t WHERE r.trace_positions IS NULL AND t.revision_id = r.id AND t.fired) AS f
                     JOIN rule_set_rule AS s ON s.rule_set_version = r.rule_set_version AND s.position = f.position
                     ORDER BY f.position) AS Fired
        FROM audit_revision AS r
        WHERE r.is_latest AND {MatchesFilter}
        ORDER BY r.audit_id
        """;

    // Graded by another version, and not checked under this one since (a check that came out the same: V20). A
    // revision checked under another version and graded by this one (a rollback) is this version's already.
    private const string GradedByOtherVersion = "r.rule_set_version <> @version AND r.checked_rule_set_version IS DISTINCT FROM @version";

    private const string SelectGradedByOtherVersions = $"""
        SELECT r.audit_id FROM audit_revision AS r
        WHERE r.is_latest AND {GradedByOtherVersion} AND {MatchesFilter}
        ORDER BY r.graded_at, r.audit_id LIMIT @limit;
        SELECT count(*) FROM audit_revision AS r
        WHERE r.is_latest AND {GradedByOtherVersion} AND {MatchesFilter};
        """;

    /// <summary>
    /// The latest revision of every stored audit that matches the filter — its submission, stored grade and
    /// status, and the rules that fired — streamed in audit id order: what an impact preview compares. A
    /// stream cannot be retried part-way, so a failure ends it with its error.
    /// </summary>
    public async IAsyncEnumerable<LatestRevision> StreamLatestAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _bulk.OpenConnectionAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<LatestRow>(SelectLatest, Parameters(filter));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new LatestRevision(
                row.AuditId, _documents.Submission(row.Submission, row.Answer),
                (Grade)row.OverallGrade, (AuditStatus)row.Status, row.RuleSetVersion, row.Fired);
        }
    }

    /// <summary>
    /// Audits matching the filter whose latest revision was graded by a rule set other than
    /// <paramref name="version"/>: up to <paramref name="limit"/> ids, oldest graded first, and how many there are.
    /// </summary>
    public Task<(IReadOnlyList<string> AuditIds, int Total)> ListGradedByOtherVersionsAsync(AuditFilter filter, string version, int limit, CancellationToken cancellationToken) =>
        BulkRead((Filter: filter, Version: version, Limit: limit), static async (store, query, ct) =>
        {
            await using var connection = await store._bulk.OpenConnectionAsync(ct);
            var parameters = new DynamicParameters(Parameters(query.Filter));
            parameters.Add("version", query.Version);
            parameters.Add("limit", query.Limit);
            await using var reads = await connection.QueryMultipleAsync(new CommandDefinition(SelectGradedByOtherVersions, parameters, cancellationToken: ct));
            var ids = (await reads.ReadAsync<string>()).AsList();
            return ((IReadOnlyList<string>)ids, (int)await reads.ReadSingleAsync<long>());
        }, cancellationToken);

    /// <summary>
    /// Records that an audit's latest revision was graded again under <paramref name="version"/> and came out the same,
    /// in the access log too; false when <paramref name="revision"/> is no longer its latest.
    /// </summary>
    public Task<bool> RecordCheckedAsync(string auditId, int revision, string version, Accessor caller, CancellationToken cancellationToken) =>
        Run((AuditId: auditId, Revision: revision, Version: version, Caller: caller), static async (store, check, ct) =>
        {
            await using var connection = await store._dataSource.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("BEGIN"),
                    Statement(
                        "UPDATE audit_revision SET checked_rule_set_version = $3, checked_at = now() WHERE audit_id = $1 AND revision = $2 AND is_latest",
                        Value(check.AuditId), Value(check.Revision), Value(check.Version)),
                    AccessLog.InsertStatement([check.Caller.Did("read", check.AuditId, check.Revision, $"re-graded under rule set {check.Version}: unchanged")]),
                    new("COMMIT"),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            return batch.BatchCommands[1].RecordsAffected == 1;
        }, cancellationToken);

    private static object Parameters(AuditFilter filter) => new
    {
        team = string.IsNullOrEmpty(filter.Team) ? null : filter.Team,
        auditorId = string.IsNullOrEmpty(filter.AuditorId) ? null : filter.AuditorId,
        from = filter.GradedFrom,
        to = filter.GradedTo,
    };

    // Settable properties, not a constructor: Dapper binds a PostgreSQL array only through a property.
    private sealed class LatestRow
    {
        public string AuditId { get; init; } = "";

        public string? Submission { get; init; }

        public byte[]? Answer { get; init; }

        public short OverallGrade { get; init; }

        public short Status { get; init; }

        public string RuleSetVersion { get; init; } = "";

        public string[] Fired { get; init; } = [];
    }
}
