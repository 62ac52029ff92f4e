#!/usr/bin/env bash
# scripts/chaos.sh [--short|--full] [--seed S] [--scenario F] [--run-seed N] [--ticks N] [--pace P] [--checkpoint-every K] [--keep]
# A chaos suite for runs on a Redis cluster: its own redis-server (append-only file) and 3 silos on loopback, a
# reference run (--engine reference) for the truth, then fault cases, each a fresh run id and output folder, with a
# fault chosen by --seed at a seeded moment (0-1 s after the run id is printed, at a tick, or after the last tick's
# row). Faults: SIGKILL/SIGTERM of a silo, of two silos, of the coordinator's silo; Redis stopped or killed and back
# within 20 s (the run goes on) or after the client gave up (exit 1, then resumed with --run-id); the client killed
# and resumed with --run-id; and, with silos in network namespaces, a silo cut off and healed, latency and loss.
# Killed silos are restarted, so every case starts on 3 silos. One table row a case; exit 0 only when no case ended
# with exit 0 and a wrong result (or hung, or failed without a message) and at least 95 % finished correctly. The
# stall column is the longest wait for a new tick row after the fault.
# --short: 4 cases (about 3 minutes). --full: every kind, 30+ kills. --cases K,K,...: these kinds (kill1 term1 kill2
# coord coordterm redis-stop redis-kill redis-long client net-link net-drop net-coord net-slow) at seeded moments.
# Everything it starts (processes, namespaces, the bridge, the temp folder) is removed on exit, Ctrl-C included.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
helper="$root/scripts/chaos_check.py"
dll="$root/.artifacts/cli/marketsim.dll"

mode=short cases="" seed=1 scenario="$root/config/scenarios/price-war.yaml" run_seed=11 ticks=120 pace=20 every=25 keep=0
while (($#)); do
    case "$1" in
        --short) mode=short ;;
        --full) mode=full ;;
        --cases) mode=cases cases="${2//,/ }"; shift ;;
        --seed) seed="$2"; shift ;;
        --scenario) scenario="$2"; shift ;;
        --run-seed) run_seed="$2"; shift ;;
        --ticks) ticks="$2"; shift ;;
        --pace) pace="$2"; shift ;;
        --checkpoint-every) every="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "chaos.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "chaos.sh: --seed needs a whole number, not '$seed'" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "chaos.sh: redis-server not found (fix: apt-get install -y redis-server)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "chaos.sh: python3 not found" >&2; exit 1; }
RANDOM=$seed                                     # every choice below comes from this seed

work="$(mktemp -d /tmp/marketsim-chaos.XXXXXX)"
tag="mc$$"                                       # names of our namespaces and links (at most 15 characters)
declare -a SILO_PID SILO_LOG SILO_PORT SILO_GW SILO_NS
REDIS_PID="" CLIENT_PID="" NET=0 NET_WHY="" NETS=()
phase=loop cid="chaos-$$-loop" redis_host=127.0.0.1

now_ms() { local t="${EPOCHREALTIME/./}"; echo $((t / 1000)); }
exec 3>&2                                        # the suite's own messages; bash's notices of killed jobs go to a file
log() { echo "chaos: $*" >&3; }
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

cleanup() {
    trap - EXIT INT TERM
    alive "$CLIENT_PID" && kill -KILL "$CLIENT_PID" 2>/dev/null
    for pid in "${SILO_PID[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
    if alive "$REDIS_PID"; then kill -CONT "$REDIS_PID" 2>/dev/null; kill -KILL "$REDIS_PID" 2>/dev/null; fi
    wait 2>/dev/null
    for ns in "${NETS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    for i in 1 2 3; do ip link del "${tag}h$i" 2>/dev/null; done   # a namespace may outlive its name for a moment
    ip link del "${tag}br" 2>/dev/null
    if ((keep)); then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- network namespaces (for the network cases)
net_setup() {
    local why=""
    if [[ $(id -u) -ne 0 ]]; then NET_WHY="not root (network namespaces need root)"; return; fi
    if ! command -v ip >/dev/null || ! command -v iptables >/dev/null || ! command -v tc >/dev/null; then
        log "installing iproute2 and iptables (Debian packages)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 iptables) >/dev/null 2>&1
    fi
    command -v ip >/dev/null && command -v iptables >/dev/null || { NET_WHY="no ip/iptables (apt-get install iproute2 iptables failed)"; return; }
    if ip -o addr | grep -q ' 10\.77\.0\.'; then NET_WHY="10.77.0.0/24 is in use on this machine"; return; fi
    why="$(ip link add "${tag}br" type bridge 2>&1 && ip addr add 10.77.0.1/24 dev "${tag}br" 2>&1 && ip link set "${tag}br" up 2>&1)" \
        || { NET_WHY="cannot make a bridge: $why"; return; }
    for i in 1 2 3; do
        local ns="${tag}n$i"
        why="$(ip netns add "$ns" 2>&1)" || { NET_WHY="cannot make a network namespace: $why"; return; }
        NETS+=("$ns")
        why="$(ip link add "${tag}h$i" type veth peer name "${tag}v$i" netns "$ns" 2>&1 \
            && ip link set "${tag}h$i" master "${tag}br" up 2>&1 \
            && ip -n "$ns" link set lo up 2>&1 \
            && ip -n "$ns" addr add "10.77.0.1$i/24" dev "${tag}v$i" 2>&1 \
            && ip -n "$ns" link set "${tag}v$i" up 2>&1)" || { NET_WHY="cannot link a namespace to the bridge: $why"; return; }
    done
    NET=1
    # netem (delay and loss) needs the kernel's sch_netem; without it, loss alone by iptables' statistic match.
    if ip netns exec "${tag}n1" tc qdisc add dev "${tag}v1" root netem delay 1ms 2>/dev/null; then
        ip netns exec "${tag}n1" tc qdisc del dev "${tag}v1" root 2>/dev/null; NETEM=1
    else NETEM=0; fi
}

# ---------------------------------------------------------------- redis and silos
redis_start() {   # append-only file in $work/redis: a restart keeps the checkpoints
    local bind=(127.0.0.1); ((NET)) && bind+=(10.77.0.1)
    mkdir -p "$work/redis"
    redis-server --port "$REDIS_PORT" --bind "${bind[@]}" --protected-mode no --dir "$work/redis" \
        --appendonly yes --appendfsync everysec --save "" >>"$work/redis.log" 2>&1 &
    REDIS_PID=$!
    disown "$REDIS_PID"
    for _ in $(seq 100); do [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && return 0; sleep 0.1; done
    log "redis-server did not answer on port $REDIS_PORT; its log:"; tail -5 "$work/redis.log" >&2; return 1
}

start_silo() {   # index: a silo of the current phase (loopback: new free ports; network: its namespace)
    local i="$1" gen="${2:-0}" logf
    logf="$work/$phase-silo$i.$(date +%s%N).log"
    if [[ $phase == net ]]; then
        SILO_PORT[i]=11111 SILO_GW[i]=30000 SILO_NS[i]="${tag}n$i"
        MARKETSIM_SILO_LOG=Information ip netns exec "${tag}n$i" dotnet "$dll" silo --redis "10.77.0.1:$REDIS_PORT" --cluster-id "$cid" \
            --address "10.77.0.1$i" --silo-port 11111 --gateway-port 30000 >"$logf" 2>&1 &
    else
        read -r SILO_PORT[i] SILO_GW[i] < <(python3 "$helper" ports 2)
        SILO_NS[i]=""
        MARKETSIM_SILO_LOG=Information dotnet "$dll" silo --redis "127.0.0.1:$REDIS_PORT" --cluster-id "$cid" \
            --silo-port "${SILO_PORT[i]}" --gateway-port "${SILO_GW[i]}" >"$logf" 2>&1 &
    fi
    SILO_PID[i]=$! SILO_LOG[i]="$logf"
    disown "${SILO_PID[i]}"                      # no job notice when the suite kills it
}

restart_dead() { local i; for i in 1 2 3; do alive "${SILO_PID[i]:-}" || { start_silo "$i"; RESTARTED=$((RESTARTED + 1)); }; done; }

ensure_silos() {   # every silo running and ready; restart the ones that are gone
    local tries=0 i ok
    while ((tries < 3)); do
        restart_dead
        local deadline=$(($(now_ms) + 90000))
        while (($(now_ms) < deadline)); do
            ok=1
            for i in 1 2 3; do
                alive "${SILO_PID[i]}" || { ok=2; break; }
                grep -q 'silo ready' "${SILO_LOG[i]}" || ok=0
            done
            ((ok == 1)) && return 0
            ((ok == 2)) && break
            sleep 0.2
        done
        tries=$((tries + 1))
    done
    log "the silos did not become ready; last lines of their logs:"
    for i in 1 2 3; do tail -3 "${SILO_LOG[i]}" >&2; done
    return 1
}

stop_silos() { local i; for i in 1 2 3; do alive "${SILO_PID[i]:-}" && kill -TERM "${SILO_PID[i]}"; done
    for i in 1 2 3; do for _ in $(seq 150); do alive "${SILO_PID[i]:-}" || break; sleep 0.2; done; alive "${SILO_PID[i]:-}" && kill -KILL "${SILO_PID[i]}"; done
    return 0; }

coordinator_silo() {   # COORD: the live silo whose log says it hosts this run's coordinator (latest log wins)
    local rid="$1" i best="" best_t=0 t
    for i in 1 2 3; do
        alive "${SILO_PID[i]}" || continue
        grep -q "run $rid: coordinator active on silo" "${SILO_LOG[i]}" 2>/dev/null || continue
        t=$(stat -c %Y "${SILO_LOG[i]}"); ((t >= best_t)) && best=$i best_t=$t
    done
    COORD="$best"
}

pick_silos() {   # PICK: N distinct live silo indexes, seeded
    local n="$1" list=() i
    for i in 1 2 3; do alive "${SILO_PID[i]}" && list+=("$i"); done
    local out=()
    while ((${#out[@]} < n && ${#list[@]} > 0)); do
        local k=$((RANDOM % ${#list[@]})); out+=("${list[k]}"); list=("${list[@]:0:k}" "${list[@]:k+1}")
    done
    PICK="${out[*]}"
}

rows() { local f="$1/market.csv" n; [[ -f "$f" ]] || { echo 0; return; }; n=$(wc -l <"$f"); echo $((n > 0 ? n - 1 : 0)); }

# ---------------------------------------------------------------- one case
# fault kinds: kill1 term1 kill2 coord coordterm redis-stop redis-kill redis-long client net-link net-drop net-coord net-slow
fault_do() {   # -> sets FAULT; returns 1 if it cannot be done yet (no coordinator activation seen yet)
    local k="$1" rid="$2" i ids
    case "$k" in
        kill1|term1)
            pick_silos 1; ids=$PICK; local sig=KILL; [[ $k == term1 ]] && sig=TERM
            kill -$sig "${SILO_PID[ids]}"; FAULT="SIG$sig silo $ids"; RESTART_AT=$(($(now_ms) + 1000 + RANDOM % 3000)) ;;
        kill2)
            pick_silos 2; ids=$PICK; for i in $ids; do kill -KILL "${SILO_PID[i]}"; done
            FAULT="SIGKILL silos ${ids// /+}"; RESTART_AT=$(($(now_ms) + 1000 + RANDOM % 3000)) ;;
        coord|coordterm)
            coordinator_silo "$rid"; i=$COORD; [[ -n $i ]] || return 1
            local sig=KILL; [[ $k == coordterm ]] && sig=TERM
            kill -$sig "${SILO_PID[i]}"; FAULT="SIG$sig coordinator's silo $i"; RESTART_AT=$(($(now_ms) + 1000 + RANDOM % 3000)) ;;
        redis-stop)
            kill -STOP "$REDIS_PID"; local s=$((3 + RANDOM % 10)); HEAL_AT=$(($(now_ms) + s * 1000)); HEAL="kill -CONT $REDIS_PID"
            FAULT="SIGSTOP redis ${s}s" ;;
        redis-kill)
            kill -KILL "$REDIS_PID"; local s=$((2 + RANDOM % 10)); HEAL_AT=$(($(now_ms) + s * 1000)); HEAL="redis_start"
            FAULT="SIGKILL redis, back in ${s}s" ;;
        redis-long)
            kill -KILL "$REDIS_PID"; HEAL_AT=$(($(now_ms) + 45000)); HEAL="redis_start"; FAULT="SIGKILL redis, back after the client gave up" ;;
        client)
            kill -KILL "$CLIENT_PID"; FAULT="SIGKILL client, resumed" ;;
        net-link|net-coord)
            if [[ $k == net-coord ]]; then coordinator_silo "$rid"; i=$COORD; [[ -n $i ]] || return 1; else pick_silos 1; i=$PICK; fi
            local s=$((4 + RANDOM % 9))
            ip -n "${tag}n$i" link set "${tag}v$i" down; HEAL_AT=$(($(now_ms) + s * 1000)); HEAL="ip -n ${tag}n$i link set ${tag}v$i up"
            FAULT="silo $i$([[ $k == net-coord ]] && echo " (coordinator)") link down ${s}s"; RESTART_AT=$((HEAL_AT + 2000)) ;;
        net-drop)
            pick_silos 1; i=$PICK; local s=$((4 + RANDOM % 9))
            ip netns exec "${tag}n$i" iptables -A INPUT ! -i lo -j DROP
            ip netns exec "${tag}n$i" iptables -A OUTPUT ! -o lo -j DROP
            HEAL_AT=$(($(now_ms) + s * 1000)); HEAL="ip netns exec ${tag}n$i iptables -F"
            FAULT="silo $i iptables DROP ${s}s"; RESTART_AT=$((HEAL_AT + 2000)) ;;
        net-slow)
            for i in 1 2 3; do
                if ((NETEM)); then ip netns exec "${tag}n$i" tc qdisc add dev "${tag}v$i" root netem delay 50ms loss 2%
                else ip netns exec "${tag}n$i" iptables -A OUTPUT ! -o lo -m statistic --mode random --probability 0.02 -j DROP; fi
            done
            if ((NETEM)); then FAULT="netem delay 50ms loss 2% on all silos"; HEAL="net_unslow"
            else FAULT="loss 2% (iptables; no sch_netem: no delay) on all silos"; HEAL="net_unslow"; fi
            HEAL_AT=$(($(now_ms) + 600000)) ;;
    esac
    return 0
}
net_unslow() { local i; for i in 1 2 3; do ip netns exec "${tag}n$i" tc qdisc del dev "${tag}v$i" root 2>/dev/null; ip netns exec "${tag}n$i" iptables -F 2>/dev/null; done; }

heal_now() { [[ -n "$HEAL" ]] && { eval "$HEAL" >/dev/null 2>&1 || true; }; HEAL="" HEAL_AT=0; }

# Runs the client into folder $1 until it exits (or 300 s), doing the pending fault at its moment, the heal and
# the silo restarts when due. Sets RC (124: killed by the suite after 300 s).
drive() {
    local out="$1" rid="$2" start seen=0 due=0 i last_rows=-1 last_grow=0 r
    dotnet "$dll" run "$scenario" --seed "$run_seed" --ticks "$ticks" --pace "$pace" --checkpoint-every "$every" \
        --redis "$redis_host:$REDIS_PORT" --cluster-id "$cid" --run-id "$rid" --out "$out" --quiet --no-report \
        >"$out.stdout" 2>"$out.stderr" &
    CLIENT_PID=$!
    start=$(now_ms)
    while alive "$CLIENT_PID"; do
        local t; t=$(now_ms)
        if ((PENDING)); then
            case "$MOMENT_KIND" in
                start) if ((seen == 0)) && grep -q "run $rid " "$out.stderr" 2>/dev/null; then seen=1 due=$((t + MOMENT_VAL)); fi
                       ((seen && t >= due)) && fire "$rid" ;;
                tick) (($(rows "$out") >= MOMENT_VAL)) && fire "$rid" ;;
                last) (($(rows "$out") >= ticks)) && fire "$rid" ;;
            esac
        fi
        if ((FIRED_AT)); then   # STALL_MS: the longest wait for a new market.csv row after the fault
            ((last_rows < 0)) && last_rows=$FIRED_ROWS last_grow=$FIRED_AT
            r=$(rows "$out")
            if ((r > last_rows)); then ((t - last_grow > STALL_MS)) && STALL_MS=$((t - last_grow)); last_rows=$r last_grow=$t; fi
        fi
        ((HEAL_AT && t >= HEAL_AT)) && [[ $HEAL != redis_start || $FAULT_KIND != redis-long ]] && heal_now
        if ((RESTART_AT && t >= RESTART_AT)); then
            if alive "$REDIS_PID" && [[ -z "$HEAL" || $HEAL != redis_start ]]; then
                restart_dead; RESTART_AT=0
                for i in 1 2 3; do alive "${SILO_PID[i]}" || RESTART_AT=$((t + 1000)); done
            fi
        fi
        ((t - start > 300000)) && { kill -KILL "$CLIENT_PID"; log "killed a client that ran for 300 s"; }
        sleep 0.02
    done
    wait "$CLIENT_PID" 2>/dev/null; RC=$?
    ((RC == 137)) && ((t - start > 300000)) && RC=124
    CLIENT_PID=""
}
fire() { if fault_do "$FAULT_KIND" "$1"; then PENDING=0; FIRED_ROWS=$(rows "$OUT"); FIRED_AT=$(now_ms); fi; }

TOTAL=0 OK=0 CLEAR=0 BAD=0 ROWS=() NOTES=()
run_case() {   # kind moment-kind moment-value
    FAULT_KIND="$1" MOMENT_KIND="$2" MOMENT_VAL="$3"
    TOTAL=$((TOTAL + 1))
    local n=$TOTAL rid="chaos-$$-$TOTAL" began exits moment
    OUT="$work/case$n" PENDING=1 FAULT="" HEAL="" HEAL_AT=0 RESTART_AT=0 RESTARTED=0 FIRED_ROWS="" FIRED_AT=0 STALL_MS=0
    case "$MOMENT_KIND" in
        start) moment="start+$(printf '%d.%02d' $((MOMENT_VAL / 1000)) $((MOMENT_VAL % 1000 / 10)))s" ;;
        tick) moment="tick $MOMENT_VAL" ;;
        last) moment="after last tick" ;;
    esac
    log "case $n: $FAULT_KIND at $moment (run id $rid)"
    began=$(now_ms)
    drive "$OUT" "$rid" 2>>"$work/jobs.log"; exits="$RC"
    local final="$OUT"
    if ((PENDING)); then
        moment="$moment (missed: client exited)"; FAULT="none ($FAULT_KIND)"
    elif [[ $FAULT_KIND == client ]] || [[ $FAULT_KIND == redis-long && $RC != 0 ]]; then
        [[ $FAULT_KIND == client ]] && exits="kill"
        if [[ $FAULT_KIND == redis-long ]]; then
            heal_now                                              # Redis back (with its append-only file)
            for _ in $(seq 100); do [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
        fi
        ensure_silos || true
        final="$OUT-resumed" PENDING=0 FIRED_AT=0
        drive "$final" "$rid" 2>>"$work/jobs.log"; exits="$exits→$RC"
    fi
    heal_now
    ensure_silos || NOTES+=("case $n: the silos did not all come back after it")
    local secs=$(( ($(now_ms) - began) / 1000 )) stall=-
    # The stall is the fault's cost to a run that goes on: not measured after the last tick, nor across a resume.
    [[ $MOMENT_KIND != last && -n "$FIRED_ROWS" && $FAULT_KIND != client && $final == "$OUT" ]] &&
        stall=$(printf '%d.%d' $((STALL_MS / 1000)) $((STALL_MS % 1000 / 100)))
    local finished fpeq once
    read -r finished fpeq once < <(python3 "$helper" check "$final" "$ticks" "$REF")
    [[ -n "$FIRED_ROWS" && $MOMENT_KIND != start ]] && moment="$moment (row $FIRED_ROWS)"
    local verdict
    if [[ $finished == yes && $fpeq == yes && $once == yes && $RC == 0 ]]; then OK=$((OK + 1)); verdict=ok
    elif [[ $RC != 0 && $RC != 124 ]] && tail -n 20 "$final.stderr" | grep -q '[a-z]'; then
        CLEAR=$((CLEAR + 1)); verdict="failed with a message"
        NOTES+=("case $n exit $RC: $(grep -v '^\s*at ' "$final.stderr" | grep '[a-z]' | tail -1)")
    else
        BAD=$((BAD + 1)); verdict=WRONG
        NOTES+=("case $n WRONG (exit $RC, finished $finished, fingerprint $fpeq, ticks once $once); output in $final.stderr$([[ $keep == 1 ]] || echo ' (use --keep to keep it)')")
    fi
    ROWS+=("$(printf '%-3s %-10s %-56s %-30s %-8s %-8s %-11s %-10s %5s %7s  %s' "$n" "$FAULT_KIND" "$FAULT" "$moment" "$exits" "$finished" "$fpeq" "$once" "$secs" "$stall" "$verdict")")
    echo "${ROWS[-1]}"
}

header() { printf '%-3s %-10s %-56s %-30s %-8s %-8s %-11s %-10s %5s %7s  %s\n' "#" case fault moment exit finished fingerprint "ticks once" secs "stall s" verdict; }

rand_moment() {   # MK MV: 15 % start-up (0-1 s after the run id), 10 % after the last tick, else a tick
    local r=$((RANDOM % 100))
    if ((r < 15)); then MK=start MV=$((RANDOM % 1000))
    elif ((r < 25)); then MK=last MV=0
    else MK=tick MV=$((1 + RANDOM % (ticks - 1))); fi
}

# ---------------------------------------------------------------- main
log "building the CLI (./marketsim --help)"
"$root/marketsim" --help >/dev/null || exit 1
[[ $mode == full || $cases == *net-* ]] && net_setup
read -r REDIS_PORT < <(python3 "$helper" ports 1)
redis_start || exit 1
log "redis-server on port $REDIS_PORT (data in $work/redis)"

for i in 1 2 3; do start_silo "$i"; done
log "reference run (--engine reference) while the silos start"
dotnet "$dll" run "$scenario" --engine reference --seed "$run_seed" --ticks "$ticks" --out "$work/reference" --quiet --no-report \
    >"$work/reference.stdout" 2>"$work/reference.stderr" || { log "the reference run failed:"; cat "$work/reference.stderr" >&2; exit 1; }
REF="$(python3 "$helper" fingerprint "$work/reference")"
log "reference fingerprint $REF"
ensure_silos || exit 1
log "3 silos ready (cluster $cid)"

echo "chaos suite: $mode, --seed $seed; $(basename "$scenario") --seed $run_seed --ticks $ticks --pace $pace --checkpoint-every $every; $(date -u +%F), $(nproc) cores"
header
if [[ $mode == short ]]; then
    run_case kill1 start $((RANDOM % 1000))
    run_case coord tick $((ticks / 3 + RANDOM % (ticks / 3)))
    run_case kill1 last 0
    run_case client tick $((ticks / 4 + RANDOM % (ticks / 2)))
else
    net_kinds=(net-link net-drop net-coord net-link net-drop net-slow)
    kinds=(kill1 kill1 kill1 kill1 kill1 term1 term1 term1 kill2 kill2 kill2 coord coord coord coord coord coordterm coordterm
           redis-stop redis-stop redis-kill redis-kill redis-long redis-long client client client client client client)
    # shuffle, seeded
    if [[ $mode == cases ]]; then kinds=() net_kinds=(); for k in $cases; do
        if [[ $k == net-* ]]; then net_kinds+=("$k"); else kinds+=("$k"); fi; done; fi
    for ((i = ${#kinds[@]} - 1; i > 0; i--)); do j=$((RANDOM % (i + 1))); t=${kinds[i]}; kinds[i]=${kinds[j]}; kinds[j]=$t; done
    for k in "${kinds[@]}"; do rand_moment; run_case "$k" "$MK" "$MV"; done
    if ((${#net_kinds[@]} == 0)); then :
    elif ((NET)); then
        stop_silos
        phase=net cid="chaos-$$-net" redis_host=10.77.0.1
        for i in 1 2 3; do start_silo "$i"; done
        if ensure_silos; then
            for k in "${net_kinds[@]}"; do
                rand_moment; [[ $MK == last ]] && MK=tick MV=$((ticks / 2))
                run_case "$k" "$MK" "$MV"
            done
        else NOTES+=("network cases skipped: the silos in network namespaces did not become ready"); fi
    else
        NOTES+=("network cases skipped: $NET_WHY")
    fi
fi

echo "total $TOTAL: $OK finished with the reference fingerprint and every tick once, $CLEAR failed with a message, $BAD wrong"
for n in "${NOTES[@]}"; do echo "  $n"; done
if ((BAD == 0 && OK * 100 >= 95 * TOTAL)); then echo "chaos suite passed"; exit 0; fi
echo "chaos suite FAILED"; exit 1
