using CroydonAudit.Api.Pages.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Api.Security;

/// <summary>
/// People sign in to the pages at the council's identity provider: OpenID Connect's authorization code flow with
/// PKCE, as a confidential client (<c>Auth__ClientId</c>, and <c>Auth__ClientSecret</c> or a certificate,
/// <see cref="ClientCertificate"/>). Nothing the provider answers is
/// kept in a cookie: its access token is checked exactly as an API caller's is (<see cref="SignInTokens"/>) and kept
/// server-side in the browser's session (<see cref="PageSession"/>) beside the ID token, which signing out names at
/// the provider (RP-initiated logout). A session that ends (sign-out, idle, the token's expiry) sends the browser back
/// through the provider, which signs its person in again without a prompt while their single sign-on lasts.
/// </summary>
public static partial class ProviderSignIn
{
    /// <summary>The authentication scheme of the provider's sign-in.</summary>
    public const string Scheme = "CouncilSignIn";

    /// <summary>Where the provider sends the browser back with its answer (a redirect URI to register).</summary>
    public const string CallbackPath = "/sign-in/callback";

    /// <summary>Where the provider sends the browser back after signing out there (a post-logout redirect URI to register).</summary>
    public const string SignedOutCallbackPath = "/sign-out/callback";

    /// <summary>The page saying the person has signed out.</summary>
    public const string SignedOutPath = "/signed-out";

    /// <summary>Marks a sign-in already retried once because the provider's signing keys had changed.</summary>
    public const string Retried = "retried";

    /// <summary>Adds the provider's sign-in when the pages have a client there (<see cref="AuthOptions.SignsInThroughProvider"/>).</summary>
    public static AuthenticationBuilder AddProviderSignIn(this AuthenticationBuilder authentication, AuthOptions configured)
    {
        if (!configured.SignsInThroughProvider)
        {
            return authentication;
        }

        authentication.AddOpenIdConnect(Scheme, _ => { });
        authentication.Services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IOptions<AuthOptions>, TimeProvider>((oidc, auth, clock) => Configure(oidc, auth.Value, clock));
        return authentication;
    }

    private static void Configure(OpenIdConnectOptions oidc, AuthOptions auth, TimeProvider clock)
    {
        var certificate = string.IsNullOrWhiteSpace(auth.ClientCertificatePath) ? null : ClientCertificate.Load(auth.ClientCertificatePath, auth.ClientCertificateKeyPath, clock);
        oidc.Authority = auth.Authority;
        oidc.ClientId = auth.ClientId;
        oidc.ClientSecret = auth.ClientSecret;
        oidc.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        oidc.RefreshInterval = auth.KeysRefreshInterval;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        // The answer comes back in the query of a top-level GET: the correlation cookies can then be SameSite=Lax.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.CallbackPath = CallbackPath;
        oidc.SignedOutCallbackPath = SignedOutCallbackPath;
        oidc.SignedOutRedirectUri = SignedOutPath;
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.DisableTelemetry = true;
        oidc.Scope.Clear();
        foreach (var scope in $"openid profile {auth.Scopes}".Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            oidc.Scope.Add(scope);
        }

        oidc.TokenValidationParameters.ClockSkew = auth.ClockSkew;
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        oidc.Events = new OpenIdConnectEvents
        {
            // With a certificate, the pages authenticate by a signed assertion wherever they would give a secret: pushing
            // the sign-in request (PAR, where the provider offers it) and redeeming its code.
            OnPushAuthorization = async context =>
            {
                if (certificate is not null)
                {
                    await certificate.AuthenticateAsync(context.ProtocolMessage, context.Options, context.HttpContext.RequestAborted);
                    context.HandleClientAuthentication();
                }
            },
            OnAuthorizationCodeReceived = async context =>
            {
                if (certificate is not null && context.TokenEndpointRequest is { } request)
                {
                    await certificate.AuthenticateAsync(request, context.Options, context.HttpContext.RequestAborted);
                }
            },
            OnTicketReceived = KeepSessionAsync,
            OnRemoteFailure = FailedAsync,
            OnRedirectToIdentityProviderForSignOut = context =>
            {
                // The session has ended here already; its ID token tells the provider whose sign-in to end.
                context.ProtocolMessage.IdTokenHint = PageSession.IdToken(context.HttpContext);
                return Task.CompletedTask;
            },
        };
    }

    // The provider has signed the person in: their access token, checked as the API checks it, becomes a session.
    private static async Task KeepSessionAsync(TicketReceivedContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var access = context.Properties?.GetTokenValue(OpenIdConnectParameterNames.AccessToken);
        var refused = access is null
            ? "the provider gave no access token"
            : await http.RequestServices.GetRequiredService<SignInTokens>().ProblemAsync(access, http.RequestAborted);
        if (refused is not null)
        {
            LogAccessTokenRefused(Logger(http), refused);
            http.Response.Redirect($"{PageSession.SignInPath}?failed={SignInFailure.Token}");
            return;
        }

        try
        {
            await http.RequestServices.GetRequiredService<PageSession>().SignInAsync(http, access!, context.Properties?.GetTokenValue(OpenIdConnectParameterNames.IdToken));
        }
        catch (CroydonAudit.Store.AuditStoreUnavailableException)
        {
            http.Response.Redirect($"{PageSession.SignInPath}?failed={SignInFailure.Unavailable}");
            return;
        }

        // The return address came back in the provider's state, which only this service can read or write: the sign-in
        // page put it there, having checked it was a path on this site.
        http.Response.Redirect(context.ReturnUri ?? "/audits");
    }

    // The provider said no, or its answer did not check out. Signed by a key not yet known (a rotation), the keys are
    // being read again: the sign-in is tried once more, unseen; anything else is shown.
    private static Task FailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var returnUrl = context.Properties?.RedirectUri ?? "/audits";
        if (context.Failure is SecurityTokenSignatureKeyNotFoundException && context.Properties?.Items.ContainsKey(Retried) == false)
        {
            http.Response.Redirect($"{PageSession.SignInPath}?{Retried}=true&returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }

        LogSignInFailed(Logger(http), context.Failure?.GetType().Name ?? "none", context.Failure?.Message ?? "");
        http.Response.Redirect($"{PageSession.SignInPath}?failed={SignInFailure.Provider}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        return Task.CompletedTask;
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderSignIn));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in at the identity provider gave an access token this service refuses: {Problem}")]
    private static partial void LogAccessTokenRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in at the identity provider did not complete ({Failure}): {Detail}")]
    private static partial void LogSignInFailed(ILogger logger, string failure, string detail);
}

/// <summary>Why a sign-in through the provider did not complete, as the sign-in page's query names it.</summary>
public enum SignInFailure
{
    /// <summary>None.</summary>
    None,

    /// <summary>The provider refused, or its answer did not check out.</summary>
    Provider,

    /// <summary>The provider's access token is not one this service accepts (audience, roles, team).</summary>
    Token,

    /// <summary>The database could not be reached to keep the session.</summary>
    Unavailable,
}
