using System.Text.Json;
using Croydon.Audit.V1;
using CroydonAudit.Testing;
using Google.Protobuf;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>
/// One file of rules/tests: an audit in the contract's JSON form and what grading must decide.
/// The principal social worker adds a case here with every rule change.
/// </summary>
public sealed record WorkedCase(
    string Name,
    string Description,
    AuditSubmission Audit,
    Grade OverallGrade,
    AuditStatus Status,
    IReadOnlyList<string> Fired,
    IReadOnlyList<string> Findings,
    Grade? BaseGrade,
    bool? CapApplied,
    bool? ModerationRequired)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static IEnumerable<string> Names =>
        Directory.EnumerateFiles(RepositoryRoot.WorkedCases, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static WorkedCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.WorkedCases, name + ".json")));
        var root = document.RootElement;
        var expect = root.GetProperty("expect");
        return new WorkedCase(
            name,
            root.GetProperty("description").GetString()!,
            Parser.Parse<AuditSubmission>(root.GetProperty("audit").GetRawText()),
            ParseEnum<Grade>(expect.GetProperty("overall_grade")),
            ParseEnum<AuditStatus>(expect.GetProperty("status")),
            [.. expect.GetProperty("fired").EnumerateArray().Select(e => e.GetString()!)],
            [.. expect.GetProperty("findings").EnumerateArray().Select(e => e.GetString()!)],
            expect.TryGetProperty("base_grade", out var baseGrade) ? ParseEnum<Grade>(baseGrade) : null,
            expect.TryGetProperty("cap_applied", out var cap) ? cap.GetBoolean() : null,
            expect.TryGetProperty("moderation_required", out var moderation) ? moderation.GetBoolean() : null);
    }

    /// <summary>Contract enum names ("GRADE_GOOD") to values, by the proto's own descriptor.</summary>
    private static TEnum ParseEnum<TEnum>(JsonElement element)
        where TEnum : struct, Enum
    {
        var descriptor = AuditReflection.Descriptor.EnumTypes.Single(e => e.ClrType == typeof(TEnum));
        var value = descriptor.FindValueByName(element.GetString())
            ?? throw new InvalidDataException($"{element.GetString()} is not a {descriptor.Name} value.");
        return (TEnum)Enum.ToObject(typeof(TEnum), value.Number);
    }
}
