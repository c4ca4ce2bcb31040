namespace CroydonAudit.Grading.Domain;

/// <summary>Immediate safeguarding found in the case file, and how it was managed.</summary>
/// <param name="ImmediateRiskIdentified">An immediate safeguarding risk was identified.</param>
/// <param name="ActionTaken">What was done and how it was managed.</param>
/// <param name="ProcedureFollowed">Whether the Pan London safeguarding procedure was followed.</param>
public sealed record Safeguarding(bool ImmediateRiskIdentified, string ActionTaken, ProcedureFollowed ProcedureFollowed)
{
    /// <summary>No immediate risk recorded.</summary>
    public static Safeguarding None { get; } = new(false, "", ProcedureFollowed.Unspecified);
}
