using CroydonAudit.Grading.Text;

namespace CroydonAudit.Grading.Tests;

public sealed class BlandTextPolicyTests
{
    private static readonly BlandTextPolicy Policy = new(["good work", "nothing to add", "ok"], minimumWords: 3);

    [Theory]
    [InlineData("", 0)]
    [InlineData("   \n\t", 0)]
    [InlineData("well-done", 2)]
    [InlineData("The adult's GP (Dr. 2) was called", 8)]
    [InlineData("Évaluation réalisée à domicile", 4)]
    [InlineData("Her daughter 𞤀𞤥𞤭𞤲𞤢𞤼𞤢 was consulted.", 5)]
    [InlineData("𠀀𠀁 and 𪜀", 3)]
    public void CountWords_CountsRunsOfLettersOrDigits(string text, int words) =>
        Assert.Equal(words, TextMeasure.CountWords(text));

    [Theory]
    [InlineData("Good work", true)]
    [InlineData("  GOOD   work!! ", true)]
    [InlineData("Nothing-to-add.", true)]
    [InlineData("Two words", true)]
    [InlineData("Good work with the family", false)]
    [InlineData("The review happened late", false)]
    public void Measure_PhraseOrTooFewWords_IsBland(string text, bool bland) =>
        Assert.Equal(bland, Policy.Measure(text).IsBland);

    [Fact]
    public void Measure_ListedPhraseAtOrAboveTheMinimum_IsStillBland()
    {
        var policy = new BlandTextPolicy(["nothing to add at all"], minimumWords: 2);

        Assert.True(policy.Measure("Nothing to add, at all.").IsBland);
        Assert.False(policy.Measure("Nothing to add here.").IsBland);
    }

    [Fact]
    public void Measure_NameInASupplementaryPlaneScript_CountsAsAWordAndIsNotBland()
    {
        var policy = new BlandTextPolicy(["fine"], minimumWords: 5);

        var measure = policy.Measure("Her daughter 𞤀𞤥𞤭𞤲𞤢𞤼𞤢 was consulted.");

        Assert.Equal((5, false), (measure.Words, measure.IsBland));
        Assert.Equal(["Her", "daughter", "𞤀𞤥𞤭𞤲𞤢𞤼𞤢", "was", "consulted"], TextMeasure.SplitWords("Her daughter 𞤀𞤥𞤭𞤲𞤢𞤼𞤢 was consulted."));
    }

    [Fact]
    public void Measure_WhiteSpace_IsEmpty()
    {
        var measure = Policy.Measure(" \r\n ");

        Assert.True(measure.IsEmpty);
        Assert.Equal(0, measure.Words);
    }
}
