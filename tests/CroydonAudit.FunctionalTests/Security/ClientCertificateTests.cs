using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CroydonAudit.Api.Security;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.FunctionalTests.Security;

/// <summary>
/// The pages' certificate in place of a secret: each request to the provider carries a short-lived assertion signed by
/// its key, naming the certificate as Entra ID and Keycloak look it up, and no secret.
/// </summary>
public sealed class ClientCertificateTests : IDisposable
{
    private readonly string _pem = Path.Combine(Path.GetTempPath(), $"croydon-pages-{Guid.NewGuid():N}.pem");
    private readonly X509Certificate2 _certificate;

    public ClientCertificateTests()
    {
        using var key = RSA.Create(2048);
        _certificate = new CertificateRequest("CN=croydon-audit-pages", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_pem, _certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public async Task AuthenticateAsync_SignsAShortLivedAssertion_ForTheTokenEndpoint_WithoutTheSecret()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));
        var certificate = ClientCertificate.Load(_pem, null, clock);
        var options = new OpenIdConnectOptions { ClientId = "croydon-audit-pages", Configuration = new OpenIdConnectConfiguration { TokenEndpoint = "https://login.example.org/tenant/oauth2/v2.0/token" } };
        var request = new OpenIdConnectMessage { ClientSecret = "never sent" };

        await certificate.AuthenticateAsync(request, options, CancellationToken.None);

        Assert.Null(request.ClientSecret);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.ClientAssertionType);
        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(request.ClientAssertion, new TokenValidationParameters
        {
            ValidIssuer = "croydon-audit-pages",
            ValidAudience = options.Configuration.TokenEndpoint,
            IssuerSigningKey = new X509SecurityKey(_certificate),
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(checkedToken.IsValid, checkedToken.Exception?.Message);
        var assertion = (JsonWebToken)checkedToken.SecurityToken;
        Assert.Equal(("croydon-audit-pages", TimeSpan.FromMinutes(2)), (assertion.Subject, assertion.ValidTo - assertion.IssuedAt));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, assertion.IssuedAt);
        Assert.Equal(_certificate.Thumbprint, assertion.Kid);
        Assert.Equal(Base64UrlEncoder.Encode(_certificate.GetCertHash()), assertion.X5t);
        Assert.False(string.IsNullOrEmpty(assertion.Id));
    }

    [Fact]
    public void Problem_ACertificateWithoutItsKey_IsNamed()
    {
        var certificateOnly = Path.ChangeExtension(_pem, ".crt.pem");
        File.WriteAllText(certificateOnly, _certificate.ExportCertificatePem());
        try
        {
            var now = DateTimeOffset.UtcNow;
            Assert.Contains("cannot be read as a PEM certificate with its private key", ClientCertificate.Problem(certificateOnly, null, now), StringComparison.Ordinal);
            Assert.Null(ClientCertificate.Problem(certificateOnly, _pem, now));
            Assert.Null(ClientCertificate.Problem(_pem, null, now));
            Assert.Contains("expired on", ClientCertificate.Problem(_pem, null, now.AddDays(2)), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificateOnly);
        }
    }

    public void Dispose()
    {
        _certificate.Dispose();
        File.Delete(_pem);
    }
}
