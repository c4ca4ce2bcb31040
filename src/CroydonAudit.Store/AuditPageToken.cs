using System.Buffers.Binary;
using System.Text;

namespace CroydonAudit.Store;

/// <summary>
/// A keyset position in the newest-first listing: the last (graded_at, audit_id) a page returned.
/// Opaque to callers: base64url of the instant's microseconds and the id.
/// </summary>
/// <param name="GradedAt">The last audit's graded_at.</param>
/// <param name="AuditId">The last audit's id.</param>
public sealed record AuditPageToken(DateTimeOffset GradedAt, string AuditId)
{
    private const byte Version = 1;

    /// <summary>The token as the caller sees it.</summary>
    public string Encode()
    {
        var id = Encoding.UTF8.GetBytes(AuditId);
        var bytes = new byte[1 + sizeof(long) + id.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), (GradedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
        id.CopyTo(bytes.AsSpan(1 + sizeof(long)));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token from a previous page; false when it is not one.</summary>
    public static bool TryDecode(string token, out AuditPageToken? position)
    {
        position = null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length) || length <= 1 + sizeof(long) || bytes[0] != Version)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        try
        {
            var gradedAt = DateTimeOffset.UnixEpoch.AddTicks(checked(micros * TimeSpan.TicksPerMicrosecond));
            position = new AuditPageToken(gradedAt, Encoding.UTF8.GetString(bytes, 1 + sizeof(long), length - 1 - sizeof(long)));
            return true;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}
