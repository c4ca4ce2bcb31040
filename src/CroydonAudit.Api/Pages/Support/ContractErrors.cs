using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CroydonAudit.Api.Pages.Support;

/// <summary>
/// A contract call that a page could not complete shows as a page: not signed in (or an expired token) goes to
/// sign-in; anything else becomes its HTTP status, which the problem page explains in the service's own words.
/// </summary>
public sealed class ContractErrors : IAsyncPageFilter
{
    /// <inheritdoc />
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not RpcException error || executed.ExceptionHandled)
        {
            return;
        }

        executed.ExceptionHandled = true;
        if (error.StatusCode == StatusCode.Unauthenticated)
        {
            executed.Result = new LocalRedirectResult(SignInLink(context.HttpContext, refused: true));
            return;
        }

        context.HttpContext.Items[typeof(RpcException)] = error;
        executed.Result = new StatusCodeResult(error.StatusCode switch
        {
            StatusCode.NotFound => StatusCodes.Status404NotFound,
            StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
            StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status503ServiceUnavailable,
        });
    }

    /// <summary>The sign-in page, coming back to this page afterwards.</summary>
    public static string SignInLink(HttpContext context, bool refused) =>
        $"{PageSession.SignInPath}?returnUrl={Uri.EscapeDataString($"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}")}{(refused ? "&refused=true" : "")}";
}
