# syntax=docker/dockerfile:1
# CroydonAudit gRPC service. Build from the repository root: docker build -t croydon-audit .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/CroydonAudit.Grading/CroydonAudit.Grading.csproj src/CroydonAudit.Grading/
COPY src/CroydonAudit.Contracts/CroydonAudit.Contracts.csproj src/CroydonAudit.Contracts/
COPY src/CroydonAudit.Store/CroydonAudit.Store.csproj src/CroydonAudit.Store/
COPY src/CroydonAudit.Api/CroydonAudit.Api.csproj src/CroydonAudit.Api/
RUN dotnet restore src/CroydonAudit.Api/CroydonAudit.Api.csproj
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/CroydonAudit.Api/CroydonAudit.Api.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY rules/ ./rules/
# Listen on every interface inside the container; HTTP/2 cleartext comes from appsettings.json.
# The database connection comes from the environment (ConnectionStrings__Audit), never the image.
ENV ASPNETCORE_URLS=http://0.0.0.0:5000 \
    Grading__RulesPath=/app/rules
EXPOSE 5000
USER $APP_UID
ENTRYPOINT ["dotnet", "CroydonAudit.Api.dll"]
