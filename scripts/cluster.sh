#!/usr/bin/env bash
# scripts/cluster.sh up N | down | status
# A MarketSim cluster on this machine: one redis-server (membership and checkpoints) and N silos on loopback.
#   silo i (1..N): silo port 11110+i, gateway 29999+i, metrics 9463+i, dashboard 8079+i  (i=1: 11111, 30000, 9464, 8080)
# State (pid files, logs, Redis data) lives in .cluster/ (CLUSTER_DIR to change). REDIS_PORT (default 6379) and
# CLUSTER_ID (default marketsim) can be set. `down` stops exactly the processes `up` started (pid files).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
state="${CLUSTER_DIR:-$root/.cluster}"
redis_port="${REDIS_PORT:-6379}"
cluster_id="${CLUSTER_ID:-marketsim}"
redis="127.0.0.1:$redis_port"

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
        redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --appendonly yes --save "" \
            --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log"
        for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
        echo "redis $redis (data in $state/redis)"
    fi
    for i in $(seq 1 "$n"); do
        local pidf="$state/silo$i.pid"
        if alive "$pidf"; then echo "silo $i already running (pid $(cat "$pidf"))"; continue; fi
        nohup dotnet "$root/.artifacts/cli/marketsim.dll" silo --redis "$redis" --cluster-id "$cluster_id" \
            --silo-port $((11110 + i)) --gateway-port $((29999 + i)) --metrics-port $((9463 + i)) --dashboard-port $((8079 + i)) \
            ${SILO_ARGS:-} >"$state/silo$i.log" 2>&1 &
        echo $! >"$pidf"
    done
    echo "waiting for $n silos to join cluster $cluster_id ..."
    local deadline=$((SECONDS + 90)) active=0
    while ((SECONDS < deadline)); do
        active=$(dotnet "$root/.artifacts/cli/marketsim.dll" cluster status --redis "$redis" --cluster-id "$cluster_id" --redis-timeout 5 ${CLIENT_ARGS:-} 2>/dev/null \
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
        echo "  silo $i (pid $(cat "$state/silo$i.pid")): gateway 127.0.0.1:$((29999 + i))  metrics http://127.0.0.1:$((9463 + i))/metrics  dashboard http://127.0.0.1:$((8079 + i))/"
    done
    echo "run on it:  ./marketsim run config/scenarios/baseline.yaml --redis $redis$([[ $cluster_id != marketsim ]] && echo " --cluster-id $cluster_id")"
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
        redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill -TERM "$(cat "$state/redis.pid")"
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
    alive "$state/redis.pid" && dotnet "$root/.artifacts/cli/marketsim.dll" cluster status --redis "$redis" --cluster-id "$cluster_id" --redis-timeout 5 ${CLIENT_ARGS:-} || true
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    down) down ;;
    status) status ;;
    *) echo "usage: scripts/cluster.sh up N | down | status" >&2; exit 2 ;;
esac
