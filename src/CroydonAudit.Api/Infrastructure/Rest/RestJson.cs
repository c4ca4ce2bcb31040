using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;

namespace CroydonAudit.Api.Infrastructure.Rest;

/// <summary>What REST/JSON callers (gRPC JSON transcoding, on the HTTP/1.1 endpoint) need beside gRPC's own.</summary>
public static class RestJson
{
    /// <summary>The error details the service sends, so a google.rpc.Status in JSON shows them in full.</summary>
    public static TypeRegistry ErrorDetails { get; } = TypeRegistry.FromMessages(BadRequest.Descriptor, RetryInfo.Descriptor);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ErrorDetails));

    /// <summary>True for a gRPC call (HTTP/2, application/grpc); false for a REST/JSON call, a page or a scrape.</summary>
    public static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes a google.rpc.Status as JSON, as JSON transcoding writes its errors, with the HTTP status given.</summary>
    public static Task WriteStatusAsync(HttpContext context, int httpStatus, Google.Rpc.Status status)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(Formatter.Format(status));
    }
}
