using CroydonAudit.Api.Pages.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages;

/// <summary>
/// Signs a browser in with a bearer token. The token is kept as it is and checked on every page, exactly as a
/// gRPC caller's is: one that is not valid, or has expired, brings the browser back here, saying so.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel : PageModel
{
    /// <summary>Where to go once signed in (a path on this site only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when a kept token was refused.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Refused { get; set; }

    /// <summary>What is wrong, in words.</summary>
    public string? Problem { get; private set; }

    /// <summary>The form, saying why when a kept token was refused.</summary>
    public void OnGet()
    {
        if (Refused)
        {
            PageSession.SignOut(HttpContext);
            Problem = "Your access token is not valid, or has expired. Sign in with a new one.";
        }
    }

    /// <summary>Keeps the token for this browser.</summary>
    public IActionResult OnPost([FromForm] string? token)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 8192 || token.Any(char.IsWhiteSpace))
        {
            Problem = "Enter your access token, as one piece of text without spaces.";
            return Page();
        }

        PageSession.SignIn(HttpContext, token);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/audits");
    }
}
