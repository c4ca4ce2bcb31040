using CroydonAudit.Api.Pages.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages;

/// <summary>Ends this browser's session, on every replica: its cookie is never accepted again.</summary>
[AllowAnonymous]
public sealed class SignOutModel(PageSession session) : PageModel
{
    /// <summary>Signs out, back to the sign-in page.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await session.SignOutAsync(HttpContext);
            return LocalRedirect(PageSession.SignInPath);
        }
        catch (CroydonAudit.Store.AuditStoreUnavailableException)
        {
            // The browser forgets its cookie; the session itself ends when it has been idle long enough.
            HttpContext.Response.Cookies.Delete(PageSession.Cookie, new CookieOptions { Path = "/" });
            return LocalRedirect($"{PageSession.SignInPath}?notEnded=true");
        }
    }

    /// <summary>Nothing to show: signing out is a form's POST.</summary>
    public IActionResult OnGet() => LocalRedirect("/audits");
}
