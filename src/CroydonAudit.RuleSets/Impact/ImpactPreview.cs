using System.Threading.Channels;
using CroydonAudit.Grading;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.Store;

namespace CroydonAudit.RuleSets.Impact;

/// <summary>
/// Re-grades stored audits with a candidate rule set, on every core, writing nothing, and tallies what would
/// change. The candidate must load; its worked cases need not pass yet (the principal social worker looks at
/// the impact before updating them), and the report says which fail.
/// </summary>
public static class ImpactPreview
{
    /// <summary>The most changed audit ids a report may list.</summary>
    public const int MaxListedAudits = 1_000;

    /// <summary>Compares every stored audit the stream yields.</summary>
    public static async Task<RuleSetImpact> RunAsync(CheckedRuleSet candidate, IAsyncEnumerable<LatestRevision> stored, int maxListed, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        var ruleSet = candidate.RuleSet ?? throw new ArgumentException("The candidate's rules do not load; there is nothing to preview.", nameof(candidate));
        maxListed = Math.Clamp(maxListed, 0, MaxListedAudits);
        var queue = Channel.CreateBounded<LatestRevision>(new BoundedChannelOptions(1_024) { SingleWriter = true });
        // A worker that fails stops the others and the reading at once: left alone, the reading would wait on a full
        // queue nobody empties until the caller's deadline.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Task.Run(() => TallyAsync(new AuditGrader(ruleSet, clock ?? TimeProvider.System), queue.Reader, maxListed, stop.Token), stop.Token))
            .ToArray();
        foreach (var worker in workers)
        {
            _ = worker.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        try
        {
            await foreach (var revision in stored.WithCancellation(stop.Token))
            {
                await queue.Writer.WriteAsync(revision, stop.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A worker failed: its error is the one thrown below.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The stored audits could not be read: the workers are stopped and waited for before that is the answer.
            await stop.CancelAsync();
            queue.Writer.TryComplete();
            await ((Task)Task.WhenAll(workers)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        finally
        {
            queue.Writer.TryComplete();
        }

        Tally[] tallies;
        try
        {
            tallies = await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested
            && workers.FirstOrDefault(w => w.IsFaulted && w.Exception!.InnerException is not OperationCanceledException) is { } failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Exception!.InnerException!);
            throw;
        }

        var tally = Tally.Merge(tallies, maxListed);
        return new RuleSetImpact(
            ruleSet.Version,
            ruleSet.Label,
            tally.Compared,
            tally.Changed,
            [.. tally.Grades.Select((count, i) => new GradeChange((Grade)(i / 5), (Grade)(i % 5), count)).Where(g => g.Audits > 0)],
            tally.CompleteToIncomplete,
            tally.IncompleteToComplete,
            tally.ChangedIds,
            [.. ruleSet.Rules.Select(r => r.RuleId).Concat(tally.Fired.Keys.Order(StringComparer.Ordinal)).Distinct()
                .Select(id => tally.Fired.TryGetValue(id, out var c) ? new RuleFireCount(id, c.Stored, c.Candidate) : null)
                .OfType<RuleFireCount>().Where(c => c.Stored != c.Candidate)],
            tally.Failed,
            tally.FailedCount,
            [.. candidate.Report.Cases.Where(c => !c.Passed)]);
    }

    private static async Task<Tally> TallyAsync(AuditGrader grader, ChannelReader<LatestRevision> queue, int maxListed, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        await foreach (var stored in queue.ReadAllAsync(cancellationToken))
        {
            GradingResult result;
            try
            {
                result = grader.Grade(stored.Submission, cancellationToken);
            }
            catch (RuleEvaluationException e)
            {
                if (tally.FailedCount++ < maxListed)
                {
                    tally.Failed.Add($"{stored.AuditId}: rule \"{e.RuleId}\" could not be evaluated: {e.Problem}");
                }

                continue;
            }

            tally.Compared++;
            tally.Grades[((int)stored.OverallGrade * 5) + (int)result.OverallGrade]++;
            var statusChanged = stored.Status != result.Status;
            if (statusChanged)
            {
                _ = result.Status == AuditStatus.Incomplete ? tally.CompleteToIncomplete++ : tally.IncompleteToComplete++;
            }

            if (statusChanged || stored.OverallGrade != result.OverallGrade)
            {
                tally.Changed++;
                tally.ChangedIds.Add(stored.AuditId);
                if (tally.ChangedIds.Count > (2 * maxListed) + 1_000)
                {
                    tally.Trim(maxListed);
                }
            }

            foreach (var ruleId in stored.FiredRules)
            {
                tally.Count(ruleId, stored: 1, candidate: 0);
            }

            foreach (var entry in result.Trace)
            {
                if (entry.Fired)
                {
                    tally.Count(entry.RuleId, stored: 0, candidate: 1);
                }
            }
        }

        tally.Trim(maxListed);
        return tally;
    }

    private sealed class Tally
    {
        public int Compared { get; set; }

        public int Changed { get; set; }

        public int CompleteToIncomplete { get; set; }

        public int IncompleteToComplete { get; set; }

        public int FailedCount { get; set; }

        public int[] Grades { get; } = new int[25];

        public List<string> ChangedIds { get; private set; } = [];

        public List<string> Failed { get; private set; } = [];

        public Dictionary<string, (int Stored, int Candidate)> Fired { get; } = new(StringComparer.Ordinal);

        public void Count(string ruleId, int stored, int candidate)
        {
            var (s, c) = Fired.GetValueOrDefault(ruleId);
            Fired[ruleId] = (s + stored, c + candidate);
        }

        // Each worker keeps only the first ids (in id order) it could report, so memory stays bounded however many change.
        public void Trim(int maxListed)
        {
            if (ChangedIds.Count > maxListed)
            {
                ChangedIds = [.. ChangedIds.Order(StringComparer.Ordinal).Take(maxListed)];
            }
        }

        public static Tally Merge(Tally[] tallies, int maxListed)
        {
            var all = new Tally();
            foreach (var tally in tallies)
            {
                all.Compared += tally.Compared;
                all.Changed += tally.Changed;
                all.CompleteToIncomplete += tally.CompleteToIncomplete;
                all.IncompleteToComplete += tally.IncompleteToComplete;
                all.FailedCount += tally.FailedCount;
                for (var i = 0; i < all.Grades.Length; i++)
                {
                    all.Grades[i] += tally.Grades[i];
                }

                all.ChangedIds.AddRange(tally.ChangedIds);
                all.Failed.AddRange(tally.Failed);
                foreach (var (ruleId, (stored, candidate)) in tally.Fired)
                {
                    all.Count(ruleId, stored, candidate);
                }
            }

            all.ChangedIds = [.. all.ChangedIds.Order(StringComparer.Ordinal).Take(maxListed)];
            all.Failed = [.. all.Failed.Order(StringComparer.Ordinal).Take(maxListed)];
            return all;
        }
    }
}
