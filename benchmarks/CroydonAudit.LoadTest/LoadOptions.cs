using System.Globalization;

namespace CroydonAudit.LoadTest;

/// <summary>What to run, how hard and for how long. Every option has a default; <c>--help</c> lists them.</summary>
public sealed record LoadOptions(
    Uri Target,
    IReadOnlyList<string> Scenarios,
    int Concurrency,
    int Connections,
    TimeSpan WarmUp,
    TimeSpan Duration,
    string? JsonPath,
    int? ServicePid,
    int Fuzz,
    string? Token,
    int Seeded)
{
    public const string Usage = """
        CroydonAudit.LoadTest [options]
          --target URL          the service (default http://127.0.0.1:5000)
          --scenarios LIST      comma-separated (default health,preview,grade,get):
                                health     grpc.health.v1 Check, the server's ceiling
                                preview    PreviewGrade of a typical audit
                                grade      GradeAudit of a new audit each call (stored durably)
                                grade-answers  the same audit sent as answers to the template's questions
                                retry      GradeAudit of an audit stored already, same content (answered from the store)
                                get        GetAudit of 2,000 audits stored first
                                get-seeded GetAudit of any audit in a seeded store (needs --seeded)
                                list-all, list-team, list-rare-team, list-auditor, list-grade, list-team-grade,
                                list-period, list-team-period, list-incomplete, list-awaiting-moderation
                                           ListAudits, first page of 50, filtered so; the teams, auditors and
                                           times are those of a seeded store (croydon-audit store seed)
          --concurrency N       concurrent callers, each waiting for its answer before the next call (default 64)
          --connections N       HTTP/2 connections the callers share (default 4)
          --warmup SECONDS      unmeasured calls first (default 5)
          --duration SECONDS    measured time per scenario (default 15)
          --json PATH           also write the results as JSON
          --service-pid PID     report the service's peak resident memory (Linux /proc)
          --token TOKEN         the bearer token every call carries (./run.sh token --role grader --role auditor)
          --seeded N            the store holds N revisions from croydon-audit store seed (for get-seeded)
          --fuzz N              instead of the scenarios: N seeded bad requests, --concurrency at once; reports
                                the statuses and, with --service-pid, the service's peak memory
        """;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.\n{Usage}");
            }

            values[args[i][2..]] = args[++i];
        }

        string Get(string key, string fallback) => values.Remove(key, out var value) ? value : fallback;
        int Int(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var options = new LoadOptions(
            new Uri(Get("target", "http://127.0.0.1:5000")),
            Get("scenarios", "health,preview,grade,get").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Int("concurrency", 64),
            Int("connections", 4),
            TimeSpan.FromSeconds(Int("warmup", 5)),
            TimeSpan.FromSeconds(Int("duration", 15)),
            values.Remove("json", out var json) ? json : null,
            values.Remove("service-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Int("fuzz", 0),
            values.Remove("token", out var token) ? token : null,
            Int("seeded", 0));
        return values.Count == 0 ? options : throw new ArgumentException($"Unknown option --{values.Keys.First()}.\n{Usage}");
    }
}
