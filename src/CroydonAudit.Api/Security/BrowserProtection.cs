using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CroydonAudit.Api.Security;

/// <summary>
/// What a browser is told to protect the pages with, and who may say how a request reached the service:
/// <list type="bullet">
/// <item>every answer that is not gRPC carries a Content-Security-Policy (<c>default-src 'self'</c>: no inline
/// script, nothing from elsewhere, never framed), <c>X-Content-Type-Options: nosniff</c>,
/// <c>Referrer-Policy: same-origin</c> and <c>X-Frame-Options: DENY</c> (for browsers without CSP); over HTTPS
/// also <c>Strict-Transport-Security</c>;</item>
/// <item><c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are honoured only from the proxies configured
/// (<c>ForwardedHeaders__KnownProxies</c>, addresses, and <c>ForwardedHeaders__KnownNetworks</c>, CIDR ranges),
/// none by default: behind the TLS-terminating mesh the session cookie is then Secure and each person's rate
/// limit is their own address's, and nobody else can claim either.</item>
/// </list>
/// </summary>
public static class BrowserProtection
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ForwardedHeaders";

    /// <summary>
    /// The pages' Content-Security-Policy. Forms post to this site only, and, where people sign in at the council's
    /// identity provider, to it: signing out is a form whose answer sends the browser on to the provider.
    /// </summary>
    public static string ContentSecurityPolicy(AuthOptions auth) =>
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        + $"form-action 'self'{(auth.SignsInThroughProvider && Uri.TryCreate(auth.Authority, UriKind.Absolute, out var provider) ? " " + provider.GetLeftPart(UriPartial.Authority) : "")}; "
        + "frame-ancestors 'none'";

    /// <summary>Reads the trusted proxies; a value that is not an address or a network stops the start, naming it.</summary>
    public static WebApplicationBuilder AddBrowserProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var (proxies, networks) = Trusted(configuration);
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here only what is configured is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds loopback by default, and is still read
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: \"{proxy}\" is not an IP address."));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: \"{network}\" is not a network such as 10.0.0.0/8."));
            }
        });
        return builder;
    }

    /// <summary>Honours forwarded headers from trusted proxies, and adds the browser headers to every answer that is not gRPC.</summary>
    public static void UseBrowserProtection(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every address: it is then left out altogether.
        if (Trusted(app.Configuration) is not ([], []))
        {
            app.UseForwardedHeaders();
        }

        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value);
        app.Use((context, next) =>
        {
            if (!Infrastructure.Rest.RestJson.IsGrpc(context))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }
            }

            return next(context);
        });
    }

    private static (string[] Proxies, string[] Networks) Trusted(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return (Values(section, "KnownProxies"), Values(section, "KnownNetworks"));
    }

    // A list in configuration: KnownProxies:0, :1 … or one value separated by commas or semicolons (an environment variable).
    private static string[] Values(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        return [.. (list.Value is { Length: > 0 } one ? one.Split([',', ';']) : list.GetChildren().Select(c => c.Value ?? ""))
            .Select(v => v.Trim()).Where(v => v.Length > 0)];
    }
}
