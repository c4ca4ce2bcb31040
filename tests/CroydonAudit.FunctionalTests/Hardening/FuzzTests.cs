using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.FunctionalTests.Hardening;

/// <summary>Thousands of seeded bad requests: every answer is OK, INVALID_ARGUMENT, NOT_FOUND or RESOURCE_EXHAUSTED, within 8 KB, and nothing hangs or logs an error.</summary>
public sealed class FuzzTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private const int Requests = 3_000;

    [Fact]
    public async Task FuzzedRequests_OnlyClearStatusesBoundedErrorsAndNoErrorsLogged()
    {
        using var raw = new RawGrpc(host.Address, host.AdminToken);
        var fuzzer = new RequestFuzzer(FixtureCases.Load("complete-good").Audit, seed: 20261130);
        var unexpected = new List<string>();

        for (var batch = 0; batch < Requests / 50; batch++)
        {
            var calls = Enumerable.Range(0, 50).Select(_ => fuzzer.Next()).Select(async r => (r.Method, Outcome: await raw.CallAsync(r.Method, r.Body))).ToList();
            foreach (var (method, outcome) in await Task.WhenAll(calls))
            {
                var allowed = outcome.Status is 0 or 3 or 8 || (outcome.Status == 5 && method.EndsWith("/GetAudit", StringComparison.Ordinal));
                if (!allowed || outcome.ErrorBytes >= 8 * 1024)
                {
                    unexpected.Add($"{method}: {outcome}");
                }
            }
        }

        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected.Take(20)));
        Assert.DoesNotContain(host.Logs.Events, e => e.Level >= LogLevel.Error && (e.Category.StartsWith("Grpc", StringComparison.Ordinal) || e.Category.StartsWith("CroydonAudit.Api", StringComparison.Ordinal)));
    }
}
