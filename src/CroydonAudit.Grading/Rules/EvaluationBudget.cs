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
    private static long _deadlineTick;

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
            if (Environment.TickCount64 >= _deadlineTick)
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
        var previous = new Scope(_inScope, _remaining, _cancellation, _deadlineTick);
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var left = deadline is { } at && at < DateTime.MaxValue ? (long)Math.Clamp((at - now).TotalMilliseconds, 0, long.MaxValue / 4) : long.MaxValue / 2;
        (_inScope, _remaining, _cancellation, _deadlineTick) = (true, steps, cancellationToken, Environment.TickCount64 + left);
        return previous;
    }

    /// <summary>Makes every lambda inside an expression count a step each time it is called.</summary>
    internal static Expression Metered(Expression expression) => new Meter().Visit(expression);

    /// <summary>Restores the budget that was in force before <see cref="Begin"/>.</summary>
    public readonly struct Scope(bool inScope, long remaining, CancellationToken cancellation, long deadlineTick) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => (_inScope, _remaining, _cancellation, _deadlineTick) = (inScope, remaining, cancellation, deadlineTick);
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
