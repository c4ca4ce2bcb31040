using CroydonAudit.Api.Pages.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages;

/// <summary>
/// Signs a browser in with a bearer token. The token is kept server-side, in the browser's session
/// (<see cref="PageSession"/>), and checked on every page exactly as a gRPC caller's is: one that is not valid, or
/// has expired, or a session ended by signing out or left idle, brings the browser back here, saying so.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(PageSession session, CroydonAudit.Api.Security.SignInTokens tokens) : PageModel
{
    /// <summary>Where to go once signed in (a path on this site only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when a kept token was refused.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Refused { get; set; }

    /// <summary>Set when signing out could not end the session in the database.</summary>
    [BindProperty(SupportsGet = true)]
    public bool NotEnded { get; set; }

    /// <summary>What is wrong, in words.</summary>
    public string? Problem { get; private set; }

    /// <summary>The form, saying why when a session was refused.</summary>
    public async Task OnGetAsync()
    {
        if (NotEnded)
        {
            Problem = "This browser has forgotten your sign-in, but the service could not reach its database to end your session there; it ends by itself once left unused.";
        }
        else if (Refused)
        {
            Problem = await Unavailable(() => session.SignOutAsync(HttpContext))
                ?? "Your session has ended, or your access token is not valid or has expired. Sign in again.";
        }
    }

    /// <summary>Starts a session for the token.</summary>
    public async Task<IActionResult> OnPostAsync([FromForm] string? token)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 8192 || token.Any(char.IsWhiteSpace))
        {
            Problem = "Enter your access token, as one piece of text without spaces.";
            return Page();
        }

        // A session only for a token the service accepts: any other text is refused here, and nothing is kept for it.
        if (await tokens.ProblemAsync(token, HttpContext.RequestAborted) is { } refused)
        {
            Problem = $"That access token was refused: {refused}. Sign in with the token your organisation's sign-in gave you.";
            return Page();
        }

        if (await Unavailable(() => session.SignInAsync(HttpContext, token)) is { } problem)
        {
            Problem = problem;
            return Page();
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/audits");
    }

    // Sessions are kept in the database: when it cannot be reached, the page says so instead of failing.
    private static async Task<string?> Unavailable(Func<Task> work)
    {
        try
        {
            await work();
            return null;
        }
        catch (CroydonAudit.Store.AuditStoreUnavailableException)
        {
            return "The service cannot reach its database just now, so nobody can sign in or out. Try again in a minute.";
        }
    }
}
