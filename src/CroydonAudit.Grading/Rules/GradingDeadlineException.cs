namespace CroydonAudit.Grading.Rules;

/// <summary>The call's deadline passed while its audit was being graded: grading stopped, and nothing is to be stored.</summary>
public sealed class GradingDeadlineException() : OperationCanceledException("The call's deadline passed while its audit was graded.");
