using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A loaded, checked and compiled rule set. Immutable: one RulesEngine instance is built per rule
/// set, its compiled rules reused by every grading; a new rule set is a new instance.
/// </summary>
public sealed class RuleSet
{
    internal RuleSet(string version, string description, BlandTextPolicy blandText, IReadOnlyList<RuleStage> stages, RulesEngine.RulesEngine engine)
    {
        Version = version;
        Description = description;
        BlandText = blandText;
        Stages = stages;
        Engine = engine;
        Rules = [.. stages.SelectMany(s => s.Rules)];
    }

    /// <summary>Content hash of the rule files: the same files always give the same version.</summary>
    public string Version { get; }

    /// <summary>What the rule set is, from <c>ruleset.json</c>.</summary>
    public string Description { get; }

    /// <summary>When a free text counts as bland.</summary>
    public BlandTextPolicy BlandText { get; }

    /// <summary>The evaluation stages, in order.</summary>
    public IReadOnlyList<RuleStage> Stages { get; }

    /// <summary>Every enabled rule, in evaluation order (the trace's order).</summary>
    public IReadOnlyList<RuleDefinition> Rules { get; }

    internal RulesEngine.RulesEngine Engine { get; }
}
