using System.Security.Claims;
using CroydonAudit.Identity;

namespace CroydonAudit.Api.Security;

/// <summary>
/// What a validly signed token must also say to be understood: one subject, at most one team (a name, never empty
/// or null, which would otherwise read as "no team limit"), and only roles this service knows. A token that says
/// less, or something else, is ill-made and refused as unauthenticated, never read generously.
/// </summary>
public static class TokenShape
{
    private static readonly HashSet<string> KnownRoles = [.. Roles.All];

    /// <summary>
    /// Why the token's claims cannot be read as a caller, in words; null when they can. <paramref name="token"/>, as
    /// sent: a team given as an empty list leaves no claim behind, and must not read as "no team".
    /// </summary>
    public static string? Problem(ClaimsPrincipal principal, Microsoft.IdentityModel.Tokens.SecurityToken? token = null)
    {
        var subjects = principal.FindAll(ClaimNames.Subject).ToList();
        if (subjects is not [{ } subject] || !IsText(subject))
        {
            return "it names no subject (sub), or not as one line of text";
        }

        if (ClaimNames.Client.SelectMany(principal.FindAll).FirstOrDefault(c => c.Value.Any(char.IsControl)) is not null)
        {
            return "its client id holds control characters";
        }

        var teams = principal.FindAll(ClaimNames.Team).ToList();
        var teamGiven = token is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt && jwt.TryGetPayloadValue<object>(ClaimNames.Team, out _);
        if (teams.Count > 1 || teams is [{ } team] && !IsText(team) || (teams.Count == 0 && teamGiven))
        {
            return "its team claim is empty, null or not one name";
        }

        return principal.FindAll(ClaimNames.Roles).FirstOrDefault(r => !IsText(r) || !KnownRoles.Contains(r.Value)) is not null
            ? "it names a role this service does not know"
            : null;
    }

    // A name: a string, not blank, without control characters (a line break in a subject would forge a log line).
    private static bool IsText(Claim claim) =>
        claim.ValueType == ClaimValueTypes.String && !string.IsNullOrWhiteSpace(claim.Value) && !claim.Value.Any(char.IsControl);
}

/// <summary>A validly signed token whose claims cannot be read as a caller (<see cref="TokenShape.Problem"/>).</summary>
public sealed class SecurityTokenIllMadeException(string problem) : Microsoft.IdentityModel.Tokens.SecurityTokenValidationException(problem);
