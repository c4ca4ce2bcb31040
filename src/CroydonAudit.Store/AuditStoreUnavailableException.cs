namespace CroydonAudit.Store;

/// <summary>The store could not be reached after retries. Nothing was written: the caller may safely retry.</summary>
public sealed class AuditStoreUnavailableException(Exception inner)
    : Exception("The audit store is unavailable; nothing was stored.", inner);
