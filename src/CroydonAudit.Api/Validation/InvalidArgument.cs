using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Api.Validation;

/// <summary>
/// Field violations become INVALID_ARGUMENT: one <c>google.rpc.BadRequest</c> listing them — at most 20, and
/// then how many more — so an error's size stays bounded whatever was sent.
/// </summary>
public static class InvalidArgument
{
    /// <summary>The most violations one error lists.</summary>
    public const int MaxViolations = 20;

    /// <summary>Throws INVALID_ARGUMENT listing the violations, if there are any.</summary>
    public static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        var listed = violations.Take(MaxViolations).ToList();
        var more = violations.Count - listed.Count;
        if (more > 0)
        {
            listed.Add(new FieldViolation { Field = listed[^1].Field, Description = $"… and {more} more violation{(more == 1 ? "" : "s")} not listed." });
        }

        var summary = string.Join("; ", listed.Take(MaxViolations).Select(v => $"{v.Field} {v.Description}"));
        throw new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"The request has {violations.Count} invalid field{(violations.Count == 1 ? "" : "s")}: {summary}",
            Details = { Any.Pack(new BadRequest { FieldViolations = { listed } }) },
        }.ToRpcException();
    }

    /// <summary>Throws INVALID_ARGUMENT: one field refused for each of the reasons given.</summary>
    [DoesNotReturn]
    public static void Throw(string field, IEnumerable<string> reasons)
    {
        List<FieldViolation> violations = [.. reasons.Select(r => new FieldViolation { Field = field, Description = r })];
        ThrowIfAny(violations.Count > 0 ? violations : [new FieldViolation { Field = field, Description = "cannot be used." }]);
        throw new UnreachableException();
    }
}
