using System.Text;
using CroydonAudit.Grading.Rules;
using CroydonAudit.RuleSets.Checking;
using CroydonAudit.RuleSets.Diffing;
using CroydonAudit.RuleSets.Impact;
using CroydonAudit.RuleSets.WorkedCases;
using CroydonAudit.Store;
using CroydonAudit.Store.RuleSets;
using Google.Protobuf.WellKnownTypes;
using V1 = Croydon.Audit.V1;

namespace CroydonAudit.Api.Mapping;

/// <summary>The rules lifecycle's results as the contract's RuleSetService messages.</summary>
public static class RuleSetMapping
{
    /// <summary>An activation.</summary>
    public static V1.RuleSetActivation ToContract(this RuleSetActivation activation) => new()
    {
        Version = activation.Version,
        Label = activation.Label,
        ActivatedAt = Timestamp.FromDateTimeOffset(activation.ActivatedAt),
        ActivatedBy = activation.ActivatedBy,
        Source = activation.Source.ToContract(),
    };

    /// <summary>A stored version and its history.</summary>
    public static V1.RuleSetInfo ToContract(this StoredRuleSet ruleSet, string? activeVersion) => new()
    {
        Version = ruleSet.Version,
        Label = ruleSet.Label,
        Description = ruleSet.Description,
        StoredAt = Timestamp.FromDateTimeOffset(ruleSet.StoredAt),
        Activations = { ruleSet.Activations.Select(a => a.ToContract()) },
        Active = ruleSet.Version == activeVersion,
        History = { ruleSet.History.Select(e => new V1.RuleSetEvent { Step = (V1.RuleSetStep)e.Step, By = e.By, At = Timestamp.FromDateTimeOffset(e.At) }) },
        Approved = ruleSet.Approved,
        WorkedCases = ruleSet.WorkedCases,
    };

    /// <summary>A refused candidate.</summary>
    public static V1.RuleSetRefusal ToContract(this RuleSetRefusal refusal) => new()
    {
        Version = refusal.Version,
        Label = refusal.Label,
        RefusedAt = Timestamp.FromDateTimeOffset(refusal.RefusedAt),
        RefusedBy = refusal.RefusedBy,
        Source = refusal.Source.ToContract(),
        Reasons = { refusal.Reasons },
    };

    /// <summary>What a check found, with the report as printed.</summary>
    public static V1.RuleSetCheckReport ToContract(this RuleSetCheckReport report, string source) => new()
    {
        Passed = report.Passed,
        Version = report.Version,
        Label = report.Label,
        RuleCount = report.RuleCount,
        Problems = { report.Problems.Select(p => new V1.RuleSetProblem { File = p.File, Rule = p.Rule ?? "", Message = p.Message }) },
        WorkedCases = { report.Cases.Select(c => c.ToContract()) },
        Coverage = report.Coverage is { } coverage
            ? new V1.RuleSetCoverage { RulesNeverFired = { coverage.RulesNeverFired }, LimitsNotPinned = { coverage.LimitsNotPinned }, QuestionsNotRead = { coverage.QuestionsNotRead } }
            : null,
        Text = report.ToText(source),
    };

    /// <summary>An impact preview's figures, with the report as printed.</summary>
    public static V1.RuleSetImpactReport ToContract(this RuleSetImpact impact, AuditFilter filter) => new()
    {
        CandidateVersion = impact.CandidateVersion,
        CandidateLabel = impact.CandidateLabel,
        Compared = impact.Compared,
        Changed = impact.Changed,
        GradeChanges = { impact.GradeChanges.Select(g => new V1.GradeChange { From = (V1.Grade)g.From, To = (V1.Grade)g.To, Audits = g.Audits }) },
        CompleteToIncomplete = impact.CompleteToIncomplete,
        IncompleteToComplete = impact.IncompleteToComplete,
        ChangedAuditIds = { impact.ChangedAuditIds },
        RuleFireCounts = { impact.RuleFireCounts.Select(r => new V1.RuleFireCount { RuleId = r.RuleId, Stored = r.Stored, Candidate = r.Candidate }) },
        FailingWorkedCases = { impact.FailingWorkedCases.Select(c => c.ToContract()) },
        Text = impact.ToText("the rules sent", filter),
    };

    /// <summary>The changes between two rule sets.</summary>
    public static IEnumerable<V1.RuleChange> ToContract(this IEnumerable<RuleChange> changes) =>
        changes.Select(c => new V1.RuleChange { RuleId = c.RuleId ?? "", File = c.File, Changes = { c.Changes } });

    private static V1.WorkedCaseOutcome ToContract(this WorkedCaseResult result) => new()
    {
        File = result.File,
        Description = result.Description,
        Passed = result.Passed,
        Differences = { result.Differences },
        FiredRules = { result.Fired },
    };

    private static V1.RuleSetSource ToContract(this RuleSetSource source) => source switch
    {
        RuleSetSource.RulesFolder => V1.RuleSetSource.RulesFolder,
        RuleSetSource.Service => V1.RuleSetSource.Service,
        _ => V1.RuleSetSource.CommandLine,
    };
}
