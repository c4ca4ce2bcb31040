using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Grading.Facts;

/// <summary>
/// The answer to one of the template's questions, as rules read it (<c>audit.Answer("risk")</c>): whether it was
/// answered, the option chosen and the descriptor level it evidences, or, for a free-text question, facts about the
/// text, never the text itself.
/// </summary>
/// <param name="QuestionId">The question's id.</param>
/// <param name="Label">What the question is about, in words.</param>
/// <param name="Area">The area its section is, or Unspecified.</param>
/// <param name="Answered">An option was chosen, yes or no was said, or a text was given.</param>
/// <param name="Option">The chosen option's id; "yes" or "no"; empty when not answered or answered in text.</param>
/// <param name="Rank">The rank of the descriptor level the chosen option evidences (1 outstanding … 4 inadequate), 0 when none.</param>
/// <param name="Text">A free-text answer's facts (empty for other questions).</param>
/// <param name="Words">The answer in words: the option as the auditor read it, or "not answered".</param>
public sealed record AnswerFact(
    string QuestionId, string Label, PracticeArea Area, bool Answered, string Option, int Rank, TextFact Text, string Words) : IFindingSubject
{
    /// <summary>Yes was answered.</summary>
    public bool Yes => Option == Templates.ContractQuestions.Yes;

    /// <summary>Whether the option chosen is <paramref name="option"/> (an option's id, "yes" or "no").</summary>
    public bool Is(string option) => Option == option;
}

/// <summary>One section of the audit as answered (<c>audit.Section("family-engagement")</c>).</summary>
/// <param name="SectionId">The section's id.</param>
/// <param name="Label">Its title.</param>
/// <param name="Area">The area it is, or Unspecified.</param>
/// <param name="Answered">How many of its questions were answered.</param>
/// <param name="Unanswered">How many were not.</param>
/// <param name="LevelCounts">How many answers evidence each descriptor level, by rank (index 1 outstanding … 4 inadequate).</param>
public sealed record SectionFact(string SectionId, string Label, PracticeArea Area, int Answered, int Unanswered, IReadOnlyList<int> LevelCounts) : IFindingSubject
{
    /// <summary>How many of the section's answers evidence <paramref name="level"/> ("outstanding" … "inadequate").</summary>
    public int Evidencing(string level) => Templates.AuditTemplate.LevelOf(level) is var grade and not Grade.Unspecified ? LevelCounts[(int)grade] : 0;
}
