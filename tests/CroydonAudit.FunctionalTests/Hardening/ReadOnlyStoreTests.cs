using CroydonAudit.FunctionalTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;

namespace CroydonAudit.FunctionalTests.Hardening;

/// <summary>
/// A database that accepts no writes — what a failover to a standby looks like — makes GradeAudit UNAVAILABLE
/// (safe to retry) and health NOT_SERVING, and both recover without a restart when it accepts writes again.
/// </summary>
public sealed class ReadOnlyStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly GradingServiceHost _host;

    public ReadOnlyStoreTests() => _host = new GradingServiceHost(_database);

    [Fact]
    public async Task ReadOnlyDatabase_IsUnavailableAndNotServing_ThenRecovers()
    {
        await _host.Client.GradeAuditAsync(new() { Audit = Audit("before-read-only") });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthProbe.EventuallyAsync(_host.Health, HealthCheckResponse.Types.ServingStatus.Serving));

        _database.AlterAndReconnect($"ALTER DATABASE {_database.Name} SET default_transaction_read_only = on");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.GradeAuditAsync(new() { Audit = Audit("while-read-only") }));
        var health = await HealthProbe.EventuallyAsync(_host.Health, HealthCheckResponse.Types.ServingStatus.NotServing);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("GradeAudit is idempotent", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health);

        _database.AlterAndReconnect($"ALTER DATABASE {_database.Name} RESET default_transaction_read_only");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthProbe.EventuallyAsync(_host.Health, HealthCheckResponse.Types.ServingStatus.Serving));
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await _host.Client.GradeAuditAsync(new() { Audit = Audit("after-read-only") })).Result.Revision == 1;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20)));
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'while-read-only'"));
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    private static Croydon.Audit.V1.AuditSubmission Audit(string id) => FixtureCases.Load("complete-good").Audit.Also(a => a.AuditId = id);
}
