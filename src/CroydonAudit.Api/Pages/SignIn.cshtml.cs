using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Pages;

/// <summary>
/// Where a browser signs in. With the council's identity provider (<see cref="ProviderSignIn"/>) it goes straight
/// there and comes back signed in; nothing is typed here, and no token is accepted. In local mode (<c>./run.sh</c>)
/// it is a local sign-in, clearly marked, where a person chooses their roles and team, or gives a token that
/// <c>./run.sh token</c> printed. Either way the token is kept server-side, in the browser's session
/// (<see cref="PageSession"/>), and checked on every page exactly as a gRPC caller's is.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(PageSession session, SignInTokens tokens, IOptions<AuthOptions> auth, IOptions<PageSessionOptions> sessions) : PageModel
{
    /// <summary>The roles a person may choose on the local sign-in, in words.</summary>
    public static IReadOnlyList<(string Role, string Words)> LocalRoles { get; } =
    [
        (Roles.Auditor, "Auditor: records audits and reads their grades"),
        (Roles.Moderator, "Moderator: checks audit grades, and confirms or changes them"),
        (Roles.Analyst, "Analyst: reads the programme report"),
        (Roles.RulesAdmin, "Principal social worker: checks, proposes and activates the grading rules"),
        (Roles.RulesApprover, "Approver: approves rule changes someone else proposed"),
        (Roles.DataProtection, "Data protection: reviews who read which audit"),
    ];

    /// <summary>Where to go once signed in (a path on this site only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when a kept token was refused.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Refused { get; set; }

    /// <summary>Set when signing out could not end the session in the database.</summary>
    [BindProperty(SupportsGet = true)]
    public bool NotEnded { get; set; }

    /// <summary>Set just after signing out (local mode: with a provider, the provider's sign-out comes back to /signed-out).</summary>
    [BindProperty(SupportsGet = true)]
    public bool SignedOut { get; set; }

    /// <summary>Set when a sign-in through the provider did not complete, saying why.</summary>
    [BindProperty(SupportsGet = true)]
    public SignInFailure Failed { get; set; }

    /// <summary>Set when a sign-in through the provider is being tried a second time (its keys had changed).</summary>
    [BindProperty(SupportsGet = true, Name = ProviderSignIn.Retried)]
    public bool Retried { get; set; }

    /// <summary>What is wrong, in words.</summary>
    public string? Problem { get; private set; }

    /// <summary>Which form field the problem is about.</summary>
    public string ProblemField { get; private set; } = "roles";

    /// <summary>Local mode: the local sign-in is offered.</summary>
    public bool IsLocal => auth.Value.IsLocal;

    /// <summary>People sign in at the council's identity provider.</summary>
    public bool ThroughProvider => auth.Value.SignsInThroughProvider;

    /// <summary>The roles chosen, kept when the form is shown again.</summary>
    public IReadOnlyCollection<string> ChosenRoles { get; private set; } = [];

    /// <summary>The team chosen, kept when the form is shown again.</summary>
    public string? ChosenTeam { get; private set; }

    /// <summary>The name given, kept when the form is shown again.</summary>
    public string? ChosenName { get; private set; }

    /// <summary>To the provider, or the local form; saying why when a session was refused or a sign-in failed.</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        if (NotEnded)
        {
            Problem = "This browser has forgotten your sign-in, but the service could not reach its database to end your session there; it ends by itself once left unused.";
            return Page();
        }

        if (Failed is not SignInFailure.None)
        {
            Problem = Failed switch
            {
                SignInFailure.Token => "The council's sign-in worked, but it did not give you access to this service. Ask the service desk to give you a role in it.",
                SignInFailure.Unavailable => Unreachable,
                _ => "Signing in at the council's sign-in did not complete. Try again; if it keeps happening, contact the service desk.",
            };
            return Page();
        }

        if (Refused && await Unavailable(() => session.SignOutAsync(HttpContext)) is { } unavailable)
        {
            Problem = unavailable;
            return Page();
        }

        if (ThroughProvider)
        {
            // An ended or expired session goes back through the provider, which signs its person in again.
            var properties = new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/audits" };
            if (Retried)
            {
                properties.Items[ProviderSignIn.Retried] = "true";
            }

            return Challenge(properties, ProviderSignIn.Scheme);
        }

        if (Refused)
        {
            Problem = "You have been signed out, because your session ended or was left unused. Sign in again.";
        }

        return Page();
    }

    /// <summary>Local mode only: starts a session for the roles and team chosen, or for a token <c>./run.sh token</c> printed.</summary>
    public async Task<IActionResult> OnPostAsync([FromForm] string[]? roles, [FromForm] string? team, [FromForm] string? name)
    {
        // Outside local mode nobody signs in here: no token typed or pasted is ever accepted.
        if (!IsLocal)
        {
            return NotFound();
        }

        ChosenRoles = roles ?? [];
        ChosenTeam = team;
        ChosenName = name;

        var chosen = (roles ?? []).Where(r => LocalRoles.Any(l => l.Role == r)).Distinct().ToList();
        team = string.IsNullOrWhiteSpace(team) ? null : team.Trim();
        name = string.IsNullOrWhiteSpace(name) ? "local-user" : name.Trim();
        (Problem, ProblemField) =
            chosen.Count == 0 ? ("Choose at least one role.", "roles")
            : !IsName(team) ? ($"Enter a team name of at most {NameLimit} characters, on one line.", "team")
            : !IsName(name) ? ($"Enter your name in at most {NameLimit} characters, on one line.", "name")
            : (null, "");
        if (Problem is not null)
        {
            return Page();
        }

        return await StartAsync(tokens.LocalToken(chosen, team, name, sessions.Value.SessionLifetime));
    }

    /// <summary>Local mode only, for developers: starts a session for a token <c>./run.sh token</c> printed (a form of its own).</summary>
    public async Task<IActionResult> OnPostTokenAsync([FromForm] string? token)
    {
        if (!IsLocal)
        {
            return NotFound();
        }

        ProblemField = "token";
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > 8192 || token.Any(char.IsWhiteSpace))
        {
            Problem = "Enter the token ./run.sh token printed, as one piece of text without spaces.";
            return Page();
        }

        // A session only for a token the service accepts: any other text is refused here, and nothing is kept for it.
        if (await tokens.ProblemAsync(token, HttpContext.RequestAborted) is { } refused)
        {
            Problem = $"That token was refused: {refused}.";
            return Page();
        }

        return await StartAsync(token);
    }

    private async Task<IActionResult> StartAsync(string token)
    {
        if (await Unavailable(() => session.SignInAsync(HttpContext, token)) is { } problem)
        {
            Problem = problem;
            return Page();
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/audits");
    }

    private const int NameLimit = 100;

    private static bool IsName(string? text) => text is null || (text.Length <= NameLimit && !text.Any(char.IsControl));

    private const string Unreachable = "The service cannot reach its database just now, so nobody can sign in or out. Try again in a minute.";

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
            return Unreachable;
        }
    }
}
