using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages;

/// <summary>What went wrong, in words: the service's own message when a contract call failed.</summary>
[AllowAnonymous]
public sealed class ProblemModel : PageModel
{
    /// <summary>The page's heading.</summary>
    public string Heading { get; private set; } = "Sorry, there is a problem with the service";

    /// <summary>What happened and what to do.</summary>
    public string Message { get; private set; } = "Try again later.";

    /// <summary>Explains the status the original request ended with.</summary>
    public void OnGet(int? code)
    {
        var status = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null ? 404 : code ?? 500;
        (Heading, Message) = status switch
        {
            404 => ("Page not found", "If you typed the web address, check it is correct."),
            403 => ("You do not have access to this page", "Your roles do not allow it. Ask your manager if you need access."),
            400 => ("There is a problem with what was asked", "Go back and check what you entered."),
            429 => ("Too many requests", "Wait a minute, then try again."),
            _ => (Heading, Message),
        };
        if (HttpContext.Items[typeof(RpcException)] is RpcException error && error.Status.Detail is { Length: > 0 } detail)
        {
            Message = detail;
        }
    }
}
