using Xunit;

namespace PodManager.Engine.Tests;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi", "abc.def-ghi")]
    [InlineData("token: s3cr3t-value", "s3cr3t-value")]
    [InlineData("{\"token\":\"s3cr3t\"}", "s3cr3t")]
    [InlineData("client-key-data: LS0tLS1CRUdJTi", "LS0tLS1CRUdJTi")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", "MIIE")]
    public void SecretsAreMasked(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text);
        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(SecretRedactor.Mask, redacted);
    }

    [Fact]
    public void OrdinaryTextIsUntouched() =>
        Assert.Equal("pods \"web\" not found", SecretRedactor.Redact("pods \"web\" not found"));
}
