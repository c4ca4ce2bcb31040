using System.Collections.Concurrent;
using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Api.Rules;
using CroydonAudit.Grading.Rules;
using Microsoft.AspNetCore.Http;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// The rule set that graded an audit, for the audit page's "why not?": the active one in this process, or a
/// stored version read through the contract (GetRuleSet) and loaded once. At most <see cref="Kept"/> other
/// versions are kept; a version that cannot be read or loaded is null, and the page goes without.
/// </summary>
public sealed class PageRuleSets(ActiveRuleSet active, PageContract contract)
{
    /// <summary>How many versions other than the active one are kept loaded.</summary>
    public const int Kept = 8;

    private readonly ConcurrentDictionary<string, Lazy<Task<RuleSet?>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The rule set of <paramref name="version"/>, or null.</summary>
    public Task<RuleSet?> ForAsync(string version, HttpContext context)
    {
        if (active.IsLoaded && active.Grader.RuleSet is { } current && current.Version == version)
        {
            return Task.FromResult<RuleSet?>(current);
        }

        if (_loaded.Count >= Kept && !_loaded.ContainsKey(version))
        {
            _loaded.Clear();
        }

        return _loaded.GetOrAdd(version, v => new Lazy<Task<RuleSet?>>(() => LoadAsync(v, context))).Value;
    }

    private async Task<RuleSet?> LoadAsync(string version, HttpContext context)
    {
        try
        {
            var stored = await contract.RuleSets.GetRuleSetAsync(new GetRuleSetRequest { Version = version }, contract.As(context));
            return RuleSetLoader.TryLoad(stored.Files.ToSnapshot(), []);
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or RuleSetException)
        {
            _loaded.TryRemove(version, out _);
            return null;
        }
    }
}
