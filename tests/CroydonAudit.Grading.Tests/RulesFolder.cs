namespace CroydonAudit.Grading.Tests;

/// <summary>Finds the repository's real rules folder, so tests grade by the files the service ships.</summary>
public static class RulesFolder
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CroydonAudit.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "rules");
            }
        }

        throw new InvalidOperationException("No CroydonAudit.sln above the test binaries.");
    }
}
