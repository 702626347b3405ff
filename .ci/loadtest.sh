#!/usr/bin/env bash
# The load test (`npm run loadtest`, issue 26 §4; `npm run loadtest -- --faults`, §5).
# Installs what is missing, builds the release server and the load test
# (server/loadtest, goose; never part of the default build), then starts a throwaway
# PostgreSQL, a real SMTP sink (aiosmtpd writing a Maildir), seeds the synthetic
# customers (`server seed-load`), two release server processes behind haproxy with
# deploy/haproxy.cfg itself, and drives the simulated customers (default 1,000 for
# 5 minutes; LOADTEST_USERS and LOADTEST_SECONDS shorten a smoke run). Afterwards it
# waits for the outbox to drain, reconciles every inquiry number a customer was shown
# against the database and the sink's receipt mails, and prints one table
# (.ci/loadtest.py): requests, errors by kind, p50/p95/p99 per step, logins a second
# against argon2's bound, each process's CPU seconds and peak memory.
#
# --faults, during the run: one process killed with -9 at a third and started again at
# two thirds; PostgreSQL stopped (fast) for 10 s; the SMTP sink down for 60 s; a
# rolling restart (drain through haproxy's socket, SIGTERM, start, the other) after
# the killed process is back. Then the SQLite fault: one process on SQLite under a
# write load killed with -9 and started again; every acknowledged write must be there
# and `PRAGMA integrity_check` ok.
#
# Fails (exit 1) on any error of the plain run; with --faults, on any error a fault
# does not explain (a logged-out customer, a 500, a proxy page that is not the
# portal's, an error during the rolling restart, a lost or doubled inquiry or mail);
# and when the run tested less than it says (a fault not injected, nothing
# acknowledged, no SQLite write acknowledged before the kill).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/.ci/pg.sh"

faults=0
for arg in "$@"; do
  case "$arg" in
    --faults) faults=1 ;;
    *) echo "usage: npm run loadtest [-- --faults]" >&2; exit 2 ;;
  esac
done
users="${LOADTEST_USERS:-1000}"
run_secs="${LOADTEST_SECONDS:-300}"
customers=$(( users > 1000 ? users : 1000 ))
# Users started a second (goose's --increase-rate): the ramp is every customer's first
# login at once, which shows what the processes' argon2 can do.
rate="${LOADTEST_RATE:-100}"
ramp_secs=$(( (users + rate - 1) / rate ))
total_secs=$(( ramp_secs + run_secs ))

ensure_apt haproxy postgresql python3 python3-aiosmtpd socat fonts-ipaexfont-gothic

site_root="${LOADTEST_SITE_ROOT:-$ROOT/target/site}"
if [ ! -d "$site_root/pkg" ]; then
  bash "$ROOT/.ci/build.sh" >/dev/null
fi
log "release build (server, load test)"
cargo build --release -p server -p loadtest
server="$CARGO_TARGET_DIR/release/server"
loadtest="$CARGO_TARGET_DIR/release/loadtest"

work="$(mktemp -d)"
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_http() { # URL, seconds: until it answers 200
  for _ in $(seq $(( $2 * 10 ))); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
fault() { printf '%s %s\n' "$(now)" "$*" >>"$work/faults.log"; printf '  [%6s s] %s\n' "$(since "$t0")" "$*"; }

cleanup() {
  set +e
  for p in $(cat "$work"/pid.* 2>/dev/null) ${lb_pid:-} ${lite_pid:-}; do kill -TERM "$p" 2>/dev/null; done
  wait 2>/dev/null
  pg_stop
  if [ -n "${LOADTEST_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- the SMTP sink (a real SMTP server: aiosmtpd stores each message in a Maildir) ---
smtp_port="$(port)"
start_smtp() {
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/maildir" \
    >>"$work/smtp.log" 2>&1 &
  echo $! >"$work/pid.smtp"
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && return; sleep 0.1; done
}
start_smtp

log "PostgreSQL, $customers synthetic customers, two server processes behind haproxy"
pg_start >/dev/null
db_url="$TEST_POSTGRES_URL"
psql_() { "$PG_BIN/psql" -X -At -d "$db_url" -c "$1"; }
DATABASE_URL="$db_url" MYPAGE_ENV=development PUBLIC_URL=http://127.0.0.1 RUST_LOG=warn \
  "$server" seed-load --customers "$customers" 2>/dev/null | tail -1

lb_port="$(port)"
app_ports=("$(port)" "$(port)")
# Each slot's process id is in $work/pid.N and each process that ran there adds a line
# "CPU ticks, peak RSS kB" to $work/stats.N before it is stopped (the faults run in a
# subshell of their own: files, not variables).
ticks="$(getconf CLK_TCK)"
pid_of() { cat "$work/pid.$1"; }

start_app() { # slot (0, 1)
  local i=$1
  env DATABASE_URL="$db_url" MYPAGE_ENV=development PUBLIC_URL="http://127.0.0.1:$lb_port" \
    LEPTOS_SITE_ADDR="127.0.0.1:${app_ports[$i]}" LEPTOS_SITE_ROOT="$site_root" RUST_LOG=warn \
    TRUSTED_PROXY_HOPS=1 TRUSTED_PROXIES=127.0.0.1 SMTP_URL="smtp://127.0.0.1:$smtp_port" SHUTDOWN_DRAIN_SECS=3 \
    "$server" serve >>"$work/app$((i + 1)).log" 2>&1 &
  echo $! >"$work/pid.$i"
  wait_http "http://127.0.0.1:${app_ports[$i]}/readyz" 30
}
# Adds a live process's CPU and peak memory to its slot (before it is stopped).
snap() { # slot
  local pid
  pid="$(pid_of "$1")"
  [ -r "/proc/$pid/stat" ] || return 0
  printf '%s %s\n' "$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')" \
    "$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")" >>"$work/stats.$1"
}
# Until process $1 (not necessarily a child of this shell) has exited.
gone() { while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }
start_app 0
start_app 1
LISTEN="127.0.0.1:$lb_port" PORTAL_1="127.0.0.1:${app_ports[0]}" PORTAL_2="127.0.0.1:${app_ports[1]}" \
  STATS_SOCKET="$work/haproxy.sock" ERRORS="$ROOT/deploy/errors" \
  haproxy -db -f "$ROOT/deploy/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
lb_pid=$!
wait_http "http://127.0.0.1:$lb_port/readyz" 30
# Both processes up in haproxy's eyes (rise 2 checks, 1 s apart).
sleep 3
haproxy_cmd() { echo "$1" | socat stdio "UNIX-CONNECT:$work/haproxy.sock"; }

log "argon2's bound on this machine (the portal's parameters, every core, 5 s, nothing else running)"
bound="$("$loadtest" argon2-bound 5)"
echo "$bound hashes a second"

# --- the faults, on a schedule of their own beside the run ---
# Rolling restart of slot i: drained in haproxy (no new requests), SIGTERM (the process
# drains too and finishes what it has), started again, ready in haproxy, then on.
rolling() {
  local i=$1 name="app$(( $1 + 1 ))"
  fault "rolling restart: drain $name"
  haproxy_cmd "set server portal/$name state drain" >/dev/null
  sleep 2
  snap "$i"
  local pid
  pid="$(pid_of "$i")"
  kill -TERM "$pid"
  gone "$pid"
  fault "rolling restart: $name exited; starting it"
  start_app "$i"
  haproxy_cmd "set server portal/$name state ready" >/dev/null
  # Up again for haproxy (rise 2) before the next one goes.
  for _ in $(seq 100); do
    haproxy_cmd "show servers state portal" | awk -v n="$name" '$4 == n {exit !($6 == 2)}' && break
    sleep 0.2
  done
  fault "rolling restart: $name serving"
}
# Sleeps until OFFSET seconds after the run's start (at once if that has passed).
sleep_until() { sleep "$(awk -v t0="$t0" -v o="$1" -v n="$(now)" 'BEGIN { d = t0 + o - n; print (d > 0 ? d : 0) }')"; }
faults_run() {
  local third=$(( total_secs / 3 ))
  sleep_until $(( total_secs / 6 ))
  fault "PostgreSQL stopped (fast)"
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
  sleep 10
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  fault "PostgreSQL started"
  sleep_until "$third"
  snap 0
  kill -KILL "$(pid_of 0)"
  gone "$(pid_of 0)"
  fault "app1 killed (-9)"
  sleep_until $(( third + 10 ))
  kill -TERM "$(pid_of smtp)"
  gone "$(pid_of smtp)"
  fault "SMTP sink stopped"
  sleep 60
  start_smtp
  fault "SMTP sink started"
  sleep_until $(( 2 * third ))
  fault "app1 starting"
  start_app 0
  fault "app1 ready"
  sleep 5
  rolling 0
  rolling 1
}

log "$users simulated customers for ${run_secs} s (after a ramp of ${ramp_secs} s)$([ $faults = 1 ] && echo ', with faults')"
t0="$(now)"
: >"$work/faults.log"
export LOADTEST_SUMMARY="$work/summary.json" LOADTEST_STEADY_AFTER=$(( ramp_secs + 30 ))
"$loadtest" --host "http://127.0.0.1:$lb_port" --users "$users" --increase-rate "$rate" \
  --run-time "$run_secs" --quiet --goose-log "$work/goose.log" \
  >"$work/loadtest.out" 2>&1 &
goose_pid=$!
if [ "$faults" = 1 ]; then
  faults_run &
  faults_pid=$!
fi
wait "$goose_pid" || { cat "$work/loadtest.out"; exit 1; }
# A schedule that stopped part-way injected less than the table would claim: a failure.
if [ "$faults" = 1 ] && ! wait "$faults_pid"; then
  echo "the fault schedule failed part-way (see $work/faults.log): not every fault was injected" >&2
  exit 1
fi

log "waiting for the outbox to drain (every mail sent; at most 4 minutes)"
for _ in $(seq 240); do
  left="$(psql_ "SELECT COUNT(*) FROM outbox WHERE kind = 'mail' AND sent_at IS NULL")"
  [ "$left" = 0 ] && break
  sleep 1
done
echo "mails not yet sent: $left"
psql_ "SELECT reference_no FROM inquiries" >"$work/inquiries.txt"
for i in 0 1; do snap "$i"; done
{
  for i in 0 1; do
    awk -v k="$ticks" -v n="app$((i + 1))" '{ t += $1; if ($2 > m) m = $2 } END { printf "%s %.1f %d %d\n", n, t / k, m, NR }' \
      "$work/stats.$i"
  done
  printf 'haproxy %s %s 1\n' \
    "$(sed 's/^.*) //' "/proc/$lb_pid/stat" | awk -v k="$ticks" '{ printf "%.1f", ($12 + $13) / k }')" \
    "$(awk '/^VmHWM/ {print $2}' "/proc/$lb_pid/status")"
} >"$work/processes.txt"
grep -ci " 500 \|panicked\|internal error" "$work"/app*.log >"$work/server-errors.txt" || true

lite_args=()
if [ "$faults" = 1 ]; then
  log "SQLite: one process under a write load, killed with -9 and started again"
  for i in 0 1; do kill -TERM "$(pid_of "$i")"; done
  lite="$work/lite.db"
  lite_port="$(port)"
  DATABASE_URL="sqlite://$lite?mode=rwc" MYPAGE_ENV=development PUBLIC_URL=http://127.0.0.1 RUST_LOG=warn \
    "$server" seed-load --customers 300 2>/dev/null | tail -1
  # No SMTP: its mails stay in its outbox (the sink holds the PostgreSQL run's).
  start_lite() {
    env DATABASE_URL="sqlite://$lite" MYPAGE_ENV=development PUBLIC_URL="http://127.0.0.1:$lite_port" \
      LEPTOS_SITE_ADDR="127.0.0.1:$lite_port" LEPTOS_SITE_ROOT="$site_root" RUST_LOG=warn \
      "$server" serve >>"$work/lite.log" 2>&1 &
    lite_pid=$!
    wait_http "http://127.0.0.1:$lite_port/readyz" 30
  }
  start_lite
  LOADTEST_SCENARIO=writer LOADTEST_THINK_MS=200-800 LOADTEST_SUMMARY="$work/lite-summary.json" \
    "$loadtest" --host "http://127.0.0.1:$lite_port" --users 300 --increase-rate 100 --run-time 40 \
    --quiet --goose-log "$work/lite-goose.log" >"$work/lite.out" 2>&1 &
  lite_goose=$!
  sleep 20
  killed_at="$(now)"
  kill -KILL "$lite_pid"
  gone "$lite_pid"
  echo "  SQLite process killed (-9) under the write load"
  t_restart="$(now)"
  start_lite
  echo "  started again, ready in $(since "$t_restart") s (no repair step: it opened the file as it was)"
  wait "$lite_goose" || true
  lite_args=(--sqlite "$lite" --sqlite-summary "$work/lite-summary.json" --sqlite-killed-at "$killed_at")
fi

log "result"
python3 "$ROOT/.ci/loadtest.py" --summary "$work/summary.json" --processes "$work/processes.txt" \
  --inquiries "$work/inquiries.txt" --maildir "$work/maildir" --faults-log "$work/faults.log" \
  --argon2-bound "$bound" --mails-left "$left" --server-errors "$work/server-errors.txt" \
  $([ "$faults" = 1 ] && echo --faults) "${lite_args[@]}"
