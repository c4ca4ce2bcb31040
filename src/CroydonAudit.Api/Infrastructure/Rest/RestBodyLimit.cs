using CroydonAudit.Api.Extensions;
using CroydonAudit.Api.Services;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;

namespace CroydonAudit.Api.Infrastructure.Rest;

/// <summary>
/// Bounds a REST/JSON request's body before JSON transcoding reads it (it reads the whole body, and gRPC's message
/// limits do not apply to it): twice the method's gRPC message limit, as JSON is wordier than protobuf — 8 MiB, or
/// 34 MiB for a rule set's files. Anything else that is not gRPC (pages, documents, metrics) reads no body: 64 KiB.
/// A larger body is refused (INVALID_ARGUMENT, 400, naming the limit) before it is read.
/// </summary>
public sealed class RestBodyLimit(RequestDelegate next)
{
    /// <summary>The most a request that is neither gRPC nor a REST/JSON method may send.</summary>
    public const long OtherBytes = 64 * 1024;

    /// <summary>Sets the limit, then runs the request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (!RestJson.IsGrpc(context) && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } method
                ? 2L * (method.ServiceType == typeof(RuleSetLifecycleService) ? GradingServiceExtensions.MaxRuleSetMessageBytes : GradingServiceExtensions.MaxMessageBytes)
                : OtherBytes;
        }

        return next(context);
    }
}
