using System.Buffers;
using CroydonAudit.Grading.Rules;
using Google.Protobuf.Reflection;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Contracts.Validation;

/// <summary>
/// Bounds a request before it is parsed: walks the protobuf wire format by the message's descriptor and
/// counts each repeated field and measures each string, refusing one that is over its limit, so a
/// request of ten thousand tiny areas is refused without ten thousand objects being built. Anything the
/// walk cannot make sense of is left to the parser, which refuses it.
/// </summary>
public static class WireLimits
{
    /// <summary>A repeated field without a limit of its own has at most this many entries.</summary>
    public const int DefaultRepeated = 1_000;

    /// <summary>A string without a limit of its own is at most this many bytes: 20,000 characters of up to four bytes.</summary>
    public const int DefaultStringBytes = 4 * AuditSubmissionValidator.MaxTextLength;

    private const int MaxDepth = 32;

    private static readonly Dictionary<string, (int Limit, string What)> Repeated = new(StringComparer.Ordinal)
    {
        ["croydon.audit.v1.AuditSubmission.areas"] = (AuditSubmissionValidator.MaxAreas, "areas"),
        ["croydon.audit.v1.AuditSubmission.recommendations"] = (AuditSubmissionValidator.MaxListLength, "recommendations"),
        ["croydon.audit.v1.AuditSubmission.organisational_learning_points"] = (AuditSubmissionValidator.MaxListLength, "organisational learning points"),
        ["croydon.audit.v1.CheckRuleSetRequest.files"] = (RuleSetFiles.MaxFiles, "files"),
        ["croydon.audit.v1.ActivateRuleSetRequest.files"] = (RuleSetFiles.MaxFiles, "files"),
        ["croydon.audit.v1.PreviewRuleSetImpactRequest.files"] = (RuleSetFiles.MaxFiles, "files"),
        ["croydon.audit.v1.DiffRuleSetsRequest.from_files"] = (RuleSetFiles.MaxFiles, "files"),
        ["croydon.audit.v1.DiffRuleSetsRequest.to_files"] = (RuleSetFiles.MaxFiles, "files"),
    };

    private static readonly Dictionary<string, int> StringBytes = new(StringComparer.Ordinal)
    {
        ["croydon.audit.v1.RuleFile.content"] = RuleSetFiles.MaxFileBytes,
    };

    /// <summary>The first field over its limit, or null when the request is within every limit (or is for the parser to refuse).</summary>
    public static FieldViolation? Check(ReadOnlySequence<byte> payload, MessageDescriptor descriptor) =>
        payload.IsSingleSegment ? Check(payload.FirstSpan, descriptor, 0) : Check(payload.ToArray(), descriptor, 0);

    // A violation names its field from this message down; each message it is nested in adds its own field to the front
    // on the way back up, so that a request within its limits is walked without a path being written for each field.
    private static FieldViolation? Check(ReadOnlySpan<byte> message, MessageDescriptor descriptor, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        Dictionary<int, int>? counts = null;
        var position = 0;
        while (position < message.Length)
        {
            if (!TryReadVarint(message, ref position, out var tag) || tag >> 3 is 0 or > int.MaxValue)
            {
                return null;
            }

            var field = descriptor.FindFieldByNumber((int)(tag >> 3));
            var wireType = (int)(tag & 7);
            var length = 0;
            switch (wireType)
            {
                case 0 when TryReadVarint(message, ref position, out _):
                    break;
                case 1 when position + 8 <= message.Length:
                    position += 8;
                    break;
                case 5 when position + 4 <= message.Length:
                    position += 4;
                    break;
                case 2 when TryReadVarint(message, ref position, out var size) && size <= (ulong)(message.Length - position):
                    length = (int)size;
                    break;
                default:
                    return null;
            }

            if (field is not null)
            {
                if (field.IsRepeated)
                {
                    counts ??= [];
                    var count = counts[field.FieldNumber] = counts.GetValueOrDefault(field.FieldNumber) + 1;
                    var (limit, what) = Repeated.GetValueOrDefault(field.FullName, (DefaultRepeated, "entries"));
                    if (count > limit)
                    {
                        return FieldViolations.Violation(field.Name, $"lists more than {limit:N0} {what}; at most {limit:N0} are allowed.");
                    }
                }

                if (wireType == 2)
                {
                    var content = message.Slice(position, length);
                    if (field.FieldType == FieldType.String && length > StringBytes.GetValueOrDefault(field.FullName, DefaultStringBytes))
                    {
                        return FieldViolations.Violation(field.Name, $"is {length:N0} bytes long, more than any field of this kind may be.");
                    }

                    if (field.FieldType == FieldType.Message && Check(content, field.MessageType, depth + 1) is { } violation)
                    {
                        violation.Field = new FieldPath("", field.Name, field.IsRepeated ? counts![field.FieldNumber] - 1 : -1, violation.Field).ToString();
                        return violation;
                    }
                }
            }

            position += length;
        }

        return null;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> message, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < message.Length; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
