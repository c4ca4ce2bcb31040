namespace CroydonAudit.Grading.Rules;

/// <summary>
/// The rule files cannot be used. <see cref="Problems"/> says what is wrong, where, and what to do,
/// in words the principal social worker who edits the rules can act on.
/// </summary>
public sealed class RuleSetException(IReadOnlyList<RuleSetProblem> problems)
    : Exception("The rule set cannot be used:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<RuleSetProblem> Problems { get; } = problems;

    /// <summary>A single problem about the rule set as a whole.</summary>
    public RuleSetException(string file, string message)
        : this([new RuleSetProblem(file, null, null, message)])
    {
    }
}
