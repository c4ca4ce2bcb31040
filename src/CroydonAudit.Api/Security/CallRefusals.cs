using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CroydonAudit.Store.Access;
using Grpc.AspNetCore.Server;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Api.Security;

/// <summary>
/// Every refusal is a security event, for a monitoring system to alert on: a row of the access log (action
/// <c>refused</c>, with the method and a reason class — never the token), one structured log event at Warning,
/// and a count in <c>croydon_audit_refusals_total{reason,method}</c>.
/// </summary>
/// <remarks>
/// The count is kept for every refusal. Rows and log events are kept for the first
/// <see cref="RowsPerMinute"/> refusals of one caller for one reason each minute; the next row kept says how
/// many like it were only counted, so a flood of refusals is seen without letting it fill the log or the database.
/// </remarks>
public sealed partial class CallRefusals
{
    /// <summary>No bearer token.</summary>
    public const string TokenMissing = "token-missing";

    /// <summary>A token past its lifetime (and the clock skew).</summary>
    public const string TokenExpired = "token-expired";

    /// <summary>A token not signed by the provider, for another audience or issuer, or not a token at all.</summary>
    public const string TokenInvalid = "token-invalid";

    /// <summary>A signed token whose claims cannot be read as a caller (<see cref="TokenShape"/>).</summary>
    public const string TokenIllMade = "token-ill-made";

    /// <summary>The caller's roles do not allow the method.</summary>
    public const string Role = "role";

    /// <summary>The caller's token is for another team.</summary>
    public const string Team = "team";

    /// <summary>No such audit or revision (or one of another team, answered alike).</summary>
    public const string NotFound = "not-found";

    /// <summary>Too many calls from one caller.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>Request bodies in flight would take the process over its memory budget.</summary>
    public const string Busy = "busy";

    /// <summary>A read's query fields were not valid (INVALID_ARGUMENT).</summary>
    public const string BadQuery = "bad-query";

    /// <summary>Rows and log events kept per caller and reason each minute.</summary>
    public const int RowsPerMinute = 20;

    // Callers remembered for the allowance; beyond it, refusals of callers not yet seen are only counted.
    private const int MaxCallers = 10_000;

    private const int MaxMethodLength = 200;

    private readonly AccessLog _log;
    private readonly ILogger<CallRefusals> _logger;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _refusals;
    private readonly ConcurrentDictionary<(string Caller, string Reason), Allowance> _allowances = new();

    /// <summary>Creates the recorder over the access log.</summary>
    public CallRefusals(AccessLog log, IMeterFactory meters, ILogger<CallRefusals> logger, TimeProvider clock)
    {
        _log = log;
        _logger = logger;
        _clock = clock;
        _refusals = meters.Create(Infrastructure.Telemetry.ServiceTelemetry.MeterName).CreateCounter<long>(
            "croydon.audit.refusals", description: "Calls refused: authentication, role, team, not found, rate limit, bad query; by reason and method.");
    }

    /// <summary>The reason class of a failed authentication (<paramref name="failure"/>: null when no token was sent).</summary>
    public static string ReasonOf(Exception? failure) => failure switch
    {
        null => TokenMissing,
        SecurityTokenExpiredException => TokenExpired,
        SecurityTokenIllMadeException => TokenIllMade,
        _ => TokenInvalid,
    };

    /// <summary>
    /// Records a refusal of <paramref name="context"/>'s call: counted, and unless this caller's allowance for the
    /// reason is spent, logged and written to the access log. The task completes when the row is stored (or was
    /// not kept); it fails when the row could not be stored.
    /// </summary>
    public Task RefusedAsync(HttpContext context, string reason, string? auditId = null, string? query = null)
    {
        var (accessor, caller) = Who(context);
        if (Counted(accessor.Method, caller, reason) is not { } skipped)
        {
            return Task.CompletedTask;
        }

        LogRefused(_logger, accessor.Method, reason, accessor.Subject, accessor.Client, caller, skipped);
        // An unauthenticated caller is known only by the address it called from.
        var from = accessor.Subject.Length == 0 ? $"address={context.Connection.RemoteIpAddress}" : null;
        var note = string.Join(' ', new[] { from, query, skipped > 0 ? $"and {skipped} more like it counted only" : null }.Where(n => n is not null));
        try
        {
            return _log.RecordAsync(accessor.Refused(reason, auditId, note.Length > 0 ? note : null), CancellationToken.None);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    /// <summary>Records a refusal without waiting for its row: a row that cannot be stored is logged, never thrown.</summary>
    public void Refused(HttpContext context, string reason, string? auditId = null, string? query = null) =>
        RefusedAsync(context, reason, auditId, query).ContinueWith(
            static (stored, logger) => LogNotStored((ILogger)logger!, stored.Exception!.GetBaseException().Message),
            _logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>A refusal the store wrote to the access log itself, with the read it refused: counted and logged.</summary>
    public void RecordedByStore(HttpContext context, string reason)
    {
        var (accessor, caller) = Who(context);
        if (Counted(accessor.Method, caller, reason) is { } skipped)
        {
            LogRefused(_logger, accessor.Method, reason, accessor.Subject, accessor.Client, caller, skipped);
        }
    }

    /// <summary>The method a request is for, as the access log and the metric name it: never an id or free text.</summary>
    public static string MethodOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName
            ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText
            ?? (Infrastructure.Rest.RestJson.IsGrpc(context) ? "grpc (no such method)" : "other");
        return method.Length <= MaxMethodLength ? method : method[..MaxMethodLength];
    }

    // The accessor as the access log names it, and whose allowance a refusal counts against: the authenticated
    // caller, or else the address it came from.
    private static (Accessor Accessor, string Caller) Who(HttpContext context)
    {
        var method = MethodOf(context);
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var caller = Caller.Of(context.User);
            return (new Accessor(caller.Subject, caller.Client, caller.Roles, method), caller.RateLimitKey);
        }

        var address = $"address {context.Connection.RemoteIpAddress}";
        return (new Accessor("", "", [], method), address);
    }

    // Counts the refusal; the number of refusals only counted since the last kept, when this one is to be kept too.
    private long? Counted(string method, string caller, string reason)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("method", method));
        var now = _clock.GetUtcNow();
        if (_allowances.Count >= MaxCallers && !_allowances.ContainsKey((caller, reason)))
        {
            foreach (var (key, spent) in _allowances)
            {
                if (spent.Ended(now))
                {
                    _allowances.TryRemove(key, out _);
                }
            }

            if (_allowances.Count >= MaxCallers)
            {
                return null;
            }
        }

        return _allowances.GetOrAdd((caller, reason), _ => new Allowance()).Take(now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} ({Reason}) for subject {Subject} of client {Client}, caller {Caller}; {Skipped} more like it counted only since the last")]
    private static partial void LogRefused(ILogger logger, string method, string reason, string subject, string client, string caller, long skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refusal could not be written to the access log: {Why}")]
    private static partial void LogNotStored(ILogger logger, string why);

    // One caller's rows for one reason in the current minute.
    private sealed class Allowance
    {
        private DateTimeOffset _until;
        private int _kept;
        private long _skipped;

        public bool Ended(DateTimeOffset now)
        {
            lock (this)
            {
                return now >= _until;
            }
        }

        public long? Take(DateTimeOffset now)
        {
            lock (this)
            {
                if (now >= _until)
                {
                    _until = now.AddMinutes(1);
                    _kept = 0;
                }

                if (_kept >= RowsPerMinute)
                {
                    _skipped++;
                    return null;
                }

                _kept++;
                var skipped = _skipped;
                _skipped = 0;
                return skipped;
            }
        }
    }
}
