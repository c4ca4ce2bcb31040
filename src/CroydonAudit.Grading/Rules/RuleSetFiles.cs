using System.Text.RegularExpressions;

namespace CroydonAudit.Grading.Rules;

/// <summary>
/// A rule set's files as one snapshot: paths relative to the rules folder ('/'-separated) and their
/// bytes. The workflow files, <c>ruleset.json</c> and <c>template.json</c> sit at the top; worked cases in
/// <c>tests/</c>, and the base audits cases may be written as differences from in <c>tests/bases/</c>.
/// Bounded: a rule set is a few dozen small files, and a candidate may come from a caller.
/// </summary>
public sealed partial class RuleSetFiles
{
    /// <summary>The most files a rule set may have, worked cases included.</summary>
    public const int MaxFiles = 500;

    /// <summary>The largest file.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The most bytes in all.</summary>
    public const int MaxTotalBytes = 16 * 1024 * 1024;

    /// <summary>The folder of worked cases.</summary>
    public const string WorkedCaseFolder = "tests/";

    /// <summary>The folder of base audits, which worked cases may be written as differences from.</summary>
    public const string BaseFolder = "tests/bases/";

    private readonly SortedDictionary<string, byte[]> _files;

    private string? _fingerprint;

    private RuleSetFiles(SortedDictionary<string, byte[]> files) => _files = files;

    /// <summary>Every file, by path, in ordinal order.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>The worked cases' paths, in order.</summary>
    public IEnumerable<string> WorkedCases => _files.Keys.Where(IsWorkedCase);

    /// <summary>The worked cases' and their bases' paths: what travels with a version beside its rules.</summary>
    public IEnumerable<string> TestFiles => _files.Keys.Where(IsTestFile);

    /// <summary>A hash of every file's path and bytes: two snapshots with the same fingerprint hold the same files.</summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>A file's bytes, or null.</summary>
    public byte[]? this[string path] => _files.GetValueOrDefault(path);

    /// <summary>
    /// Reads a rules folder: the JSON files at its top and in <c>tests/</c>. Anything else (the README,
    /// the JSON Schemas in <c>schema/</c>) is not part of the rule set.
    /// </summary>
    /// <exception cref="RuleSetException">The folder is missing or too large.</exception>
    public static RuleSetFiles FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new RuleSetException(directory, "the rules folder does not exist.");
        }

        var top = Directory.EnumerateFiles(directory, "*.json").Select(p => (Path: p, Name: Path.GetFileName(p)));
        var found = top.Concat(Listed(directory, "tests", WorkedCaseFolder)).Concat(Listed(directory, Path.Combine("tests", "bases"), BaseFolder)).ToList();
        CheckCount(found.Count);
        // A link would let the folder show any file the service can read (its first character in a refusal, say).
        if (found.FirstOrDefault(f => new FileInfo(f.Path).LinkTarget is not null) is { Name: { } linked })
        {
            throw new RuleSetException(linked, "is a link to another file. The rules folder must hold its files itself: copy the file in instead of linking to it.");
        }

        return From(found.Select(f => (f.Name, ReadBounded(f.Path, f.Name))));
    }

    /// <summary>A snapshot from files sent by a caller; names and sizes are checked.</summary>
    /// <exception cref="RuleSetException">A name is not a plain relative path, is repeated, or the files are too large.</exception>
    public static RuleSetFiles From(IEnumerable<(string Path, byte[] Content)> files)
    {
        var problems = new List<RuleSetProblem>();
        var snapshot = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (path, content) in files)
        {
            var shown = path.Length > 80 ? path[..80] + "…" : path;
            if (!SafePath().IsMatch(path))
            {
                problems.Add(new(shown, null, null, "is not a file name the rules folder can hold: use letters, digits, '.', '-' and '_', ending in .json, at the top or in tests/."));
            }
            else if (content.Length > MaxFileBytes)
            {
                problems.Add(new(path, null, null, $"is {content.Length:N0} bytes; a rule file may be at most {MaxFileBytes:N0}."));
            }
            else if (!snapshot.TryAdd(path, content))
            {
                problems.Add(new(path, null, null, "is given twice."));
            }

            total += content.Length;
            if (snapshot.Count + problems.Count > MaxFiles || problems.Count >= 20)
            {
                break;
            }
        }

        CheckCount(snapshot.Count);
        if (total > MaxTotalBytes)
        {
            problems.Add(new(RuleSetLoader.ManifestFile, null, null, $"the rule set's files come to {total:N0} bytes; at most {MaxTotalBytes:N0} are accepted."));
        }

        return problems.Count > 0 ? throw new RuleSetException(problems) : new RuleSetFiles(snapshot);
    }

    /// <summary>Only the files that decide grades: the manifest and the workflow files it lists.</summary>
    public RuleSetFiles Only(IEnumerable<string> paths) =>
        new(new SortedDictionary<string, byte[]>(paths.Where(_files.ContainsKey).ToDictionary(p => p, p => _files[p]), StringComparer.Ordinal));

    /// <summary>Whether a path is a worked case.</summary>
    public static bool IsWorkedCase(string path) => IsTestFile(path) && !IsBase(path);

    /// <summary>Whether a path is a base audit of worked cases.</summary>
    public static bool IsBase(string path) => path.StartsWith(BaseFolder, StringComparison.Ordinal);

    /// <summary>Whether a path is a worked case or a base: a test of the rules, not part of them.</summary>
    public static bool IsTestFile(string path) => path.StartsWith(WorkedCaseFolder, StringComparison.Ordinal);

    // A sub-folder's JSON files, named as the snapshot names them.
    private static IEnumerable<(string Path, string Name)> Listed(string directory, string folder, string prefix)
    {
        var path = Path.Combine(directory, folder);
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is not null)
        {
            throw new RuleSetException(prefix.TrimEnd('/'), "is a link to another folder. The rules folder must hold its worked cases itself: copy them in instead of linking to them.");
        }

        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.json").Select(p => (p, prefix + Path.GetFileName(p))) : [];
    }

    private string ComputeFingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (path, content) in _files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"\0{path}\0{content.Length}\0"));
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void CheckCount(int count)
    {
        if (count > MaxFiles)
        {
            throw new RuleSetException(RuleSetLoader.ManifestFile, $"the rules folder has more than {MaxFiles} files; a rule set may have at most {MaxFiles}, worked cases included.");
        }
    }

    private static byte[] ReadBounded(string path, string name)
    {
        var length = new FileInfo(path).Length;
        return length > MaxFileBytes
            ? throw new RuleSetException(name, $"is {length:N0} bytes; a rule file may be at most {MaxFileBytes:N0}.")
            : File.ReadAllBytes(path);
    }

    [GeneratedRegex(@"^(tests/(bases/)?)?[A-Za-z0-9_][A-Za-z0-9._-]{0,99}\.json$")]
    private static partial Regex SafePath();
}
