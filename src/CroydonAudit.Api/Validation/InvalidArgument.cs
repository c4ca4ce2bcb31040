using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Api.Validation;

/// <summary>Field violations become INVALID_ARGUMENT: one <c>google.rpc.BadRequest</c> listing them all.</summary>
public static class InvalidArgument
{
    /// <summary>Throws INVALID_ARGUMENT listing every violation, if there are any.</summary>
    public static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        var summary = string.Join("; ", violations.Select(v => $"{v.Field} {v.Description}"));
        throw new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"The request has {violations.Count} invalid field{(violations.Count == 1 ? "" : "s")}: {summary}",
            Details = { Any.Pack(new BadRequest { FieldViolations = { violations } }) },
        }.ToRpcException();
    }
}
