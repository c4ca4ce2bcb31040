namespace CroydonAudit.Store;

/// <summary>
/// The store could not be reached after retries, or (<see cref="ReadTookTooLong"/>) PostgreSQL stopped a read that
/// ran past <see cref="AuditStoreOptions.ReadTimeout"/>. Nothing was written: the caller may safely retry.
/// </summary>
public sealed class AuditStoreUnavailableException(Exception inner, bool readTookTooLong = false)
    : Exception(readTookTooLong ? "The read took longer than the store allows, and was stopped." : "The audit store is unavailable; nothing was stored.", inner)
{
    /// <summary>PostgreSQL stopped the read at the read timeout; the store itself is reachable.</summary>
    public bool ReadTookTooLong { get; } = readTookTooLong;
}
