using Croydon.Audit.V1;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Api.Security;
using CroydonAudit.Contracts.Mapping;
using CroydonAudit.Contracts.Validation;
using CroydonAudit.Grading.Rules;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CroydonAudit.Api.Pages.Rules;

/// <summary>
/// The principal social worker changes the rules from the page: starting from a stored version (the active one by
/// default), they edit one of its files or upload changed files, see the check's report and the impact on the stored
/// audits (CheckRuleSet, PreviewRuleSetImpact), and propose the result (ProposeRuleSet), as themselves.
/// </summary>
[Authorize(Policy = Policies.ChangeRules)]
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes, ValueLengthLimit = RuleSetFiles.MaxFileBytes + 1)]
public sealed class ProposeModel(PageContract contract) : PageModel
{
    /// <summary>The most a proposal's form may carry: one edited file and up to <see cref="MaxUploads"/> uploaded ones.</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024, MaxUploads = 50;

    /// <summary>The version the change starts from; the active one when not given.</summary>
    [BindProperty(SupportsGet = true)] public string? BaseVersion { get; set; }

    /// <summary>The file being edited.</summary>
    [BindProperty(SupportsGet = true)] public string? Path { get; set; }

    /// <summary>The edited file's text, as entered.</summary>
    [BindProperty] public new string? Content { get; set; }

    /// <summary>Changed or new files, uploaded: rule files, and worked cases (under tests/).</summary>
    [BindProperty] public List<IFormFile> RuleUploads { get; set; } = [];

    [BindProperty] public List<IFormFile> CaseUploads { get; set; } = [];

    /// <summary>The base version's files' paths, to choose one to edit.</summary>
    public IReadOnlyList<string> Paths { get; private set; } = [];

    /// <summary>What is wrong with the form, or why the service refused the proposal.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The check's report, after "Check".</summary>
    public RuleSetCheckReport? Report { get; private set; }

    /// <summary>The impact, after "Check" on rules that load.</summary>
    public ImpactView? Impact { get; private set; }

    /// <summary>Shows the base version's file to edit.</summary>
    public async Task OnGetAsync()
    {
        var files = await BaseFilesAsync();
        Content ??= files.FirstOrDefault(f => f.Path == Path)?.Content ?? "";
    }

    /// <summary>Checks the changed rules and previews their impact; stores nothing.</summary>
    public async Task<IActionResult> OnPostCheckAsync()
    {
        if (await CandidateAsync() is { } candidate)
        {
            var options = contract.As(HttpContext);
            Report = (await contract.RuleSets.CheckRuleSetAsync(new CheckRuleSetRequest { Files = { candidate } }, options)).Report;
            if (Report.Version.Length > 0)
            {
                var impact = await contract.RuleSets.PreviewRuleSetImpactAsync(new PreviewRuleSetImpactRequest { Files = { candidate }, MaxChangedAuditIds = 50 }, options);
                Impact = new ImpactView(impact.Report, RuleSetLoader.TryLoad(candidate.ToSnapshot(), []));
            }
        }

        return Page();
    }

    /// <summary>Proposes the changed rules as the signed-in person.</summary>
    public async Task<IActionResult> OnPostProposeAsync()
    {
        if (await CandidateAsync() is { } candidate)
        {
            try
            {
                var proposed = await contract.RuleSets.ProposeRuleSetAsync(new ProposeRuleSetRequest { Files = { candidate } }, contract.As(HttpContext));
                return LocalRedirect($"/rules?done=proposed&version={Uri.EscapeDataString(proposed.RuleSet.Version)}#history");
            }
            catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
            {
                Problems.Add("These rules were not proposed, because:");
                Problems.AddRange(e.Reasons());
            }
        }

        return Page();
    }

    // The base version's files with the edited one and the uploads in place of (or beside) its own; null, with the
    // problems said, when the form cannot make a rule set.
    private async Task<List<RuleFile>?> CandidateAsync()
    {
        var files = (await BaseFilesAsync()).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        if (Path is { Length: > 0 } edited && files.ContainsKey(edited))
        {
            files[edited] = Content ?? "";
        }

        if (RuleUploads.Count + CaseUploads.Count > MaxUploads)
        {
            Problems.Add($"Upload at most {MaxUploads} files at a time.");
            return null;
        }

        foreach (var (upload, folder) in RuleUploads.Select(u => (u, "")).Concat(CaseUploads.Select(u => (u, RuleSetFiles.WorkedCaseFolder))))
        {
            var name = folder + System.IO.Path.GetFileName(upload.FileName);
            if (upload.Length > RuleSetFiles.MaxFileBytes)
            {
                Problems.Add($"{name} is {upload.Length:N0} bytes; a rule file may be at most {RuleSetFiles.MaxFileBytes:N0}.");
                continue;
            }

            using var reader = new StreamReader(upload.OpenReadStream());
            files[name] = await reader.ReadToEndAsync(HttpContext.RequestAborted);
        }

        return Problems.Count > 0 ? null : [.. files.Select(f => new RuleFile { Path = f.Key, Content = f.Value })];
    }

    private async Task<IReadOnlyList<RuleFile>> BaseFilesAsync()
    {
        var options = contract.As(HttpContext);
        BaseVersion = string.IsNullOrEmpty(BaseVersion)
            ? (await contract.RuleSets.GetRuleSetStatusAsync(new GetRuleSetStatusRequest(), options)).Active?.Version
            : BaseVersion;
        if (BaseVersion is null)
        {
            return [];
        }

        var files = (await contract.RuleSets.GetRuleSetAsync(new GetRuleSetRequest { Version = BaseVersion }, options)).Files;
        Paths = [.. files.Select(f => f.Path)];
        Path = Paths.Contains(Path) ? Path : Paths.FirstOrDefault(p => !RuleSetFiles.IsWorkedCase(p) && p != RuleSetLoader.ManifestFile) ?? Paths.FirstOrDefault();
        return files;
    }
}
