using Npgsql;
using Polly;

namespace CroydonAudit.Store;

/// <summary>
/// How the store reads, apart from how it writes, so that no read can hold the writers' connections or CPU for
/// long (<see cref="StoreServiceCollectionExtensions"/> builds it):
/// <list type="bullet">
/// <item><see cref="Interactive"/>: callers' reads (GetAudit, ListAudits, the moderation queue, the access log),
/// on a pool of their own (<see cref="AuditStoreOptions.ReadConnections"/>) whose every statement PostgreSQL stops
/// after <see cref="AuditStoreOptions.ReadTimeout"/>;</item>
/// <item><see cref="Bulk"/>: long reads (an impact preview's stream of every stored audit, the audits a re-grade
/// must visit, the programme report), on a smaller pool (<see cref="AuditStoreOptions.BulkConnections"/>) with no
/// statement limit, bounded by their callers' deadlines;</item>
/// <item><see cref="Pipeline"/>: the reads' resilience pipeline, with a circuit breaker of its own, so failing reads
/// never open the writers' breaker.</item>
/// </list>
/// </summary>
/// <param name="Interactive">Callers' reads.</param>
/// <param name="Bulk">Long administrative reads.</param>
/// <param name="Pipeline">Timeouts, retries and a breaker for reads.</param>
public sealed record StoreReads(NpgsqlDataSource Interactive, NpgsqlDataSource Bulk, ResiliencePipeline Pipeline);
