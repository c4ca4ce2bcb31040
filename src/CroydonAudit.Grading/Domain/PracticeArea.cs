namespace CroydonAudit.Grading.Domain;

/// <summary>The nine areas of best practice, numbered in the guidance's order.</summary>
public enum PracticeArea
{
    /// <summary>No area given.</summary>
    Unspecified = 0,
    /// <summary>1. Timely identification, response and reduction of risk and need.</summary>
    RiskAndNeed = 1,
    /// <summary>2. Assessments are timely, comprehensive, analytical, of good quality.</summary>
    Assessment = 2,
    /// <summary>3. Plans and reviews drive progress towards positive outcomes.</summary>
    PlansAndReviews = 3,
    /// <summary>4. The adult's voice, wishes, feelings and lived experience are central.</summary>
    AdultVoice = 4,
    /// <summary>5. Families are appropriately engaged in the work.</summary>
    FamilyEngagement = 5,
    /// <summary>6. Professional curiosity, local guidance and legal literacy.</summary>
    ProfessionalCuriosity = 6,
    /// <summary>7. Management oversight.</summary>
    ManagementOversight = 7,
    /// <summary>8. Case records are correct and up to date.</summary>
    CaseRecords = 8,
    /// <summary>9. Impact on the adult's life.</summary>
    Impact = 9,
}
