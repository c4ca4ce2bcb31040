namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How risks and protective factors were weighed.</summary>
public enum RiskPractice { Unspecified, PositiveRiskTaking, Weighed, Partial, NotAcknowledged }
