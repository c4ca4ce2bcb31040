using CroydonAudit.Api.Pages.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages;

/// <summary>Forgets this browser's token.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    /// <summary>Signs out, back to the sign-in page.</summary>
    public IActionResult OnPost()
    {
        PageSession.SignOut(HttpContext);
        return LocalRedirect(PageSession.SignInPath);
    }

    /// <summary>Nothing to show: signing out is a form's POST.</summary>
    public IActionResult OnGet() => LocalRedirect("/audits");
}
