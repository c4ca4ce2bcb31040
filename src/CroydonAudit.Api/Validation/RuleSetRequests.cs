using System.Text;
using System.Text.RegularExpressions;
using Croydon.Audit.V1;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.RuleSets.Regrading;
using CroydonAudit.Store;
using Google.Protobuf.WellKnownTypes;
using static CroydonAudit.Api.Validation.InvalidArgument;
using static CroydonAudit.Contracts.Validation.FieldViolations;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace CroydonAudit.Api.Validation;

/// <summary>Checks RuleSetService and re-grading requests.</summary>
public static partial class RuleSetRequests
{
    /// <summary>The largest page of rule sets.</summary>
    public const int MaxPageSize = 100;

    /// <summary>A rule set version: 16 lower-case hex digits.</summary>
    public static void ValidateVersion(string field, string version)
    {
        if (!Version().IsMatch(version))
        {
            ThrowIfAny([Violation(field, "must be a rule set version: 16 hexadecimal digits, as in rule_set_version.")]);
        }
    }

    /// <summary>The position after which to list, or INVALID_ARGUMENT.</summary>
    public static (DateTimeOffset, string)? Validate(ListRuleSetsRequest request)
    {
        var violations = new List<FieldViolation>();
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            violations.Add(Violation("page_size", $"must be from 0 (the default, 20) to {MaxPageSize}."));
        }

        (DateTimeOffset, string)? after = null;
        if (request.PageToken.Length > 0 && !TryDecode(request.PageToken, out after))
        {
            violations.Add(Violation("page_token", "is not a token from a previous ListRuleSets response."));
        }

        ThrowIfAny(violations);
        return after;
    }

    /// <summary>Which audits to compare, or INVALID_ARGUMENT.</summary>
    public static AuditFilter Validate(PreviewRuleSetImpactRequest request) =>
        Filter(request.Team, request.AuditorId, request.GradedFrom, request.GradedTo, ("max_changed_audit_ids", request.MaxChangedAuditIds, 100, ImpactPreview.MaxListedAudits));

    /// <summary>Which audits to re-grade, or INVALID_ARGUMENT.</summary>
    public static AuditFilter Validate(RegradeAuditsRequest request) =>
        Filter(request.Team, request.AuditorId, request.GradedFrom, request.GradedTo, ("max_audits", request.MaxAudits, AuditRegrader.DefaultBatch, AuditRegrader.MaxBatch));

    /// <summary>Each side is a version or files, not both nor neither.</summary>
    public static void Validate(DiffRuleSetsRequest request)
    {
        var violations = new List<FieldViolation>();
        foreach (var (side, version, files) in new[] { ("from", request.FromVersion, request.FromFiles.Count), ("to", request.ToVersion, request.ToFiles.Count) })
        {
            if ((version.Length > 0) == (files > 0))
            {
                violations.Add(Violation($"{side}_version", $"give either {side}_version or {side}_files, not both nor neither."));
            }
            else if (version.Length > 0 && !Version().IsMatch(version))
            {
                violations.Add(Violation($"{side}_version", "must be a rule set version: 16 hexadecimal digits."));
            }
        }

        ThrowIfAny(violations);
    }

    /// <summary>A version or files, not both nor neither.</summary>
    public static void Validate(ActivateRuleSetRequest request)
    {
        if ((request.Version.Length > 0) == (request.Files.Count > 0))
        {
            ThrowIfAny([Violation("version", "give either version (a stored rule set) or files, not both nor neither.")]);
        }

        if (request.Version.Length > 0)
        {
            ValidateVersion("version", request.Version);
        }
    }

    /// <summary>An opaque position in the listing of rule sets.</summary>
    public static string PageToken((DateTimeOffset StoredAt, string Version) position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{position.StoredAt.UtcTicks}:{position.Version}"));

    private static AuditFilter Filter(string team, string auditorId, Timestamp? from, Timestamp? to, (string Field, int Value, int Default, int Max) limit)
    {
        var violations = new List<FieldViolation>();
        if (limit.Value < 0 || limit.Value > limit.Max)
        {
            violations.Add(Violation(limit.Field, $"must be from 0 (the default, {limit.Default:N0}) to {limit.Max:N0}."));
        }

        CheckInstant(violations, "graded_from", from);
        CheckInstant(violations, "graded_to", to);
        foreach (var (field, value) in new[] { ("team", team), ("auditor_id", auditorId) })
        {
            if (value.Length > 200 || value.Contains('\0', StringComparison.Ordinal))
            {
                violations.Add(Violation(field, "must be at most 200 characters, without the NUL character."));
            }
        }

        ThrowIfAny(violations);
        return new AuditFilter(team, auditorId, from?.ToDateTimeOffset(), to?.ToDateTimeOffset());
    }

    private static bool TryDecode(string token, out (DateTimeOffset, string)? position)
    {
        position = null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text[..colon], out var ticks) && ticks is > 0 and < 3155378975999999999 && Version().IsMatch(text[(colon + 1)..]))
            {
                position = (new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        return position is not null;
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Version();
}
