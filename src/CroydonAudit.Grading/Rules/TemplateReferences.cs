using System.Linq.Expressions;
using CroydonAudit.Grading.Facts;
using CroydonAudit.Grading.Templates;
using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// Checks that a rule names only questions, options, sections and levels its rule set's template has, each written as
/// text in quotes, and lists the questions it reads: a rule reading a question that is not there would never fire.
/// </summary>
internal sealed class TemplateReferences(AuditTemplate template) : ExpressionVisitor
{
    private static readonly string[] Levels = [.. Enum.GetValues<Domain.Grade>()[1..].Select(g => ContractQuestions.OptionId(g))];

    private readonly List<string> _problems = [];
    private readonly List<string> _read = [];

    /// <summary>What is wrong, in words (none when all is well); the questions read are added to <paramref name="read"/>.</summary>
    public static IReadOnlyList<string> Check(Expression expression, AuditTemplate template, List<string> read)
    {
        var visitor = new TemplateReferences(template);
        visitor.Visit(expression);
        read.AddRange(visitor._read);
        return visitor._problems.Distinct().ToList();
    }

    /// <inheritdoc />
    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        if (method.DeclaringType == typeof(AuditFacts) && method.Name == nameof(AuditFacts.Answer))
        {
            if (Text(node) is { } id && Question(id) is { } question)
            {
                _read.Add(question.Id);
            }
        }
        else if (method.DeclaringType == typeof(AnswerFact) && method.Name == nameof(AnswerFact.Is))
        {
            Option(node.Object, node.Arguments[0]);
        }
        else if (method.DeclaringType == typeof(AuditFacts) && method.Name == nameof(AuditFacts.Section) && Text(node) is { } section
            && template.Sections.All(s => s.Id != section))
        {
            _problems.Add($"names the section \"{section}\", which the template does not have{Suggest(section, template.Sections.Select(s => s.Id))}");
        }
        else if (method.Name == nameof(AuditFacts.Evidencing) && Text(node) is { } level && !Levels.Contains(level))
        {
            _problems.Add($"counts answers evidencing \"{level}\", which is not a descriptor level: \"outstanding\", \"good\", \"requires-improvement\" or \"inadequate\"{Suggest(level, Levels)}");
        }

        return base.VisitMethodCall(node);
    }

    /// <inheritdoc />
    protected override Expression VisitBinary(BinaryExpression node)
    {
        // audit.Answer("risk").Option == "weighed": the option is checked as Is("weighed") would be.
        foreach (var (side, other) in new[] { (node.Left, node.Right), (node.Right, node.Left) })
        {
            if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual
                && side is MemberExpression { Member.Name: nameof(AnswerFact.Option), Expression: { } answer } && other is ConstantExpression)
            {
                Option(answer, other);
            }
        }

        return base.VisitBinary(node);
    }

    // An option compared with the answer to a question: one of its options, or yes or no.
    private void Option(Expression? answer, Expression option)
    {
        if (answer is not MethodCallExpression { Method.Name: nameof(AuditFacts.Answer) } call || Text(call, report: false) is not { } id
            || template.Question(id) is not { } question)
        {
            return;
        }

        if (option is not ConstantExpression { Value: string value })
        {
            _problems.Add($"compares the answer to \"{id}\" with something other than an option's id in quotes, e.g. audit.Answer(\"{id}\").Is(\"{question.Options.FirstOrDefault()?.Id ?? "yes"}\").");
        }
        else if (question.Kind == AnswerKind.Text)
        {
            _problems.Add($"compares the answer to \"{id}\" with \"{value}\", but it is answered in free text: read its .Text (words, bland, empty) instead.");
        }
        else if (question.Option(value) is null)
        {
            _problems.Add($"compares the answer to \"{id}\" with \"{value}\", which is not one of its options: {Words.List([.. question.Options.Select(o => $"\"{o.Id}\"")], "or")}{Suggest(value, question.Options.Select(o => o.Id))}");
        }
    }

    private TemplateQuestion? Question(string id)
    {
        var question = template.Question(id);
        if (question is null)
        {
            _problems.Add($"reads the question \"{id}\", which the template does not have{Suggest(id, template.Questions.Keys)}");
        }

        return question;
    }

    // The call's one argument, which must be text in quotes.
    private string? Text(MethodCallExpression call, bool report = true)
    {
        if (call.Arguments is [ConstantExpression { Value: string text }])
        {
            return text;
        }

        if (report)
        {
            _problems.Add($"gives {call.Method.Name}(…) something other than text in quotes; name the question, section or level itself, e.g. audit.Answer(\"risk\").");
        }

        return null;
    }

    private static string Suggest(string given, IEnumerable<string> known) =>
        NearestWord.Find(given, known) is { } nearest ? $"; did you mean \"{nearest}\"?" : ".";
}
