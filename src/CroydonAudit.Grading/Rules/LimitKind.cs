namespace CroydonAudit.Grading.Rules;

/// <summary>Whether an auditor's override may relax a limit.</summary>
public enum LimitKind
{
    /// <summary>Not a limit.</summary>
    None,
    /// <summary>Never moves.</summary>
    Hard,
    /// <summary>Relaxed by an override ("not usually appropriate").</summary>
    Soft,
}
