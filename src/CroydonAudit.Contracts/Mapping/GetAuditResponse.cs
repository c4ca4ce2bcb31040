using System.Buffers;
using Google.Protobuf;

namespace Croydon.Audit.V1;

/// <summary>GetAudit's response, with a form that writes a stored answer's bytes without parsing them.</summary>
public sealed partial class GetAuditResponse
{
    private static readonly uint ResultTag = WireFormat.MakeTag(AuditRecord.ResultFieldNumber, WireFormat.WireType.LengthDelimited);

    /// <summary>
    /// The response whose audit is <paramref name="answer"/> (an <see cref="AuditRecord"/> as stored, without its
    /// revision number, trace and moderation) completed by them: the bytes protobuf's own serializer writes for
    /// <c>answer</c> parsed with the three merged in, each field once and in field-number order, so every client
    /// reads the whole answer (protobufjs keeps only the last copy of a message field written twice). The answer's
    /// bytes are copied, not parsed: the revision number and the trace are spliced into its result, the decisions
    /// into the record, and the two lengths around them written again. Null when the answer is not of the shape the service
    /// stores (no result, or one that already has a revision number): the caller parses it instead.
    /// </summary>
    /// <remarks>The bytes are held as the response's unknown field 1, which protobuf writes back as it holds them;
    /// so the form is for protobuf callers only (JSON would show an empty response).</remarks>
    public static GetAuditResponse? Splicing(
        byte[] answer, int revision, IEnumerable<RuleTraceEntry> trace, IEnumerable<ModerationDecision> decisions)
    {
        if (Find(answer, 0, answer.Length, AuditRecord.ResultFieldNumber) is not { } result || result.WireType != WireFormat.WireType.LengthDelimited)
        {
            return null;
        }

        var oldLength = result.End - result.ContentStart;
        // Where the revision number and the trace go: before the result's first field numbered after each.
        var revisionAt = InsertionPoint(answer, result.ContentStart, result.End, GradingResult.RevisionFieldNumber, out var hasRevision);
        var traceAt = InsertionPoint(answer, result.ContentStart, result.End, GradingResult.TraceFieldNumber, out _);
        var decisionsAt = InsertionPoint(answer, result.End, answer.Length, AuditRecord.ModerationDecisionsFieldNumber, out _);
        var finalAt = InsertionPoint(answer, result.End, answer.Length, AuditRecord.FinalGradeFieldNumber, out var hasFinal);
        if (hasRevision || hasFinal)
        {
            return null;
        }

        var revisionPart = new GradingResult { Revision = revision };
        var tracePart = new GradingResult { Trace = { trace } };
        var decisionsPart = new AuditRecord { ModerationDecisions = { decisions } };
        var finalPart = new AuditRecord { FinalGrade = AuditRecordGrades.Final(decisionsPart.ModerationDecisions, OverallGrade(answer, result)) };
        var (revisionSize, traceSize, decisionsSize, finalSize) = (revisionPart.CalculateSize(), tracePart.CalculateSize(), decisionsPart.CalculateSize(), finalPart.CalculateSize());
        var newLength = oldLength + revisionSize + traceSize;
        var recordLength = answer.Length - (result.ContentStart - result.Start) - oldLength
            + CodedOutputStream.ComputeRawVarint32Size(ResultTag) + CodedOutputStream.ComputeLengthSize(newLength) + newLength + decisionsSize + finalSize;
        var size = CodedOutputStream.ComputeTagSize(AuditFieldNumber) + CodedOutputStream.ComputeLengthSize(recordLength) + recordLength;

        var field = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var output = new Writer(field);
            output.Varint(WireFormat.MakeTag(AuditFieldNumber, WireFormat.WireType.LengthDelimited));
            output.Varint((uint)recordLength);
            output.Copy(answer.AsSpan(0, result.Start));
            output.Varint(ResultTag);
            output.Varint((uint)newLength);
            output.Copy(answer.AsSpan(result.ContentStart, revisionAt - result.ContentStart));
            output.Message(revisionPart, revisionSize);
            output.Copy(answer.AsSpan(revisionAt, traceAt - revisionAt));
            output.Message(tracePart, traceSize);
            output.Copy(answer.AsSpan(traceAt, result.End - traceAt));
            output.Copy(answer.AsSpan(result.End, decisionsAt - result.End));
            output.Message(decisionsPart, decisionsSize);
            output.Copy(answer.AsSpan(decisionsAt, finalAt - decisionsAt));
            output.Message(finalPart, finalSize);
            output.Copy(answer.AsSpan(finalAt));

            var input = new CodedInputStream(field, 0, size);
            input.ReadTag();
            return new GetAuditResponse { _unknownFields = UnknownFieldSet.MergeFieldFrom(null, input) };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(field);
        }
    }

    // The rules' overall grade, read from the stored result's bytes.
    private static Grade OverallGrade(byte[] answer, Field result)
    {
        if (Find(answer, result.ContentStart, result.End, GradingResult.OverallGradeFieldNumber) is not { } grade)
        {
            return Grade.Unspecified;
        }

        var input = new CodedInputStream(answer, grade.ContentStart, grade.End - grade.ContentStart);
        return (Grade)input.ReadEnum();
    }

    // The first field numbered fieldNumber among the fields of message bytes [start, end).
    private static Field? Find(byte[] bytes, int start, int end, int fieldNumber)
    {
        for (var at = start; at < end;)
        {
            var field = Field.At(bytes, at, end);
            if (field.Number == fieldNumber)
            {
                return field;
            }
            at = field.End;
        }
        return null;
    }

    // Where a field numbered fieldNumber goes among the fields of [start, end), written in field-number order: before
    // the first field numbered after it.
    private static int InsertionPoint(byte[] bytes, int start, int end, int fieldNumber, out bool present)
    {
        present = false;
        for (var at = start; at < end;)
        {
            var field = Field.At(bytes, at, end);
            if (field.Number > fieldNumber)
            {
                return at;
            }
            present |= field.Number == fieldNumber;
            at = field.End;
        }
        return end;
    }

    // One field of a message's bytes: where its tag starts, where its content starts and where it ends.
    private readonly record struct Field(int Number, WireFormat.WireType WireType, int Start, int ContentStart, int End)
    {
        public static Field At(byte[] bytes, int start, int end)
        {
            var at = start;
            var tag = (uint)ReadVarint(bytes, ref at, end);
            var type = WireFormat.GetTagWireType(tag);
            var length = type switch
            {
                WireFormat.WireType.Varint => SkipVarint(bytes, at, end),
                WireFormat.WireType.Fixed64 => 8,
                WireFormat.WireType.Fixed32 => 4,
                WireFormat.WireType.LengthDelimited => (int)ReadVarint(bytes, ref at, end),
                _ => throw new InvalidDataException($"A stored answer holds a field of wire type {type}, which the contract never writes."),
            };
            if (length < 0 || at + length > end)
            {
                throw new InvalidDataException("A stored answer's field runs past the end of its message.");
            }
            return new Field(WireFormat.GetTagFieldNumber(tag), type, start, at, at + length);
        }

        private static ulong ReadVarint(byte[] bytes, ref int at, int end)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (at >= end)
                {
                    break;
                }
                var b = bytes[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
            throw new InvalidDataException("A stored answer holds a malformed varint.");
        }

        private static int SkipVarint(byte[] bytes, int at, int end)
        {
            var start = at;
            ReadVarint(bytes, ref at, end);
            return at - start;
        }
    }

    // Writes into a buffer sized beforehand.
    private ref struct Writer(byte[] buffer)
    {
        private int _at;

        public void Varint(uint value)
        {
            for (; value >= 0x80; value >>= 7)
            {
                buffer[_at++] = (byte)(value | 0x80);
            }
            buffer[_at++] = (byte)value;
        }

        public void Copy(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.AsSpan(_at));
            _at += bytes.Length;
        }

        public void Message(IMessage message, int size)
        {
            message.WriteTo(buffer.AsSpan(_at, size));
            _at += size;
        }
    }
}

/// <summary>The grade of record, one rule for every answer that carries it.</summary>
public static class AuditRecordGrades
{
    /// <summary>The last decision's final grade (oldest first), else the rules' overall grade.</summary>
    public static Grade Final(IReadOnlyList<ModerationDecision> decisions, Grade overall) =>
        decisions.Count > 0 ? decisions[^1].FinalGrade : overall;
}
