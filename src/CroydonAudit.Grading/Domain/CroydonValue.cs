namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>Croydon's values.</summary>
public enum CroydonValue { Unspecified, OneTeam, ProudToServe, HonestAndOpen, TakingResponsibility, ValuingDiversity }
