using System.Linq.Expressions;
using System.Reflection;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Text;

/// <summary>What kind of value a condition compares.</summary>
internal enum ValueKind
{
    /// <summary>A grade's rank (1 Outstanding … 4 Inadequate, 0 none), with grades added or taken away.</summary>
    Rank,
    /// <summary>How many of something there are (of its owner, when it has one).</summary>
    Count,
    /// <summary>Any other number.</summary>
    Number,
    /// <summary>A recorded value of the audit's own (risk, Care Act compliance).</summary>
    Recorded,
    /// <summary>The option chosen in answer to a question of the template.</summary>
    Option,
    /// <summary>How far apart two grades are.</summary>
    Apart,
    /// <summary>A constant written in the rule.</summary>
    Constant,
}

/// <summary>A value a condition compares, in words.</summary>
/// <param name="Kind">What kind of value it is.</param>
/// <param name="Words">It, mid-sentence: "the lowest area grade", "risk".</param>
/// <param name="Offset">Grades added to a rank (taken away when negative).</param>
/// <param name="Owner">Whose count it is ("the override rationale"); empty for the audit's own.</param>
/// <param name="One">For a count, one of what it counts.</param>
/// <param name="Many">More than one of them.</param>
/// <param name="Fact">The recorded value's fact.</param>
/// <param name="Question">The question whose option it is.</param>
/// <param name="Constant">The constant.</param>
/// <param name="Other">The second of two grades apart.</param>
internal sealed record ConditionValue(ValueKind Kind, string Words, int Offset = 0, string Owner = "", string One = "", string Many = "",
    MemberInfo? Fact = null, string? Question = null, object? Constant = null, string Other = "");

/// <summary>Comparisons of grades in words: a lower rank is a better grade.</summary>
internal static class Grades
{
    /// <summary>A grade compared with a fixed grade: "is below Good", "is Good or above"; null when it cannot be said.</summary>
    public static string? Against(string grade, ExpressionType op, int rank)
    {
        var named = rank is >= 1 and <= 4 ? Words.Of((Grade)rank) : null;
        return (op, rank) switch
        {
            (ExpressionType.Equal, 0) or (ExpressionType.LessThanOrEqual, 0) or (ExpressionType.LessThan, 1) => $"{grade} is not set",
            (ExpressionType.NotEqual, 0) or (ExpressionType.GreaterThan, 0) or (ExpressionType.GreaterThanOrEqual, 1) => $"{grade} is set",
            _ when named is null => null,
            (ExpressionType.Equal, _) => $"{grade} is {named}",
            (ExpressionType.NotEqual, _) => $"{grade} is not {named}",
            (ExpressionType.GreaterThan, _) => $"{grade} is below {named}",
            (ExpressionType.GreaterThanOrEqual, _) => $"{grade} is {named} or below",
            (ExpressionType.LessThan, _) => $"{grade} is above {named}",
            (ExpressionType.LessThanOrEqual, _) => $"{grade} is {named} or above",
            _ => null,
        };
    }

    /// <summary>
    /// A grade compared with another, <paramref name="worse"/> grades worse (better when negative): "is worse than",
    /// "is more than one grade better than".
    /// </summary>
    public static string? Between(string grade, ExpressionType op, string other, int worse)
    {
        if (worse == 0)
        {
            return op switch
            {
                ExpressionType.Equal => $"{grade} is the same grade as {other}",
                ExpressionType.NotEqual => $"{grade} is not the same grade as {other}",
                ExpressionType.LessThan => $"{grade} is better than {other}",
                ExpressionType.LessThanOrEqual => $"{grade} is no worse than {other}",
                ExpressionType.GreaterThan => $"{grade} is worse than {other}",
                ExpressionType.GreaterThanOrEqual => $"{grade} is no better than {other}",
                _ => null,
            };
        }

        // Below the other by more than n (a larger rank), or above it by more than n (a smaller rank).
        var (n, way) = worse > 0 ? (worse, "worse") : (-worse, "better");
        var apart = $"{Counts.Number(n)} grade{(n == 1 ? "" : "s")} {way} than {other}";
        var beyond = worse > 0 ? ExpressionType.GreaterThan : ExpressionType.LessThan;
        var atLeast = worse > 0 ? ExpressionType.GreaterThanOrEqual : ExpressionType.LessThanOrEqual;
        return op switch
        {
            ExpressionType.Equal => $"{grade} is exactly {apart}",
            ExpressionType.NotEqual => $"{grade} is not exactly {apart}",
            _ when op == beyond => $"{grade} is more than {apart}",
            _ when op == atLeast => $"{grade} is at least {apart}",
            ExpressionType.LessThan or ExpressionType.GreaterThan => $"{grade} is not at least {apart}",
            _ => $"{grade} is not more than {apart}",
        };
    }

    /// <summary>How far apart two grades are: "is at least 2 grades away from".</summary>
    public static string? Apart(string grade, ExpressionType op, string other, int grades)
    {
        if (grades == 0 && op is ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan)
        {
            return op is ExpressionType.Equal or ExpressionType.LessThanOrEqual ? $"{grade} is the same grade as {other}" : $"{grade} is not the same grade as {other}";
        }

        return $"{grade} is {Counts.Compared(op)}{Counts.Number(grades)} grade{(grades == 1 ? "" : "s")} away from {other}";
    }
}

/// <summary>Counts and numbers in words: "there are no recommendations", "the override rationale has at least 10 words".</summary>
internal static class Counts
{
    /// <summary>A count compared with a number.</summary>
    public static string Text(ConditionValue count, ExpressionType op, int n)
    {
        var quantity = (op, n) switch
        {
            (ExpressionType.Equal, 0) or (ExpressionType.LessThan, 1) or (ExpressionType.LessThanOrEqual, 0) => "no",
            (ExpressionType.NotEqual, 0) or (ExpressionType.GreaterThan, 0) or (ExpressionType.GreaterThanOrEqual, 1) => "at least one",
            (ExpressionType.GreaterThanOrEqual, < 1) => "any number of",
            _ => $"{Compared(op, exactly: true)}{Number(n)}",
        };
        var one = quantity.EndsWith("one", StringComparison.Ordinal);
        var noun = one ? count.One : count.Many;
        return count.Owner.Length > 0 ? $"{count.Owner} has {quantity} {noun}" : $"there {(one ? "is" : "are")} {quantity} {noun}";
    }

    /// <summary>A value as a noun: "the number of recommendations", "the lowest area grade", "10".</summary>
    public static string Amount(ConditionValue value) => value.Kind switch
    {
        ValueKind.Count => value.Owner.Length > 0 ? $"the number of {value.Many} {value.Owner} has" : $"the number of {value.Many}",
        ValueKind.Constant => value.Constant is int n ? Number(n) : value.Words,
        _ => value.Words,
    };

    /// <summary>How a comparison reads before the number: "at least ", "more than ", "" for equal.</summary>
    public static string Compared(ExpressionType op, bool exactly = false, bool counting = true) => op switch
    {
        ExpressionType.Equal => exactly ? "exactly " : "",
        ExpressionType.NotEqual => exactly ? "not exactly " : "not ",
        ExpressionType.LessThan => counting ? "fewer than " : "less than ",
        ExpressionType.LessThanOrEqual => "at most ",
        ExpressionType.GreaterThan => "more than ",
        _ => "at least ",
    };

    /// <summary>A number as the service writes it: "one", otherwise figures.</summary>
    public static string Number(int n) => n == 1 ? "one" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
