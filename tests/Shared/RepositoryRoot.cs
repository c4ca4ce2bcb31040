namespace CroydonAudit.Testing;

/// <summary>
/// The repository's own folders, found by walking up from the binaries to CroydonAudit.sln: tests and
/// benchmarks grade by the rule files the service ships. Linked into each test and benchmark project.
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Rules => System.IO.Path.Combine(Path, "rules");

    public static string WorkedCases => System.IO.Path.Combine(Path, "rules", "tests");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CroydonAudit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No CroydonAudit.sln above the binaries: run from a checkout of the repository.");
    }
}
