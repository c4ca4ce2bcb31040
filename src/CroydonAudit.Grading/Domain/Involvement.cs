namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How the person and carers were involved.</summary>
public enum Involvement { Unspecified, Central, Involved, PartialOrDelayed, NoEvidence }
