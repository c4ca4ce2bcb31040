using Croydon.Audit.V1;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;
using Npgsql;

namespace CroydonAudit.FunctionalTests.Rules;

/// <summary>
/// The database decides which rule set grades: every replica follows its active rule set within 2 s; a
/// replica's own folder, older or newer, never replaces the active rule set, and is activated only on a database
/// where nothing ever was; a broken folder grades by the active set, and with no good set anywhere the service
/// does not start.
/// </summary>
public sealed class ActiveRuleSetTests : IDisposable
{
    private static readonly TimeSpan Follows = TimeSpan.FromSeconds(2);
    private readonly TestDatabase _database = new();
    private readonly List<IDisposable> _disposables = [];

    [Fact]
    public async Task TwoReplicas_OneActivates_BothGradeByItWithinTwoSeconds()
    {
        var (first, second) = (Host(RepositoryRoot.FixtureRules), Host(RepositoryRoot.FixtureRules));
        var changed = Folder(RuleMistakes.MakeCareActPartialInadequate);
        Assert.Equal(await first.ServingVersionAsync(), await second.ServingVersionAsync());

        var activated = await first.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(changed) } });

        Assert.True(await Eventually.HoldsAsync(async () => await second.ServingVersionAsync() == activated.Active.Version, Follows));
        var graded = (await second.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit })).Result;
        Assert.Equal((activated.Active.Version, Grade.Inadequate), (graded.RuleSetVersion, graded.OverallGrade));
    }

    [Fact]
    public async Task Restart_WithAnOlderFolder_NeverUndoesANewerActivation()
    {
        var first = Host(RepositoryRoot.FixtureRules);
        var newer = await first.RuleSets.ActivateRuleSetAsync(new() { Files = { RuleFiles.Of(Folder(RuleMistakes.MakeCareActPartialInadequate)) } });

        // A replica starting with the folder that was active before the newer activation.
        var restarted = Host(RepositoryRoot.FixtureRules);

        Assert.Equal(newer.Active.Version, await restarted.ServingVersionAsync());
        Assert.Equal(newer.Active, (await restarted.RuleSets.GetRuleSetStatusAsync(new())).Active);
        Assert.Contains(restarted.Logs.Events, e => e.Message.Contains("which is not the active rule set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithAFolderNeverActiveBefore_GradesByTheActiveRuleSet_OnlyANewDatabaseTakesItsFolder()
    {
        var first = Host(RepositoryRoot.FixtureRules);
        var original = await first.ServingVersionAsync();
        var changed = Folder(RuleMistakes.MakeCareActPartialInadequate);

        var second = Host(changed);

        Assert.Equal(original, await second.ServingVersionAsync());
        var status = await second.RuleSets.GetRuleSetStatusAsync(new());
        Assert.Equal((original, RuleSetSource.RulesFolder), (status.Active.Version, status.Active.Source));
        Assert.Equal(1, _database.Count("SELECT count(*) FROM rule_set_activation"));
        Assert.Contains(second.Logs.Events, e => e.Message.Contains("A folder never changes the active rule set", StringComparison.Ordinal));
        // The first rule set on a new database is its folder's, with the worked cases it holds.
        Assert.Equal(FixtureCases.Names.Count(), _database.Count($"SELECT count(*) FROM rule_set_file WHERE version = '{original}' AND path LIKE 'tests/%'"));
    }

    [Theory]
    [InlineData("typo'd fact")]
    [InlineData("invalid JSON")]
    [InlineData("worked case not JSON")]
    public async Task Start_WithABrokenFolder_GradesByTheActiveRuleSetAndSaysSo(string mistake)
    {
        var good = await Host(RepositoryRoot.FixtureRules).ServingVersionAsync();
        var reason = "";
        var broken = Folder(c => reason = RuleMistakes.Make(c, mistake));

        var host = Host(broken);

        Assert.Equal(good, await host.ServingVersionAsync());
        Assert.Contains(reason, string.Join('\n', (await host.RuleSets.GetRuleSetStatusAsync(new())).LastRefusal.Reasons), StringComparison.Ordinal);
        Assert.Contains(host.Logs.Events, e => e.Message.Contains("cannot be used, so they were not activated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithFilesWrittenWithCommentsAndTrailingCommas_LoadsThem()
    {
        var folder = Folder(AsPeopleWriteThem);

        var host = Host(folder);

        var status = await host.RuleSets.GetRuleSetStatusAsync(new());
        Assert.Equal(RuleFiles.VersionOf(folder), status.ServingVersion);
        Assert.Equal(status.ServingVersion, status.Active.Version);
        Assert.Null(status.LastRefusal);
        var graded = (await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("care-act-partial").Audit })).Result;
        Assert.Equal((status.ServingVersion, Grade.RequiresImprovement), (graded.RuleSetVersion, graded.OverallGrade));
    }

    [Fact]
    public async Task Start_WithAMissingBraceAmongCommentedFiles_GradesByTheActiveRuleSet_AndSaysWhereInOneLine()
    {
        var good = await Host(RepositoryRoot.FixtureRules).ServingVersionAsync();
        var broken = Folder(c =>
        {
            AsPeopleWriteThem(c);
            c.Write("limits.json", MissingBrace);
        });

        var host = Host(broken);

        Assert.Equal(good, await host.ServingVersionAsync());
        var reasons = (await host.RuleSets.GetRuleSetStatusAsync(new())).LastRefusal.Reasons;
        var reason = Assert.Single(reasons, r => r.Contains("is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(MissingBraceAt, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", reason, StringComparison.Ordinal);
        Assert.Equal(good, (await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result.RuleSetVersion);
        Assert.DoesNotContain(host.Logs.Events, e => e.Exception is not null && e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public void Start_WithABrokenFolderAndNoGoodRuleSetAnywhere_DoesNotStart()
    {
        var broken = Folder(c => RuleMistakes.Make(c, "typo'd fact"));
        var host = new RulesHost(broken, _database);
        _disposables.Add(host);

        Assert.ThrowsAny<Exception>(() => host.Client.PreviewGrade(new() { Audit = FixtureCases.Load("complete-good").Audit }));
        Assert.Contains(host.Logs.Events, e => e.Message.Contains("The service cannot start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithTheDatabaseDown_PreviewsByTheFolderAndActivatesItWhenTheDatabaseReturns()
    {
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        using var proxy = new TcpProxy(server.Host!, server.Port);
        proxy.TakeDown();
        var host = new ProxiedRulesHost(_database, proxy.Port);
        _disposables.Add(host);

        var preview = (await host.Client.PreviewGradeAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result;
        var whileDown = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit }));
        proxy.Restore();

        Assert.Equal(RuleFiles.VersionOf(RepositoryRoot.FixtureRules), preview.RuleSetVersion);
        Assert.Equal(StatusCode.Unavailable, whileDown.StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () => (await host.RuleSets.GetRuleSetStatusAsync(new())).Active?.Version == preview.RuleSetVersion, TimeSpan.FromSeconds(15)));
        var stored = (await host.Client.GradeAuditAsync(new() { Audit = FixtureCases.Load("complete-good").Audit })).Result;
        Assert.Equal(preview.RuleSetVersion, stored.RuleSetVersion);
    }

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        _database.Dispose();
    }

    private RulesHost Host(string rules)
    {
        var host = new RulesHost(rules, _database);
        _disposables.Add(host);
        _ = host.Channel;
        return host;
    }

    private string Folder(Action<RuleFolderCopy> change)
    {
        var copy = new RuleFolderCopy();
        _disposables.Add(copy);
        change(copy);
        return copy.Path;
    }

    // A limit rule whose closing brace is missing, in a file otherwise written as people write JSON.
    internal const string MissingBrace = "{\n  // Edited by hand.\n  \"WorkflowName\": \"limits\",\n  \"Rules\": [\n    {\n      \"RuleName\": \"limit.care-act-partial\",\n      \"Expression\": \"true\",\n  ],\n}\n";

    // Where MissingBrace is not JSON: the bracket that closes the list while the rule is still open.
    internal const string MissingBraceAt = "limits.json: is not valid JSON at line 8, column 3";

    // Every rule file and worked case, with comments and a comma after each last item.
    internal static void AsPeopleWriteThem(RuleFolderCopy copy)
    {
        foreach (var file in Directory.EnumerateFiles(copy.Path, "*.json", SearchOption.AllDirectories))
        {
            copy.WriteAsPeopleDo(Path.GetRelativePath(copy.Path, file));
        }
    }

    private sealed class ProxiedRulesHost(TestDatabase database, int port) : GradingServiceHost(database)
    {
        protected override string StoreConnectionString =>
            new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = port, Timeout = 2 }.ConnectionString;
    }
}
