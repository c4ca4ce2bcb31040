using CroydonAudit.Store.Resilience;
using CroydonAudit.Store.Schema;
using Npgsql;
using Polly;

namespace CroydonAudit.Store.Sessions;

/// <summary>
/// Browsers' sessions, server-side (V23, V24): each keyed by the hash of the random id its cookie holds, with the token
/// the pages call the contract with, sealed by the caller with a key only that id gives. Ended by signing out, by
/// the idle timeout, or by the token's expiry.
/// </summary>
public sealed class PageSessionStore(NpgsqlDataSource dataSource, StoreSchema schema, ResiliencePipeline pipeline)
{
    // A new session, and the ended ones (expired, or idle for a day) cleared away with it.
    private const string Create = """
        WITH ended AS (DELETE FROM page_session WHERE expires_at < now() OR last_seen_at < now() - interval '1 day')
        INSERT INTO page_session (id_hash, sealed_token, expires_at) VALUES ($1, $2, $3)
        """;

    // The session's token, if it has not ended: it is seen now, so its idle time starts again. Its row is written only
    // when a tenth of the idle time has passed since: a page read otherwise cost a committed write (a WAL flush, and the
    // session's row locked against the same browser's other requests): the pages' tail latency (benchmarks/README.md).
    private const string Touch = """
        WITH live AS (
            SELECT sealed_token, last_seen_at FROM page_session WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - $2
        ), seen AS (
            UPDATE page_session SET last_seen_at = now()
            WHERE id_hash = $1 AND EXISTS (SELECT FROM live WHERE last_seen_at < now() - $2 / 10)
        )
        SELECT sealed_token FROM live
        """;

    private const string End = "DELETE FROM page_session WHERE id_hash = $1";

    private readonly StoreCalls _calls = new(schema, pipeline);

    /// <summary>Keeps a new session until <paramref name="expires"/>.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be reached: nobody is signed in.</exception>
    public Task CreateAsync(byte[] idHash, byte[] sealedToken, DateTimeOffset expires, CancellationToken cancellationToken) =>
        _calls.Run((Source: dataSource, Hash: idHash, Token: sealedToken, Expires: expires), static async (call, ct) =>
        {
            await using var connection = await call.Source.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(Create, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<byte[]> { TypedValue = call.Hash },
                    new NpgsqlParameter<byte[]> { TypedValue = call.Token },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = call.Expires },
                },
            };
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>The sealed token of a session that has not ended, seen now; null when there is none.</summary>
    public Task<byte[]?> TouchAsync(byte[] idHash, TimeSpan idleTimeout, CancellationToken cancellationToken) =>
        _calls.Run((Source: dataSource, Hash: idHash, Idle: idleTimeout), static async (call, ct) =>
        {
            await using var connection = await call.Source.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(Touch, connection)
            {
                Parameters = { new NpgsqlParameter<byte[]> { TypedValue = call.Hash }, new NpgsqlParameter<TimeSpan> { TypedValue = call.Idle } },
            };
            return await command.ExecuteScalarAsync(ct) as byte[];
        }, cancellationToken);

    /// <summary>Ends a session: its id is never accepted again, on any replica.</summary>
    public Task EndAsync(byte[] idHash, CancellationToken cancellationToken) =>
        _calls.Run((Source: dataSource, Hash: idHash), static async (call, ct) =>
        {
            await using var connection = await call.Source.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(End, connection) { Parameters = { new NpgsqlParameter<byte[]> { TypedValue = call.Hash } } };
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
