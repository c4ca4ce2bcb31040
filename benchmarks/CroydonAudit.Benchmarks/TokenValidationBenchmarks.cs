using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CroydonAudit.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CroydonAudit.Benchmarks;

/// <summary>What checking one call's bearer token costs: a local-mode token, validated as the service's JwtBearer handler does.</summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private SymmetricSecurityKey _key = null!;
    private string _token = "";
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "local" };
        _token = LocalTokens.Create(_key, [Roles.Grader], name: "recording-system");
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidIssuer = LocalTokens.Issuer,
            ValidAudience = LocalTokens.Audience,
            RoleClaimType = ClaimNames.Roles,
            NameClaimType = ClaimNames.Name,
        };
    }

    [Benchmark]
    public async Task<bool> ValidateToken() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid
        ? true
        : throw new InvalidOperationException("The token did not validate.");
}
