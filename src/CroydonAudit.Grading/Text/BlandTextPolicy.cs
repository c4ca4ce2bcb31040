namespace CroydonAudit.Grading.Text;

/// <summary>
/// When a free text is bland: its words, lower-cased and joined by single spaces, equal a listed
/// phrase, or it has fewer than <see cref="MinimumWords"/> words. Both come from the rule set.
/// </summary>
public sealed class BlandTextPolicy
{
    private readonly HashSet<string> _phrases;
    private readonly int _longestPhraseWords;

    /// <summary>Creates the policy from the rule set's parameters.</summary>
    public BlandTextPolicy(IEnumerable<string> phrases, int minimumWords)
    {
        _phrases = new HashSet<string>(phrases.Select(Normalise), StringComparer.Ordinal);
        _longestPhraseWords = _phrases.Count == 0 ? 0 : _phrases.Max(p => TextMeasure.CountWords(p));
        MinimumWords = minimumWords;
    }

    /// <summary>A text with fewer words than this is bland.</summary>
    public int MinimumWords { get; }

    /// <summary>The bland phrases, normalised.</summary>
    public IReadOnlyCollection<string> Phrases => _phrases;

    /// <summary>Measures a text: empty, word count, bland.</summary>
    public TextMeasure Measure(string? text)
    {
        text ??= "";
        var words = TextMeasure.CountWords(text);
        var bland = words < MinimumWords
            || (words <= _longestPhraseWords && _phrases.Contains(Normalise(text)));
        return new TextMeasure(string.IsNullOrWhiteSpace(text), words, bland);
    }

    private static string Normalise(string text) =>
        string.Join(' ', TextMeasure.SplitWords(text)).ToLowerInvariant();
}
