namespace CroydonAudit.Grading.Domain;

/// <summary>The descriptor table's decisive evidence; each value is Unspecified when not recorded.</summary>
/// <param name="Advocacy">Whether advocacy was needed and provided.</param>
/// <param name="MentalCapacity">How mental capacity was considered.</param>
/// <param name="CareAct">Compliance with the Care Act and other legislation.</param>
/// <param name="PersonInvolvement">How the person and carers were involved.</param>
/// <param name="Risk">How risks and protective factors were weighed.</param>
/// <param name="Outcomes">How the person's outcomes were gathered and used.</param>
/// <param name="PolicyApplication">How policy and procedure were applied.</param>
public sealed record KeyEvidence(
    Advocacy Advocacy,
    MentalCapacity MentalCapacity,
    CareActCompliance CareAct,
    Involvement PersonInvolvement,
    RiskPractice Risk,
    Outcomes Outcomes,
    PolicyApplication PolicyApplication)
{
    /// <summary>Nothing recorded.</summary>
    public static KeyEvidence None { get; } = new(default, default, default, default, default, default, default);
}
