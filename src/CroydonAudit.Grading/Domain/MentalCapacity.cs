namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How mental capacity was considered.</summary>
public enum MentalCapacity { Unspecified, NotRelevant, ConsideredAndDocumented, NotDocumented, NotReferenced }
