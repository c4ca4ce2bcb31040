namespace CroydonAudit.Grading.Text;

/// <summary>
/// A condition in words, before it is written out: clauses joined by "and" and "or", each with its negation, so that
/// "not" is said where it belongs ("no area has a significant concern") rather than in front of the whole.
/// </summary>
internal abstract record ConditionPhrase
{
    /// <summary>The phrase's opposite: a clause's negation, and "and" and "or" swapped over the negated parts.</summary>
    public abstract ConditionPhrase Not();

    /// <summary>The phrase written out; <paramref name="insideAll"/> says what it is a part of (and, or, nothing).</summary>
    public abstract string Write(bool? insideAll = null);

    /// <summary>"A", "A and B", "A, B and C", with a comma before the last when a part has commas or joins of its own.</summary>
    public static string List(IReadOnlyList<string> parts, string conjunction)
    {
        var busy = parts.Count > 2 && parts.Any(p => p.Contains(',', StringComparison.Ordinal) || p.Contains(" and ", StringComparison.Ordinal) || p.Contains(" or ", StringComparison.Ordinal));
        return busy ? string.Join(", ", parts.Take(parts.Count - 1)) + $", {conjunction} " + parts[^1] : Words.List(parts, conjunction);
    }
}

/// <summary>One clause and its negation; <paramref name="Subject"/> and <paramref name="Value"/> are set for "X is V", which may be merged ("X is V or W").</summary>
internal sealed record Clause(string Yes, string No, string? Subject = null, string? Value = null, bool Positive = true) : ConditionPhrase
{
    /// <summary>"X is V", and "X is not V".</summary>
    public static Clause Is(string subject, string value) => new($"{subject} is {value}", $"{subject} is not {value}", subject, value);

    /// <inheritdoc />
    public override ConditionPhrase Not() => this with { Yes = No, No = Yes, Positive = !Positive };

    /// <inheritdoc />
    public override string Write(bool? insideAll = null) => Yes;
}

/// <summary>Parts that must all hold (<paramref name="All"/>) or any of which may.</summary>
internal sealed record Joined(bool All, IReadOnlyList<ConditionPhrase> Parts) : ConditionPhrase
{
    /// <inheritdoc />
    public override ConditionPhrase Not() => new Joined(!All, [.. Parts.Select(p => p.Not())]);

    /// <inheritdoc />
    public override string Write(bool? insideAll = null)
    {
        var parts = Merged(Flat()).Select(p => p.Write(All)).ToList();
        var text = List(parts, All ? "and" : "or");
        if (insideAll is not { } outer || outer == All || parts.Count < 2)
        {
            return text;
        }

        // An "or" inside an "and" (or the other way round) is marked, as brackets would be.
        return All ? (parts.Count == 2 ? "both " : "all of ") + text : "either " + text;
    }

    // Parts of parts joined the same way are parts of this.
    private IEnumerable<ConditionPhrase> Flat() =>
        Parts.SelectMany(p => p is Joined inner && inner.All == All ? inner.Flat() : [p]);

    // "X is V or X is W" is "X is V or W"; "X is not V and X is not W" is "X is neither V nor W".
    private IEnumerable<ConditionPhrase> Merged(IEnumerable<ConditionPhrase> parts)
    {
        var pending = new List<Clause>();
        foreach (var part in parts)
        {
            if (part is Clause { Subject: { } subject, Value: not null } clause && clause.Positive != All
                && (pending.Count == 0 || pending[0].Subject == subject))
            {
                pending.Add(clause);
                continue;
            }

            foreach (var done in Flush(pending))
            {
                yield return done;
            }

            if (part is Clause { Subject: not null, Value: not null } next && next.Positive != All)
            {
                pending.Add(next);
            }
            else
            {
                yield return part;
            }
        }

        foreach (var done in Flush(pending))
        {
            yield return done;
        }
    }

    private IEnumerable<ConditionPhrase> Flush(List<Clause> pending)
    {
        if (pending.Count == 1)
        {
            yield return pending[0];
        }
        else if (pending.Count > 1)
        {
            var values = pending.Select(c => c.Value!).ToList();
            var subject = pending[0].Subject;
            yield return All
                ? new Clause(values.Count == 2 ? $"{subject} is neither {values[0]} nor {values[1]}" : $"{subject} is none of {List(values, "and")}", "")
                : new Clause($"{subject} is {List(values, "or")}", "");
        }

        pending.Clear();
    }
}

/// <summary>The thing a condition on each item of a list is about, written in its place once the quantifier is known.</summary>
internal static class ItemSubject
{
    /// <summary>A placeholder for the item of the list with this number, where the words will say "any area" or "it".</summary>
    public static string Marker(int number) => $"\u0001{number}\u0002";

    /// <summary>Whether a text still holds a placeholder: it was not put in words.</summary>
    public static bool HasMarker(string text) => text.Contains('\u0001', StringComparison.Ordinal);

    /// <summary>
    /// The text with the item named: <paramref name="first"/> where it is first mentioned ("any area has a significant
    /// concern"), then "it" ("and its evidence is not written", or "and is graded"); null when the text never mentions it.
    /// </summary>
    public static string? Name(string text, string marker, string first)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var after = at + marker.Length;
        var possessive = text.AsSpan(after).StartsWith("'s", StringComparison.Ordinal);
        var rest = text[after..];
        if (!possessive)
        {
            // "any area is graded and it is listed" is "any area is graded and is listed".
            rest = rest.Replace($" and {marker} ", " and ", StringComparison.Ordinal).Replace($" or {marker} ", " or ", StringComparison.Ordinal);
        }

        rest = rest.Replace(marker + "'s", "its", StringComparison.Ordinal).Replace(marker, "it", StringComparison.Ordinal);
        return text[..at] + first + rest;
    }
}
