using System.Linq.Expressions;
using System.Reflection;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// How much work grading one audit may do. Every per-element step of a rule — one call of a lambda passed to
/// Any, Count, Where and the like — counts against the audit's budget, and the caller's cancellation (its
/// deadline) is checked every few thousand steps. A rule that needs more than the budget fails, naming it,
/// and stops at once: a rule can never run without bound, and the count is the same on any machine.
/// </summary>
public static class EvaluationBudget
{
    /// <summary>The default budget: ample for hundreds of rules over an audit's nine areas and fifty recommendations.</summary>
    public const long DefaultSteps = 1_000_000;

    private const long CheckEvery = 4_096;

    private static readonly MethodInfo StepMethod = typeof(EvaluationBudget).GetMethod(nameof(Step), BindingFlags.Public | BindingFlags.Static)!;

    [ThreadStatic]
    private static long _remaining;

    [ThreadStatic]
    private static bool _inScope;

    [ThreadStatic]
    private static CancellationToken _cancellation;

    [ThreadStatic]
    private static long _deadline;

    [ThreadStatic]
    private static TimeProvider? _clock;

    /// <summary>Counts one step; throws when the budget is spent or the caller has given up. Called from rewritten rule expressions.</summary>
    public static bool Step()
    {
        if (!_inScope)
        {
            throw new InvalidOperationException("A rule was evaluated outside an evaluation budget.");
        }

        if (--_remaining < 0)
        {
            throw new EvaluationBudgetExceededException();
        }

        if (_remaining % CheckEvery == 0)
        {
            // The deadline is read from the clock as well as the token: a token cancelled by a timer can fire late on a busy machine.
            _cancellation.ThrowIfCancellationRequested();
            if (_clock!.GetTimestamp() >= _deadline)
            {
                throw new GradingDeadlineException();
            }
        }

        return true;
    }

    /// <summary>
    /// Grades on this thread within <paramref name="steps"/>, and before <paramref name="deadline"/> (UTC, by
    /// <paramref name="clock"/>), until disposed.
    /// </summary>
    public static Scope Begin(long steps, CancellationToken cancellationToken, DateTime? deadline = null, TimeProvider? clock = null)
    {
        var previous = new Scope(_inScope, _remaining, _cancellation, _deadline, _clock);
        clock ??= TimeProvider.System;
        // The deadline as a timestamp of the same clock, so that time passes for it as for the clock (a test's, too).
        var left = deadline is { } at && at < DateTime.MaxValue ? Math.Clamp((at - clock.GetUtcNow().UtcDateTime).TotalSeconds, 0, 1e7) : (double?)null;
        var until = left is { } seconds ? clock.GetTimestamp() + (long)(seconds * clock.TimestampFrequency) : long.MaxValue;
        (_inScope, _remaining, _cancellation, _deadline, _clock) = (true, steps, cancellationToken, until, clock);
        return previous;
    }

    /// <summary>Makes every lambda inside an expression count a step each time it is called.</summary>
    internal static Expression Metered(Expression expression) => new Meter().Visit(expression);

    /// <summary>Restores the budget that was in force before <see cref="Begin"/>.</summary>
    public readonly struct Scope(bool inScope, long remaining, CancellationToken cancellation, long deadline, TimeProvider? clock) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => (_inScope, _remaining, _cancellation, _deadline, _clock) = (inScope, remaining, cancellation, deadline, clock);
    }

    private sealed class Meter : ExpressionVisitor
    {
        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var body = Visit(node.Body);
            return Expression.Lambda<T>(Expression.Condition(Expression.Call(StepMethod), body, Expression.Default(body.Type)), node.Name, node.TailCall, node.Parameters);
        }
    }
}

/// <summary>A rule needed more steps than the audit's evaluation budget allows.</summary>
public sealed class EvaluationBudgetExceededException()
    : Exception("it needed more work than the evaluation budget allows for one audit: it does too much (lists within lists?)");
