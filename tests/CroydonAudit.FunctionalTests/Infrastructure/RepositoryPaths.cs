namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>The repository's real folders: the rules the service ships and their worked cases.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Rules => Path.Combine(Root, "rules");

    public static string WorkedCases => Path.Combine(Root, "rules", "tests");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CroydonAudit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No CroydonAudit.sln above the test binaries.");
    }
}
