using System.Linq.Expressions;
using System.Reflection;
using CroydonAudit.Grading.Facts;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// What a rule expression may reach: an allow-list over the parsed expression, not a deny-list. A rule
/// may read the facts (and their parts), compare and combine them, do sums on numbers, count and filter
/// the facts' lists, and use Math.Max, Math.Min and Math.Abs. Anything else — GetType(), a clock, a text's
/// own methods, a generator such as Enumerable.Range — is refused when the rules load, so a rule can
/// neither read beyond the audit's facts nor run without bound.
/// </summary>
internal sealed class FactsOnly : ExpressionVisitor
{
    private static readonly HashSet<Type> FactTypes =
    [
        typeof(AuditFacts), typeof(GradingProgress), typeof(AreaFact), typeof(TextFact),
        typeof(KeyEvidenceFact), typeof(RecommendationFact), typeof(IFindingSubject), typeof(AnswerFact), typeof(SectionFact),
    ];

    /// <summary>The types whose members rule expressions may reach (the parser is told of them, to call their methods).</summary>
    public static IReadOnlyCollection<Type> Types => FactTypes;

    private static readonly HashSet<string> ListMethods = new(StringComparer.Ordinal)
    {
        nameof(Enumerable.Any), nameof(Enumerable.All), nameof(Enumerable.Count), nameof(Enumerable.Where),
        nameof(Enumerable.Select), nameof(Enumerable.Sum), nameof(Enumerable.Min), nameof(Enumerable.Max),
        nameof(Enumerable.First), nameof(Enumerable.FirstOrDefault), nameof(Enumerable.Last), nameof(Enumerable.LastOrDefault),
        nameof(Enumerable.Contains), nameof(Enumerable.Take), nameof(Enumerable.Skip), nameof(Enumerable.ElementAt),
    };

    private static readonly HashSet<string> MathMethods = new(StringComparer.Ordinal) { nameof(Math.Max), nameof(Math.Min), nameof(Math.Abs) };

    private static readonly HashSet<ExpressionType> Operators =
    [
        ExpressionType.Not, ExpressionType.Negate, ExpressionType.UnaryPlus, ExpressionType.Quote,
        ExpressionType.AndAlso, ExpressionType.OrElse, ExpressionType.And, ExpressionType.Or, ExpressionType.ExclusiveOr,
        ExpressionType.Equal, ExpressionType.NotEqual, ExpressionType.LessThan, ExpressionType.LessThanOrEqual,
        ExpressionType.GreaterThan, ExpressionType.GreaterThanOrEqual, ExpressionType.Add, ExpressionType.Subtract,
        ExpressionType.Multiply, ExpressionType.Divide, ExpressionType.Modulo, ExpressionType.Conditional, ExpressionType.Coalesce,
        ExpressionType.Lambda, ExpressionType.Parameter, ExpressionType.Constant, ExpressionType.MemberAccess,
        ExpressionType.Call, ExpressionType.Convert, ExpressionType.ConvertChecked,
    ];

    private readonly List<string> _refused = [];
    private readonly List<MemberInfo> _read = [];

    // Nodes already refused, and everything built on them: only the first step outside the facts is named
    // ("GetType()", not also the ".Assembly.Location" read from it).
    private readonly HashSet<Expression> _outside = [];

    /// <summary>What the expression uses that a rule may not, in words (empty when nothing).</summary>
    public static IReadOnlyList<string> Refused(Expression expression)
    {
        var visitor = new FactsOnly();
        visitor.Visit(expression);
        return visitor._refused.Distinct().ToList();
    }

    /// <summary>The fact members an expression reads, in order of first reading (e.g. <c>AuditFacts.HasProposedGrade</c>).</summary>
    public static IReadOnlyList<MemberInfo> Reads(Expression expression)
    {
        var visitor = new FactsOnly();
        visitor.Visit(expression);
        return visitor._read.Distinct().ToList();
    }

    /// <inheritdoc />
    public override Expression? Visit(Expression? node)
    {
        if (node is not null && !Operators.Contains(node.NodeType))
        {
            _refused.Add(Describe(node));
            return node;
        }

        return base.Visit(node);
    }

    /// <inheritdoc />
    protected override Expression VisitMember(MemberExpression node)
    {
        var visited = base.VisitMember(node);
        var declaring = node.Member.DeclaringType!;
        if (node.Expression is not null && _outside.Contains(node.Expression))
        {
            _outside.Add(node);
        }
        else if (FactTypes.Contains(declaring))
        {
            _read.Add(node.Member);
        }
        else if (!(node.Member.Name == "Count" && node.Expression is not null && IsList(node.Expression.Type)))
        {
            Refuse(node, node.Expression is null ? $"{declaring.Name}.{node.Member.Name}" : node.Member.Name);
        }

        return visited;
    }

    /// <inheritdoc />
    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var visited = base.VisitMethodCall(node);
        if ((node.Object is not null && _outside.Contains(node.Object)) || node.Arguments.Any(_outside.Contains))
        {
            _outside.Add(node);
            return visited;
        }

        var method = node.Method;
        var allowed = (method.DeclaringType == typeof(Enumerable) && ListMethods.Contains(method.Name))
            || (method.DeclaringType == typeof(Math) && MathMethods.Contains(method.Name))
            || (!method.IsStatic && !method.IsSpecialName && FactTypes.Contains(method.DeclaringType!) && method.DeclaringType != typeof(object)
                && method.Name is nameof(AuditFacts.Answer) or nameof(AuditFacts.Section) or nameof(AuditFacts.Evidencing) or nameof(AnswerFact.Is))
            || (method.Name == "get_Item" && node.Object is not null && IsList(node.Object.Type));
        if (!allowed)
        {
            Refuse(node, method.IsStatic ? $"{method.DeclaringType!.Name}.{method.Name}(…)" : $"{method.Name}(…)");
        }

        return visited;
    }

    private void Refuse(Expression node, string what)
    {
        _refused.Add(what);
        _outside.Add(node);
    }

    /// <inheritdoc />
    protected override Expression VisitBinary(BinaryExpression node)
    {
        // Operators on numbers and recorded values have no method; text equality is string's own operator.
        if (node.Method is { } method && method.DeclaringType != typeof(string) && !method.DeclaringType!.IsPrimitive && method.DeclaringType != typeof(decimal))
        {
            _refused.Add($"{method.DeclaringType.Name}.{method.Name}(…)");
        }
        else if (node.Method is { Name: not ("op_Equality" or "op_Inequality" or "Equals") } && node.Method.DeclaringType == typeof(string))
        {
            _refused.Add("joining texts");
        }

        return base.VisitBinary(node);
    }

    /// <inheritdoc />
    protected override Expression VisitUnary(UnaryExpression node)
    {
        if (node.NodeType is ExpressionType.Convert or ExpressionType.ConvertChecked && !IsValue(node.Type) && !IsFactOrList(node.Type) && node.Type != typeof(object))
        {
            _refused.Add($"a conversion to {node.Type.Name}");
        }

        return base.VisitUnary(node);
    }

    /// <inheritdoc />
    protected override Expression VisitConstant(ConstantExpression node)
    {
        if (node.Value is not null && !IsValue(node.Type))
        {
            _refused.Add($"a value of type {node.Type.Name}");
        }

        return base.VisitConstant(node);
    }

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type == typeof(decimal) || type == typeof(string)
            || (type.IsEnum && type.Namespace == typeof(Domain.Grade).Namespace);
    }

    private static bool IsFactOrList(Type type) => FactTypes.Contains(type) || IsList(type);

    private static bool IsList(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var element]
        && (FactTypes.Contains(element) || IsValue(element))
        && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type);

    private static string Describe(Expression node) => node switch
    {
        NewExpression n => $"new {n.Type.Name}(…)",
        TypeBinaryExpression => "a test of a value's type",
        _ => $"the construct {node.NodeType}",
    };
}
