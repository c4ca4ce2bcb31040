namespace CroydonAudit.FunctionalTests.Infrastructure;

public static class AlsoExtensions
{
    /// <summary>Changes a message in place and returns it, for building test audits in one expression.</summary>
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
