using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Store.Retention;
using CroydonAudit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>With Retention:Years set, revisions older than that are deleted with their trace, and each deletion is in the access log.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly RulesHost _host;

    public RetentionTests() => _host = new RulesHost(RepositoryRoot.FixtureRules, _database, new Dictionary<string, string> { ["Retention:Years"] = "6" });

    [Fact]
    public async Task Retention_DeletesOnlyOldRevisions_WithTheirTrace_AndRecordsEachDeletion()
    {
        foreach (var id in new[] { "old-audit", "new-audit" })
        {
            await _host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("override-relaxes-soft-limit").Audit.Also(a => a.AuditId = id) });
        }

        _database.Count("WITH aged AS (UPDATE audit_revision SET received_at = now() - interval '7 years' WHERE audit_id = 'old-audit' RETURNING 1) SELECT count(*) FROM aged");

        var deleted = await _host.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(0, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'old-audit'"));
        Assert.Equal(1, _database.Count("SELECT count(*) FROM audit_revision WHERE audit_id = 'new-audit'"));
        Assert.Equal(0, _database.Count("SELECT count(*) FROM rule_trace WHERE revision_id NOT IN (SELECT id FROM audit_revision)"));
        Assert.Equal(1, _database.Count("SELECT count(*) FROM access_record WHERE action = 'deleted' AND audit_id = 'old-audit' AND revision = 1 AND method = 'retention job'"));
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }
}
