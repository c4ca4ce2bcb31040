using System.Linq.Expressions;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Grading.Templates;

namespace CroydonAudit.Grading.Text;

/// <summary>
/// A rule's condition in plain words, derived from its parsed expression and the rule set's vocabulary (the facts'
/// names, the template's questions and options, the grades), never written per rule: "any area has a significant
/// concern", "advocacy is “Advocacy was required and not provided”", "the base grade is more than one grade better
/// than the lowest area grade". What it cannot put in words it names by the facts it reads, never by the expression.
/// </summary>
public static class ConditionWords
{
    private const string Unworded = "the rule's own test is met";

    // A rule's words depend only on it and its rule set's template: worked out once, not on every page that shows them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CompiledRule, Tuple<AuditTemplate, string>> Worded = new();

    /// <summary>When <paramref name="rule"/> applies, to follow "applies when" or "would apply if".</summary>
    public static string Of(CompiledRule rule, AuditTemplate template)
    {
        if (Worded.TryGetValue(rule, out var worded) && ReferenceEquals(worded.Item1, template))
        {
            return worded.Item2;
        }

        var words = rule.ConditionTree is { } tree ? Of(tree, template) : Unworded;
        Worded.AddOrUpdate(rule, Tuple.Create(template, words));
        return words;
    }

    /// <summary>A condition over the inputs <c>(audit, grading)</c> in words, to follow "applies when" or "would apply if".</summary>
    public static string Of(LambdaExpression condition, AuditTemplate template)
    {
        string words;
        try
        {
            words = new Walk(template).Condition(condition.Body).Write();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidCastException or OverflowException or IndexOutOfRangeException)
        {
            return Unworded;
        }

        return words.Length == 0 || ItemSubject.HasMarker(words) ? Unworded : words;
    }

    /// <summary>Whether a rule's condition is the constant <c>false</c>: it never applies (<see cref="CompiledRule.IsAlwaysTrue"/> is the other way).</summary>
    public static bool IsNeverTrue(CompiledRule rule) => rule.ConditionTree?.Body is ConstantExpression { Value: false };

    // What the items of a list are tested by, with the placeholders that stand for the item in its words.
    private sealed record ItemTest(ConditionPhrase Phrase, IReadOnlyList<string> Markers)
    {
        public static ItemTest? Both(ItemTest? first, ItemTest? second) => (first, second) switch
        {
            ({ } a, { } b) => new ItemTest(new Joined(true, [a.Phrase, b.Phrase]), [.. a.Markers, .. b.Markers]),
            _ => first ?? second,
        };
    }

    private sealed class Walk(AuditTemplate template)
    {
        private readonly Dictionary<ParameterExpression, string> _items = [];

        public ConditionPhrase Condition(Expression node) => node switch
        {
            ConstantExpression { Value: bool constant } => constant ? new Clause("always", "never") : new Clause("never", "always"),
            UnaryExpression { NodeType: ExpressionType.Not } negated => Condition(negated.Operand).Not(),
            UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert when convert.Operand.Type == typeof(bool) => Condition(convert.Operand),
            BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } all when all.Type == typeof(bool) => new Joined(true, [Condition(all.Left), Condition(all.Right)]),
            BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } either when either.Type == typeof(bool) => new Joined(false, [Condition(either.Left), Condition(either.Right)]),
            BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } same when same.Left.Type == typeof(bool) => Truth(same),
            BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
                or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison => Compare(comparison),
            MemberExpression member when member.Type == typeof(bool) => YesNo(member) ?? Unknown(node),
            MethodCallExpression { Method.Name: nameof(AnswerFact.Is), Object: { } answer, Arguments: [ConstantExpression { Value: string option }] }
                when answer.Type == typeof(AnswerFact) => Chosen(answer, option) ?? Unknown(node),
            MethodCallExpression { Method.Name: nameof(Enumerable.Any) or nameof(Enumerable.All) } call when call.Method.DeclaringType == typeof(Enumerable) => Quantified(call) ?? Unknown(node),
            _ => Unknown(node),
        };

        // A yes/no compared with yes or no, or with another yes/no.
        private ConditionPhrase Truth(BinaryExpression node)
        {
            var negated = node.NodeType == ExpressionType.NotEqual;
            return (node.Left, node.Right) switch
            {
                (_, ConstantExpression { Value: bool right }) => right != negated ? Condition(node.Left) : Condition(node.Left).Not(),
                (ConstantExpression { Value: bool left }, _) => left != negated ? Condition(node.Right) : Condition(node.Right).Not(),
                _ => Unknown(node),
            };
        }

        // A yes/no fact: of the audit or grading a whole clause; of a thing, what holds of it ("any area has a significant concern").
        private ConditionPhrase? YesNo(MemberExpression member)
        {
            var fact = FactNames.Of(member.Member);
            if (Owner(member.Expression) is not { } owner)
            {
                return null;
            }

            return owner.Length == 0
                ? new Clause(fact.Holds ?? $"{fact.Name} is yes", fact.HoldsNot ?? $"{fact.Name} is no")
                : fact.Holds is { } holds
                    ? new Clause($"{owner} {holds}", $"{owner} {fact.HoldsNot}")
                    : new Clause($"{owner}'s {fact.Name} is yes", $"{owner}'s {fact.Name} is no");
        }

        // audit.Answer("risk").Is("weighed"): the question and the option in the template's words.
        private ConditionPhrase? Chosen(Expression answer, string option)
        {
            if (answer is not MethodCallExpression { Method.Name: nameof(AuditFacts.Answer), Arguments: [ConstantExpression { Value: string id }] }
                || template.Question(id) is not { } question)
            {
                return null;
            }

            return Chosen(new ConditionValue(ValueKind.Option, Answer(id), Question: question.Id), new ConditionValue(ValueKind.Constant, "", Constant: option));
        }

        private static string OptionWords(TemplateQuestion question, TemplateOption option) =>
            question.Kind == AnswerKind.YesNo && option.Words is "Yes" or "No" ? option.Words.ToLowerInvariant() : $"“{option.Words}”";

        // any, every, no: "any area has a significant concern", "every area's good practice is not written".
        private Clause? Quantified(MethodCallExpression call)
        {
            if (List(call.Arguments[0]) is not (var list, var filter))
            {
                return null;
            }

            var any = call.Method.Name == nameof(Enumerable.Any);
            var predicate = call.Arguments.Count > 1 ? Predicate(call.Arguments[1]) : null;
            if (!any && filter is not null)
            {
                // Every item of a filtered list: said only by the facts it reads.
                return null;
            }

            if (ItemTest.Both(filter, predicate) is not var (phrase, markers))
            {
                return any ? new Clause($"there is at least one {list.One}", $"there are no {list.Many}") : null;
            }

            var yes = Named(phrase.Write(), markers, any ? $"any {list.One}" : $"every {list.One}");
            var no = Named(phrase.Write(), markers, any ? $"no {list.One}" : $"not every {list.One}");
            return yes is null || no is null ? null : new Clause(yes, no);
        }

        private static string? Named(string text, IReadOnlyList<string> markers, string first)
        {
            var one = markers[0];
            foreach (var marker in markers.Skip(1))
            {
                text = text.Replace(marker, one, StringComparison.Ordinal);
            }

            return ItemSubject.Name(text, one, first);
        }

        // A list of the facts (its words for one and many), and what its items are filtered by.
        private ((string One, string Many) List, ItemTest? Filter)? List(Expression node)
        {
            switch (node)
            {
                case MemberExpression { Expression: ParameterExpression, Member: var member } when FactNames.Of(member) is { One: { } one, Many: { } many }:
                    return ((one, many), null);
                case MethodCallExpression { Method.Name: nameof(Enumerable.Where), Arguments: [var source, var lambda] } call when call.Method.DeclaringType == typeof(Enumerable):
                    if (List(source) is not (var list, var filter) || Predicate(lambda) is not { } where)
                    {
                        return null;
                    }

                    return (list, ItemTest.Both(filter, where));
                default:
                    return null;
            }
        }

        private ItemTest? Predicate(Expression node)
        {
            if (node is not LambdaExpression { Parameters: [var item] } lambda)
            {
                return null;
            }

            var marker = ItemSubject.Marker(_items.Count + 1);
            _items[item] = marker;
            return new ItemTest(Condition(lambda.Body), [marker]);
        }

        // What a fact is of, in words: empty for the audit and grading (their facts name themselves), the item of a
        // list, a text, a question's answer or a section; null for anything else.
        private string? Owner(Expression? node) => node switch
        {
            ParameterExpression parameter when _items.TryGetValue(parameter, out var marker) => marker,
            ParameterExpression parameter when parameter.Type == typeof(AuditFacts) || parameter.Type == typeof(GradingProgress) => "",
            MemberExpression { Member.Name: nameof(AnswerFact.Text), Expression: { Type: var type } answer } when type == typeof(AnswerFact) => Owner(answer),
            MemberExpression { Type: var type } text when type == typeof(TextFact) && Owner(text.Expression) is { } owner => Of(owner, FactNames.Of(text.Member).Name),
            MethodCallExpression { Method.Name: nameof(AuditFacts.Answer), Arguments: [ConstantExpression { Value: string id }] } => Answer(id),
            MethodCallExpression { Method.Name: nameof(AuditFacts.Section), Arguments: [ConstantExpression { Value: string id }] } =>
                template.Sections.FirstOrDefault(s => s.Id == id) is { } section ? $"the section “{section.Title}”" : null,
            _ => null,
        };

        // "the summary of findings", "any area's evidence".
        private static string Of(string owner, string name) =>
            owner.Length > 0 ? $"{owner}'s {name}" : name.StartsWith("the ", StringComparison.Ordinal) ? name : $"the {name}";

        // A question by its label in the template's words; a label that is the question itself is quoted as asked.
        private string Answer(string id) => template.Question(id) is not { } question
            ? "a question of the audit"
            : question.Label.EndsWith('?') ? $"the answer to “{question.Label}”" : question.Label;

        private ConditionPhrase Compare(BinaryExpression node)
        {
            var (left, right, op) = (Measure(node.Left), Measure(node.Right), node.NodeType);
            if (left is { Kind: ValueKind.Constant } && right is { Kind: not ValueKind.Constant })
            {
                (left, right, op) = (right, left, Mirror(op));
            }

            if (left is null || right is null)
            {
                return Unknown(node);
            }

            if (left.Kind is ValueKind.Recorded or ValueKind.Option)
            {
                return op is ExpressionType.Equal or ExpressionType.NotEqual && Chosen(left, right) is { } chosen
                    ? op == ExpressionType.Equal ? chosen : chosen.Not()
                    : Unknown(node);
            }

            var yes = Comparison(left, op, right);
            var no = Comparison(left, Opposite(op), right);
            return yes is null || no is null ? Unknown(node) : new Clause(yes, no);
        }

        // A recorded value or a question's answer is one of its values: "risk is “weighed”", "advocacy is not answered".
        private Clause? Chosen(ConditionValue left, ConditionValue right)
        {
            if (left.Kind == ValueKind.Recorded && right.Constant is Enum value)
            {
                return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0
                    ? new Clause($"{left.Words} is not recorded", $"{left.Words} is recorded")
                    : Clause.Is(left.Words, $"“{FactNames.ValueWords(left.Fact!, value, template)}”");
            }

            if (left.Kind == ValueKind.Option && right.Constant is string option && template.Question(left.Question!) is { } question)
            {
                return option.Length == 0 ? new Clause($"{left.Words} is not answered", $"{left.Words} is answered")
                    : question.Option(option) is { } chosen ? Clause.Is(left.Words, OptionWords(question, chosen))
                    : null;
            }

            return null;
        }

        private string? Comparison(ConditionValue left, ExpressionType op, ConditionValue right) => (left.Kind, right.Kind) switch
        {
            (ValueKind.Rank, ValueKind.Constant) when Whole(right.Constant) is { } rank => Grades.Against(left.Words, op, rank - left.Offset),
            (ValueKind.Rank, ValueKind.Rank) => Grades.Between(left.Words, op, right.Words, right.Offset - left.Offset),
            (ValueKind.Apart, ValueKind.Constant) when Whole(right.Constant) is { } apart => Grades.Apart(left.Words, op, left.Other, apart),
            (ValueKind.Count, ValueKind.Constant) when Whole(right.Constant) is { } count && right.Constant is not Enum => Counts.Text(left, op, count),
            (ValueKind.Number or ValueKind.Count, ValueKind.Number or ValueKind.Count) or (ValueKind.Number, ValueKind.Constant) when right.Constant is null or int or long or decimal or double =>
                $"{Counts.Amount(left)} is {Counts.Compared(op, counting: false)}{Counts.Amount(right)}",
            _ => null,
        };

        private ConditionValue? Measure(Expression node)
        {
            switch (node)
            {
                case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert:
                    return Measure(convert.Operand);
                case ConstantExpression constant:
                    return constant.Value is Grade grade ? new ConditionValue(ValueKind.Constant, Words.Of(grade), Constant: (int)grade) : new ConditionValue(ValueKind.Constant, Words.Describe(constant.Value), Constant: constant.Value);
                case MemberExpression { Member.Name: "Count" } count when count.Expression is { } source && List(source) is (var list, null):
                    return new ConditionValue(ValueKind.Count, list.Many, One: list.One, Many: list.Many);
                case MemberExpression { Member.Name: nameof(AnswerFact.Option), Expression: MethodCallExpression { Method.Name: nameof(AuditFacts.Answer), Arguments: [ConstantExpression { Value: string id }] } }:
                    return new ConditionValue(ValueKind.Option, Answer(id), Question: id);
                case MemberExpression { Member.Name: nameof(AnswerFact.Rank), Expression: { } answer } when answer.Type == typeof(AnswerFact) && Owner(answer) is { } asked:
                    return new ConditionValue(ValueKind.Rank, $"the level {asked} evidences");
                case MemberExpression member when Owner(member.Expression) is { } owner:
                    var fact = FactNames.Of(member.Member);
                    var named = owner.Length > 0 ? $"{owner}'s {fact.Name}" : fact.Name;
                    return member.Type == typeof(Grade) || (member.Type == typeof(int) && member.Member.Name.EndsWith("Rank", StringComparison.Ordinal)) ? new ConditionValue(ValueKind.Rank, named)
                        : member.Type == typeof(int) && fact is { One: { } one, Many: { } many } ? new ConditionValue(ValueKind.Count, named, Owner: owner, One: one, Many: many)
                        : member.Type.IsEnum ? new ConditionValue(ValueKind.Recorded, named, Fact: member.Member)
                        : member.Type == typeof(int) ? new ConditionValue(ValueKind.Number, named)
                        : null;
                case MethodCallExpression { Method.Name: nameof(AuditFacts.Evidencing), Arguments: [ConstantExpression { Value: string level }] } evidencing
                    when AuditTemplate.LevelOf(level) is var evidenced and not Grade.Unspecified && Owner(evidencing.Object) is { } whose:
                    return new ConditionValue(ValueKind.Count, "", Owner: whose, One: $"answer evidencing {Words.Of(evidenced)}", Many: $"answers evidencing {Words.Of(evidenced)}");
                case MethodCallExpression { Method.Name: nameof(Enumerable.Count) } counted when counted.Method.DeclaringType == typeof(Enumerable):
                    return CountOf(counted);
                case BinaryExpression { NodeType: ExpressionType.Add or ExpressionType.Subtract } sum when Measure(sum.Left) is { Kind: ValueKind.Rank } rank
                    && Measure(sum.Right) is { Kind: ValueKind.Constant, Constant: int by }:
                    return rank with { Offset = rank.Offset + (sum.NodeType == ExpressionType.Add ? by : -by) };
                case MethodCallExpression { Method.Name: nameof(Math.Abs), Arguments: [BinaryExpression { NodeType: ExpressionType.Subtract } difference] } abs
                    when abs.Method.DeclaringType == typeof(Math) && Measure(difference.Left) is { Kind: ValueKind.Rank, Offset: 0 } a && Measure(difference.Right) is { Kind: ValueKind.Rank, Offset: 0 } b:
                    return new ConditionValue(ValueKind.Apart, a.Words, Other: b.Words);
                case MethodCallExpression { Method.Name: nameof(Math.Max) or nameof(Math.Min), Arguments: [var first, var second] } extreme when extreme.Method.DeclaringType == typeof(Math)
                    && Measure(first) is { } x && Measure(second) is { } y && x.Kind is not (ValueKind.Apart or ValueKind.Recorded or ValueKind.Option) && y.Kind is not (ValueKind.Apart or ValueKind.Recorded or ValueKind.Option):
                    var max = extreme.Method.Name == nameof(Math.Max);
                    return x.Kind == ValueKind.Rank && y.Kind == ValueKind.Rank && x.Offset == 0 && y.Offset == 0
                        ? new ConditionValue(ValueKind.Rank, $"the {(max ? "worse" : "better")} of {x.Words} and {y.Words}")
                        : new ConditionValue(ValueKind.Number, $"the {(max ? "larger" : "smaller")} of {Counts.Amount(x)} and {Counts.Amount(y)}");
                default:
                    return null;
            }
        }

        // audit.Areas.Count(a => a.Graded): the items for which the test holds, named "the area".
        private ConditionValue? CountOf(MethodCallExpression call)
        {
            if (List(call.Arguments[0]) is not (var list, var filter))
            {
                return null;
            }

            if (ItemTest.Both(filter, call.Arguments.Count > 1 ? Predicate(call.Arguments[1]) : null) is not var (phrase, markers))
            {
                return new ConditionValue(ValueKind.Count, list.Many, One: list.One, Many: list.Many);
            }

            return Named(phrase.Write(), markers, $"the {list.One}") is { } where
                ? new ConditionValue(ValueKind.Count, list.Many, One: $"{list.One} where {where}", Many: $"{list.Many} where {where}")
                : null;
        }

        // What cannot be put in words is named by the facts it reads: "a test on the lowest area grade is met".
        private static ConditionPhrase Unknown(Expression node)
        {
            var names = FactsOnly.Reads(node).Select(FactNames.Of).Where(f => f.Holds is null).Select(f => f.Name).Distinct().ToList();
            return names.Count == 0
                ? new Clause(Unworded, "the rule's own test is not met")
                : new Clause($"a test on {ConditionPhrase.List(names, "and")} is met", $"a test on {ConditionPhrase.List(names, "and")} is not met");
        }

        private static int? Whole(object? constant) => constant switch
        {
            int i => i,
            Enum e when e.GetType() == typeof(Grade) => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        private static ExpressionType Mirror(ExpressionType op) => op switch
        {
            ExpressionType.LessThan => ExpressionType.GreaterThan,
            ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
            ExpressionType.GreaterThan => ExpressionType.LessThan,
            ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
            _ => op,
        };

        private static ExpressionType Opposite(ExpressionType op) => op switch
        {
            ExpressionType.Equal => ExpressionType.NotEqual,
            ExpressionType.NotEqual => ExpressionType.Equal,
            ExpressionType.LessThan => ExpressionType.GreaterThanOrEqual,
            ExpressionType.LessThanOrEqual => ExpressionType.GreaterThan,
            ExpressionType.GreaterThan => ExpressionType.LessThanOrEqual,
            _ => ExpressionType.LessThan,
        };
    }
}
