namespace CroydonAudit.Api.Security;

/// <summary>
/// Configuration section "Auth": the OpenID Connect provider whose tokens the service accepts (Microsoft
/// Entra ID, Keycloak: keys from its discovery document), or local mode — tokens signed by a key in a file, as
/// <c>./run.sh token</c> makes them — only when asked for (<c>Auth__Mode=Local</c>, which <c>./run.sh</c> sets),
/// and never in Production. Anything else is refused at start (<see cref="StartProblem"/>).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Auth";

    /// <summary>The provider's issuer URL, e.g. https://login.microsoftonline.com/{tenant}/v2.0; none for local mode.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be for (the service's application id at the provider).</summary>
    public string? Audience { get; set; }

    /// <summary>The provider's discovery document must be fetched over HTTPS (switch off only for a test provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Server reflection without a token (for local tools); off unless set.</summary>
    public bool AnonymousReflection { get; set; }

    /// <summary>Local mode's signing key file, made on first use; relative to the content root.</summary>
    public string LocalSigningKeyPath { get; set; } = ".data/local-signing-key";

    /// <summary>The mode asked for: "Local" for local mode; empty or "Provider" for an identity provider.</summary>
    public string? Mode { get; set; }

    /// <summary>
    /// The pages' own registration at the provider (its application or client id): with it, people sign in to the
    /// pages through the provider (OpenID Connect, authorization code flow with PKCE); without it, only the API is served.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The pages' client secret at the provider: from configuration or a secret store, never the repository.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Instead of a secret, the pages prove who they are to the provider with a certificate (a signed client assertion,
    /// private_key_jwt, as Entra ID recommends): the path of a PEM file holding the certificate and its private key (or
    /// only the certificate, with the key at <see cref="ClientCertificateKeyPath"/>), mounted from a secret store.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM file of <see cref="ClientCertificatePath"/>'s private key, when it is not in the same file.</summary>
    public string? ClientCertificateKeyPath { get; set; }

    /// <summary>
    /// The scopes the pages ask for beside openid and profile, space-separated, so that the access token is for this
    /// service's API (Entra ID: api://APP-ID/.default; Keycloak: the client scope that adds the audience).
    /// </summary>
    public string? Scopes { get; set; }

    /// <summary>
    /// How soon the provider's signing keys are read again once a token is signed by a key not yet known (a rotation
    /// at the provider); the discovery document is read again at least every 12 hours in any case.
    /// </summary>
    public TimeSpan KeysRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>People sign in to the pages through the provider (<see cref="ClientId"/> is set).</summary>
    public bool SignsInThroughProvider => !IsLocal && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>How long after a token's expiry it is still accepted, for clocks that differ a little.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Local mode, as asked for.</summary>
    public bool IsLocal => string.Equals(Mode, LocalMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of <see cref="Mode"/> that asks for local mode.</summary>
    public const string LocalMode = "Local";

    /// <summary>Why the service must not start with this configuration in <paramref name="environment"/>, in words; null when it may.</summary>
    public string? StartProblem(IHostEnvironment environment, DateTimeOffset now) => this switch
    {
        { IsLocal: true } when environment.IsProduction() =>
            "no identity provider is configured (Auth__Authority, Auth__Audience), and local mode (Auth__Mode=Local), where the service accepts tokens signed by a key in a file, is not allowed in Production. Configure the provider.",
        { IsLocal: true } when !string.IsNullOrWhiteSpace(Authority) =>
            "both local mode (Auth__Mode=Local) and an identity provider (Auth__Authority) are configured. Choose one: remove Auth__Mode, or Auth__Authority.",
        { IsLocal: true } => null,
        { Mode: { Length: > 0 } mode } when !string.Equals(mode, "Provider", StringComparison.OrdinalIgnoreCase) =>
            $"Auth__Mode is \"{mode}\"; it may be \"Local\" (tokens signed by a key in a file, never in Production) or \"Provider\" (the default).",
        _ when string.IsNullOrWhiteSpace(Authority) =>
            "no identity provider is configured (Auth__Authority, Auth__Audience). Configure the provider, or ask for local mode outside Production with Auth__Mode=Local (./run.sh does).",
        _ when string.IsNullOrWhiteSpace(Audience) =>
            "an identity provider is configured (Auth__Authority) but no audience (Auth__Audience): every token would be refused. Set Auth__Audience to the service's application id at the provider.",
        { SignsInThroughProvider: true } when string.IsNullOrWhiteSpace(ClientSecret) && string.IsNullOrWhiteSpace(ClientCertificatePath) =>
            "the pages' client at the identity provider is configured (Auth__ClientId) without its secret (Auth__ClientSecret) or certificate (Auth__ClientCertificatePath). Give one from the secret store, or remove Auth__ClientId to serve the API only.",
        { SignsInThroughProvider: true } when !string.IsNullOrWhiteSpace(ClientSecret) && !string.IsNullOrWhiteSpace(ClientCertificatePath) =>
            "the pages' client at the identity provider is given both a secret (Auth__ClientSecret) and a certificate (Auth__ClientCertificatePath). Give one of them.",
        { SignsInThroughProvider: true, ClientCertificatePath: { Length: > 0 } } when ClientCertificate.Problem(ClientCertificatePath, ClientCertificateKeyPath, now) is { } problem =>
            problem,
        _ when KeysRefreshInterval < TimeSpan.FromSeconds(1) =>
            "Auth__KeysRefreshInterval must be at least one second.",
        _ => null,
    };
}
