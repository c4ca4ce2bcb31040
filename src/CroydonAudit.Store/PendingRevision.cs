using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using CroydonAudit.Grading.Domain;
using CroydonAudit.Store.Access;
using CroydonAudit.Store.Serialization;

namespace CroydonAudit.Store;

/// <summary>
/// Makes the answer GetAudit will give for a revision made of these parts (<see cref="PendingRevision.Answer"/>): the
/// contract's message, which this library does not know, so its host supplies it.
/// </summary>
public delegate byte[] AnswerMaker(AuditSubmission submission, GradingResult result, DateTimeOffset receivedAt, RevisionReason reason, Accessor storedBy);

/// <summary>
/// Reads back what an answer (<see cref="PendingRevision.Answer"/>) was made of: the submission and the result, the
/// result without its trace and revision number (kept apart: its rules' outcomes and its number are columns). The
/// inverse of the host's <see cref="AnswerMaker"/>: a revision stored with an answer keeps no other copy of either (V16).
/// </summary>
public delegate (AuditSubmission Submission, GradingResult Result) AnswerReader(byte[] answer);

/// <summary>A graded audit waiting to be stored.</summary>
/// <param name="Submission">The submission as sent.</param>
/// <param name="Result">Its grading result (revision 0 until stored).</param>
/// <param name="ReceivedAt">When it was received.</param>
/// <param name="Reason">Why it is stored: new content, or a re-grade under a changed rule set.</param>
/// <param name="RegradeOf">For a re-grade, the revision it re-grades (0: not said, as before this was kept).</param>
/// <remarks>
/// The stored forms are made here, by the caller, before the audit joins a group commit: the batch's
/// transaction then only streams bytes, and is held open for less time.
/// </remarks>
public sealed record PendingRevision(AuditSubmission Submission, GradingResult Result, DateTimeOffset ReceivedAt, RevisionReason Reason = RevisionReason.NewContent, int RegradeOf = 0)
{
    // Each thread's buffer for the submission's JSON while it is hashed: a new revision keeps no JSON (its answer holds
    // the submission), so the document is written into this and hashed from it. One grown past 64 KB by a large
    // submission is not kept.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_json;

    /// <summary>
    /// Who stores it, and through what: kept with the revision (subject and client), and in the access log in
    /// the same transaction, so a write is never stored unrecorded nor recorded unstored.
    /// </summary>
    public Accessor StoredBy { get; init; } = Accessor.Unknown;

    /// <summary>
    /// What GetAudit will answer for this revision, made by the service when it grades (the contract's message as
    /// bytes, without the revision number, trace and moderation, which the store adds as it reads): kept with the
    /// revision as given, so reads need not rebuild it. It is then the revision's only record of its submission and
    /// result, read back by the store's <see cref="AnswerReader"/>. Optional: a revision stored without one keeps its
    /// documents instead (<see cref="Documents"/>), as every revision did before answers were kept.
    /// </summary>
    public byte[]? Answer { get; init; }

    /// <summary>The submission as JSON: what its content hash is taken of.</summary>
    internal byte[] SubmissionJson => JsonSerializer.SerializeToUtf8Bytes(Submission, StoreJson.Default.AuditSubmission);

    /// <summary>The submission and result as JSON documents, stored only with a revision that has no answer.</summary>
    internal (byte[] Submission, byte[] Result)? Documents => Answer is null ? (SubmissionJson, ResultJson) : null;

    /// <summary>
    /// SHA-256 of <see cref="SubmissionJson"/>: GradeAudit is idempotent on audit id and this. A re-grade hashes
    /// the rule set's version in as well, and the revision it re-grades: the same submission re-graded by a new rule
    /// set is a new revision, re-graded twice by the same one from the same revision is not, and re-graded by a rule
    /// set again after a rollback (from a later revision) is new again.
    /// </summary>
    internal byte[] ContentHash { get; } = HashOf(
        Submission, Reason == RevisionReason.RuleSetChanged ? Result.RuleSetVersion + (RegradeOf > 0 ? $" of revision {RegradeOf}" : "") : null);

    /// <summary>The result as a document: without its trace (its rules' outcomes are columns) and its revision (a column).</summary>
    internal byte[] ResultJson => JsonSerializer.SerializeToUtf8Bytes(Result with { Revision = 0, Trace = [] }, StoreJson.Default.GradingResult);

    // SHA-256 of the submission's JSON (the same bytes as SubmissionJson), then, for a re-grade, of the rule set's version.
    private static byte[] HashOf(AuditSubmission submission, string? regradedBy)
    {
        var (buffer, writer) = t_json ??= NewJsonBuffer();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, submission, StoreJson.Default.AuditSubmission);
        if (regradedBy is not null)
        {
            buffer.Write("\0rule set "u8);
            buffer.Write(System.Text.Encoding.UTF8.GetBytes(regradedBy));
        }

        var hash = SHA256.HashData(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            t_json = null;
        }

        return hash;
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewJsonBuffer()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }
}
