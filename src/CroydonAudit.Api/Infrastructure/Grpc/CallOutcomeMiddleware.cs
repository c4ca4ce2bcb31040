using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace CroydonAudit.Api.Infrastructure.Grpc;

/// <summary>
/// The last word on every gRPC call's status (REST/JSON calls have JSON transcoding's own), after grpc-dotnet has written it:
/// <list type="bullet">
/// <item>grpc-dotnet's own refusals of a malformed frame ("Incomplete message.") are the caller's mistake:
/// INVALID_ARGUMENT, not INTERNAL;</item>
/// <item>nothing is ever UNKNOWN: an exception that reached grpc-dotnet (a streaming service's, say) is INTERNAL,
/// and logged here — grpc-dotnet's own "Error when executing service method" lines are switched off in
/// appsettings.json, so a client that resets a stream logs nothing at all, and a fault logs one line;</item>
/// <item>an error's status and details never exceed 8 KB: some clients (nghttp2's) drop the connection on a larger trailer.</item>
/// </list>
/// </summary>
public sealed partial class CallOutcomeMiddleware(RequestDelegate next, RequestGuard guard, ILogger<CallOutcomeMiddleware> logger)
{
    /// <summary>The most bytes an error's grpc-message and grpc-status-details-bin may take together.</summary>
    public const int MaxErrorBytes = 7 * 1024;

    private static readonly HashSet<string> MalformedFrames = new(StringComparer.Ordinal)
    {
        "Incomplete message.",
        "Additional data after the message received.",
        "Request did not include grpc-encoding value with compressed message.",
    };

    /// <summary>Runs the call, then corrects its status if it needs it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!Rest.RestJson.IsGrpc(context) || context.Features.Get<IServerCallContextFeature>()?.ServerCallContext is not { } call || call.Status.StatusCode == StatusCode.OK)
        {
            return;
        }

        var headers = context.Response.HasStarted ? context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers : context.Response.Headers;
        if (headers is null)
        {
            return;
        }

        var status = call.Status;
        if (status.StatusCode == StatusCode.Internal && MalformedFrames.Contains(status.Detail))
        {
            guard.Refused(call.Method, "its gRPC framing is malformed");
            Rewrite(headers, StatusCode.InvalidArgument, $"The request is not a gRPC message the service can read: {status.Detail}");
        }
        else if (status.StatusCode == StatusCode.Unknown)
        {
            if (status.DebugException is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
            {
                LogCallerGone(call.Method);
                Rewrite(headers, StatusCode.Cancelled, "The call was cancelled.");
            }
            else
            {
                LogFailed(status.DebugException, call.Method);
                Rewrite(headers, StatusCode.Internal, "The service could not complete the call; the error has been logged.");
            }
        }

        var message = headers["grpc-message"].ToString();
        var details = headers["grpc-status-details-bin"].ToString();
        if (message.Length + details.Length > MaxErrorBytes)
        {
            // The details go first (the message says the same, shorter); the message is cut to a readable length.
            headers.Remove("grpc-status-details-bin");
            if (message.Length > 1024)
            {
                headers["grpc-message"] = message[..1000] + "%E2%80%A6";
            }
        }
    }

    private static void Rewrite(IHeaderDictionary headers, StatusCode code, string message)
    {
        headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["grpc-message"] = Uri.EscapeDataString(message);
        headers.Remove("grpc-status-details-bin");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The caller went away during {Method}")]
    private partial void LogCallerGone(string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed")]
    private partial void LogFailed(Exception? exception, string method);
}
