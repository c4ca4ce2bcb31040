using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using AuditSummary = Croydon.Audit.V1.AuditSummary;
using CroydonAudit.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// The read path: GetAudit answers exactly as GradeAudit first did, byte for byte, however its reads are batched
/// and whether or not the service has read the audit's rules before; ListAudits gives, for every combination of
/// its filters, exactly what the unfiltered listing holds that matches; and a store filled by the benchmark seeder
/// is one the service reads, grades and recognises as its own.
/// </summary>
public sealed class ReadPathTests
{
    private const int Seeded = 3_000;

    [Fact]
    public async Task GetAudit_ManyAtOnceFromAFreshService_AnswersEachExactlyAsGradeAuditDid()
    {
        using var database = new TestDatabase();
        var graded = new Dictionary<(string AuditId, int Revision), byte[]>();
        using (var first = new GradingServiceHost(database))
        {
            foreach (var name in FixtureCases.Names)
            {
                var audit = FixtureCases.Load(name).Audit.Also(a => a.AuditId = $"read-{name}");
                graded[(audit.AuditId, 1)] = (await first.Client.GradeAuditAsync(new() { Audit = audit })).Result.ToByteArray();
                audit.Learning = "A second revision: the review date was added to the plan.";
                graded[(audit.AuditId, 2)] = (await first.Client.GradeAuditAsync(new() { Audit = audit })).Result.ToByteArray();
            }
        }

        // A new service has read no rule set's rules yet, and its concurrent reads share statements: the latest and
        // numbered revisions of every audit, and ids that do not exist, all at once.
        using var second = new GradingServiceHost(database);
        var reads = graded.Keys.SelectMany(k => new[] { (k.AuditId, k.Revision), (k.AuditId, Revision: k.Revision == 2 ? 0 : k.Revision) })
            .Select(async k => (Key: k, Answer: await second.Client.GetAuditAsync(new() { AuditId = k.AuditId, Revision = k.Revision })))
            .ToList();
        var missing = Enumerable.Range(0, 10)
            .Select(i => Assert.ThrowsAsync<RpcException>(async () => await second.Client.GetAuditAsync(new() { AuditId = $"never-{i}", Revision = i % 2 })))
            .ToList();

        foreach (var (key, answer) in await Task.WhenAll(reads))
        {
            Assert.Equal(graded[(key.AuditId, key.Revision == 0 ? 2 : key.Revision)], answer.Audit.Result.ToByteArray());
        }

        Assert.All(await Task.WhenAll(missing), e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
    }

    [Fact]
    public async Task GetAudit_FromTheAnswerStoredWithARevision_IsWhatItsDocumentsGive_ByteForByte()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        var keys = new List<(string AuditId, int Revision)>();
        foreach (var name in FixtureCases.Names)
        {
            var audit = FixtureCases.Load(name).Audit.Also(a => a.AuditId = $"answer-{name}");
            audit.AuditedAt = null;
            var first = (await host.Client.GradeAuditAsync(new() { Audit = audit })).Result;
            audit.Learning = "A second revision: the review date was added to the plan.";
            await host.Client.GradeAuditAsync(new() { Audit = audit });
            keys.AddRange([(audit.AuditId, 1), (audit.AuditId, 2)]);
            if (first.ModerationRequired)
            {
                await new ReportService.ReportServiceClient(host.Channel).RecordModerationDecisionAsync(new()
                {
                    AuditId = audit.AuditId, Revision = 1, Outcome = ModerationOutcome.GradeChanged, FinalGrade = Grade.Inadequate, Reason = "Changed at moderation.",
                });
            }
        }

        // Each revision is stored as its answer alone: no documents beside it.
        Assert.Equal(keys.Count, database.Count("SELECT count(*) FROM audit_revision WHERE answer IS NOT NULL AND submission IS NULL AND result IS NULL"));
        Assert.True(database.Count("SELECT count(*) FROM moderation_decision") > 0);
        var fromAnswers = await ReadAll(host, keys);

        // The same revisions as a store written before answers were kept holds them: documents only.
        Assert.Equal(keys.Count, StoredBeforeAnswers.Rewrite(database, sentWithoutAuditedAt: true));
        Assert.Equal(keys.Count, database.Count("SELECT count(*) FROM audit_revision WHERE answer IS NULL AND submission NOT LIKE '%audited_at\":\"%'"));
        using var fresh = new GradingServiceHost(database);
        var fromDocuments = await ReadAll(fresh, keys);

        Assert.All(keys, key => Assert.Equal(fromDocuments[key], fromAnswers[key]));
        Assert.All(keys, key => Assert.Equal(key.Revision, AuditRecord.Parser.ParseFrom(fromAnswers[key]).Result.Revision));
    }

    [Fact]
    public async Task GetAudit_PlannedWhileTheStoreWasNearlyEmpty_StillReadsByIndexOnceItHasGrown()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        var audit = FixtureCases.Load("complete-good").Audit;
        await host.Client.GradeAuditAsync(new() { Audit = audit.Also(a => a.AuditId = "index-0") });
        // The read pool's connections plan GetAudit's statement now, against one stored revision.
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ => await host.Client.GetAuditAsync(new() { AuditId = "index-0" })));

        var ids = Enumerable.Range(1, 400).Select(i => $"index-{i}").ToList();
        await Task.WhenAll(ids.Select(async id => await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => a.AuditId = id) })));
        database.Count("ANALYZE");
        var before = await RowsScanned(database);
        await Task.WhenAll(ids.Select(async id => await host.Client.GetAuditAsync(new() { AuditId = id })));

        // One table scan, for any of the reads, would have read every stored revision or trace row; the service's
        // health probe reads one row a second (SELECT 1 FROM audit_revision LIMIT 1).
        Assert.InRange(await RowsScanned(database) - before, 0, ids.Count - 1);

        // Rows read by scanning whole the tables GetAudit's statement reads; a backend reports its counts once idle,
        // within ten seconds (PostgreSQL's PGSTAT_IDLE_INTERVAL).
        static async Task<long> RowsScanned(TestDatabase database)
        {
            await Task.Delay(TimeSpan.FromSeconds(11));
            return database.Count(
                "SELECT sum(seq_tup_read) FROM pg_stat_user_tables WHERE relname IN ('audit_revision', 'rule_trace', 'moderation_decision', 'access_record')");
        }
    }

    [Fact]
    public async Task ListAudits_PlannedWhileTheStoreWasNearlyEmpty_WalksEachFiltersOwnIndexOnceItHasGrown()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        foreach (var name in FixtureCases.Names)
        {
            await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load(name).Audit.Also(a => a.AuditId = $"early-{name}") });
        }

        var yearAgo = DateTimeOffset.UtcNow.AddDays(-365);
        var filters = new (ListAuditsRequest Request, string Index)[]
        {
            (new() { Team = "team-01" }, "audit_revision_latest_by_team"),
            (new() { AuditorId = "team-01-auditor-01" }, "audit_revision_latest_by_auditor"),
            (new() { OverallGrade = Grade.Inadequate }, "audit_revision_latest_by_grade"),
            (new() { Team = "team-01", OverallGrade = Grade.Good }, "audit_revision_latest_by_team_and_grade"),
            (new() { GradedFrom = Timestamp.FromDateTimeOffset(yearAgo), GradedTo = Timestamp.FromDateTimeOffset(yearAgo.AddDays(30)) }, "audit_revision_latest_by_time"),
            (new() { Status = AuditStatus.Incomplete }, "audit_revision_latest_incomplete"),
            (new() { AwaitingModeration = true }, "audit_revision_moderation_queue"),
        };

        // The read pool's connections plan each filter's statement now, against a few dozen stored revisions.
        foreach (var (request, _) in filters)
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ => await host.Client.ListAuditsAsync(request)));
        }

        await StoreSeeding.SeedAsync(host, Seeded);
        database.Count("ANALYZE");
        var scanned = await Scans(database, filters.Select(f => f.Index));
        foreach (var (request, _) in filters)
        {
            for (var i = 0; i < 3; i++)
            {
                await host.Client.ListAuditsAsync(request);
            }
        }

        var after = await Scans(database, filters.Select(f => f.Index));
        // No page read the table whole (one scan would read every stored revision; the health probe reads one row a
        // second), and each filter walked its own index.
        Assert.InRange(after["(table)"] - scanned["(table)"], 0, Seeded - 1);
        Assert.All(filters, f => Assert.True(after[f.Index] - scanned[f.Index] >= 3, $"{f.Index} was walked {after[f.Index] - scanned[f.Index]} times"));

        // audit_revision's rows read by whole-table scans, and each index's walks; a backend reports its counts once
        // idle, within ten seconds (PostgreSQL's PGSTAT_IDLE_INTERVAL).
        static async Task<Dictionary<string, long>> Scans(TestDatabase database, IEnumerable<string> indexes)
        {
            await Task.Delay(TimeSpan.FromSeconds(11));
            var counts = indexes.ToDictionary(i => i, i => database.Count($"SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '{i}'"));
            counts["(table)"] = database.Count("SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'audit_revision'");
            return counts;
        }
    }

    [Fact]
    public async Task ListAudits_EveryCombinationOfFilters_IsTheUnfilteredListingFilteredInOrder()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        await StoreSeeding.SeedAsync(host, Seeded);
        var all = await ListAll(host, new());
        Assert.Equal((int)database.Count("SELECT count(*) FROM audit_revision WHERE is_latest"), all.Count);

        var team = all.GroupBy(a => a.Team).OrderByDescending(g => g.Count()).First().Key;
        var auditor = all.First(a => a.Team == team).AuditorId;
        var grade = all.Where(a => a.Team == team).GroupBy(a => a.OverallGrade).OrderBy(g => g.Count()).First().Key;
        var times = all.Select(a => a.GradedAt.ToDateTimeOffset()).Order().ToList();
        var (from, to) = (times[times.Count / 4], times[times.Count * 3 / 4]);

        for (var filters = 0; filters < 32; filters++)
        {
            var request = new ListAuditsRequest
            {
                Team = (filters & 1) != 0 ? team : "",
                AuditorId = (filters & 2) != 0 ? auditor : "",
                OverallGrade = (filters & 4) != 0 ? grade : Grade.Unspecified,
                GradedFrom = (filters & 8) != 0 ? Timestamp.FromDateTimeOffset(from) : null,
                GradedTo = (filters & 16) != 0 ? Timestamp.FromDateTimeOffset(to) : null,
            };
            var expected = all.Where(a =>
                (request.Team == "" || a.Team == request.Team)
                && (request.AuditorId == "" || a.AuditorId == request.AuditorId)
                && (request.OverallGrade == Grade.Unspecified || a.OverallGrade == request.OverallGrade)
                && (request.GradedFrom is null || a.GradedAt.ToDateTimeOffset() >= from)
                && (request.GradedTo is null || a.GradedAt.ToDateTimeOffset() < to)).Select(a => a.AuditId).ToList();

            Assert.Equal(expected, (await ListAll(host, request)).Select(a => a.AuditId).ToList());
        }
    }

    [Fact]
    public async Task ListAudits_ByTeamAuditorOrGrade_ReadsOnlyThoseAudits_BehindManyNewerOfAnotherTeam()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        await StoreSeeding.SeedAsync(host, Seeded);
        // The newest audits are all another team's: a walk by time would pass every one of them before the first of team-01's.
        var audit = FixtureCases.Load("override-relaxes-soft-limit").Audit;
        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(async i =>
            await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => (a.AuditId, a.Team, a.AuditorId) = ($"newer-{i}", "Newer Team", "newer-auditor")) })));
        database.Count("ANALYZE audit_revision");
        var grade = (Grade)database.Count("SELECT overall_grade FROM audit_revision WHERE team = 'team-01' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        var auditor = database.Count("SELECT count(*) FROM audit_revision WHERE auditor_id = 'team-01-auditor-01'");
        Assert.True(auditor > 0);

        foreach (var (query, column) in new[]
        {
            (Query("team-01", null, CroydonAudit.Grading.Domain.Grade.Unspecified), "team"),
            (Query(null, "team-01-auditor-01", CroydonAudit.Grading.Domain.Grade.Unspecified), "auditor_id"),
            (Query(null, null, (CroydonAudit.Grading.Domain.Grade)grade), "overall_grade"),
            (Query("team-01", null, (CroydonAudit.Grading.Domain.Grade)grade), "team"),
            (Query(null, null, CroydonAudit.Grading.Domain.Grade.Unspecified) with { FinalGrade = (CroydonAudit.Grading.Domain.Grade)grade }, @"COALESCE\(final_grade, overall_grade\)"),
        })
        {
            var page = AuditStore.PageStatement(query);
            var plan = database.Plan(page.CommandText, page.Parameters.ToDictionary(p => p.ParameterName, p => p.Value));

            // The filter's column is a condition of the index walked, not a filter of rows already read.
            Assert.Matches($@"Index Cond: \(+{column} = ANY", plan);
            Assert.DoesNotContain("Rows Removed by Filter", plan, StringComparison.Ordinal);
        }

        static AuditListQuery Query(string? team, string? auditor, CroydonAudit.Grading.Domain.Grade grade) => new(team, auditor, grade, null, null, 50, null);
    }

    [Fact]
    public async Task ARevision_KeepsItsRulesOutcomesInItsOwnRow_AndIsReadWithoutRuleTraceOrDecisions_WhileOneStoredBeforeIsReadFromRuleTrace()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        var audit = FixtureCases.Load("override-leaves-hard-limit").Audit;
        foreach (var id in new[] { "outcomes-in-row", "outcomes-as-rows" })
        {
            await host.Client.GradeAuditAsync(new() { Audit = audit.Clone().Also(a => a.AuditId = id) });
        }

        Assert.Equal(0, database.Count("SELECT count(*) FROM rule_trace"));
        // One outcome per position, all five arrays or none.
        foreach (var broken in new[] { "trace_fired = trace_fired[1:0]", "trace_errors = NULL" })
        {
            var refused = Assert.Throws<Npgsql.PostgresException>(() => database.Count($"UPDATE audit_revision SET {broken}"));
            Assert.Equal("audit_revision_trace_outcomes", refused.ConstraintName);
        }

        Assert.Equal(1, StoredBeforeAnswers.Rewrite(database, sentWithoutAuditedAt: false, "audit_id = 'outcomes-as-rows'"));
        Assert.Equal(database.Outcomes("r.audit_id = 'outcomes-in-row'"), database.Count("SELECT count(*) FROM rule_trace"));

        // GetAudit's columns, as its statement reads them: rule_trace's index is walked only for the revision stored before,
        // and moderators' decisions are not looked for on a revision never moderated.
        string Plan(string auditId) => database.Plan(
            $"SELECT {StoredRevisionReader.Columns()} FROM audit_revision AS a {StoredRevisionReader.Outcomes} WHERE a.audit_id = @id",
            new() { ["id"] = auditId });
        var inRow = Plan("outcomes-in-row");
        Assert.Matches(@"on rule_trace +\(cost=[^)]*\) \(never executed\)", inRow);
        Assert.Matches(@"on moderation_decision +\(cost=[^)]*\) \(never executed\)", inRow);
        Assert.Matches(@"on rule_trace +\(cost=[^)]*\) \(actual time=[^)]* rows=[1-9]", Plan("outcomes-as-rows"));
    }

    [Fact]
    public async Task Seed_StoresAuditsTheServiceReadsGradesAndRecognisesAsItsOwn()
    {
        using var database = new TestDatabase();
        using var host = new GradingServiceHost(database);
        await StoreSeeding.SeedAsync(host, Seeded);

        Assert.Equal(Seeded, database.Count("SELECT count(*) FROM audit_revision"));
        Assert.Equal(Seeded, database.Count("SELECT count(*) FROM access_record WHERE action = 'write'"));
        Assert.Equal(0, database.Count("SELECT count(*) FROM (SELECT audit_id FROM audit_revision GROUP BY audit_id HAVING count(*) FILTER (WHERE is_latest) <> 1) AS wrong"));
        Assert.Equal(0, database.Count("SELECT count(*) FROM audit_revision WHERE answer IS NULL OR submission IS NOT NULL OR result IS NOT NULL OR position('XSEED'::bytea IN answer) > 0"));
        Assert.Equal(0, database.Count("SELECT count(*) FROM audit_revision WHERE trace_positions IS NULL") + database.Count("SELECT count(*) FROM rule_trace"));
        Assert.InRange(database.Count("SELECT count(DISTINCT team) FROM audit_revision"), 10, 24);

        // The report's figures: one row per audit, its latest revision's, as the write path would make it.
        Assert.Equal(database.Count("SELECT count(*) FROM audit_revision WHERE is_latest"), database.Count("SELECT count(*) FROM audit_figures"));
        Assert.Equal(0, database.Count("""
            SELECT count(*) FROM audit_figures AS f JOIN audit_revision AS r ON r.audit_id = f.audit_id AND r.is_latest
            WHERE (f.revision, f.team, f.auditor_id, f.graded_at, f.overall_grade) IS DISTINCT FROM (r.revision, r.team, r.auditor_id, r.graded_at, r.overall_grade)
            """));

        var grader = new AuditGrader(RuleSetLoader.Load(RepositoryRoot.FixtureRules), TimeProvider.System);
        foreach (var auditId in new[] { "seed-1", "seed-2", "seed-1500", "seed-2700" })
        {
            var stored = (await host.Client.GetAuditAsync(new() { AuditId = auditId })).Audit;
            var again = grader.Grade(stored.Submission.ToDomain()).ToContract();
            Assert.Equal((auditId, auditId), (stored.Submission.AuditId, stored.Result.AuditId));
            Assert.StartsWith(stored.Submission.Team, stored.Submission.AuditorId, StringComparison.Ordinal);
            Assert.Equal(again.Trace, stored.Result.Trace);
            Assert.Equal((again.OverallGrade, again.Summary), (stored.Result.OverallGrade, stored.Result.Summary));

            // Sent again as it is stored, it is a retry: the stored revision comes back and nothing is written.
            var retry = (await host.Client.GradeAuditAsync(new() { Audit = stored.Submission.Clone().Also(s => s.AuditedAt = null) })).Result;
            Assert.Equal(stored.Result, retry);
        }

        Assert.Equal(Seeded, database.Count("SELECT count(*) FROM audit_revision"));

        // Each copy is stored with its answer, as the service stores what it grades: the same, byte for byte, as the
        // copy's documents give (first and second revisions, and the latest).
        Assert.Equal(Seeded, database.Count("SELECT count(*) FROM audit_revision WHERE answer IS NOT NULL"));
        var keys = Enumerable.Range(1, Seeded / 20).Select(i => $"seed-{i * 13}").SelectMany(id => new[] { (id, 0), (id, 1) })
            .Concat(Enumerable.Range(1, 10).Select(i => ($"seed-{i}", 2))).ToList();
        Assert.Equal(10, database.Count($"SELECT count(*) FROM audit_revision WHERE revision = 2 AND audit_id IN ({string.Join(',', Enumerable.Range(1, 10).Select(i => $"'seed-{i}'"))})"));
        var fromAnswers = await ReadAll(host, keys);
        Assert.Equal(Seeded, StoredBeforeAnswers.Rewrite(database, sentWithoutAuditedAt: true));
        var fromDocuments = await ReadAll(host, keys);
        Assert.All(keys, key => Assert.Equal(fromDocuments[key], fromAnswers[key]));
    }

    private static async Task<Dictionary<(string, int), byte[]>> ReadAll(GradingServiceHost host, List<(string AuditId, int Revision)> keys) =>
        (await Task.WhenAll(keys.Select(async k => (k, (await host.Client.GetAuditAsync(new() { AuditId = k.AuditId, Revision = k.Revision })).Audit.ToByteArray()))))
            .ToDictionary(r => r.k, r => r.Item2);

    private static async Task<List<AuditSummary>> ListAll(GradingServiceHost host, ListAuditsRequest request)
    {
        var listed = new List<AuditSummary>();
        request.PageSize = 500;
        do
        {
            var page = await host.Client.ListAuditsAsync(request);
            listed.AddRange(page.Audits);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");

        return listed;
    }
}
