using CroydonAudit.Grading.Rules;
using CroydonAudit.Store;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CroydonAudit.Api.Infrastructure;

/// <summary>
/// Maps domain and store failures onto gRPC status codes in one place. A rule that cannot be
/// evaluated is the rule set's fault, never the caller's: INTERNAL, naming the rule. A store that
/// stays unreachable after retries is UNAVAILABLE: nothing was written, and the call is safe to retry. A read
/// (Get…, List…) refused for its query's fields is recorded as a refusal.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, Security.CallRefusals refusals, TimeProvider clock) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && IsRead(MethodName(context.Method)))
        {
            // A read's query that is not valid may be someone probing: a refusal, recorded as such.
            refusals.Refused(context.GetHttpContext(), Security.CallRefusals.BadQuery);
            throw;
        }
        catch (RuleEvaluationException e)
        {
            logger.LogError(e, "Rule {RuleId} in workflow {Workflow} failed during {Method}", e.RuleId, e.Workflow, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, $"The audit could not be graded: {e.Message}"));
        }
        catch (AuditStoreUnavailableException e) when (e.ReadTookTooLong)
        {
            logger.LogWarning("A read for {Method} ran past the store's read timeout and was stopped", context.Method);
            throw new RpcException(new Status(StatusCode.Unavailable, TookTooLongMessage(context.Method)));
        }
        catch (AuditStoreUnavailableException e)
        {
            logger.LogWarning(e.InnerException, "The audit store was unavailable during {Method}", context.Method);
            throw new RpcException(new Status(StatusCode.Unavailable, UnavailableMessage(context.Method)));
        }
        catch (OperationCanceledException e) when (e is GradingDeadlineException || context.CancellationToken.IsCancellationRequested || clock.GetUtcNow().UtcDateTime >= context.Deadline)
        {
            // The caller's deadline passed or the caller went away: nothing more is done for it. (The grader reads
            // the deadline from a coarser clock, so its word that the deadline passed is taken as it is.)
            var deadlinePassed = e is GradingDeadlineException || context.Deadline <= clock.GetUtcNow().UtcDateTime;
            throw new RpcException(new Status(deadlinePassed ? StatusCode.DeadlineExceeded : StatusCode.Cancelled, "The call ended before it could complete; nothing was stored."));
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            // Anything else is the service's own fault: INTERNAL, logged in full here, never UNKNOWN.
            logger.LogError(e, "{Method} failed", context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "The service could not complete the call; the error has been logged."));
        }
    }

    // A caller's read that PostgreSQL stopped at the read timeout (Store:ReadTimeout): the store is up, but busy.
    private static string TookTooLongMessage(string method) =>
        $"The audit store took too long to answer {MethodName(method)}, and the read was stopped; nothing was changed. Retry later.";

    // Each method's message speaks of that method: whether anything could have been stored, and whether a retry is safe.
    private static string UnavailableMessage(string method) => MethodName(method) switch
    {
        "GradeAudit" => "The audit store is unavailable; nothing was stored. Retry later: GradeAudit is idempotent on audit_id and content.",
        "RegradeAudit" or "RegradeAudits" => "The audit store is unavailable; nothing more was stored. Retry later: re-grading an audit twice stores one revision.",
        "ActivateRuleSet" => "The database is unavailable; the rule set was not activated. Retry later.",
        var name => $"The audit store is unavailable, so {name} could not be answered. Retry later.",
    };

    private static bool IsRead(string method) => method.StartsWith("Get", StringComparison.Ordinal) || method.StartsWith("List", StringComparison.Ordinal);

    // "/croydon.audit.v1.GradingService/ListAudits" -> "ListAudits".
    private static string MethodName(string method) => method[(method.LastIndexOf('/') + 1)..];
}
