using System.Text.Json.Nodes;
using CroydonAudit.Testing;
using Google.Protobuf.Reflection;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.RuleSets.Tests;

/// <summary>The JSON Schemas editors use: every rule file names its schema, and the worked-case schema speaks the contract's words.</summary>
public sealed class RuleSetSchemaTests
{
    private static readonly JsonNode WorkedCaseSchema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Rules, "schema", "worked-case.schema.json")))!;

    public static TheoryData<string> RuleFiles =>
        [.. new[] { RepositoryRoot.Rules, RepositoryRoot.FixtureRules }
            .SelectMany(root => Directory.EnumerateFiles(root, "*.json").Concat(Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.json", SearchOption.AllDirectories)))
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f))];

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void RuleFile_NamesTheSchemaThatFitsIt(string file)
    {
        var path = Path.Combine(RepositoryRoot.Path, file);
        var schema = (string?)JsonNode.Parse(File.ReadAllText(path))!["$schema"];
        var expected = Path.GetFileName(path) == "ruleset.json" ? "ruleset.schema.json"
            : Path.GetFileName(path) == "template.json" ? "template.schema.json"
            : Path.GetFileName(Path.GetDirectoryName(path)) == "tests" ? "worked-case.schema.json"
            : Path.GetFileName(Path.GetDirectoryName(path)) == "bases" ? "audit-base.schema.json"
            : "workflow.schema.json";

        Assert.NotNull(schema);
        Assert.Equal(Path.Combine(RepositoryRoot.Rules, "schema", expected), Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, schema)));
    }

    public static TheoryData<string, string> ContractEnums => new()
    {
        { "grade", "Grade" }, { "practiceArea", "PracticeArea" }, { "advocacy", "Advocacy" }, { "mentalCapacity", "MentalCapacity" },
        { "careActCompliance", "CareActCompliance" }, { "involvement", "Involvement" }, { "outcomes", "Outcomes" },
        { "policyApplication", "PolicyApplication" }, { "riskPractice", "RiskPractice" }, { "procedureFollowed", "ProcedureFollowed" },
        { "croydonValue", "CroydonValue" }, { "auditStatus", "AuditStatus" },
    };

    [Theory]
    [MemberData(nameof(ContractEnums))]
    public void WorkedCaseSchema_EnumValues_AreTheContracts(string definition, string contractEnum)
    {
        // Beside the contract's names: null (a difference from a base audit removing a value) and, for expected
        // grades and statuses, the words a person writes ("Requires improvement").
        var inSchema = WorkedCaseSchema["$defs"]![definition]!["enum"]!.AsArray().Where(v => v is not null).Select(v => (string)v!)
            .Where(v => v.Contains('_', StringComparison.Ordinal) || v == v.ToUpperInvariant()).ToList();
        var inContract = V1.AuditReflection.Descriptor.EnumTypes.Single(e => e.Name == contractEnum).Values.Select(v => v.Name);

        // The schema may leave out the zero value where a worked case has no use for it (an area or status must be given).
        Assert.Equal(inContract.Where(v => !v.EndsWith("_UNSPECIFIED", StringComparison.Ordinal) || inSchema.Contains(v)), inSchema);
    }
}
