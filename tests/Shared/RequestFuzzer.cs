using Croydon.Audit.V1;
using Google.Protobuf;

namespace CroydonAudit.Testing;

/// <summary>
/// Seeded, repeatable bad requests built from a valid one: bit flips, truncation, junk, huge strings, thousands of
/// areas or recommendations, unknown enum numbers, invalid UTF-8, NULs, broken frames. Linked into the tests and the load driver.
/// </summary>
public sealed class RequestFuzzer(AuditSubmission valid, int seed)
{
    private const string Grading = "croydon.audit.v1.GradingService/";
    private readonly Random _random = new(seed);

    /// <summary>The next request: the method to call and the whole HTTP body (usually one gRPC frame).</summary>
    public (string Method, byte[] Body) Next()
    {
        var kind = _random.Next(14);
        var method = kind < 11 ? Grading + (_random.Next(4) == 0 ? "GradeAudit" : "PreviewGrade") : Grading + (kind == 11 ? "GetAudit" : "ListAudits");
        var message = kind switch
        {
            0 => Flip(Preview(valid)),
            1 => Truncate(Preview(valid)),
            2 => [.. Preview(valid), .. Junk(1, 64)],
            3 => Junk(0, 512),
            4 => Preview(Audit(a => a.Strengths = new string('x', _random.Next(19_000, 300_000)))),
            5 => Preview(Audit(a => { var area = a.Areas[0]; for (var i = _random.Next(10, 5_000); i > 0; i--) { a.Areas.Add(area.Clone()); } })),
            6 => Preview(Audit(a => { a.Areas[_random.Next(a.Areas.Count)].Grade = (Grade)_random.Next(5, 1_000); a.KeyEvidence.Risk = (RiskPractice)_random.Next(-5, 50); })),
            7 => InvalidUtf8(Preview(Audit(a => a.Learning = "VALIDTEXTVALIDTEXT"))),
            8 => Preview(Audit(a => { a.AuditId = "nul\0id"; a.Team = "team\0"; a.Areas[0].Evidence = "\0"; })),
            9 => Preview(Audit(a => { for (var i = _random.Next(51, 2_000); i > 0; i--) { a.Recommendations.Add(new Recommendation { Text = "r", Value = CroydonValue.OneTeam }); } })),
            10 => Flip(Preview(Audit(a => a.AuditId = new string('a', _random.Next(1, 70_000))))),
            11 => new GetAuditRequest { AuditId = _random.Next(3) == 0 ? new string('a', 70_000) : "a\0b", Revision = _random.Next(-2, 3) }.ToByteArray(),
            _ => new ListAuditsRequest { Team = "t\0", AuditorId = new string('z', _random.Next(0, 300)), PageSize = _random.Next(-5, 5_000), PageToken = Convert.ToBase64String(Junk(0, 300)) }.ToByteArray(),
        };
        return (method, _random.Next(10) == 0 ? BrokenFrame(message) : RawGrpc.Frame(message));
    }

    private AuditSubmission Audit(Action<AuditSubmission> change)
    {
        var audit = valid.Clone();
        audit.AuditId = $"fuzz-{_random.Next():x}";
        change(audit);
        return audit;
    }

    private static byte[] Preview(AuditSubmission audit) => new PreviewGradeRequest { Audit = audit }.ToByteArray();

    private byte[] Flip(byte[] message)
    {
        for (var flips = _random.Next(1, 9); flips > 0 && message.Length > 0; flips--)
        {
            message[_random.Next(message.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return message;
    }

    private byte[] Truncate(byte[] message) => message[.._random.Next(message.Length)];

    private byte[] Junk(int min, int max)
    {
        var junk = new byte[_random.Next(min, max)];
        _random.NextBytes(junk);
        return junk;
    }

    private static byte[] InvalidUtf8(byte[] message)
    {
        var marker = "VALIDTEXTVALIDTEXT"u8;
        var at = message.AsSpan().IndexOf(marker);
        message[at + 3] = 0xFF;
        message[at + 4] = 0xC0;
        return message;
    }

    private byte[] BrokenFrame(byte[] message) => _random.Next(3) switch
    {
        0 => [0x2e],
        1 => RawGrpc.Frame(message)[..Math.Max(1, _random.Next(5 + message.Length))],
        _ => [.. RawGrpc.Frame(message), .. Junk(1, 16)],
    };
}
