using Croydon.Audit.V1;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Grading.Rules;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>A rules folder's files as RuleSetService takes them.</summary>
public static class RuleFiles
{
    public static IEnumerable<RuleFile> Of(string folder) => RuleSetFiles.FromDirectory(folder).ToContract();

    public static string VersionOf(string folder) => RuleSetLoader.Load(folder).Version;
}
