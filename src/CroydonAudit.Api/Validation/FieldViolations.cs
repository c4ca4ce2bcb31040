using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Api.Validation;

/// <summary>Field violations and the INVALID_ARGUMENT they become: one <c>google.rpc.BadRequest</c> listing them all.</summary>
public static class FieldViolations
{
    /// <summary>One violated field and what is wrong with it.</summary>
    public static FieldViolation Violation(string field, string description) => new() { Field = field, Description = description };

    /// <summary>Throws INVALID_ARGUMENT listing every violation, if there are any.</summary>
    public static void ThrowIfInvalid(List<FieldViolation> violations)
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

    /// <summary>An enum value proto3 let through that the contract does not define.</summary>
    public static void CheckEnum<TEnum>(List<FieldViolation> violations, string field, TEnum value)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            violations.Add(Violation(field, $"{Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)} is not a known {typeof(TEnum).Name} value."));
        }
    }

    /// <summary>A timestamp, when given, must be a real instant.</summary>
    public static void CheckInstant(List<FieldViolation> violations, string field, Timestamp? instant)
    {
        if (instant is not null && (instant.Seconds is < -62_135_596_800 or > 253_402_300_799 || instant.Nanos is < 0 or >= 1_000_000_000))
        {
            violations.Add(Violation(field, "is not a valid instant between the years 1 and 9999."));
        }
    }
}
