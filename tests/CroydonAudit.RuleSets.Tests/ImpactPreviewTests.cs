using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.Store;
using CroydonAudit.Testing;

namespace CroydonAudit.RuleSets.Tests;

/// <summary>An impact preview whose grading fails ends with that failure at once, never waiting out the caller's deadline.</summary>
public sealed class ImpactPreviewTests
{
    [Fact]
    public async Task AWorkerThatFails_StopsTheReading_AndItsErrorIsTheAnswer()
    {
        var candidate = RuleSetCheck.Run(RepositoryRoot.FixtureRules);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var read = 0;

        // Far more stored audits than the queue between reading and grading holds, each of which fails to grade.
        async IAsyncEnumerable<LatestRevision> Stored()
        {
            for (var i = 0; i < 100_000; i++)
            {
                read++;
                yield return new LatestRevision($"broken-{i}", null!, Grading.Domain.Grade.Good, Grading.Domain.AuditStatus.Complete, "v", []);
                await Task.Yield();
            }
        }

        var failing = ImpactPreview.RunAsync(candidate, Stored(), 10, deadline.Token);
        var finished = await Task.WhenAny(failing, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(failing, finished);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.IsNotType<OperationCanceledException>(error);
        Assert.False(deadline.IsCancellationRequested);
        Assert.True(read < 100_000, $"read {read} of 100,000 stored audits after the grading failed");
    }
}
