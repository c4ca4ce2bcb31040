using CroydonAudit.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddGradingService();

var app = builder.Build();
app.MapGradingService();
app.Run();

/// <summary>The host's entry point; public so functional tests can host it.</summary>
public partial class Program;
