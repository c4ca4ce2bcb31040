namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>Compliance with the Care Act and other relevant legislation.</summary>
public enum CareActCompliance { Unspecified, Compliant, Partial, NonCompliant }
