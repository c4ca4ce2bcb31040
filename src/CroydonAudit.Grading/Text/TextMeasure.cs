using System.Text;

namespace CroydonAudit.Grading.Text;

/// <summary>Plain facts about a free text.</summary>
/// <param name="IsEmpty">Nothing but white space.</param>
/// <param name="Words">How many maximal runs of letters or digits it has ("well-done" is two).</param>
/// <param name="IsBland">It says nothing specific (see <see cref="BlandTextPolicy"/>).</param>
public readonly record struct TextMeasure(bool IsEmpty, int Words, bool IsBland)
{
    /// <summary>
    /// Counts maximal runs of letters or digits, by Unicode scalar value: a letter outside the Basic
    /// Multilingual Plane (Adlam, supplementary CJK) is one letter, not two halves of nothing.
    /// </summary>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var isWordChar = Rune.IsLetterOrDigit(rune);
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
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var isWordChar = Rune.IsLetterOrDigit(rune);
            if (isWordChar && start < 0)
            {
                start = position;
            }
            else if (!isWordChar && start >= 0)
            {
                yield return text[start..position];
                start = -1;
            }

            position += rune.Utf16SequenceLength;
        }

        if (start >= 0)
        {
            yield return text[start..];
        }
    }
}
