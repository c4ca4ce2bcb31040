namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>Whether advocacy was needed and provided.</summary>
public enum Advocacy { Unspecified, NotRequired, Provided, RequiredNotProvided }
