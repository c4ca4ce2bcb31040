namespace CroydonAudit.Grading.Text;

/// <summary>Plain facts about a free text.</summary>
/// <param name="IsEmpty">Nothing but white space.</param>
/// <param name="Words">How many maximal runs of letters or digits it has ("well-done" is two).</param>
/// <param name="IsBland">It says nothing specific (see <see cref="BlandTextPolicy"/>).</param>
public readonly record struct TextMeasure(bool IsEmpty, int Words, bool IsBland)
{
    /// <summary>Counts maximal runs of letters or digits.</summary>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isWordChar = char.IsLetterOrDigit(c);
            if (isWordChar && !inWord)
            {
                count++;
            }

            inWord = isWordChar;
        }

        return count;
    }

    /// <summary>The maximal runs of letters or digits, in order.</summary>
    public static IEnumerable<string> SplitWords(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }
}
