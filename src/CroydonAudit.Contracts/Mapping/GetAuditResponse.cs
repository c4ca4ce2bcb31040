using System.Buffers;
using Google.Protobuf;

namespace Croydon.Audit.V1;

/// <summary>GetAudit's response, with a form that writes a stored answer's bytes as they are.</summary>
public sealed partial class GetAuditResponse
{
    /// <summary>
    /// A response whose audit, when written as protobuf, is <paramref name="answer"/>'s bytes as stored followed by
    /// <paramref name="completion"/>'s: a parser merges a message's fields read twice, so the audit it reads is the
    /// answer with the completion merged into it, the message <c>AuditRecord.MergeFrom</c> gives — but neither is
    /// parsed nor written again here. The bytes are held as the response's unknown field 1, which protobuf writes back
    /// as it holds them; so the form is for protobuf callers only (JSON would show an empty response).
    /// </summary>
    public static GetAuditResponse Concatenating(ReadOnlySpan<byte> answer, AuditRecord completion)
    {
        // The field is put together in a pooled buffer and copied once, into the unknown field's own bytes.
        var length = answer.Length + completion.CalculateSize();
        var size = CodedOutputStream.ComputeTagSize(AuditFieldNumber) + CodedOutputStream.ComputeLengthSize(length) + length;
        var field = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var header = new CodedOutputStream(field);
            header.WriteTag(AuditFieldNumber, WireFormat.WireType.LengthDelimited);
            header.WriteLength(length);
            var start = size - length;
            answer.CopyTo(field.AsSpan(start));
            completion.WriteTo(field.AsSpan(start + answer.Length, length - answer.Length));

            var input = new CodedInputStream(field, 0, size);
            input.ReadTag();
            return new GetAuditResponse { _unknownFields = UnknownFieldSet.MergeFieldFrom(null, input) };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(field);
        }
    }
}
