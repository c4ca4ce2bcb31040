using System.Text;
using CroydonAudit.Grading.Rules;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Contracts.Mapping;

/// <summary>A rule set's files as the contract carries them (RuleFile), both ways: for the service and its command line.</summary>
public static class RuleFileMapping
{
    /// <summary>A caller's files as a rule set snapshot.</summary>
    /// <exception cref="RuleSetException">A name or size is not acceptable.</exception>
    public static RuleSetFiles ToSnapshot(this IEnumerable<V1.RuleFile> files) =>
        RuleSetFiles.From(files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Content))));

    /// <summary>A snapshot's files as the contract's.</summary>
    public static IEnumerable<V1.RuleFile> ToContract(this RuleSetFiles files) =>
        files.Files.Select(f => new V1.RuleFile { Path = f.Key, Content = Encoding.UTF8.GetString(f.Value) });
}
