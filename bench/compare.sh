#!/usr/bin/env bash
# bench/compare.sh — Lyceum side by side with InspIRCd 3 and ngIRCd 26 on this machine: the same
# lyceum-bench scenarios, over TLS, one server after the other, in one run.
#
#   bash bench/compare.sh          # from the repository root or anywhere; fresh clone is fine
#
# Installs what is missing (inspircd, ngircd, python3-matplotlib ... with apt-get), makes a
# throw-away self-signed certificate and private configurations (bench/peers/*.in) in a
# temporary directory, builds lyceumd and lyceum-bench in release, then for every server and
# every scenario: starts the server fresh, checks that it registers a client over TLS and in
# plaintext, runs the scenario, stops the server. Raw outputs go to bench/results/<date>/, the
# comparison table to bench/results/<date>/summary.txt (and standard output), the latency chart
# to bench/results/<date>/latency-vs-load.png. BENCHMARKS.md describes the method.
#
# Optional environment:
#   BENCH_SERVERS="lyceum inspircd ngircd"  servers to run, in this order
#   BENCH_SWEEP_RATES="10 100 500 2000 10000"  offered loads of the 1000-client sweep
#   BENCH_ONLY=REGEX                        run only the full mode's scenarios whose label matches
#   BENCH_SCENARIOS=full                    full: the comparison; smoke: `server-kept` only (a
#                                           check of the plumbing with the older scenario);
#                                           check: start each server, register one client over
#                                           TLS and in plaintext, stop it (no measurement)
#   BENCH_OUT=DIR                           results directory (default bench/results/<UTC date>,
#                                           or <UTC date>-2, -3 … when that one exists)
#   BENCH_SKIP_BUILD=1                      use the existing release binaries as they are
#   BENCH_SCRATCH_PATH=DIR                  the release build folder (default .build)
#   BENCH_SCENARIO_TIMEOUT=900              seconds before one scenario is given up
#   BENCH_KEEP_WORK=1                       keep the temporary directory (configurations, logs)
#   PYTHON=/usr/bin/python3                 the Python that has matplotlib (Debian's)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

read -r -a SERVERS <<<"${BENCH_SERVERS:-lyceum inspircd ngircd}"
MODE=${BENCH_SCENARIOS:-full}
# A second run on the same day goes to <date>-2 (then -3 …): it never overwrites a kept run.
if [[ -n ${BENCH_OUT:-} ]]; then
  OUT=$BENCH_OUT
else
  OUT=$ROOT/bench/results/$(date -u +%Y-%m-%d)
  run=2
  while [[ -e $OUT ]]; do
    OUT=$ROOT/bench/results/$(date -u +%Y-%m-%d)-$run
    run=$((run + 1))
  done
fi
SCENARIO_TIMEOUT=${BENCH_SCENARIO_TIMEOUT:-900}
PYTHON=${PYTHON:-/usr/bin/python3}
SCRATCH=${BENCH_SCRATCH_PATH:-$ROOT/.build}
BENCH=$SCRATCH/release/lyceum-bench
LYCEUMD=$SCRATCH/release/lyceumd

# The offered loads of the latency sweep (messages/s from 20 senders to 1000 members).
SWEEP_RATES=${BENCH_SWEEP_RATES:-10 100 500 2000 10000}

# Fixed loopback ports, one pair per server (plaintext, TLS).
declare -A PLAIN_PORT=([lyceum]=16667 [inspircd]=26667 [ngircd]=36667)
declare -A TLS_PORT=([lyceum]=16697 [inspircd]=26697 [ngircd]=36697)

# Scenarios: "label|lyceum-bench arguments". The label names the result file
# (<server>-<label>.txt); sweep-r<R> files feed bench/plot.py.
case $MODE in
full)
  # Label suffixes: -plain runs in plaintext (else TLS); -pin1 pins the server to CPU 0 and the
  # bench to CPU 1 (one core each), -pin2 lets both use every CPU but says so in the label.
  SCENARIOS=(
    "fanout-c200-max|fanout --clients 200 --senders 10 --rate 0 --seconds 10"
    "fanout-c200-max-plain|fanout --clients 200 --senders 10 --rate 0 --seconds 10"
    "fanout-c200-max-pin1|fanout --clients 200 --senders 10 --rate 0 --seconds 10"
    "fanout-c200-max-plain-pin1|fanout --clients 200 --senders 10 --rate 0 --seconds 10"
    "lone-c200-r10|fanout --clients 200 --senders 1 --rate 10 --seconds 30"
    "connect-c200-k8|connect --clients 200 --connecting 8"
    "connect-c1000|connect --clients 1000"
    "idle-c10000|idle --clients 10000 --hold 5"
  )
  # The light loads run longer: ten seconds at 10 lines/s are six bursts, and p50 and p99 of
  # six bursts moved between 10 and 20 ms from run to run of one binary.
  for rate in $SWEEP_RATES; do
    seconds=10
    if [ "$rate" -le 10 ]; then seconds=30; fi
    SCENARIOS+=("sweep-r$rate|fanout --clients 1000 --senders 20 --rate $rate --seconds $seconds")
  done
  # "title|scenario label|RESULT key|which way is better"
  SUMMARY=()
  for label in fanout-c200-max fanout-c200-max-plain fanout-c200-max-pin1 \
    fanout-c200-max-plain-pin1; do
    SUMMARY+=(
      "deliveries/s (unthrottled)|$label|deliveries_per_s|higher"
      "server CPU us/delivery|$label|server_us_per_delivery|lower"
      "latency p99 us|$label|latency_p99_us|lower"
      "server peak RSS KiB|$label|server_vmhwm_kib|lower"
      "server peak anonymous KiB|$label|server_peak_anon_kib|lower"
    )
  done
  SUMMARY+=(
    "latency p50 us|lone-c200-r10|latency_p50_us|lower"
    "latency p99 us|lone-c200-r10|latency_p99_us|lower"
    "registrations/s|connect-c200-k8|registrations_per_s|higher"
    "welcome p99 us|connect-c200-k8|register_p99_us|lower"
    "server CPU us/connection|connect-c200-k8|server_us_per_connection|lower"
    "registrations/s|connect-c1000|registrations_per_s|higher"
    "server CPU us/connection|connect-c1000|server_us_per_connection|lower"
    "memory per connection B|idle-c10000|bytes_per_client|lower"
    "server peak RSS KiB|idle-c10000|server_vmhwm_kib|lower"
  )
  for rate in $SWEEP_RATES; do
    SUMMARY+=("latency p50 us|sweep-r$rate|latency_p50_us|lower")
    SUMMARY+=("latency p99 us|sweep-r$rate|latency_p99_us|lower")
    SUMMARY+=("server CPU us/delivery|sweep-r$rate|server_us_per_delivery|lower")
    SUMMARY+=("server peak RSS KiB|sweep-r$rate|server_vmhwm_kib|lower")
    SUMMARY+=("server peak anonymous KiB|sweep-r$rate|server_peak_anon_kib|lower")
    SUMMARY+=("server resident from files KiB|sweep-r$rate|server_peak_file_kib|lower")
  done
  ;;
smoke)
  SCENARIOS=("server-kept-c20|server-kept --clients 20 --seconds 5")
  SUMMARY=(
    "echoed (kept) messages/s|server-kept-c20|echoed_per_s|higher"
    "delivered lines/s|server-kept-c20|delivered_per_s|higher"
    "echo latency p99 us|server-kept-c20|echo_p99_us|lower"
    "server CPU s|server-kept-c20|server_cpu_s|lower"
    "bench CPU s|server-kept-c20|bench_cpu_s|-"
  )
  ;;
check)
  SCENARIOS=()
  SUMMARY=()
  ;;
*)
  echo "compare.sh: BENCH_SCENARIOS must be full, smoke or check, not '$MODE'" >&2
  exit 64
  ;;
esac

say() { printf '== %s\n' "$*" >&2; }

as_root() {
  if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

# --- 1. What the comparison needs -----------------------------------------------------------

install_missing() {
  local need=()
  command -v inspircd >/dev/null || need+=(inspircd)
  command -v ngircd >/dev/null || need+=(ngircd)
  command -v openssl >/dev/null || need+=(openssl)
  command -v setpriv >/dev/null || need+=(util-linux)
  command -v ss >/dev/null || need+=(iproute2)
  "$PYTHON" -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
  if ((${#need[@]})); then
    say "installing ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# --- 2. Certificate and configurations in a temporary directory -----------------------------

WORK=""
SERVER_PID=""
SERVER_NAME=""

cleanup() {
  local status=$?
  if [[ -n $SERVER_PID ]]; then stop_server || true; fi
  if [[ -n $WORK && -d $WORK ]]; then
    if [[ ${BENCH_KEEP_WORK:-0} == 1 ]]; then
      say "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The file-descriptor limit: 10 000 idle clients need as many descriptors in the server and in
# the bench (each process has its own limit).
raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  if [[ $hard == unlimited ]]; then hard=65536; fi
  ulimit -n "$hard"
  NOFILE=$hard
  if ((NOFILE < 10100)); then
    say "warning: at most $NOFILE file descriptors per process; idle --clients 10000 will fail"
  fi
}

# Runs a peer as the irc user when we are root (InspIRCd refuses root); setpriv execs, so the
# PID we get is the server's.
RUN_AS=()
fill() { # template output key=value...
  local template=$1 output=$2 pair
  shift 2
  local args=()
  for pair in "$@"; do args+=(-e "s|@${pair%%=*}@|${pair#*=}|g"); done
  sed "${args[@]}" "$template" >"$output"
  if grep -v '^[[:space:]]*#' "$output" | grep -q '@[A-Z_]*@'; then
    echo "compare.sh: unfilled placeholder in $output" >&2
    exit 1
  fi
}

prepare_work() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lyceum-compare.XXXXXX")
  chmod 755 "$WORK"
  mkdir -p "$WORK/tls" "$WORK/inspircd" "$WORK/ngircd" "$WORK/lyceum"
  say "self-signed certificate (EC P-256) in $WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=bench.localhost -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
  openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$WORK/tls/dh.pem"
  chmod 644 "$WORK/tls/cert.pem" "$WORK/tls/dh.pem"
  chmod 640 "$WORK/tls/key.pem"
  chmod 755 "$WORK/tls"
  if ((EUID == 0)) && id irc >/dev/null 2>&1; then
    RUN_AS=(setpriv --reuid=irc --regid=irc --init-groups)
    chgrp irc "$WORK/tls/key.pem"
    chown irc:irc "$WORK/inspircd" "$WORK/ngircd"
  fi
  echo "InspIRCd under lyceum-bench" >"$WORK/inspircd/motd.txt"
  chmod 644 "$WORK/inspircd/motd.txt"
  local limit=$((NOFILE - 100))
  fill bench/peers/inspircd.conf.in "$WORK/inspircd/inspircd.conf" \
    DIR="$WORK/inspircd" CERT="$WORK/tls/cert.pem" KEY="$WORK/tls/key.pem" \
    PLAIN_PORT="${PLAIN_PORT[inspircd]}" TLS_PORT="${TLS_PORT[inspircd]}" SOFTLIMIT="$limit"
  fill bench/peers/ngircd.conf.in "$WORK/ngircd/ngircd.conf" \
    CERT="$WORK/tls/cert.pem" KEY="$WORK/tls/key.pem" DHFILE="$WORK/tls/dh.pem" \
    PLAIN_PORT="${PLAIN_PORT[ngircd]}" TLS_PORT="${TLS_PORT[ngircd]}"
  fill bench/peers/lyceum.yaml.in "$WORK/lyceum/lyceum.yaml" \
    CERT="$WORK/tls/cert.pem" KEY="$WORK/tls/key.pem" MAX_CLIENTS="$limit"
  chmod 644 "$WORK/inspircd/inspircd.conf" "$WORK/ngircd/ngircd.conf"
}

# --- 3. Starting, checking and stopping one server ------------------------------------------

alive() { # pid: running and not a zombie
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

listening() { # port
  [[ -n $(ss -Hltn "sport = :$1") ]]
}

RUN_INDEX=0
# CPU pinning of the next server started, and of the bench against it (taskset prefixes).
SERVER_PIN=()
BENCH_PIN=()
start_server() { # name
  local name=$1 plain=${PLAIN_PORT[$1]} tls=${TLS_PORT[$1]} port
  for port in "$plain" "$tls"; do
    if listening "$port"; then
      echo "compare.sh: port $port (for $name) is already in use" >&2
      return 1
    fi
  done
  RUN_INDEX=$((RUN_INDEX + 1))
  local log=$WORK/$name/server.log
  printf -- '--- start %d %s\n' "$RUN_INDEX" "$(date -u +%FT%TZ)" >>"$log"
  case $name in
  lyceum)
    # A fresh data directory each time: history on, nothing left from the previous scenario.
    "${SERVER_PIN[@]}" "$LYCEUMD" --config "$WORK/lyceum/lyceum.yaml" --data-dir "$WORK/lyceum/data-$RUN_INDEX" \
      --listen "127.0.0.1:$plain" --tls-listen "127.0.0.1:$tls" >>"$log" 2>&1 &
    ;;
  inspircd)
    "${SERVER_PIN[@]}" "${RUN_AS[@]}" inspircd --nofork --config "$WORK/inspircd/inspircd.conf" >>"$log" 2>&1 &
    ;;
  ngircd)
    "${SERVER_PIN[@]}" "${RUN_AS[@]}" ngircd -n -f "$WORK/ngircd/ngircd.conf" >>"$log" 2>&1 &
    ;;
  esac
  SERVER_PID=$!
  SERVER_NAME=$name
  local tries
  for ((tries = 0; tries < 600; tries++)); do
    if ! alive "$SERVER_PID"; then
      echo "compare.sh: $name exited at start-up; its log:" >&2
      tail -n 20 "$log" >&2
      wait "$SERVER_PID" || true
      SERVER_PID=""
      return 1
    fi
    if listening "$plain" && listening "$tls"; then return 0; fi
    sleep 0.1
  done
  echo "compare.sh: $name did not listen on $plain and $tls within 60 s" >&2
  stop_server || true
  return 1
}

# SIGTERM, then SIGKILL after 10 s; reaps the process. InspIRCd with ssl_gnutls dies of SIGSEGV
# on SIGTERM after serving correctly (status 139): harmless, noted in the server's log. Bash's
# own "Segmentation fault" notice is silenced by running this with standard error discarded.
stop_server() {
  reap_server 2>/dev/null
}

reap_server() {
  local pid=$SERVER_PID status=0 tries
  [[ -n $pid ]] || return 0
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((tries = 0; tries < 100; tries++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" || status=$?
  printf -- '--- stopped, exit status %d\n' "$status" >>"$WORK/$SERVER_NAME/server.log"
  SERVER_PID=""
}

# Registers one client (NICK/USER, nothing else) and waits for 001. tls: 1 or 0.
probe_registration() { # port tls
  local port=$1 tls=$2 nick line ok=1
  nick=probe$RANDOM
  if ((tls)); then
    coproc PROBE { timeout 15 openssl s_client -quiet -connect "127.0.0.1:$port" 2>/dev/null; }
  else
    # shellcheck disable=SC2016 # $1 belongs to the inner shell
    coproc PROBE { timeout 15 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && { cat <&3 & cat >&3; wait; }' _ "$port"; }
  fi
  local in=${PROBE[1]} out=${PROBE[0]} pid=$PROBE_PID
  printf 'NICK %s\r\nUSER %s 0 * :probe\r\n' "$nick" "$nick" >&"$in"
  while IFS= read -r -t 10 line <&"$out"; do
    if [[ $line == *" 001 "* ]]; then
      ok=0
      break
    fi
  done
  { printf 'QUIT :probe\r\n' >&"$in"; } 2>/dev/null || true
  exec {in}>&-
  wait "$pid" 2>/dev/null || true
  return "$ok"
}

# --- 4. Running the scenarios ----------------------------------------------------------------

# The value of key on the last RESULT line of file, or n/a.
result_value() { # file key
  if [[ ! -f $1 ]]; then
    echo n/a
    return
  fi
  awk -v key="$2" '
    $1 == "RESULT" { line = $0 }
    END {
      n = split(line, field, " ")
      for (i = 3; i <= n; i++)
        if (index(field[i], key "=") == 1) { print substr(field[i], length(key) + 2); exit }
      print "n/a"
    }' "$1"
}

run_scenario() { # server label arguments
  local server=$1 label=$2 file=$OUT/$1-$2.txt status=0 args
  read -r -a args <<<"$3"
  local port=${TLS_PORT[$server]} transport=(--tls)
  if [[ $label == *-plain* ]]; then
    port=${PLAIN_PORT[$server]}
    transport=()
  fi
  SERVER_PIN=()
  BENCH_PIN=()
  if [[ $label == *-pin1* ]]; then
    SERVER_PIN=(taskset -c 0)
    BENCH_PIN=(taskset -c 1)
  fi
  if ! start_server "$server"; then
    printf '# %s %s: the server did not start\n' "$server" "$label" >"$file"
    return 0
  fi
  # ngIRCd's listen backlog is fixed at 10: a burst of connections overflows it, and the
  # kernel drops connections (retries after a second, then failures). Where the measurement
  # begins only once every client is in (fan-out, idle), the bench opens at most 8
  # connections at once to it. `connect` measures the burst itself and stays as it is.
  if [[ $server == ngircd && $label != connect-* ]]; then args+=(--connecting 8); fi
  local notes=()
  probe_registration "${TLS_PORT[$server]}" 1 || notes+=("no 001 over TLS before the run")
  probe_registration "${PLAIN_PORT[$server]}" 0 || notes+=("no 001 in plaintext before the run")
  local command=("${BENCH_PIN[@]}" "$BENCH" "${args[@]}" --host 127.0.0.1 --port "$port"
    "${transport[@]}" --server-pid "$SERVER_PID")
  {
    printf '# server: %s (pid %s), %s\n' "$server" "$SERVER_PID" "$(date -u +%FT%TZ)"
    printf '# command: %s\n' "${command[*]#"$ROOT/"}"
    for note in "${notes[@]}"; do printf '# note: %s\n' "$note"; done
  } >"$file"
  say "$server $label: ${args[*]}"
  timeout "$SCENARIO_TIMEOUT" "${command[@]}" >>"$file" 2>&1 || status=$?
  alive "$SERVER_PID" || printf '# note: the server exited during the scenario\n' >>"$file"
  printf '# exit status: %d\n' "$status" >>"$file"
  stop_server
  local result
  result=$(grep '^RESULT ' "$file" | tail -n 1 || true)
  if [[ -n $result ]]; then
    say "  $result"
  else
    say "  no RESULT line (exit status $status): see ${file#"$ROOT/"}"
  fi
  if [[ $result == *build=debug* ]]; then say "  warning: debug build, figures mean nothing"; fi
}

CHECK_FAILURES=0
check_server() { # server
  local server=$1 status=ok
  if ! start_server "$server"; then
    CHECK_FAILURES=$((CHECK_FAILURES + 1))
    say "$server: did not start"
    return 0
  fi
  if probe_registration "${TLS_PORT[$server]}" 1; then
    say "$server: TLS registration on ${TLS_PORT[$server]}: 001 received"
  else
    say "$server: TLS registration on ${TLS_PORT[$server]}: no 001"
    status=failed
  fi
  if probe_registration "${PLAIN_PORT[$server]}" 0; then
    say "$server: plaintext registration on ${PLAIN_PORT[$server]}: 001 received"
  else
    say "$server: plaintext registration on ${PLAIN_PORT[$server]}: no 001"
    status=failed
  fi
  stop_server
  [[ $status == ok ]] || CHECK_FAILURES=$((CHECK_FAILURES + 1))
}

write_machine() {
  {
    printf 'date: %s\n' "$(date -u +%FT%TZ)"
    printf 'commit: %s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    printf 'kernel: %s\n' "$(uname -srm)"
    printf 'cores: %s\n' "$(nproc)"
    printf 'cpu: %s\n' "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    printf 'memory: %s\n' "$(awk '/MemTotal/ { print $2 " kB"; exit }' /proc/meminfo)"
    printf 'file descriptors per process: %s\n' "$NOFILE"
    printf 'inspircd: %s\n' "$(inspircd --version 2>&1 | head -n 1)"
    printf 'ngircd: %s\n' "$(ngircd --version 2>&1 | head -n 1)"
    printf 'swift: %s\n' "$(swift --version 2>&1 | head -n 1)"
    printf 'scenarios: %s\n' "$MODE"
  } >"$OUT/machine.txt"
}

# --- 5. The table ----------------------------------------------------------------------------

ratio() { # a b
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "n/a" || b == "n/a" || a !~ /^-?[0-9.]+$/ || b !~ /^-?[0-9.]+$/ || b + 0 == 0) print "n/a"
    else printf "%.2fx\n", a / b
  }'
}

summarize() {
  local peers=() server row title label key better
  for server in "${SERVERS[@]}"; do [[ $server == lyceum ]] || peers+=("$server"); done
  local tsv=$WORK/summary.tsv header=("metric" "scenario")
  header+=("${SERVERS[@]}")
  if [[ " ${SERVERS[*]} " == *" lyceum "* ]]; then
    for server in "${peers[@]}"; do header+=("lyceum/$server"); done
  fi
  header+=("better")
  (IFS=$'\t'; echo "${header[*]}") >"$tsv"
  for row in "${SUMMARY[@]}"; do
    IFS='|' read -r title label key better <<<"$row"
    local cells=("$title" "$label")
    declare -A value=()
    for server in "${SERVERS[@]}"; do
      value[$server]=$(result_value "$OUT/$server-$label.txt" "$key")
      cells+=("${value[$server]}")
    done
    if [[ -n ${value[lyceum]:-} ]]; then
      for server in "${peers[@]}"; do cells+=("$(ratio "${value[lyceum]}" "${value[$server]}")"); done
    fi
    cells+=("$better")
    unset value
    (IFS=$'\t'; echo "${cells[*]}") >>"$tsv"
  done
  {
    printf 'Lyceum compared (%s), %s, %s cores; over TLS unless the scenario says -plain, one server at a time.\n' \
      "$MODE" "$(date -u +%F)" "$(nproc)"
    printf 'Ratios are Lyceum / peer. Raw outputs: %s\n\n' "${OUT#"$ROOT/"}"
    awk -F'\t' '
      { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; w = length($i); if (w > width[i]) width[i] = w }
        if (NF > columns) columns = NF }
      END {
        for (r = 1; r <= NR; r++) {
          line = ""
          for (i = 1; i <= columns; i++) {
            pad = width[i] - length(cell[r, i])
            text = (i <= 2) ? cell[r, i] sprintf("%*s", pad, "") : sprintf("%*s", pad, "") cell[r, i]
            line = line (i > 1 ? "  " : "") text
          }
          print line
          if (r == 1) { rule = ""; for (i = 1; i <= columns; i++) rule = rule (i > 1 ? "  " : "") sprintf("%*s", width[i], ""); gsub(/ /, "-", rule); print rule }
        }
      }' "$tsv"
  } >"$OUT/summary.txt"
  cp "$tsv" "$OUT/summary.tsv"
  cat "$OUT/summary.txt"
}

# --- main ------------------------------------------------------------------------------------

install_missing
raise_fd_limit
prepare_work
if [[ ${BENCH_SKIP_BUILD:-0} != 1 && $MODE != check ]]; then
  say "building lyceumd and lyceum-bench (release)"
  swift build -c release --scratch-path "$SCRATCH" --product lyceumd
  swift build -c release --scratch-path "$SCRATCH" --product lyceum-bench
fi
needed=()
if [[ " ${SERVERS[*]} " == *" lyceum "* ]]; then needed+=("$LYCEUMD"); fi
if [[ $MODE != check ]]; then needed+=("$BENCH"); fi
for binary in "${needed[@]}"; do
  [[ -x $binary ]] || { echo "compare.sh: $binary is missing (release build)" >&2; exit 1; }
done
# Scenarios that this lyceum-bench does not have yet still run (and fail fast): their rows say
# n/a. Say so up front.
if [[ $MODE != check ]]; then
  subcommands=" $("$BENCH" --help | awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z]/ { printf "%s ", $1 }')"
  declare -A warned=()
  for scenario in "${SCENARIOS[@]}"; do
    name=${scenario#*|}
    name=${name%% *}
    if [[ $subcommands != *" $name "* && -z ${warned[$name]:-} ]]; then
      warned[$name]=1
      say "warning: this lyceum-bench has no '$name' scenario: its figures will be n/a"
    fi
  done
fi
mkdir -p "$OUT"
write_machine
for server in "${SERVERS[@]}"; do
  case $server in
  lyceum | inspircd | ngircd) ;;
  *) echo "compare.sh: unknown server '$server'" >&2; exit 64 ;;
  esac
  if [[ $MODE == check ]]; then
    check_server "$server"
  fi
  for scenario in "${SCENARIOS[@]}"; do
    label=${scenario%%|*}
    if [[ -n ${BENCH_ONLY:-} && ! $label =~ $BENCH_ONLY ]]; then continue; fi
    run_scenario "$server" "$label" "${scenario#*|}"
  done
  # The end of the server's log (ngIRCd logs every connection: the whole would be megabytes).
  tail -n 300 "$WORK/$server/server.log" >"$OUT/$server-server.log" 2>/dev/null || true
done
if [[ $MODE == check ]]; then
  ((CHECK_FAILURES == 0)) || exit 1
  exit 0
fi
summarize
if [[ $MODE == full ]]; then
  "$PYTHON" "$ROOT/bench/plot.py" "$OUT" || say "no chart: bench/plot.py failed"
fi
