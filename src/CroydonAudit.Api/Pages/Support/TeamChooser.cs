namespace CroydonAudit.Api.Pages.Support;

/// <summary>A page's team filter (the partial _TeamChooser): the team chosen, and the teams to choose from (null: a text box).</summary>
public sealed record TeamChooser(string? Selected, IReadOnlyList<string>? Teams);
