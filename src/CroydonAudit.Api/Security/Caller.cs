using System.Runtime.CompilerServices;
using System.Security.Claims;
using CroydonAudit.Identity;
using Grpc.Core;

namespace CroydonAudit.Api.Security;

/// <summary>Who is calling, from the verified token — never from the request body.</summary>
/// <param name="Subject">The token's subject.</param>
/// <param name="Client">The client application (client_id, azp or appid), or empty.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="Team">The team the caller's reads are limited to, when the token names one.</param>
public sealed record Caller(string Subject, string Client, IReadOnlyList<string> Roles, string? Team)
{
    // A token's principal is shared by the calls that carry it (see ValidatedTokens): read its claims once.
    private static readonly ConditionalWeakTable<ClaimsPrincipal, Caller> Read = [];

    /// <summary>Whose calls are counted together for the rate limit: the client and the subject.</summary>
    public string RateLimitKey { get; } = $"{Client}/{Subject}";

    /// <summary>The caller of a call that passed authorization.</summary>
    public static Caller Of(ServerCallContext context) => Of(context.GetHttpContext().User);

    /// <summary>The caller a principal stands for.</summary>
    public static Caller Of(ClaimsPrincipal user) => Read.GetValue(user, static user => new(
        user.FindFirstValue(ClaimNames.Subject) ?? "",
        ClaimNames.Client.Select(user.FindFirstValue).FirstOrDefault(c => !string.IsNullOrEmpty(c)) ?? "",
        [.. user.FindAll(ClaimNames.Roles).Select(c => c.Value).Distinct()],
        user.FindFirstValue(ClaimNames.Team) is { Length: > 0 } team ? team : null));

    /// <summary>
    /// Whose calls are counted together for the rate limit: the authenticated caller, or else the address (the
    /// client's, behind a trusted proxy) — signing in apart, so that a flood of anonymous calls from one address
    /// never locks its people out of the sign-in page.
    /// </summary>
    public static string RateLimitPartitionOf(HttpContext context) => context.User.Identity?.IsAuthenticated == true
        ? Of(context.User).RateLimitKey
        : context.Request.Path.StartsWithSegments(Pages.Support.PageSession.SignInPath)
        ? $"sign-in/{context.Connection.RemoteIpAddress}"
        : $"address/{context.Connection.RemoteIpAddress}";
}
