using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Identity;

/// <summary>
/// Local mode's key: 256 random bits in a file only its owner can read (<c>.data/local-signing-key</c>, git-ignored),
/// made on first use. The service accepts only tokens signed with it; <c>./run.sh token</c> signs with it.
/// </summary>
public static class LocalSigningKey
{
    /// <summary>Reads the key, making it first if the file does not exist.</summary>
    public static SymmetricSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(created);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim())) { KeyId = "local" };
    }
}
