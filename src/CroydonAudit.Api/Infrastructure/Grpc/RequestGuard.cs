using CroydonAudit.Contracts.Validation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;

namespace CroydonAudit.Api.Infrastructure.Grpc;

/// <summary>
/// Every request is read through this: bounded on the wire first (<see cref="WireLimits"/>), then parsed, and a
/// request that is over a limit or is not a valid message is refused with INVALID_ARGUMENT — a caller's
/// mistake, not the service's. Refusals are logged at Warning, at most one line every ten seconds with how
/// many there were, and never with a stack trace: a flood of bad requests must not flood the log.
/// </summary>
public sealed partial class RequestGuard(ILogger<RequestGuard> logger, TimeProvider clock)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
    private long _refused;
    private long _nextLogTicks;

    /// <summary>Parses a request with the generated deserializer, once it is known to be within every limit.</summary>
    public T Deserialize<T>(DeserializationContext context, Func<DeserializationContext, T> deserialize, MessageDescriptor? descriptor, string method)
    {
        if (descriptor is not null && WireLimits.Check(context.PayloadAsReadOnlySequence(), descriptor) is { } violation)
        {
            Refused(method, "a field is over its limit");
            throw new Google.Rpc.Status
            {
                Code = (int)Code.InvalidArgument,
                Message = $"The request is too large: {violation.Field} {violation.Description}",
                Details = { Any.Pack(new BadRequest { FieldViolations = { violation } }) },
            }.ToRpcException();
        }

        try
        {
            return deserialize(context);
        }
        catch (InvalidProtocolBufferException e)
        {
            Refused(method, "it is not a valid message");
            var reason = e.Message.Length > 120 ? e.Message[..120] + "…" : e.Message;
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The request is not a valid {descriptor?.Name ?? "message"}: {reason}"));
        }
    }

    /// <summary>Counts a refusal, and writes a line for it unless one was written in the last ten seconds.</summary>
    public void Refused(string method, string why)
    {
        var count = Interlocked.Increment(ref _refused);
        var now = clock.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLogTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogTicks, now + LogEvery.Ticks, next) == next)
        {
            LogRefused(method, why, Interlocked.Exchange(ref _refused, 0), LogEvery.TotalSeconds);
        }
        else if (count < 0)
        {
            Interlocked.Exchange(ref _refused, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Method}: {Why}. Requests refused as the caller's mistake since the last such line: {Count} (at most one line every {Seconds} s)")]
    private partial void LogRefused(string method, string why, long count, double seconds);
}
