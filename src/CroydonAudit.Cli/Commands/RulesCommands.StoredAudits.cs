using System.CommandLine;
using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Rules;
using CroydonAudit.Identity;

namespace CroydonAudit.Cli.Commands;

// The commands that read stored audits through the running service: what a rule change would do to them (impact),
// and re-grading them by the active rules.
internal static partial class RulesCommands
{
    private static Command Impact()
    {
        var token = TokenOption();
        var target = new Argument<string?>("DIR|VERSION")
        {
            Description = "A changed rules folder (default: the service's rules folder), or a stored version.",
            DefaultValueFactory = _ => null,
        };
        var (team, auditor, from, to) = Filters();
        var list = new Option<int>("--list") { Description = "How many changed audit ids to list (default 100).", DefaultValueFactory = _ => 100 };
        var command = new Command("impact", "Re-grade the stored audits with changed rules (a folder, or a stored version), writing nothing, and report what would change. Its worked cases need not pass yet.")
        {
            target, team, auditor, from, to, list, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var given = result.GetValue(target);
            var byVersion = given is not null && !Directory.Exists(given) && Version().IsMatch(given);
            var directory = new DirectoryInfo(given ?? Environment.GetEnvironmentVariable("Grading__RulesPath") ?? "rules");
            var files = RuleSetFiles.From([]);
            if (!byVersion && !TryRead(directory, out files))
            {
                return Refused;
            }

            var request = new PreviewRuleSetImpactRequest
            {
                Team = result.GetValue(team) ?? "",
                AuditorId = result.GetValue(auditor) ?? "",
                GradedFrom = result.GetValue(from) is { } start ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start) : null,
                GradedTo = result.GetValue(to) is { } end ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(end) : null,
                MaxChangedAuditIds = result.GetValue(list),
            };
            return await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: false, async (rules, _, options) =>
            {
                request.Files.Add(byVersion ? (await rules.GetRuleSetAsync(new GetRuleSetRequest { Version = given }, options)).Files : files.ToContract());
                var impact = await rules.PreviewRuleSetImpactAsync(request, options);
                Console.Out.Write(impact.Report.Text.Replace("the rules sent", byVersion ? $"version {given}" : DisplayPath(directory), StringComparison.Ordinal));
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Regrade()
    {
        var token = TokenOption();
        var (team, auditor, from, to) = Filters();
        var command = new Command("regrade", "Grade the stored audits again by the active rule set. Only what changed changes: an audit graded differently becomes a new revision; one graded the same records the check. Needs the role rules-admin.")
        {
            team, auditor, from, to, token,
        };
        command.SetAction(async (result, cancellationToken) =>
            await ServiceConnection.RunAsync(result.GetValue(token), Roles.RulesAdmin, changes: true, async (_, grading, options) =>
            {
                var request = new RegradeAuditsRequest
                {
                    Team = result.GetValue(team) ?? "",
                    AuditorId = result.GetValue(auditor) ?? "",
                    GradedFrom = result.GetValue(from) is { } start ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start) : null,
                    GradedTo = result.GetValue(to) is { } end ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(end) : null,
                    MaxAudits = 5_000,
                };
                var (checkedCount, changed, version) = (0, new Dictionary<(Grade, Grade), int>(), "");
                RegradeAuditsResponse call;
                do
                {
                    call = await grading.RegradeAuditsAsync(request, options);
                    (checkedCount, version) = (checkedCount + call.Checked, call.RuleSetVersion);
                    foreach (var change in call.GradeChanges)
                    {
                        changed[(change.From, change.To)] = changed.GetValueOrDefault((change.From, change.To)) + change.Audits;
                    }
                }
                while (call.Remaining > 0 && call.Checked > 0);

                var changes = changed.Values.Sum();
                Console.Out.WriteLine($"Graded {checkedCount:N0} stored audits again by the active rule set ({version}): {changes:N0} graded differently, each now a new revision; {checkedCount - changes:N0} unchanged.");
                foreach (var ((was, now), audits) in changed.OrderBy(c => c.Key))
                {
                    Console.Out.WriteLine($"  {Grading.Text.Words.Of((Grading.Domain.Grade)was)} → {Grading.Text.Words.Of((Grading.Domain.Grade)now)}: {audits:N0}");
                }

                if (call.Remaining > 0)
                {
                    Console.Out.WriteLine($"{call.Remaining:N0} could not be graded again now; run the command again.");
                }

                return 0;
            }, cancellationToken));
        return command;
    }

    // The filters of the stored audits a command reads.
    private static (Option<string?> Team, Option<string?> Auditor, Option<DateTimeOffset?> From, Option<DateTimeOffset?> To) Filters() => (
        new("--team") { Description = "Only the audits of this team." },
        new("--auditor") { Description = "Only the audits by this auditor." },
        DateOption("--from", "Only audits graded on or after this date, written year-month-day (e.g. 2026-04-01)."),
        DateOption("--to", "Only audits graded before this date, written year-month-day."));

    // A date as year-month-day only: "01/04/2026" is 1 April to some and 4 January to others, so it is refused.
    private static Option<DateTimeOffset?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK"], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
            {
                return date.ToUniversalTime();
            }

            result.AddError($"{name} must be a date written year-month-day, e.g. 2026-04-01, not \"{text}\".");
            return null;
        },
    };
}
