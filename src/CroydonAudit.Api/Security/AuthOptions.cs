namespace CroydonAudit.Api.Security;

/// <summary>
/// Configuration section "Auth": the OpenID Connect provider whose tokens the service accepts (Microsoft
/// Entra ID, Keycloak: keys from its discovery document), or, with no authority, local mode — tokens signed
/// by a key in a file, as <c>./run.sh token</c> makes them. Local mode never runs in Production.
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

    /// <summary>Local mode: no authority is configured.</summary>
    public bool IsLocal => string.IsNullOrWhiteSpace(Authority);
}
