using CroydonAudit.Grading.Facts;

namespace CroydonAudit.Grading.Rules;

/// <summary>What a template can name: the two rule inputs and the rule's own values.</summary>
/// <param name="Audit">The audit's facts, as <c>{audit.…}</c>.</param>
/// <param name="Grading">What grading decided, as <c>{grading.…}</c>.</param>
/// <param name="Limit">The rule's limit or base grade in words, as <c>{limit}</c>.</param>
/// <param name="Subjects">The subjects of its findings in words, as <c>{subjects}</c>.</param>
/// <param name="Count">How many subjects, as <c>{count}</c>.</param>
/// <param name="Subject">The subject of this finding, as <c>{subject}</c>.</param>
/// <param name="Guidance">The rule's guidance reference, as <c>{guidance}</c>.</param>
public readonly record struct TemplateValues(
    AuditFacts Audit,
    GradingProgress Grading,
    string Limit,
    string Subjects,
    int Count,
    string Subject,
    string Guidance);
