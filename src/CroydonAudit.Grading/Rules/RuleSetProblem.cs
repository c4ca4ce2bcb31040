namespace CroydonAudit.Grading.Rules;

/// <summary>
/// One thing wrong with a rule set, in words its author can act on: where (file, rule, property)
/// and what to do about it.
/// </summary>
/// <param name="File">The file, relative to the rules folder, e.g. <c>limits.json</c> or <c>tests/complete-good.json</c>.</param>
/// <param name="Rule">The rule's name, when the problem is in one rule.</param>
/// <param name="Property">The property at fault, when known (e.g. <c>limit</c>); two reports of one property are one problem.</param>
/// <param name="Message">What is wrong and how to put it right.</param>
public sealed record RuleSetProblem(string File, string? Rule, string? Property, string Message)
{
    /// <summary>The problem as one line: file, rule, message.</summary>
    public override string ToString() => Rule is null ? $"{File}: {Message}" : $"{File}, rule \"{Rule}\": {Message}";
}

/// <summary>Where problems are being found: adds them with their file and rule.</summary>
internal readonly record struct ProblemSite(List<RuleSetProblem> Problems, string File, string? Rule = null)
{
    public void Add(string message, string? property = null) => Problems.Add(new(File, Rule, property, message));

    public ProblemSite ForRule(string? rule) => this with { Rule = rule };
}
