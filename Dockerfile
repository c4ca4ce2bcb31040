# syntax=docker/dockerfile:1
# CroydonAudit gRPC service, with its command line (rules check|propose|approve|activate|…) beside it.
# Build from the repository root: docker build -t croydon-audit .
# GOV.UK Frontend for the pages, installed from the lock file in a Node stage of its own: the .NET SDK image has no
# npm, and the service's build copies the installed package's files instead of fetching it.
FROM node:20-bookworm-slim AS frontend
WORKDIR /frontend
COPY src/CroydonAudit.Api/Frontend/package.json src/CroydonAudit.Api/Frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/CroydonAudit.Grading/CroydonAudit.Grading.csproj src/CroydonAudit.Grading/
COPY src/CroydonAudit.Contracts/CroydonAudit.Contracts.csproj src/CroydonAudit.Contracts/
COPY src/CroydonAudit.Store/CroydonAudit.Store.csproj src/CroydonAudit.Store/
COPY src/CroydonAudit.Store.Contracts/CroydonAudit.Store.Contracts.csproj src/CroydonAudit.Store.Contracts/
COPY src/CroydonAudit.RuleSets/CroydonAudit.RuleSets.csproj src/CroydonAudit.RuleSets/
COPY src/CroydonAudit.Identity/CroydonAudit.Identity.csproj src/CroydonAudit.Identity/
COPY src/CroydonAudit.Api/CroydonAudit.Api.csproj src/CroydonAudit.Api/
COPY src/CroydonAudit.Cli/CroydonAudit.Cli.csproj src/CroydonAudit.Cli/
RUN dotnet restore src/CroydonAudit.Api/CroydonAudit.Api.csproj \
 && dotnet restore src/CroydonAudit.Cli/CroydonAudit.Cli.csproj
COPY protos/ protos/
# The rule-file JSON Schemas in rules/schema/ are built into the rules check.
COPY rules/ rules/
COPY src/ src/
COPY --from=frontend /frontend/node_modules src/CroydonAudit.Api/Frontend/node_modules
RUN dotnet publish src/CroydonAudit.Api/CroydonAudit.Api.csproj --configuration Release --no-restore --output /app \
 && dotnet publish src/CroydonAudit.Cli/CroydonAudit.Cli.csproj --configuration Release --no-restore --output /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The rules with their worked cases: the service checks them (cases included) before it grades by them.
COPY rules/ ./rules/
# Listen on every interface inside the container: gRPC in plain HTTP/2 on 5000 (from appsettings.json), and the
# HTTP/1.1 endpoint (the pages, REST/JSON, the OpenAPI document, Prometheus' /metrics) on 5001. Plain is for a service
# mesh, whose sidecar terminates TLS (and mutual TLS) beside the container. Without a mesh, serve TLS from a
# mounted certificate instead (README, "TLS"):
#   Kestrel__Endpoints__Grpc__Url=https://0.0.0.0:5443
#   Kestrel__Endpoints__Grpc__Certificate__Path=/certs/tls.crt  Kestrel__Endpoints__Grpc__Certificate__KeyPath=/certs/tls.key
# The image runs as Production: it refuses to start until its identity provider is configured
# (Auth__Authority, Auth__Audience); local mode's self-signed tokens never run here.
# The database connection comes from the environment (ConnectionStrings__Audit), never the image.
# Probes: grpc.health.v1 on 5000, service "liveness" (the process answers) and "croydon.audit.v1.GradingService"
# (ready: rules loaded, store reachable); deploy/kubernetes/ has both.
# The command line, in a running container: dotnet /app/cli/croydon-audit.dll rules check /app/rules
ENV ASPNETCORE_URLS=http://0.0.0.0:5000 \
    Pages__Url=http://0.0.0.0:5001 \
    Grading__RulesPath=/app/rules
EXPOSE 5000 5001
USER $APP_UID
ENTRYPOINT ["dotnet", "CroydonAudit.Api.dll"]
