using System.Text.Json;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Serialization;

/// <summary>
/// A stored revision's submission and result, from whichever form it keeps them in: its JSON documents (revisions
/// stored without an answer, before V16) or its answer, read back by the host's <see cref="AnswerReader"/>.
/// </summary>
internal sealed class StoredDocuments(AnswerReader answers)
{
    /// <summary>The submission: its document when it was read, else its answer's.</summary>
    public AuditSubmission Submission(string? document, byte[]? answer) =>
        document is not null ? JsonSerializer.Deserialize(document, StoreJson.Default.AuditSubmission)! : answers(Required(answer)).Submission;

    /// <summary>The submission and the result (without its trace and revision number): its documents when both were read, else its answer's.</summary>
    public (AuditSubmission Submission, GradingResult Result) Both(string? submission, string? result, byte[]? answer) =>
        submission is not null && result is not null
            ? (JsonSerializer.Deserialize(submission, StoreJson.Default.AuditSubmission)!, JsonSerializer.Deserialize(result, StoreJson.Default.GradingResult)!)
            : answers(Required(answer));

    private static byte[] Required(byte[]? answer) =>
        answer ?? throw new InvalidOperationException("This revision was read without its documents or its answer.");
}
