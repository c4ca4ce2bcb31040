using Google.Protobuf.WellKnownTypes;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Contracts.Validation;

/// <summary>Building blocks of request validation: one violated field and what is wrong with it.</summary>
public static class FieldViolations
{
    /// <summary>One violated field and what is wrong with it.</summary>
    public static FieldViolation Violation(FieldPath field, string description) => new() { Field = field.ToString(), Description = description };

    /// <summary>An enum value proto3 let through that the contract does not define.</summary>
    public static void CheckEnum<TEnum>(List<FieldViolation> violations, FieldPath field, TEnum value)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            violations.Add(Violation(field, $"{Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)} is not a known {typeof(TEnum).Name} value."));
        }
    }

    /// <summary>A timestamp, when given, must be a real instant.</summary>
    public static void CheckInstant(List<FieldViolation> violations, FieldPath field, Timestamp? instant)
    {
        if (instant is not null && (instant.Seconds is < -62_135_596_800 or > 253_402_300_799 || instant.Nanos is < 0 or >= 1_000_000_000))
        {
            violations.Add(Violation(field, "is not a valid instant between the years 1 and 9999."));
        }
    }
}

/// <summary>A refusal as a client of the contract reads it to a person.</summary>
public static class Refusals
{
    /// <summary>What was wrong, in the service's words: each field violation's description, else the status's message.</summary>
    public static IReadOnlyList<string> Reasons(this Grpc.Core.RpcException refusal) =>
        Grpc.Core.RpcExceptionExtensions.GetRpcStatus(refusal)?.GetDetail<Google.Rpc.BadRequest>() is { FieldViolations.Count: > 0 } bad
            ? [.. bad.FieldViolations.Select(v => v.Description)]
            : [refusal.Status.Detail];
}
