using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Pages;

/// <summary>
/// Ends this browser's session, on every replica: its cookie is never accepted again. Signed in through the council's
/// identity provider, the browser then signs out there too (RP-initiated logout), and comes back to be told so.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(PageSession session, IOptions<AuthOptions> auth) : PageModel
{
    /// <summary>Signs out, here and at the provider.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            await session.SignOutAsync(HttpContext);
        }
        catch (CroydonAudit.Store.AuditStoreUnavailableException)
        {
            // The browser forgets its cookie; the session itself ends when it has been idle long enough.
            HttpContext.Response.Cookies.Delete(PageSession.Cookie, new CookieOptions { Path = "/" });
            return LocalRedirect($"{PageSession.SignInPath}?notEnded=true");
        }

        // The provider's sign-out names this session's ID token (ProviderSignIn), read before the session ended.
        return auth.Value.SignsInThroughProvider && PageSession.IdToken(HttpContext) is not null
            ? SignOut(new AuthenticationProperties { RedirectUri = ProviderSignIn.SignedOutPath }, ProviderSignIn.Scheme)
            : LocalRedirect(auth.Value.SignsInThroughProvider ? ProviderSignIn.SignedOutPath : $"{PageSession.SignInPath}?signedOut=true");
    }

    /// <summary>Nothing to show: signing out is a form's POST.</summary>
    public IActionResult OnGet() => LocalRedirect("/audits");
}
