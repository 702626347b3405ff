#!/usr/bin/env bash
# The billing benchmark (`npm run bench:billing`, issue 26): builds the server (release),
# loads synthetic customers (`server seed-load`) into a throwaway PostgreSQL (10,000 and
# 100,000) and into SQLite (10,000), runs `server bill` for the month after the
# synthetic invoices' twelve, and prints one table: customers, seconds for seed-load and
# for bill, invoices issued a second, and each command's peak RSS (/usr/bin/time -v).
# Then two bill processes at once on the largest PostgreSQL database, for another new
# month. The run should be linear: 10× the customers take about 10× the time, in the
# same memory. BENCH_SIZES="10000 100000" sets the PostgreSQL sizes (the first is also
# SQLite's). PostgreSQL runs with fsync off (pg.sh): the numbers are the code's, not a
# disk's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/.ci/pg.sh"

ensure_apt time postgresql
read -r -a sizes <<<"${BENCH_SIZES:-10000 100000}"

log "release build of the server (features as npm run build: ssr)"
cargo build --release -p server --no-default-features --features ssr

work="$(mktemp -d)"
trap 'pg_stop; rm -rf "$work"' EXIT
# A copy: the shared build folder's binary may be rebuilt while the benchmark runs.
cp "$CARGO_TARGET_DIR/release/server" "$work/server"
"$work/server" seed-load --help >/dev/null

pg_start
export MYPAGE_ENV=development PUBLIC_URL=http://127.0.0.1:3000 RUST_LOG=warn
# The synthetic invoices end with this month (Japan time): bill the next, then the one after.
this_month="$(TZ=Asia/Tokyo date +%Y-%m-01)"
next="$(date -d "$this_month +1 month" +%Y-%m)"
after="$(date -d "$this_month +2 month" +%Y-%m)"

# measure NAME COMMAND…: runs it under /usr/bin/time -v; its output in $work/NAME.*
measure() {
  local name="$1"; shift
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    cat "$work/$name.out" "$work/$name.err" "$work/$name.time" >&2
    echo "$name failed" >&2
    exit 1
  fi
}
# Wall-clock seconds and peak RSS (MB) of a measured command.
seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$work/$1.time"
}
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$1.time"; }
issued() { sed -n 's/^[0-9-]*: \([0-9]*\) invoices issued.*/\1/p' "$work/$1.out"; }

rows=()
row() { # database customers name
  local db="$1" n="$2" name="$3"
  local s b i
  s="$(seconds "seed-$name")"; b="$(seconds "bill-$name")"; i="$(issued "bill-$name")"
  [ "$i" -eq "$n" ] || { echo "bill $name issued $i invoices, not $n" >&2; exit 1; }
  rows+=("$(printf '%-11s %9s %12s %9s %11s %14s %14s' "$db" "$n" "$s" "$b" \
    "$(awk -v i="$i" -v b="$b" 'BEGIN { printf "%.0f", i / (b > 0 ? b : 0.1) }')" "$(rss_mb "seed-$name")" "$(rss_mb "bill-$name")")")
}

for n in "${sizes[@]}"; do
  log "PostgreSQL, $n customers: seed-load, then bill $next"
  psql_db="bench_$n"
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $psql_db" postgres
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$psql_db"
  measure "seed-pg-$n" "$work/server" seed-load --customers "$n"
  measure "bill-pg-$n" "$work/server" bill --ahead --month "$next"
  tail -n 2 "$work/bill-pg-$n.err" | sed 's/^/  /'
  row PostgreSQL "$n" "pg-$n"
done

n="${sizes[0]}"
log "SQLite, $n customers: seed-load, then bill $next"
export DATABASE_URL="sqlite://$work/bench.db"
measure "seed-sqlite-$n" "$work/server" seed-load --customers "$n"
measure "bill-sqlite-$n" "$work/server" bill --ahead --month "$next"
row SQLite "$n" "sqlite-$n"

n="${sizes[-1]}"
log "PostgreSQL, $n customers: two bill processes at once for $after"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench_$n"
started=$(date +%s.%N)
measure "two-a" "$work/server" bill --ahead --month "$after" &
first=$!
measure "two-b" "$work/server" bill --ahead --month "$after" &
second=$!
wait "$first"
wait "$second"
both="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
ia="$(issued two-a)"; ib="$(issued two-b)"
[ $((ia + ib)) -eq "$n" ] || { echo "two runs issued $ia + $ib, not $n" >&2; exit 1; }

log "billing benchmark (release build; seconds are wall-clock; RSS is each command's peak)"
printf '%-11s %9s %12s %9s %11s %14s %14s\n' database customers "seed-load s" "bill s" invoices/s "seed RSS MB" "bill RSS MB"
printf '%s\n' "${rows[@]}"
printf '%-11s %9s %12s %9s %11s %14s %14s   (two processes at once: %s + %s invoices)\n' \
  "PostgreSQL" "$n" "-" "$both" "$(awk -v i="$n" -v b="$both" 'BEGIN { printf "%.0f", i / b }')" "-" \
  "$(( $(rss_mb two-a) > $(rss_mb two-b) ? $(rss_mb two-a) : $(rss_mb two-b) ))" "$ia" "$ib"
if [ "${#sizes[@]}" -gt 1 ]; then
  small="${sizes[0]}"; large="${sizes[-1]}"
  awk -v ss="$(seconds "seed-pg-$small")" -v sl="$(seconds "seed-pg-$large")" \
      -v bs="$(seconds "bill-pg-$small")" -v bl="$(seconds "bill-pg-$large")" \
      -v rs="$(rss_mb "bill-pg-$small")" -v rl="$(rss_mb "bill-pg-$large")" -v k="$((large / small))" \
    'BEGIN { printf "PostgreSQL %d× the customers: seed-load %.1f×, bill %.1f× the time, bill RSS %.2f× (linear: %d×, %d×, 1×)\n",
             k, sl / ss, bl / bs, rl / rs, k, k }'
fi
