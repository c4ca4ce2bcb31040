namespace CroydonAudit.Grading.Rules;

/// <summary>What a fired rule does, from its <c>effect</c> property.</summary>
public enum RuleEffect
{
    /// <summary>Sets the base grade to its output (the first base rule to fire wins).</summary>
    Base,
    /// <summary>Caps how good the overall grade may be.</summary>
    Limit,
    /// <summary>Relaxes every soft limit; evaluated after the other rules of its workflow.</summary>
    Override,
    /// <summary>Raises findings; never changes the grade.</summary>
    Finding,
}
