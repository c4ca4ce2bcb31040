namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How serious a finding is.</summary>
public enum Severity { Unspecified, Error, Warning, Info }
