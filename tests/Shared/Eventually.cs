namespace CroydonAudit.Testing;

/// <summary>Waits for something that happens in the background (a folder edit taken up, a replica following).</summary>
public static class Eventually
{
    /// <summary>True as soon as the condition holds; false if it still does not after the timeout.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}
