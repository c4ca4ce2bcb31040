using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Api.Security;

/// <summary>
/// The pages' certificate at the identity provider (<see cref="AuthOptions.ClientCertificatePath"/>): with it the
/// pages sign a short-lived client assertion (RFC 7523, private_key_jwt) for each token request, in place of a
/// client secret, so no shared secret exists to leak. Its header names the certificate by thumbprint (kid, x5t), as
/// Entra ID and Keycloak look keys up.
/// </summary>
public sealed class ClientCertificate
{
    /// <summary>The assertion type of RFC 7523's client authentication.</summary>
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    // Long enough for the token request it travels with, short enough that a copy is soon useless.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _clock;

    private ClientCertificate(X509Certificate2 certificate, TimeProvider clock)
    {
        _credentials = new X509SigningCredentials(certificate, SecurityAlgorithms.RsaSha256);
        _clock = clock;
    }

    /// <summary>Reads the certificate and its key; throws when they cannot be read (<see cref="Problem"/> says why first, at start).</summary>
    public static ClientCertificate Load(string path, string? keyPath, TimeProvider clock) =>
        new(X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath), clock);

    /// <summary>Why the certificate cannot be used, in words for whoever configures the service; null when it can.</summary>
    public static string? Problem(string path, string? keyPath, DateTimeOffset now)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);
            if (certificate.GetRSAPrivateKey() is null)
            {
                return $"the pages' certificate (Auth__ClientCertificatePath, {path}) has no RSA private key with it: give the key in the same PEM file, or at Auth__ClientCertificateKeyPath.";
            }

            return certificate.NotAfter.ToUniversalTime() < now.UtcDateTime
                ? $"the pages' certificate (Auth__ClientCertificatePath, {path}) expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}: register a new one at the identity provider and give it here."
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return $"the pages' certificate (Auth__ClientCertificatePath, {path}) cannot be read as a PEM certificate with its private key: {e.Message}";
        }
    }

    /// <summary>
    /// Authenticates one request to the provider: a client assertion in place of a secret, addressed to its token
    /// endpoint (which RFC 7523 and RFC 9126 have every endpoint accept as the audience).
    /// </summary>
    public async Task AuthenticateAsync(OpenIdConnectMessage request, OpenIdConnectOptions options, CancellationToken cancellationToken)
    {
        // The provider's discovery document, as the handler has it (cached by its configuration manager).
        var provider = options.Configuration ?? await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        request.ClientSecret = null;
        request.ClientAssertionType = AssertionType;
        request.ClientAssertion = Assertion(options.ClientId!, provider.TokenEndpoint);
    }

    private string Assertion(string clientId, string tokenEndpoint)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = tokenEndpoint,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = clientId, [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = _credentials,
        });
    }
}
