namespace CroydonAudit.Grading.Domain;

#pragma warning disable CS1591 // The members are the guidance's own words; 0 is "not recorded".
/// <summary>Whether an audit is complete (no ERROR finding).</summary>
public enum AuditStatus { Unspecified, Complete, Incomplete }
