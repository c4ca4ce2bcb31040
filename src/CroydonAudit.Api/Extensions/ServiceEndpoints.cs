namespace CroydonAudit.Api.Extensions;

/// <summary>
/// The service's two endpoints, both named in Kestrel's configuration so that either may be replaced there
/// (TLS, in the README, replaces <see cref="Grpc"/>):
/// <list type="bullet">
/// <item><see cref="Grpc"/>: HTTP/2 for gRPC (cleartext by prior knowledge), at ASPNETCORE_URLS or --urls, else
/// <see cref="DefaultGrpcUrl"/>;</item>
/// <item><see cref="Pages"/>: HTTP/1.1 for the pages, REST/JSON (gRPC JSON transcoding), the OpenAPI document and
/// metrics, at Pages:Url, else <see cref="DefaultPagesUrl"/>.</item>
/// </list>
/// A cleartext endpoint speaks one protocol only (HTTP/2 without TLS needs prior knowledge), hence two.
/// </summary>
public static class ServiceEndpoints
{
    /// <summary>The gRPC endpoint's name in Kestrel:Endpoints (a second URL in ASPNETCORE_URLS is Grpc2, and so on).</summary>
    public const string Grpc = "Grpc";

    /// <summary>The HTTP/1.1 endpoint's name in Kestrel:Endpoints.</summary>
    public const string Pages = "Pages";

    /// <summary>Where gRPC is served unless ASPNETCORE_URLS, --urls or Kestrel:Endpoints:Grpc says otherwise.</summary>
    public const string DefaultGrpcUrl = "http://127.0.0.1:5000";

    /// <summary>Where the HTTP/1.1 endpoint is served unless Pages:Url says otherwise.</summary>
    public const string DefaultPagesUrl = "http://127.0.0.1:5001";

    /// <summary>The OpenAPI document of the REST/JSON routes, on the HTTP/1.1 endpoint.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The route <see cref="OpenApiPath"/> is served by (document "v1").</summary>
    public const string OpenApiRoute = "/openapi/{documentName}.json";

    /// <summary>Prometheus' scrape endpoint, on the HTTP/1.1 endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Names both endpoints in Kestrel's configuration, unless configuration names them already.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpoints = configuration.GetSection("Kestrel:Endpoints");
        var added = new Dictionary<string, string?>();
        if (!endpoints.GetChildren().Any(e => e.Key != Pages))
        {
            var urls = configuration[WebHostDefaults.ServerUrlsKey];
            var grpc = string.IsNullOrWhiteSpace(urls)
                ? [DefaultGrpcUrl]
                : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < grpc.Length; i++)
            {
                added[$"Kestrel:Endpoints:{Grpc}{(i == 0 ? "" : i + 1)}:Url"] = grpc[i];
            }
        }

        if (!endpoints.GetSection(Pages).Exists())
        {
            added[$"Kestrel:Endpoints:{Pages}:Url"] = configuration["Pages:Url"] is { Length: > 0 } pages ? pages : DefaultPagesUrl;
        }

        if (string.IsNullOrEmpty(endpoints[$"{Pages}:Protocols"]))
        {
            added[$"Kestrel:Endpoints:{Pages}:Protocols"] = "Http1";
        }

        // The URLs are endpoints now; left set, Kestrel would warn that the endpoints override them.
        added[WebHostDefaults.ServerUrlsKey] = "";
        added["http_ports"] = "";
        added["https_ports"] = "";
        configuration.AddInMemoryCollection(added);
    }
}
