using Croydon.Audit.V1;
using CroydonAudit.Contracts.Validation;
using Grpc.Core;
using Grpc.Net.Client;

namespace CroydonAudit.Cli.Commands;

/// <summary>
/// The running service's RuleSetService, called as the person whose token is in <c>--token</c> or
/// <c>CROYDON_AUDIT_TOKEN</c>, at <c>CROYDON_AUDIT_ADDRESS</c> (default: where <c>./run.sh</c> serves gRPC). What the
/// service records as proposer, approver or activator is that token's subject. Its refusals are said in words.
/// </summary>
internal static class ServiceConnection
{
    /// <summary>Where <c>./run.sh</c> serves gRPC.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5000";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Calls the service with the person's token, which needs <paramref name="role"/>; the exit code is
    /// <paramref name="call"/>'s, or a refusal's. <paramref name="changes"/>: the call would change something (a refusal
    /// then says nothing was).
    /// </summary>
    public static async Task<int> RunAsync(
        string? token, string role, bool changes, Func<RuleSetService.RuleSetServiceClient, GradingService.GradingServiceClient, CallOptions, Task<int>> call,
        CancellationToken cancellationToken)
    {
        token ??= Environment.GetEnvironmentVariable("CROYDON_AUDIT_TOKEN");
        var address = Environment.GetEnvironmentVariable("CROYDON_AUDIT_ADDRESS") is { Length: > 0 } given ? given : DefaultAddress;
        if (string.IsNullOrWhiteSpace(token))
        {
            await Console.Error.WriteLineAsync(
                $"This command acts as you, so it needs your token (with the role {role}): set CROYDON_AUDIT_TOKEN or pass --token. With the local service (./run.sh):\n" +
                $"  export CROYDON_AUDIT_TOKEN=\"$(./run.sh token --role {role} --name your.name)\"");
            return RulesCommands.Failed;
        }

        if (!Uri.TryCreate(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address, UriKind.Absolute, out var uri))
        {
            await Console.Error.WriteLineAsync($"CROYDON_AUDIT_ADDRESS is \"{address}\", which is not an address: give one such as {DefaultAddress}.");
            return RulesCommands.Failed;
        }

        using var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 34 * 1024 * 1024 });
        var options = new CallOptions(new Metadata { { "authorization", $"Bearer {token.Trim()}" } }, DateTime.UtcNow + Deadline, cancellationToken);
        try
        {
            return await call(new RuleSetService.RuleSetServiceClient(channel), new GradingService.GradingServiceClient(channel), options);
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync(Explain(e, uri, role) + (changes ? " Nothing was changed." : ""));
            return e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.PermissionDenied
                ? RulesCommands.Refused
                : RulesCommands.Failed;
        }
    }

    // A refusal in words a person can act on.
    private static string Explain(RpcException e, Uri address, string role) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Internal when e.Status.DebugException is not null =>
            $"The service at {address} cannot be reached: is it running (./run.sh), and is CROYDON_AUDIT_ADDRESS right?",
        StatusCode.Unauthenticated => "The service did not accept your token: it may have expired. Ask for a new one (in local mode: ./run.sh token).",
        StatusCode.PermissionDenied => $"Your token does not allow this: it needs the role {role}.",
        StatusCode.InvalidArgument => string.Join(Environment.NewLine, e.Reasons().Prepend("Refused:")),
        StatusCode.DeadlineExceeded => $"The service did not answer within {Deadline.TotalMinutes:0} minutes; whether it finished is unknown: see ./run.sh rules history.",
        _ => e.Status.Detail,
    };
}
