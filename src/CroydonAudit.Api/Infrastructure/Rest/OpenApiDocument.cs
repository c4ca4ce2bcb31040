using CroydonAudit.Api.Extensions;
using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;

namespace CroydonAudit.Api.Infrastructure.Rest;

/// <summary>
/// The OpenAPI document of the REST/JSON routes, generated from the contract (Microsoft.AspNetCore.Grpc.Swagger):
/// every transcoded method, its request and response shapes, and the contract's comments as descriptions. Served
/// at <see cref="ServiceEndpoints.OpenApiPath"/> without a token: it describes the contract, which is public, and
/// nothing stored.
/// </summary>
public static class OpenApiDocument
{
    private const string Bearer = "bearer";

    /// <summary>Adds the document's generator.</summary>
    public static void AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CroydonAudit",
                Version = "v1",
                Description = "Grades adult social care case file audits by Croydon's Case File Audit Grading and Analysis guidance. "
                    + "The same methods as the gRPC contract (package croydon.audit.v1), as JSON. Errors are a google.rpc.Status in JSON.",
            });
            // Each operation is named after its gRPC method, e.g. GradingService_GradeAudit, for client generators.
            options.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is { } grpc
                ? $"{grpc.Method.ServiceName[(grpc.Method.ServiceName.LastIndexOf('.') + 1)..]}_{grpc.Method.Name}"
                : null);
            var comments = Path.Combine(AppContext.BaseDirectory, "CroydonAudit.Contracts.xml");
            if (File.Exists(comments))
            {
                options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            options.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = Bearer,
                BearerFormat = "JWT",
                Description = "A token from the council's OpenID Connect provider (or ./run.sh token in local mode); its roles decide which methods it may call.",
            });
            options.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = Bearer } }] = [],
            });
        });
    }

    /// <summary>Serves the document: an endpoint, not a middleware every call would pass through.</summary>
    public static void MapOpenApiDocument(this WebApplication app) =>
        app.MapSwagger(ServiceEndpoints.OpenApiRoute).AllowAnonymous().DisableRateLimiting();
}
