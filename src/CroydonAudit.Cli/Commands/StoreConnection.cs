using CroydonAudit.Store.Contracts;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CroydonAudit.Cli.Commands;

/// <summary>
/// The audit store as the service wires it (ConnectionStrings__Audit, or the owner's ConnectionStrings__AuditOwner,
/// and the Store section from the environment), for the commands that need the database. Warnings go to standard error; standard output
/// is the command's own.
/// </summary>
internal sealed class StoreConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private StoreConnection(IHost host) => _host = host;

    public RuleSetStore RuleSets => _host.Services.GetRequiredService<RuleSetStore>();

    public AuditStore Audits => _host.Services.GetRequiredService<AuditStore>();

    public Npgsql.NpgsqlDataSource DataSource => _host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();

    public static StoreConnection Open()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders()
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning);
        // Seeding loads tables wholesale (COPY, TRUNCATE of the report's months): the tables' owner's work, so it
        // connects as the owner when ConnectionStrings__AuditOwner names one.
        if (builder.Configuration.GetConnectionString(AuditStoreOptions.OwnerConnectionStringName) is { Length: > 0 } owner)
        {
            builder.Configuration[$"ConnectionStrings:{AuditStoreOptions.ConnectionStringName}"] = owner;
        }

        builder.Services.AddAuditStore(RecordMapping.Documents);
        builder.Services.PostConfigure<AuditStoreOptions>(options => options.AllowPrivilegedRole = true);
        return new StoreConnection(builder.Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_host.Services.GetService<AuditStore>() is { } audits)
        {
            await audits.DisposeAsync();
        }

        _host.Dispose();
    }
}
