namespace CroydonAudit.Testing;

/// <summary>
/// The repository's own folders, found by walking up from the binaries to CroydonAudit.sln. Linked into
/// each test and benchmark project. Tests of the engine grade by the fixture rule set in
/// tests/fixtures/rules; only the worked cases (and benchmarks) use the rules Croydon ships.
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The rules Croydon ships: policy, tested only by their own worked cases.</summary>
    public static string Rules => System.IO.Path.Combine(Path, "rules");

    /// <summary>The tests' own rule set, one rule of each kind, with its own worked cases.</summary>
    public static string FixtureRules => System.IO.Path.Combine(Path, "tests", "fixtures", "rules");

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
