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
            return result.Exception is SecurityTokenExpiredException ? "it has expired" : "it is not one the council's identity provider signed for this service";
        }

        return TokenShape.Problem(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity), result.SecurityToken);
    }
}
