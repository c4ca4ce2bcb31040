using Npgsql;

namespace CroydonAudit.Testing;

/// <summary>
/// A fresh, empty PostgreSQL database for one test class, made on the server that
/// ConnectionStrings__Audit names (./test.sh sets it up), and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Audit")
            ?? throw new InvalidOperationException("ConnectionStrings__Audit is not set: run the tests with ./test.sh, which sets up PostgreSQL.");
        Admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
        Name = $"croydon_test_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    private string Admin { get; }

    public long Count(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How many rules' outcomes (a rule that fired or failed) are stored for the revisions <paramref name="where"/> (SQL on
    /// audit_revision <c>r</c>) selects: in their own rows (V17), or as rule_trace rows (a revision stored before).
    /// </summary>
    public long Outcomes(string where = "true") => Count($"""
        SELECT (SELECT coalesce(sum(cardinality(r.trace_positions)), 0) FROM audit_revision AS r WHERE {where})
             + (SELECT count(*) FROM rule_trace AS t JOIN audit_revision AS r ON r.id = t.revision_id WHERE {where})
        """);

    /// <summary>
    /// How PostgreSQL runs <paramref name="sql"/>, a statement with named parameters (@name), as the service's read
    /// connections would: EXPLAIN ANALYZE's text, the parameters given as typed values, sequential scans ruled out (so
    /// a small test table is read by the index a large one would be).
    /// </summary>
    public string Plan(string sql, Dictionary<string, object?> parameters)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            off.ExecuteNonQuery();
        }

        using var command = new NpgsqlCommand("EXPLAIN (ANALYZE) " + sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Runs SQL as the server's administrator (e.g. to make this database read-only), then ends every other session on it, so the service reconnects and sees the change.</summary>
    public void AlterAndReconnect(string sql)
    {
        Execute(sql);
        Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid()");
    }

    /// <summary>
    /// Login roles of this database's own, as a deployment has them: its owner (the migrations'), and the service's,
    /// a member of croydon_audit_runtime only. Their connection strings; dropped with the database.
    /// </summary>
    public (string Owner, string Runtime) LeastPrivilege()
    {
        Execute("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'croydon_audit_runtime') THEN CREATE ROLE croydon_audit_runtime NOLOGIN; END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$
            """);
        Execute($"CREATE ROLE {Name}_owner LOGIN");
        Execute($"CREATE ROLE {Name}_app LOGIN IN ROLE croydon_audit_runtime");
        Execute($"ALTER DATABASE {Name} OWNER TO {Name}_owner");
        _roles = true;
        return (As($"{Name}_owner"), As($"{Name}_app"));
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        if (_roles)
        {
            Execute($"DROP ROLE IF EXISTS {Name}_app");
            Execute($"DROP ROLE IF EXISTS {Name}_owner");
        }
    }

    private bool _roles;

    private string As(string role) => new NpgsqlConnectionStringBuilder(ConnectionString) { Username = role }.ConnectionString;

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Admin);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
