using System.CommandLine;
using CroydonAudit.Identity;

namespace CroydonAudit.Cli.Commands;

/// <summary>
/// <c>token --role ROLE [--role ROLE ...] [--team T] [--name N] [--minutes M]</c>: a bearer token for the
/// service <c>./run.sh</c> starts in local mode, signed with its key (made on first use), printed on standard
/// output and nothing else.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var roles = new Option<string[]>("--role") { Description = $"A role the token gives: {string.Join(", ", Roles.All)}. Repeat for more.", Required = true, AllowMultipleArgumentsPerToken = false };
        var team = new Option<string?>("--team") { Description = "Limit the token's reads to this team's audits." };
        var name = new Option<string?>("--name") { Description = "Who the token is for (its subject; default local-user)." };
        var minutes = new Option<int>("--minutes") { Description = "How long the token is valid (default 60).", DefaultValueFactory = _ => 60 };
        var command = new Command("token", "Print a bearer token for the local service (./run.sh, no Auth__Authority).") { roles, team, name, minutes };
        command.SetAction(result =>
        {
            var unknown = result.GetValue(roles)!.Where(r => !Roles.All.Contains(r)).ToList();
            if (unknown.Count > 0 || result.GetValue(minutes) is < 1 or > 24 * 60)
            {
                Console.Error.WriteLine(unknown.Count > 0
                    ? $"Not a role: {string.Join(", ", unknown)}. The roles are {string.Join(", ", Roles.All)}."
                    : "--minutes must be from 1 to 1440.");
                return 2;
            }

            var key = LocalSigningKey.LoadOrCreate(Environment.GetEnvironmentVariable("Auth__LocalSigningKeyPath") ?? Path.Combine(".data", "local-signing-key"));
            Console.Out.WriteLine(LocalTokens.Create(key, result.GetValue(roles)!, result.GetValue(team), result.GetValue(name), TimeSpan.FromMinutes(result.GetValue(minutes))));
            return 0;
        });
        return command;
    }
}
