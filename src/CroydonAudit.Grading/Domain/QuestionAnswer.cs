namespace CroydonAudit.Grading.Domain;

/// <summary>An answer to one of the audit template's questions, as sent.</summary>
/// <param name="QuestionId">The question's id in the template, e.g. "family-engagement.carers-assessment".</param>
/// <param name="Value">An option's id for a choice, "yes" or "no", or the text of a free-text answer.</param>
public sealed record QuestionAnswer(string QuestionId, string Value);
