# syntax=docker/dockerfile:1
# MarketSim silo image: `docker compose up` runs three of these (docker-compose.yml).
# Base images pinned by the digest of their multi-arch 10.0 tags; refresh: docker buildx imagetools inspect mcr.microsoft.com/dotnet/sdk:10.0 (and aspnet:10.0)
# Build stage: publish the command-line program (src/MarketSim.Cli, assembly marketsim.dll).
FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
# Project files first, so that the package restore is cached until a project's references change.
COPY src/MarketSim.Model/MarketSim.Model.csproj src/MarketSim.Model/
COPY src/MarketSim.Contracts/MarketSim.Contracts.csproj src/MarketSim.Contracts/
COPY src/MarketSim.Grains/MarketSim.Grains.csproj src/MarketSim.Grains/
COPY src/MarketSim.Client/MarketSim.Client.csproj src/MarketSim.Client/
COPY src/MarketSim.Silo/MarketSim.Silo.csproj src/MarketSim.Silo/
COPY src/MarketSim.Cli/MarketSim.Cli.csproj src/MarketSim.Cli/
RUN dotnet restore src/MarketSim.Cli/MarketSim.Cli.csproj
COPY src/ src/
COPY config/ config/
RUN dotnet publish src/MarketSim.Cli/MarketSim.Cli.csproj -c Release --no-restore -o /app
# The shipped scenarios, so that `docker compose exec silo1 dotnet marketsim.dll run config/scenarios/...` works.
RUN mkdir -p /app/config && if [ -d config/scenarios ]; then cp -r config/scenarios /app/config/; fi

# Runtime stage: ASP.NET Core runtime (the Orleans Dashboard is an ASP.NET Core app), non-root user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:1fa23fc4872d95fd71c2833ebe65d7e84a43b2d51a31d119516852f13d9505a7 AS runtime
WORKDIR /app
COPY --from=build /app .
USER app
# 11111 silo-to-silo, 30000 client gateway, 9464 Prometheus metrics, 8080 Orleans Dashboard.
EXPOSE 11111 30000 9464 8080
ENTRYPOINT ["dotnet", "marketsim.dll"]
CMD ["silo", "--redis", "redis:6379", "--silo-port", "11111", "--gateway-port", "30000", "--metrics-port", "9464", "--address", "0.0.0.0"]
