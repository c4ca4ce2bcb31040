using System.Threading.RateLimiting;
using CroydonAudit.Api.Infrastructure.Grpc;
using CroydonAudit.Api.Infrastructure.Rest;
using CroydonAudit.Api.Pages.Support;
using CroydonAudit.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace CroydonAudit.Api.Security;

/// <summary>Wires who may call: JWT bearer tokens (a provider's, or local mode's), a policy per method, a rate limit per caller.</summary>
public static partial class SecurityExtensions
{
    /// <summary>Adds authentication, the policies and the rate limiter.</summary>
    public static WebApplicationBuilder AddCallerSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.PermitsPerSecond > 0 && o.Burst > 0, "RateLimit: PermitsPerSecond and Burst must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ValidatedTokens>();
        builder.Services.AddSingleton<SignInTokens>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer()
            .AddProviderSignIn(builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions());
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IHostEnvironment, ValidatedTokens>((jwt, auth, environment, tokens) =>
            {
                Configure(jwt, auth.Value, environment);
                RememberValidatedTokens(jwt, tokens);
            });
        builder.Services.AddAuthorizationBuilder().AddCallerPolicies();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(Caller.RateLimitPartitionOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = (rejected, _) =>
            {
                RefusalsOf(rejected.HttpContext).Refused(rejected.HttpContext, CallRefusals.RateLimited);
                var after = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var given) ? given : TimeSpan.FromSeconds(1);
                return new ValueTask(GrpcStatus.RetryLaterAsync(rejected.HttpContext, $"Too many calls from this caller; retry after {after.TotalSeconds:0.#} s.", after));
            };
        });
        return builder;
    }

    /// <summary>
    /// Whether the identity configuration may run here (<see cref="AuthOptions.StartProblem"/>): local mode only when
    /// asked for and never in Production; a provider with its audience. False after saying why.
    /// </summary>
    public static bool IdentityMayRun(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.StartProblem(app.Environment, app.Services.GetRequiredService<TimeProvider>().GetUtcNow()) is not { } problem)
        {
            return true;
        }

        LogCannotStart(app.Logger, problem);
        return false;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, IHostEnvironment environment)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
        jwt.TokenValidationParameters.NameClaimType = ClaimNames.Name;
        jwt.TokenValidationParameters.ClockSkew = auth.ClockSkew;
        if (!auth.IsLocal)
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            jwt.RefreshInterval = auth.KeysRefreshInterval;
            return;
        }

        jwt.TokenValidationParameters.IssuerSigningKey = LocalSigningKey.LoadOrCreate(Path.GetFullPath(auth.LocalSigningKeyPath, environment.ContentRootPath));
        jwt.TokenValidationParameters.ValidIssuer = LocalTokens.Issuer;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience ?? LocalTokens.Audience;
    }

    // A token validated in the last minute is not read and checked again (see ValidatedTokens).
    private static void RememberValidatedTokens(JwtBearerOptions jwt, ValidatedTokens tokens) => jwt.Events = new JwtBearerEvents
    {
        OnMessageReceived = async context =>
        {
            var http = context.HttpContext;
            if (http.Request.Headers.Authorization is not [_] && PageSession.IsPage(http))
            {
                try
                {
                    context.Token = await http.RequestServices.GetRequiredService<PageSession>().FindAsync(http);
                }
                catch (CroydonAudit.Store.AuditStoreUnavailableException)
                {
                    // Sessions cannot be looked up: the browser is sent to sign in, which says the database is away.
                }
            }

            if (Bearer(http) is { } sent && tokens.TryGet(sent.Header, out var caller))
            {
                context.Principal = caller;
                context.Success();
            }
        },
        OnTokenValidated = context =>
        {
            if (context.Principal is { } principal && TokenShape.Problem(principal, context.SecurityToken) is { } problem)
            {
                context.Fail(new SecurityTokenIllMadeException(problem));
                return Task.CompletedTask;
            }

            if (Bearer(context.HttpContext) is { } sent && context.Principal is { } caller)
            {
                tokens.Remember(sent.Header, caller, new DateTimeOffset(context.SecurityToken.ValidTo, TimeSpan.Zero));
            }

            return Task.CompletedTask;
        },

        // CallRefusals as every other error: to a gRPC caller a gRPC status (a bare HTTP 401 or 403 reaches its code
        // as "Bad gRPC response"), to a REST/JSON caller a google.rpc.Status in JSON.
        OnChallenge = context =>
        {
            // A browser that has not signed in yet is not refused anything: it is sent to sign in.
            if (context.AuthenticateFailure is not null || !PageSession.IsPage(context.HttpContext))
            {
                RefusalsOf(context.HttpContext).Refused(context.HttpContext, CallRefusals.ReasonOf(context.AuthenticateFailure));
            }

            if (RestJson.IsGrpc(context.HttpContext))
            {
                context.HandleResponse();
                return GrpcRefusal(context.HttpContext, Grpc.Core.StatusCode.Unauthenticated, Unauthenticated(context.AuthenticateFailure, "authorization"));
            }

            // A page: to sign in, and back (saying so when a kept token was refused).
            if (PageSession.IsPage(context.HttpContext))
            {
                context.HandleResponse();
                context.Response.Redirect(ContractErrors.SignInLink(context.HttpContext, refused: PageSession.SentSession(context.HttpContext)));
                return Task.CompletedTask;
            }

            context.HandleResponse();
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return RestJson.WriteStatusAsync(context.HttpContext, StatusCodes.Status401Unauthorized, new Google.Rpc.Status
            {
                Code = (int)Google.Rpc.Code.Unauthenticated,
                Message = Unauthenticated(context.AuthenticateFailure, "Authorization"),
            });
        },
        OnForbidden = context =>
        {
            RefusalsOf(context.HttpContext).Refused(context.HttpContext, CallRefusals.Role);
            return Forbidden(context.HttpContext);
        },
    };

    private static CallRefusals RefusalsOf(HttpContext context) => context.RequestServices.GetRequiredService<CallRefusals>();

    // A page's refusal is a page (the problem page, by its status): no body here.
    private static Task Forbidden(HttpContext context) => PageSession.IsPage(context)
        ? Task.CompletedTask
        : RestJson.IsGrpc(context)
        ? GrpcRefusal(context, Grpc.Core.StatusCode.PermissionDenied, ForbiddenMessage)
        : RestJson.WriteStatusAsync(context, StatusCodes.Status403Forbidden, new Google.Rpc.Status
        {
            Code = (int)Google.Rpc.Code.PermissionDenied,
            Message = ForbiddenMessage,
        });

    // Why a call is unauthenticated, in words: no token, an ill-made one (saying what is wrong), or one refused.
    private static string Unauthenticated(Exception? failure, string header) => failure switch
    {
        null => $"This call needs a bearer token ({header}: Bearer TOKEN) from the council's identity provider.",
        SecurityTokenIllMadeException illMade => $"The bearer token was refused: {illMade.Message}.",
        _ => "The bearer token was refused: it is expired, not signed by the identity provider, or for another audience.",
    };

    private const string ForbiddenMessage = "The token's roles do not allow this call.";

    private static Task GrpcRefusal(HttpContext context, Grpc.Core.StatusCode code, string message) =>
        GrpcStatus.WriteTrailersOnlyAsync(context, new Google.Rpc.Status { Code = (int)code, Message = message });

    // The caller's token as an Authorization header: the header sent, or the token of a page's browser's session
    // (PageSession), which nothing but a page reads.
    private static (string Header, bool FromSession)? Bearer(HttpContext context) =>
        context.Request.Headers.Authorization is [{ } sent] ? (sent, false)
        : PageSession.Token(context) is { } kept ? ($"Bearer {kept}", true)
        : null;

    [LoggerMessage(Level = LogLevel.Critical, Message = "The service cannot start: {Problem}")]
    private static partial void LogCannotStart(ILogger logger, string problem);
}
