namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>How policy and procedure were applied.</summary>
public enum PolicyApplication { Unspecified, Good, SomeGaps, Absent }
