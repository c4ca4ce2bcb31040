using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A date field whose text is not a date (which never reaches the service: the page cannot send it) is said so against
/// the field, never silently ignored.
/// </summary>
public static class FormDates
{
    /// <summary>Adds a problem to <paramref name="problems"/> for each of <paramref name="fields"/> (id, words) that is not a date.</summary>
    public static void Unreadable(ModelStateDictionary state, Dictionary<string, string> problems, params (string Field, string Words)[] fields)
    {
        foreach (var (field, words) in fields)
        {
            if (state.TryGetValue(field, out var entry) && entry.Errors.Count > 0)
            {
                problems[field] = $"{words} must be a real date, like 2026-04-01.";
            }
        }
    }
}
