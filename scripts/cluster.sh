#!/usr/bin/env bash
# scripts/cluster.sh up N | down | status
# A MarketSim cluster on this machine: one redis-server (membership and checkpoints) and N silos on loopback.
#   silo i (1..N): silo port 11110+i, gateway 29999+i, metrics 9463+i, dashboard 8079+i  (i=1: 11111, 30000, 9464, 8080)
# State (pid files, logs, Redis data) lives in .cluster/ (CLUSTER_DIR to change). REDIS_PORT (default 6379) and
# CLUSTER_ID (default marketsim) can be set, and the first ports with SILO_PORT_BASE, GATEWAY_PORT_BASE,
# METRICS_PORT_BASE, DASHBOARD_PORT_BASE (silo i uses BASE+i). `down` stops exactly the processes `up` started.
# Redis requires a password: REDIS_PASSWORD_FILE (default .cluster/redis.password, made on first `up` with mode 600).
# It reaches redis-server through a configuration file and the silos through --redis-password-file, never a command
# line. Redis keeps an append-only file (appendfsync everysec) in .cluster/redis, so checkpoints survive its restart.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
state="${CLUSTER_DIR:-$root/.cluster}"
redis_port="${REDIS_PORT:-6379}"
cluster_id="${CLUSTER_ID:-marketsim}"
redis="127.0.0.1:$redis_port"
password_file="${REDIS_PASSWORD_FILE:-$state/redis.password}"
silo_base="${SILO_PORT_BASE:-11110}"
gateway_base="${GATEWAY_PORT_BASE:-29999}"
metrics_base="${METRICS_PORT_BASE:-9463}"
dashboard_base="${DASHBOARD_PORT_BASE:-8079}"
auth=(--redis-password-file "$password_file")

# redis-cli with the password in its environment (REDISCLI_AUTH), not in its arguments.
rcli() { REDISCLI_AUTH="$(cat "$password_file")" redis-cli -p "$redis_port" "$@"; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

up() {
    local n="${1:-3}"
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "cluster.sh: up N needs a number of silos, not '$n'" >&2; exit 2; }
    command -v redis-server >/dev/null || { echo "cluster.sh: redis-server not found (fix: apt-get install -y redis-server)" >&2; exit 1; }
    mkdir -p "$state/redis"
    "$root/marketsim" --help >/dev/null            # build the CLI once, before N silos start at the same time
    if alive "$state/redis.pid"; then
        echo "redis already running (pid $(cat "$state/redis.pid"))"
    else
        if (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null; then
            echo "cluster.sh: port $redis_port is taken by another process (fix: REDIS_PORT=6390 scripts/cluster.sh up $n)" >&2; exit 1
        fi
        if [[ ! -s "$password_file" ]]; then
            (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$password_file")
            echo "made a Redis password in $password_file"
        fi
        # The configuration (with the password) in a file only this user reads; redis-server's command line has none.
        (umask 077 && printf 'port %s\nbind 127.0.0.1\ndir "%s"\nappendonly yes\nappendfsync everysec\nsave ""\ndaemonize yes\npidfile "%s"\nlogfile "%s"\nrequirepass "%s"\n' \
            "$redis_port" "$state/redis" "$state/redis.pid" "$state/redis.log" "$(cat "$password_file")" >"$state/redis.conf")
        redis-server "$state/redis.conf"
        for _ in $(seq 50); do [[ "$(rcli ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
        echo "redis $redis (data in $state/redis, password in $password_file)"
    fi
    for i in $(seq 1 "$n"); do
        local pidf="$state/silo$i.pid"
        if alive "$pidf"; then echo "silo $i already running (pid $(cat "$pidf"))"; continue; fi
        nohup dotnet "$root/.artifacts/cli/marketsim.dll" silo --redis "$redis" --cluster-id "$cluster_id" "${auth[@]}" \
            --silo-port $((silo_base + i)) --gateway-port $((gateway_base + i)) --metrics-port $((metrics_base + i)) --dashboard-port $((dashboard_base + i)) \
            ${SILO_ARGS:-} >"$state/silo$i.log" 2>&1 &
        echo $! >"$pidf"
    done
    echo "waiting for $n silos to join cluster $cluster_id ..."
    local deadline=$((SECONDS + 90)) active=0
    while ((SECONDS < deadline)); do
        active=$(dotnet "$root/.artifacts/cli/marketsim.dll" cluster status --redis "$redis" --cluster-id "$cluster_id" "${auth[@]}" --redis-timeout 5 ${CLIENT_ARGS:-} 2>/dev/null \
            | grep -c ' Active$' || true)
        ((active >= n)) && break
        for i in $(seq 1 "$n"); do
            alive "$state/silo$i.pid" || { echo "cluster.sh: silo $i exited; its log:" >&2; tail -5 "$state/silo$i.log" >&2; exit 1; }
        done
        sleep 1
    done
    ((active >= n)) || { echo "cluster.sh: only $active of $n silos active after 90 s; logs in $state" >&2; exit 1; }
    echo "cluster $cluster_id: $n silos active"
    for i in $(seq 1 "$n"); do
        echo "  silo $i (pid $(cat "$state/silo$i.pid")): gateway 127.0.0.1:$((gateway_base + i))  metrics http://127.0.0.1:$((metrics_base + i))/metrics  dashboard http://127.0.0.1:$((dashboard_base + i))/"
    done
    echo "run on it:  ./marketsim run config/scenarios/baseline.yaml --redis $redis --redis-password-file $password_file$([[ $cluster_id != marketsim ]] && echo " --cluster-id $cluster_id")"
}

down() {
    local stopped=0
    for pidf in "$state"/silo*.pid; do
        [[ -f "$pidf" ]] || continue
        if alive "$pidf"; then kill -TERM "$(cat "$pidf")" && stopped=$((stopped + 1)); fi
    done
    for pidf in "$state"/silo*.pid; do
        [[ -f "$pidf" ]] || continue
        for _ in $(seq 100); do alive "$pidf" || break; sleep 0.2; done
        alive "$pidf" && kill -KILL "$(cat "$pidf")"
        rm -f "$pidf"
    done
    if alive "$state/redis.pid"; then
        # SHUTDOWN without NOSAVE: the append-only file is flushed, so the checkpoints are there after the next `up`.
        rcli shutdown >/dev/null 2>&1 || kill -TERM "$(cat "$state/redis.pid")"
        for _ in $(seq 50); do alive "$state/redis.pid" || break; sleep 0.1; done
        echo "stopped redis"
    fi
    rm -f "$state/redis.pid"
    echo "stopped $stopped silo(s)"
}

status() {
    if alive "$state/redis.pid"; then echo "redis $redis: running (pid $(cat "$state/redis.pid"))"; else echo "redis: not running"; fi
    for pidf in "$state"/silo*.pid; do
        [[ -f "$pidf" ]] || continue
        local name; name="$(basename "$pidf" .pid)"
        if alive "$pidf"; then echo "$name: running (pid $(cat "$pidf"))"; else echo "$name: not running (see $state/$name.log)"; fi
    done
    alive "$state/redis.pid" && dotnet "$root/.artifacts/cli/marketsim.dll" cluster status --redis "$redis" --cluster-id "$cluster_id" "${auth[@]}" --redis-timeout 5 ${CLIENT_ARGS:-} || true
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    down) down ;;
    status) status ;;
    *) echo "usage: scripts/cluster.sh up N | down | status" >&2; exit 2 ;;
esac
