using System.CommandLine;
using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Identity;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Diffing;
using Grpc.Core;

namespace CroydonAudit.Cli.Commands;

/// <summary>
/// <c>rules check|diff|impact|propose|approve|activate|history</c>: the principal social worker's workflow for changing
/// the rules — edit, check, look at the impact, propose; a second person approves; activate, or roll back. What
/// changes rules, or reads stored audits, calls the running service as the person whose token it is (see
/// <see cref="ServiceConnection"/>), so the service records who did each step; checking a folder and comparing two
/// folders need no server.
/// </summary>
internal static partial class RulesCommands
{
    /// <summary>Exit codes: 0 all is well; 1 the rules or the step were refused; 2 the service could not be reached or an argument is wrong.</summary>
    public const int Refused = 1, Failed = 2;

    public static Command Create() => new("rules", "Check, compare and preview grading rules; propose, approve and activate them.")
    {
        Check(),
        Diff(),
        Impact(),
        Propose(),
        Approve(),
        Activate(),
        History(),
        Regrade(),
    };

    internal static Argument<DirectoryInfo> FolderArgument(string description) => new("DIR")
    {
        Description = description,
        DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("Grading__RulesPath") ?? "rules"),
    };

    private static Command Check()
    {
        var token = TokenOption();
        var target = new Argument<string?>("DIR|VERSION")
        {
            Description = "A rules folder (default: the service's rules folder), or a stored version, checked against the worked cases stored with it.",
            DefaultValueFactory = _ => null,
        };
        var command = new Command("check", "Check a rules folder without a server or database — the files, every rule, the worked cases and what they cover — or a stored version against its own worked cases. Exits 0 only when all is well.")
        {
            target, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var given = result.GetValue(target);
            if (given is not null && !Directory.Exists(given) && Version().IsMatch(given))
            {
                return await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: false, async (rules, _, options) =>
                {
                    var stored = await rules.GetRuleSetAsync(new GetRuleSetRequest { Version = given }, options);
                    var report = RuleSetCheck.Run(stored.Files.ToSnapshot()).Report;
                    Console.Out.Write(report.ToText($"version {given}"));
                    return report.Passed ? 0 : Refused;
                }, cancellationToken);
            }

            var directory = new DirectoryInfo(given ?? Environment.GetEnvironmentVariable("Grading__RulesPath") ?? "rules");
            var checkedFolder = RuleSetCheck.Run(directory.FullName).Report;
            Console.Out.Write(checkedFolder.ToText(DisplayPath(directory)));
            return checkedFolder.Passed ? 0 : Refused;
        });
        return command;
    }

    private static Command Propose()
    {
        var token = TokenOption();
        var folder = FolderArgument("The rules folder to propose (default: the service's rules folder).");
        var command = new Command("propose", "Check a rules folder and, if all is well, store it with its worked cases as a proposal, and report what it would change. It grades nothing until a rules approver approves it and it is activated. The version is printed last, on a line of its own.")
        {
            folder, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directory = result.GetValue(folder)!;
            if (!TryRead(directory, out var files))
            {
                return Refused;
            }

            return await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: true, async (rules, _, options) =>
            {
                var proposed = await rules.ProposeRuleSetAsync(new ProposeRuleSetRequest { Files = { files.ToContract() } }, options);
                Console.Out.Write(proposed.Report.Text.Replace("the rules sent", DisplayPath(directory), StringComparison.Ordinal));
                Console.Out.WriteLine();
                Console.Out.Write(proposed.Impact.Text.Replace("the rules sent", DisplayPath(directory), StringComparison.Ordinal));
                Console.Out.WriteLine();
                var version = proposed.RuleSet.Version;
                var active = (await rules.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options)).Active;
                if (proposed.RuleSet.Active)
                {
                    Console.Out.WriteLine("These rules are the active rule set already.");
                }
                else if (active is not null && active.Label == proposed.RuleSet.Label)
                {
                    Console.Out.WriteLine($"Its label, \"{active.Label}\", is the active rule set's too: give it a label of its own in ruleset.json, so that people can tell the two apart.");
                }

                Console.Out.WriteLine(proposed.RuleSet.Approved
                    ? $"Proposed \"{proposed.RuleSet.Label}\"; it is approved already. To make it the rules every service grades by: ./run.sh rules activate {version}"
                    : $"Proposed \"{proposed.RuleSet.Label}\". It grades nothing until a rules approver other than you approves it (./run.sh rules approve {version}) and it is activated (./run.sh rules activate {version}).");
                Console.Out.WriteLine(version);
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Approve()
    {
        var token = TokenOption();
        var version = VersionArgument("The proposed version to approve, as rules propose printed it.");
        var command = new Command("approve", "Approve a rule set someone else proposed, as the second pair of eyes a change to every audit's grade needs. Needs the rules-approver role.")
        {
            version, token,
        };
        command.SetAction(async (result, cancellationToken) =>
            await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesApprover, changes: true, async (rules, _, options) =>
            {
                var response = await rules.ApproveRuleSetAsync(new ApproveRuleSetRequest { Version = result.GetValue(version) }, options);
                var approved = response.RuleSet;
                Console.Out.WriteLine(response.Changed ? $"Approved \"{approved.Label}\" ({approved.Version})." : $"You had approved \"{approved.Label}\" ({approved.Version}) already.");
                if (!approved.Active)
                {
                    Console.Out.WriteLine($"It grades nothing until it is activated: ./run.sh rules activate {approved.Version}");
                }

                return 0;
            }, cancellationToken));
        return command;
    }

    private static Command Activate()
    {
        var token = TokenOption();
        var target = new Argument<string>("VERSION|DIR") { Description = "A stored version: an approved one, or one active before (a rollback). Or a rules folder, where approval is not required." };
        var command = new Command("activate", "Make a rule set the one every running service grades by, once it passes every check again: an approved version, an earlier version (a rollback, checked against its own worked cases), or where approval is not required a folder. Exits 0 only when it is active.")
        {
            target, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var given = result.GetValue(target)!;
            var request = new ActivateRuleSetRequest();
            var source = $"version {given}";
            if (Directory.Exists(given))
            {
                if (!TryRead(new DirectoryInfo(given), out var files))
                {
                    return Refused;
                }

                request.Files.Add(files.ToContract());
                source = DisplayPath(new DirectoryInfo(given));
            }
            else if (Version().IsMatch(given))
            {
                request.Version = given;
            }
            else
            {
                await Console.Error.WriteLineAsync($"{given} is neither a rules folder nor a stored rule set version (16 hexadecimal digits, as rules propose prints).");
                return Failed;
            }

            return await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: true, async (rules, _, options) =>
            {
                var activated = await rules.ActivateRuleSetAsync(request, options);
                Console.Out.Write(activated.Report.Text.Replace("the rules sent", source, StringComparison.Ordinal));
                Console.Out.WriteLine();
                Console.Out.WriteLine(activated.Changed
                    ? $"Activated \"{activated.Active.Label}\" ({activated.Active.Version}). Every running service grades by it within moments."
                    : $"\"{activated.Active.Label}\" ({activated.Active.Version}) is already the active rule set; nothing changed.");
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Command History()
    {
        var token = TokenOption();
        var count = new Option<int>("--count") { Description = "How many versions, newest first (default 10, at most 100).", DefaultValueFactory = _ => 10 };
        var command = new Command("history", "The stored rule sets, newest first: who proposed, approved and activated each, and when.")
        {
            count, token,
        };
        command.SetAction(async (result, cancellationToken) =>
            await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: false, async (rules, _, options) =>
            {
                var status = await rules.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options);
                var listed = await rules.ListRuleSetsAsync(new ListRuleSetsRequest { PageSize = Math.Clamp(result.GetValue(count), 1, 100) }, options);
                Console.Out.WriteLine(status.ApprovalRequired
                    ? "A rule set is activated only once someone other than its proposer has approved it, or to go back to one active before."
                    : "Approval is not required here: a rule set may be activated without one.");
                foreach (var ruleSet in listed.RuleSets)
                {
                    Console.Out.WriteLine();
                    Console.Out.WriteLine($"{ruleSet.Version}  \"{ruleSet.Label}\"{(ruleSet.Active ? "  (active)" : "")}  {ruleSet.WorkedCases} worked cases");
                    foreach (var step in ruleSet.History)
                    {
                        Console.Out.WriteLine($"  {step.At.ToDateTimeOffset():yyyy-MM-dd HH:mm} UTC  {Step(step.Step)} by {step.By}");
                    }
                }

                return 0;
            }, cancellationToken));
        return command;
    }

    private static Command Diff()
    {
        var token = TokenOption();
        var from = new Argument<string>("A") { Description = "A rules folder, or a stored rule set version." };
        var to = new Argument<string>("B") { Description = "A rules folder, or a stored rule set version." };
        var command = new Command("diff", "What changed from rule set A to rule set B, rule by rule, in words. Two folders need no server.")
        {
            from, to, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (a, b) = (result.GetValue(from)!, result.GetValue(to)!);
            if (Directory.Exists(a) && Directory.Exists(b))
            {
                if (!TryRead(new DirectoryInfo(a), out var fromFiles) || !TryRead(new DirectoryInfo(b), out var toFiles))
                {
                    return Failed;
                }

                Console.Out.Write(RuleSetDiff.ToText(RuleSetDiff.Compare(fromFiles, toFiles), Describe(a), Describe(b)));
                return 0;
            }

            var request = new DiffRuleSetsRequest();
            foreach (var (side, version, files) in new[] { (a, (Action<string>)(v => request.FromVersion = v), request.FromFiles), (b, v => request.ToVersion = v, request.ToFiles) })
            {
                if (Directory.Exists(side))
                {
                    if (!TryRead(new DirectoryInfo(side), out var read))
                    {
                        return Failed;
                    }

                    files.Add(read.ToContract());
                }
                else if (Version().IsMatch(side))
                {
                    version(side);
                }
                else
                {
                    await Console.Error.WriteLineAsync($"{side} is neither a rules folder nor a stored rule set version (16 hexadecimal digits, as rules propose prints).");
                    return Failed;
                }
            }

            return await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: false, async (rules, _, options) =>
            {
                var diff = await rules.DiffRuleSetsAsync(request, options);
                Console.Out.Write(diff.Text.Replace("the from files", Describe(a), StringComparison.Ordinal).Replace("the to files", Describe(b), StringComparison.Ordinal));
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    // Each command's own --token (an option belongs to one command).
    private static Option<string?> TokenOption() => new("--token") { Description = "Your bearer token (default: CROYDON_AUDIT_TOKEN)." };

    private static Argument<string> VersionArgument(string description) => new("VERSION")
    {
        Description = description,
        Validators =
        {
            result =>
            {
                if (!Version().IsMatch(result.GetValueOrDefault<string>() ?? ""))
                {
                    result.AddError("A version is 16 hexadecimal digits, as rules propose prints it.");
                }
            },
        },
    };

    internal static bool TryRead(DirectoryInfo directory, out RuleSetFiles files)
    {
        try
        {
            files = RuleSetFiles.FromDirectory(directory.FullName);
            return true;
        }
        catch (RuleSetException e)
        {
            Console.Out.Write(new CroydonAudit.RuleSets.Checking.RuleSetCheckReport("", "", 0, e.Problems, [], null).ToText(DisplayPath(directory)));
            files = null!;
            return false;
        }
    }

    private static string Step(RuleSetStep step) => step switch
    {
        RuleSetStep.Proposed => "proposed",
        RuleSetStep.Approved => "approved",
        RuleSetStep.Activated => "activated",
        _ => "changed",
    };

    private static string Describe(string side) => Directory.Exists(side) ? DisplayPath(new DirectoryInfo(side)) : $"version {side}";

    private static string DisplayPath(DirectoryInfo directory) =>
        Path.GetRelativePath(Environment.CurrentDirectory, directory.FullName) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative + "/"
            : directory.FullName;

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Version();
}
