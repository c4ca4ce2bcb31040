using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// The auditors', moderators' and analysts' pages, served on the HTTP/1.1 endpoint: Razor Pages styled with GOV.UK
/// Frontend (fetched by npm at build, see Frontend/package.json, and served from /assets), reading and writing
/// through the contract as the signed-in person (<see cref="PageContract"/>).
/// </summary>
public static class PagesExtensions
{
    /// <summary>Where the build puts GOV.UK Frontend's files and the pages' own stylesheet.</summary>
    public const string AssetsFolder = "pages-assets";

    /// <summary>Where the assets are served.</summary>
    public const string AssetsPath = "/assets";

    /// <summary>Adds the pages.</summary>
    public static IServiceCollection AddServicePages(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<PageContract>();
        services.AddSingleton<PageSession>();
        services.AddOptions<PageSessionOptions>().BindConfiguration(PageSessionOptions.Section)
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero && o.SessionLifetime > TimeSpan.Zero, "Pages: SessionIdleTimeout and SessionLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<PageRuleSets>();
        services.AddRazorPages(options => options.Conventions.ConfigureFilter(new ContractErrors()));
        return services;
    }

    /// <summary>Serves the assets (anonymously, before authentication) and explains failed page requests.</summary>
    public static void UsePageAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, AssetsFolder);
        if (Directory.Exists(folder))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = AssetsPath });
        }

        app.UseWhen(PageSession.IsPage, pages => pages.UseStatusCodePagesWithReExecute("/problem", "?code={0}"));
    }

    /// <summary>Maps the pages; each page's model names the policy it needs (deny by default otherwise).</summary>
    public static void MapServicePages(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/", () => Results.LocalRedirect("/audits")).AllowAnonymous();
    }
}
