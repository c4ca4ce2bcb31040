using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Store;

/// <summary>
/// The store goes away — between calls or in the middle of a transaction — and comes back: calls end
/// UNAVAILABLE with nothing half-written, PreviewGrade carries on, health follows the store, and
/// retries succeed without a restart.
/// </summary>
public sealed class StoreOutageTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly TcpProxy _proxy;
    private readonly ProxiedHost _host;

    public StoreOutageTests()
    {
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _proxy = new TcpProxy(server.Host!, server.Port);
        _host = new ProxiedHost(_database, _proxy.Port);
    }

    [Fact]
    public async Task GradeAudit_StoreDown_IsUnavailableAndPreviewGradeCarriesOn()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("before-outage") });
        _proxy.TakeDown();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.GradeAuditAsync(new() { Audit = Audit("during-outage") }));
        var preview = await _host.Client.PreviewGradeAsync(new() { Audit = Audit("during-outage") });
        var health = await HealthProbe.EventuallyAsync(_host.Health, HealthCheckResponse.Types.ServingStatus.NotServing);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(Grade.Good, preview.Result.OverallGrade);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health);
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'during-outage'"));
    }

    [Fact]
    public async Task Store_ComesBack_HealthAndGradeAuditRecoverWithoutARestart()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("warm") });
        _proxy.TakeDown();
        await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.GradeAuditAsync(new() { Audit = Audit("comeback") }));

        _proxy.Restore();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthProbe.EventuallyAsync(_host.Health, HealthCheckResponse.Types.ServingStatus.Serving));
        var graded = await Eventually(() => _host.Client.GradeAuditAsync(new() { Audit = Audit("comeback") }).ResponseAsync);
        Assert.Equal(1, graded.Result.Revision);
        Assert.Equal(OutcomesPerAudit, Outcomes("comeback"));
    }

    [Fact]
    public async Task GradeAudit_StoreLostMidTransaction_LeavesNothingHalfWritten()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("first") });

        // Sever as the batch's first round trip goes (BEGIN, its audits locked, the latest revision of each
        // superseded): the transaction has begun, and its writes and COMMIT never arrive. Two uses in, the
        // statement is still sent as text, not yet prepared.
        _proxy.TakeDownWhenClientSends("pg_advisory_xact_lock");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.GradeAuditAsync(new() { Audit = Audit("severed") }));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        _proxy.Restore();
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'severed'"));
        Assert.Equal(OutcomesPerAudit * _database.Count("SELECT count(*) FROM audit_revision"), _database.Outcomes());
        var retried = await Eventually(() => _host.Client.GradeAuditAsync(new() { Audit = Audit("severed") }).ResponseAsync);
        Assert.Equal(1, retried.Result.Revision);
        Assert.Equal(OutcomesPerAudit, Outcomes("severed"));
    }

    [Fact]
    public async Task GradeAudit_StoreLostUnderLoad_EveryRevisionIsWholeAndRetriesAreIdempotent()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"load-{i:D2}").ToList();
        var calls = ids.Select(async id =>
        {
            try
            {
                return (id, (await _host.Client.GradeAuditAsync(new() { Audit = Audit(id) })).Result.Revision);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return (id, 0);
            }
        }).ToList();
        await Task.Delay(30);
        _proxy.TakeDown();
        var outcomes = await Task.WhenAll(calls);
        _proxy.Restore();

        var retried = new List<int>();
        foreach (var (id, _) in outcomes)
        {
            retried.Add((await Eventually(() => _host.Client.GradeAuditAsync(new() { Audit = Audit(id) }).ResponseAsync)).Result.Revision);
        }

        Assert.All(retried, revision => Assert.Equal(1, revision));
        Assert.Equal(40, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id LIKE 'load-%'"));
        Assert.Equal(40 * OutcomesPerAudit, _database.Outcomes("r.audit_id LIKE 'load-%'"));
        Assert.Equal(OutcomesPerAudit * _database.Count("SELECT count(*) FROM audit_revision"), _database.Outcomes());
    }

    public void Dispose()
    {
        _host.Dispose();
        _proxy.Dispose();
        _database.Dispose();
    }

    // Each audit here is the complete-good case under another id: one outcome stored per rule that fired for it.
    private static readonly int OutcomesPerAudit = FixtureCases.Load("complete-good").Expect.Fired.Count;

    private long Outcomes(string auditId) =>
        _database.Outcomes($"r.audit_id = '{auditId}'");

    private static AuditSubmission Audit(string id) => FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = id);

    // After an outage the circuit breaker may still be open for a moment: a caller retries UNAVAILABLE.
    private static async Task<T> Eventually<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    private sealed class ProxiedHost(TestDatabase database, int port) : GradingServiceHost(database)
    {
        protected override string StoreConnectionString =>
            new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = port, Timeout = 2 }.ConnectionString;
    }
}
