using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Store.RuleSets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CroydonAudit.Store.Tests;

/// <summary>
/// The store as the service wires it (<see cref="StoreServiceCollectionExtensions.AddAuditStore"/>), on a fresh database
/// of its own, migrated and connected as a deployment is, with no gRPC in front of it. Its revisions are saved without answers (the contract's message is
/// the service's), so they are read back from their documents.
/// </summary>
public sealed class StoreHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private IHost? _host;

    public TestDatabase Database => _database;

    public T Get<T>() where T : notnull => _host!.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        // As a deployment connects: the owner's role migrates, the service's reads and writes.
        var (owner, runtime) = _database.LeastPrivilege();
        builder.Configuration["ConnectionStrings:AuditOwner"] = owner;
        builder.Configuration["ConnectionStrings:Audit"] = runtime;
        builder.Services.AddAuditStore(_ => throw new InvalidOperationException("These tests store no answers."));
        _host = builder.Build();
        await _host.StartAsync();
        // The rule set the revisions say graded them: a stored revision is read back with its rules.
        var rules = RuleSetLoader.Load(RepositoryRoot.FixtureRules);
        await Get<RuleSetStore>().ActivateAsync(rules, null, "store-tests", RuleSetSource.RulesFolder, ActivationGuard.NothingActive, CancellationToken.None);
        RuleSetVersion = rules.Version;
    }

    /// <summary>The version of the rule set stored for the revisions (the tests' own fixture rules).</summary>
    public string RuleSetVersion { get; private set; } = "";

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _database.Dispose();
    }

    /// <summary>A graded audit of <paramref name="team"/>, received at <paramref name="receivedAt"/>, ready to save.</summary>
    public PendingRevision Revision(string auditId, string team, DateTimeOffset receivedAt, Grade grade = Grade.Good, string learning = "")
    {
        var submission = new AuditSubmission(auditId, $"case-{auditId}", "auditor-1", team, null, [], grade, "", KeyEvidence.None, Safeguarding.None, "", learning, "", [], []);
        var result = new GradingResult(auditId, 0, grade, grade, grade, grade, [], AuditStatus.Complete, false, false, [], [], "", RuleSetVersion, receivedAt);
        return new PendingRevision(submission, result, receivedAt);
    }
}
