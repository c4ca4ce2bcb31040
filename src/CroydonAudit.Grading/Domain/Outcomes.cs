namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How the person's outcomes were gathered and used.</summary>
public enum Outcomes { Unspecified, CentralAndRevisited, Recorded, NotFullyExplored, NotGathered }
