#!/usr/bin/env bash
# Runs every MarketSim test from a fresh clone: installs the real services the integration tests use
# (Prometheus, promtool, docker-compose for validating the compose file, redis-server, headless Chromium for
# screenshots of report.html), restores NuGet packages and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: the tests need ${need[*]}; run as root or install them: apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "installing ${need[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet restore MarketSim.sln --verbosity quiet
dotnet build MarketSim.sln -c Release --no-restore --verbosity quiet -nologo
if [ $# -gt 0 ]; then
  dotnet test MarketSim.sln -c Release --no-build --verbosity quiet -nologo "$@"
else
  # The cluster and chaos tests time real silo processes (kills, restarts, lease expiries); they run after the
  # others so that the CLI tests' processes do not compete with them for the machine's cores.
  dotnet test MarketSim.sln -c Release --no-build --verbosity quiet -nologo --filter "FullyQualifiedName!~MarketSim.Cluster.Tests"
  dotnet test tests/MarketSim.Cluster.Tests -c Release --no-build --verbosity minimal -nologo   # minimal: a failure prints its message
fi
