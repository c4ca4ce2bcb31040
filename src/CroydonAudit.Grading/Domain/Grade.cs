namespace CroydonAudit.Grading.Domain;

/// <summary>The guidance's four audit outcomes. The number is the rank: larger is worse.</summary>
public enum Grade
{
    /// <summary>No grade given.</summary>
    Unspecified = 0,
    /// <summary>Outstanding (rank 1).</summary>
    Outstanding = 1,
    /// <summary>Good (rank 2).</summary>
    Good = 2,
    /// <summary>Requires improvement (rank 3).</summary>
    RequiresImprovement = 3,
    /// <summary>Inadequate (rank 4).</summary>
    Inadequate = 4,
}
