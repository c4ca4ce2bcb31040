using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Identity;

/// <summary>Tokens for local mode, signed with the local key: what <c>./run.sh token</c> prints and the tests call with.</summary>
public static class LocalTokens
{
    /// <summary>The issuer local tokens name, and the only one local mode accepts.</summary>
    public const string Issuer = "croydon-audit-local";

    /// <summary>The audience local tokens are for, unless Auth:Audience says otherwise.</summary>
    public const string Audience = "croydon-audit";

    /// <summary>A signed token for the roles given, optionally limited to a team.</summary>
    public static string Create(SecurityKey key, IEnumerable<string> roles, string? team = null, string? name = null, TimeSpan? lifetime = null, string audience = Audience, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var subject = name ?? "local-user";
        var claims = new List<Claim> { new(ClaimNames.Subject, subject), new(ClaimNames.Name, subject), new("client_id", "croydon-audit-local") };
        claims.AddRange(roles.Select(role => new Claim(ClaimNames.Roles, role)));
        if (team is not null)
        {
            claims.Add(new Claim(ClaimNames.Team, team));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt.AddMinutes(-1),
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
