using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Api.Security;

/// <summary>
/// Checks a token a person signs in with exactly as the API will check it on every page (signature, issuer,
/// audience, lifetime, <see cref="TokenShape"/>), before a session is kept for it: a session is never made for text
/// that is not a token this service accepts.
/// </summary>
public sealed class SignInTokens(IOptionsMonitor<JwtBearerOptions> options)
{
    /// <summary>Why the token is refused, in words; null when it is accepted.</summary>
    public async Task<string?> ProblemAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = options.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = jwt.TokenValidationParameters.Clone();
        // With a provider, its issuer and signing keys come from its discovery document, as JwtBearer takes them.
        if (jwt.ConfigurationManager is { } provider)
        {
            var configuration = await provider.GetConfigurationAsync(cancellationToken);
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }

        var handler = jwt.TokenHandlers.OfType<JsonWebTokenHandler>().FirstOrDefault() ?? new JsonWebTokenHandler { MapInboundClaims = false };
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenExpiredException ? "it has expired"
                : parameters.ValidIssuer == CroydonAudit.Identity.LocalTokens.Issuer ? "it was not made by ./run.sh token for this copy of the service"
                : "it is not one the council's identity provider signed for this service";
        }

        return TokenShape.Problem(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity), result.SecurityToken);
    }

    /// <summary>
    /// Local mode's sign-in: a token signed with the local key for the roles, team and name a person chose on the
    /// local sign-in page, for as long as <paramref name="lifetime"/>. Never outside local mode, where the service has no such key.
    /// </summary>
    public string LocalToken(IEnumerable<string> roles, string? team, string name, TimeSpan lifetime)
    {
        var parameters = options.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        if (parameters.ValidIssuer != CroydonAudit.Identity.LocalTokens.Issuer || parameters.IssuerSigningKey is not { } key)
        {
            throw new InvalidOperationException("Local sign-in is only for local mode.");
        }

        return CroydonAudit.Identity.LocalTokens.Create(key, roles, team, name, lifetime, parameters.ValidAudience);
    }
}
