namespace CroydonAudit.Identity;

/// <summary>The token claims the service reads, as an OpenID Connect provider (Microsoft Entra ID, Keycloak) writes them.</summary>
public static class ClaimNames
{
    /// <summary>Who the caller is.</summary>
    public const string Subject = "sub";

    /// <summary>A person's or system's name, for people to read.</summary>
    public const string Name = "name";

    /// <summary>The roles, one claim each (or a JSON array).</summary>
    public const string Roles = "roles";

    /// <summary>Limits an auditor's or analyst's reads to this team's audits.</summary>
    public const string Team = "team";

    /// <summary>The client application, by the names providers use for it.</summary>
    public static IReadOnlyList<string> Client { get; } = ["client_id", "azp", "appid"];
}
