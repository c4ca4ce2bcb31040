using CroydonAudit.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddGradingService();

var app = builder.Build();
if (!await app.ReadyToServeAsync())
{
    return 1;
}

app.MapGradingService();
await app.RunAsync();
return 0;

/// <summary>The host's entry point; public so functional tests can host it.</summary>
public partial class Program;
