using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// Walks a message's bytes by its descriptor, at every depth, for what a canonical serializer never writes: a singular
/// field written more than once (parsers differ on it: most merge the copies, protobufjs keeps the last), or a field
/// the contract does not define (extensions apart).
/// </summary>
public static class CanonicalWire
{
    /// <summary>Each problem found, as "path: what" (none for canonical bytes).</summary>
    public static IReadOnlyList<string> Problems(ReadOnlySpan<byte> bytes, MessageDescriptor descriptor)
    {
        var problems = new List<string>();
        Walk(ByteString.CopyFrom(bytes), descriptor, descriptor.Name, problems);
        return problems;
    }

    private static void Walk(ByteString bytes, MessageDescriptor descriptor, string path, List<string> problems)
    {
        var input = bytes.CreateCodedInput();
        var seen = new HashSet<int>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var field = descriptor.FindFieldByNumber(number);
            if (field is null)
            {
                // An extension (google.api.http on a method's options, say) is not the message's own to check.
                if (!descriptor.ToProto().ExtensionRange.Any(r => number >= r.Start && number < r.End))
                {
                    problems.Add($"{path}: field {number} is not in the contract");
                }

                input.SkipLastField();
                continue;
            }

            var fieldPath = $"{path}.{field.Name}";
            if (!field.IsRepeated && !seen.Add(number))
            {
                problems.Add($"{fieldPath}: written more than once");
            }

            if (field.FieldType == FieldType.Message && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                Walk(input.ReadBytes(), field.MessageType, field.IsRepeated ? $"{fieldPath}[]" : fieldPath, problems);
            }
            else
            {
                input.SkipLastField();
            }
        }
    }
}
