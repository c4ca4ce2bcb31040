using CroydonAudit.Store;

namespace CroydonAudit.Store.Tests;

public sealed class AuditPageTokenTests
{
    [Theory]
    [InlineData("audit-1")]
    [InlineData("a.b:c_d-E")]
    public void Encode_ThenDecode_GivesThePositionBack(string auditId)
    {
        var position = new AuditPageToken(new DateTimeOffset(2026, 11, 26, 10, 3, 4, TimeSpan.Zero).AddTicks(1230), auditId);

        Assert.True(AuditPageToken.TryDecode(position.Encode(), out var decoded));
        Assert.Equal(position, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("AgAAAAAAAAAAYQ")]
    [InlineData("AX__________YQ")]
    public void TryDecode_SomethingElse_IsRefused(string token) =>
        Assert.False(AuditPageToken.TryDecode(token, out _));
}
