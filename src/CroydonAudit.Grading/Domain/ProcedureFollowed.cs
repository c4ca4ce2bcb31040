namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>Whether the right safeguarding procedure was followed.</summary>
public enum ProcedureFollowed { Unspecified, Yes, No, Unclear }
