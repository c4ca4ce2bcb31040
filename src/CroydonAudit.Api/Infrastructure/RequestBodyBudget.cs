using System.Buffers;
using System.Diagnostics.Metrics;
using System.Buffers.Binary;
using System.IO.Pipelines;
using CroydonAudit.Api.Extensions;
using CroydonAudit.Api.Infrastructure.Grpc;
using CroydonAudit.Api.Infrastructure.Rest;
using CroydonAudit.Api.Security;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Infrastructure;

/// <summary>Configuration section "Limits": what request bodies may hold in memory at once, per process.</summary>
public sealed class LimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Limits";

    /// <summary>
    /// The memory that request bodies being read and parsed may take at once, estimated as
    /// <see cref="RequestBodyBudget.GrpcCost"/> times a gRPC message's bytes and <see cref="RequestBodyBudget.JsonCost"/>
    /// times a JSON body's. The default keeps a replica's peak well inside the memory its pod may use under any flood
    /// of large bodies (measured in benchmarks/README.md).
    /// </summary>
    public long RequestMemoryBytes { get; set; } = 160L * 1024 * 1024;
}

/// <summary>
/// Bounds request bodies, after authorization (so nobody unauthenticated has a body read at all) and before
/// anything reads them:
/// <list type="bullet">
/// <item>each method has a body limit (<see cref="LimitFor"/>), the same for gRPC (from the message's length prefix,
/// peeked before it is read) and REST/JSON (from Content-Length, or Kestrel's limit while it is read): over it,
/// RESOURCE_EXHAUSTED (REST: 413) naming the limit;</item>
/// <item>the process has a budget of body memory in flight (<see cref="LimitOptions.RequestMemoryBytes"/>): a request
/// that would take it over is refused at once, before its body is buffered — RESOURCE_EXHAUSTED (REST: 429) with
/// a retry delay and Retry-After — and recorded as a refusal ("busy").</item>
/// </list>
/// The rate limit counts calls; this counts bytes, so a few callers with large bodies cannot take a replica's memory.
/// </summary>
public sealed class RequestBodyBudget
{
    /// <summary>The most a body may be for a method that carries an audit (gRPC's message limit).</summary>
    public const long AuditBytes = GradingServiceExtensions.MaxMessageBytes;

    /// <summary>The most a body may be for a method that carries a rule set's files.</summary>
    public const long RuleSetBytes = GradingServiceExtensions.MaxRuleSetMessageBytes;

    /// <summary>The most a body may be for any other method (a query, a moderation decision's 4,000-character reason), or a page's form.</summary>
    public const long SmallBytes = 64 * 1024;

    /// <summary>Estimated memory per byte of a gRPC message while it is read and parsed: the buffer, and its text as UTF-16.</summary>
    public const int GrpcCost = 3;

    /// <summary>Estimated memory per byte of a JSON body: the buffer, the JSON reader's strings, and the message built from them.</summary>
    public const int JsonCost = 4;

    private static readonly HashSet<string> AuditMethods = ["PreviewGrade", "GradeAudit"];
    private static readonly HashSet<string> RuleSetMethods = ["CheckRuleSet", "ActivateRuleSet", "ProposeRuleSet", "PreviewRuleSetImpact", "DiffRuleSets"];
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly RequestDelegate _next;
    private readonly IOptions<LimitOptions> _options;
    private readonly CallRefusals _refusals;
    private long _inFlight;

    /// <summary>Creates the middleware, with a gauge of the budget in use (<c>croydon_audit_request_memory_in_flight_bytes</c>).</summary>
    public RequestBodyBudget(RequestDelegate next, IOptions<LimitOptions> options, CallRefusals refusals, IMeterFactory meters)
    {
        _next = next;
        _options = options;
        _refusals = refusals;
        meters.Create(Telemetry.ServiceTelemetry.MeterName).CreateObservableGauge(
            "croydon.audit.request_memory.in_flight", () => Volatile.Read(ref _inFlight), "By",
            "Estimated memory of the request bodies being read now, against Limits:RequestMemoryBytes.");
    }

    /// <summary>The body limit of a request for <paramref name="method"/> (null: a page or another route).</summary>
    public static long LimitFor(GrpcMethodMetadata? method) =>
        method is null ? SmallBytes
        : AuditMethods.Contains(method.Method.Name) ? AuditBytes
        : RuleSetMethods.Contains(method.Method.Name) ? RuleSetBytes
        : SmallBytes;

    /// <summary>Bounds the request's body, then runs it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>();
        var limit = LimitFor(method);
        long cost;
        if (RestJson.IsGrpc(context))
        {
            // Streams of messages (reflection) are bounded per message by gRPC itself; health and the rest read one.
            if (method is null || method.Method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming
                || await MessageLengthAsync(context.Request.BodyReader, context.RequestAborted) is not { } length)
            {
                await _next(context);
                return;
            }

            if (length > limit)
            {
                await TooLargeAsync(context, method, length, limit);
                return;
            }

            cost = length * GrpcCost;
        }
        else
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = limit;
            }

            var declared = context.Request.ContentLength;
            if (declared > limit)
            {
                await TooLargeAsync(context, method, declared.Value, limit);
                return;
            }

            cost = (declared ?? (HttpMethods.IsGet(context.Request.Method) ? 0 : limit)) * JsonCost;
        }

        if (!TryTake(cost))
        {
            _refusals.Refused(context, CallRefusals.Busy);
            await GrpcStatus.RetryLaterAsync(context, $"The service is reading as many large requests as it can hold at once; retry after {RetryAfter.TotalSeconds:0} s.", RetryAfter);
            return;
        }

        try
        {
            // A REST body sent without its length (chunked) is read here, within its limit and the budget just taken,
            // so one over the limit is answered 413 as a declared one is (JSON transcoding would answer 400).
            if (!RestJson.IsGrpc(context) && context.Request.ContentLength is null && !HttpMethods.IsGet(context.Request.Method)
                && await ReadWithinAsync(context, limit) is false)
            {
                await TooLargeAsync(context, method, null, limit);
                return;
            }

            await _next(context);
        }
        finally
        {
            Interlocked.Add(ref _inFlight, -cost);
        }
    }

    // Takes cost from the budget if it fits; a request alone is always let in (a method's limit times its cost is
    // below the budget's default, and a smaller budget configured must not refuse every large request for ever).
    private bool TryTake(long cost)
    {
        var budget = _options.Value.RequestMemoryBytes;
        while (true)
        {
            var inFlight = Volatile.Read(ref _inFlight);
            if (inFlight > 0 && inFlight + cost > budget)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, inFlight + cost, inFlight) == inFlight)
            {
                return true;
            }
        }
    }

    // Reads a body of unknown length into memory, up to limit bytes, and puts it back as the request's body, its
    // length now known; false when it is longer.
    private static async Task<bool> ReadWithinAsync(HttpContext context, long limit)
    {
        var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return false;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        body.Position = 0;
        context.Request.Body = body;
        context.Request.ContentLength = body.Length;
        return true;
    }

    // The first message's length, from its 5-byte prefix, leaving the body unread for gRPC; null when there is none.
    private static async ValueTask<long?> MessageLengthAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var result = await reader.ReadAtLeastAsync(5, cancellationToken);
        var buffer = result.Buffer;
        long? length = null;
        if (buffer.Length >= 5)
        {
            var prefix = new byte[5];
            buffer.Slice(0, 5).CopyTo(prefix);
            length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
        }

        reader.AdvanceTo(buffer.Start, buffer.Start);
        return length;
    }

    private static Task TooLargeAsync(HttpContext context, GrpcMethodMetadata? method, long? size, long limit)
    {
        var what = method?.Method.Name ?? "this page";
        var message = size is { } bytes
            ? $"The request is {Size(bytes)}; {what} accepts at most {Size(limit)}."
            : $"The request is larger than {what} accepts ({Size(limit)} at most).";
        var status = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.ResourceExhausted, Message = message };
        return RestJson.IsGrpc(context)
            ? GrpcStatus.WriteTrailersOnlyAsync(context, status)
            : RestJson.WriteStatusAsync(context, StatusCodes.Status413PayloadTooLarge, status);
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024):0.#} MiB"
        : $"{(bytes + 1023) / 1024:N0} KiB";
}
