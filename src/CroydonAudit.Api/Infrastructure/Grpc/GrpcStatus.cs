using System.Globalization;
using Google.Protobuf;

namespace CroydonAudit.Api.Infrastructure.Grpc;

/// <summary>A gRPC call answered before it runs (refused by a middleware): its status as gRPC over HTTP/2 carries it.</summary>
public static class GrpcStatus
{
    /// <summary>
    /// Writes a trailers-only response: HTTP 200, the status and message in the headers, and its details, if any,
    /// as grpc-status-details-bin (a bare HTTP error reaches a gRPC client as "Bad gRPC response").
    /// </summary>
    public static Task WriteTrailersOnlyAsync(HttpContext context, Google.Rpc.Status status)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        var headers = context.Response.Headers;
        headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        if (status.Details.Count > 0)
        {
            headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying when to try again, and Retry-After: trailers-only to a
    /// gRPC caller, 429 with the status as JSON to anyone else. The rate limit's and the body budget's refusal alike.
    /// </summary>
    public static Task RetryLaterAsync(HttpContext context, string message, TimeSpan retryAfter)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Google.Rpc.Code.ResourceExhausted,
            Message = message,
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(retryAfter) }) },
        };
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Rest.RestJson.IsGrpc(context)
            ? WriteTrailersOnlyAsync(context, status)
            : Rest.RestJson.WriteStatusAsync(context, StatusCodes.Status429TooManyRequests, status);
    }
}
