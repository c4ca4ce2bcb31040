using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CroydonAudit.Testing;
using YamlDotNet.RepresentationModel;

namespace CroydonAudit.FunctionalTests.Deployment;

/// <summary>
/// The Dockerfile and compose.yaml, checked where no container builder is available (./test.sh builds the image
/// where one is): the Dockerfile's instructions are read as a builder reads them, and what they name must exist
/// — every project the service and the command line are built from is copied before the restore, every COPY
/// source is in the build context, the base images are pinned, the image runs as a user on both ports and starts
/// the service's own assembly; compose runs it beside PostgreSQL 15 with the rules mounted where it reads them.
/// </summary>
public sealed partial class ContainerTests
{
    private static readonly string Root = RepositoryRoot.Path;

    [Fact]
    public void Dockerfile_CopiesEveryProjectBeforeRestoring_AndEverySourceIsInTheBuildContext()
    {
        var instructions = Instructions();
        var restore = instructions.FindIndex(i => i.Name == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "the Dockerfile restores in a layer of its own");

        var copiedBeforeRestore = instructions.Take(restore).Where(i => i.Name == "COPY").SelectMany(Sources).ToHashSet();
        foreach (var project in ProjectsBuilt())
        {
            Assert.Contains(Path.GetRelativePath(Root, project).Replace('\\', '/'), copiedBeforeRestore);
        }

        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var source in instructions.Where(i => i.Name == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)).SelectMany(Sources))
        {
            Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(ignored, pattern => source.StartsWith(pattern.TrimStart('*', '/'), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Dockerfile_PinsItsImages_RunsAsAUserOnBothPorts_AndStartsTheService()
    {
        var instructions = Instructions();
        var stages = instructions.Where(i => i.Name == "FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();
        Assert.All(stages, image => Assert.Matches(@"^(mcr\.microsoft\.com/dotnet/(sdk|aspnet):\d+\.\d+|node:\d+-bookworm-slim)$", image));

        // The pages' GOV.UK Frontend comes from its lock file, installed in the Node stage, into the build.
        Assert.Contains(instructions, i => i.Name == "RUN" && i.Arguments == "npm ci --no-audit --no-fund");
        Assert.Contains(instructions, i => i.Name == "COPY" && i.Arguments == "--from=frontend /frontend/node_modules src/CroydonAudit.Api/Frontend/node_modules");
        Assert.Equal($"{TargetFramework()[3..]}", stages[^1].Split(':')[1]);

        var runtime = instructions.Skip(instructions.FindLastIndex(i => i.Name == "FROM")).ToList();
        Assert.Equal("$APP_UID", runtime.Last(i => i.Name == "USER").Arguments);
        Assert.Equal(["5000", "5001"], runtime.Single(i => i.Name == "EXPOSE").Arguments.Split(' '));
        var environment = EnvironmentOf(runtime);
        Assert.Equal(5000, new Uri(environment["ASPNETCORE_URLS"]).Port);
        Assert.Equal(5001, new Uri(environment["Pages__Url"]).Port);
        Assert.Equal("/app/rules", environment["Grading__RulesPath"]);
        Assert.Contains(runtime, i => i.Name == "COPY" && i.Arguments == "rules/ ./rules/");

        var entrypoint = JsonSerializer.Deserialize<string[]>(runtime.Single(i => i.Name == "ENTRYPOINT").Arguments)!;
        Assert.Equal(["dotnet", $"{AssemblyName("CroydonAudit.Api")}.dll"], entrypoint);
        Assert.Contains(instructions, i => i.Name == "RUN" && i.Arguments.Contains("src/CroydonAudit.Api/CroydonAudit.Api.csproj --configuration Release --no-restore --output /app ", StringComparison.Ordinal));
        Assert.Equal("croydon-audit", AssemblyName("CroydonAudit.Cli"));
    }

    [Fact]
    public void Compose_RunsTheImageBesidePostgreSql15_WithTheRulesWhereItReadsThem()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "compose.yaml"))));
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
        var postgres = (YamlMappingNode)services["postgres"];
        var service = (YamlMappingNode)services["croydon-audit"];
        var environment = ((YamlMappingNode)service["environment"]).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());

        Assert.Equal("postgres:15", postgres["image"].ToString());
        Assert.Equal(".", service["build"].ToString());
        Assert.Equal("service_healthy", ((YamlMappingNode)((YamlMappingNode)service["depends_on"])["postgres"])["condition"].ToString());
        Assert.StartsWith("Host=postgres;", environment["ConnectionStrings__Audit"], StringComparison.Ordinal);
        Assert.DoesNotMatch("Password=[^$]", environment["ConnectionStrings__Audit"]);
        // The service as its own role, the owner's only for migrations; the roles made by the database's first start.
        Assert.Contains("Username=croydon_audit;", environment["ConnectionStrings__Audit"], StringComparison.Ordinal);
        Assert.Contains("Username=croydon_audit_owner;", environment["ConnectionStrings__AuditOwner"], StringComparison.Ordinal);
        var initialised = ((YamlSequenceNode)postgres["volumes"]).Select(v => v.ToString().Split(':')[0]).Where(v => v.StartsWith("./", StringComparison.Ordinal));
        Assert.All(initialised, file => Assert.True(File.Exists(Path.Combine(Root, file)), $"{file} is mounted but missing"));
        Assert.Contains("./deploy/database-roles.sql", initialised);
        Assert.Equal(["127.0.0.1:5000:5000", "127.0.0.1:5001:5001"], ((YamlSequenceNode)service["ports"]).Select(p => p.ToString()));
        Assert.Contains($"./rules:{environment["Grading__RulesPath"]}:ro", ((YamlSequenceNode)service["volumes"]).Select(v => v.ToString()));
    }

    // The Dockerfile's instructions, as a builder reads them: comments dropped, continued lines joined.
    private static List<(string Name, string Arguments)> Instructions()
    {
        var joined = ContinuedLine().Replace(string.Join('\n', File.ReadAllLines(Path.Combine(Root, "Dockerfile")).Where(l => !l.TrimStart().StartsWith('#'))), " ");
        return [.. joined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0].ToUpperInvariant(), Spaces().Replace(parts.Length > 1 ? parts[1] : "", " ")))];
    }

    private static IEnumerable<string> Sources((string Name, string Arguments) copy)
    {
        var words = copy.Arguments.Split(' ').Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
        return words[..^1].Select(w => w.TrimEnd('/'));
    }

    private static Dictionary<string, string> EnvironmentOf(IEnumerable<(string Name, string Arguments)> stage) =>
        stage.Where(i => i.Name == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    // The service's and the command line's projects, and every project they reference, transitively.
    private static IEnumerable<string> ProjectsBuilt()
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Project("CroydonAudit.Api"), Project("CroydonAudit.Cli")]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    private static string Project(string name) => Path.Combine(Root, "src", name, $"{name}.csproj");

    private static string AssemblyName(string project) =>
        XDocument.Load(Project(project)).Descendants("AssemblyName").SingleOrDefault()?.Value ?? project;

    private static string TargetFramework() =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;

    [GeneratedRegex(@"\\\s*\n")]
    private static partial Regex ContinuedLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
