namespace CroydonAudit.Grading.Domain;

/// <summary>Something a rule found in the audit itself; findings never change the grade.</summary>
/// <param name="RuleId">The rule that raised it.</param>
/// <param name="Severity">ERROR makes the audit incomplete.</param>
/// <param name="Area">The area it concerns, or Unspecified.</param>
/// <param name="Message">What to put right, in plain English.</param>
public sealed record Finding(string RuleId, Severity Severity, PracticeArea Area, string Message);
