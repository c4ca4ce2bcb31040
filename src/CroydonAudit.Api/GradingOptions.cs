namespace CroydonAudit.Api;

/// <summary>Configuration section "Grading".</summary>
public sealed class GradingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grading";

    /// <summary>The rules folder; a relative path is taken from the content root.</summary>
    public string RulesPath { get; set; } = "rules";
}
