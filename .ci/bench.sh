#!/usr/bin/env bash
# The benchmarks (`npm run bench`): builds the release (`npm run build`), serves it on
# a fresh demo database, and prints one table: the first-load bytes per route in a
# phone emulation (Pixel 7, empty cache, brotli; the service worker allowed and
# blocked), the build files and the main WASM's largest parts (twiggy), and the SSR
# throughput of /login against a bare axum route returning the same bytes from the
# same binary (a ratio measured in one run), with p50/p99 latencies, and the time to
# make the PDFs (an invoice, the contract document) on request, and what the speed
# test's endpoints deliver on the loopback.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt chromium wrk
bash "$ROOT/.ci/build.sh" >/dev/null

addr="${BENCH_ADDR:-127.0.0.1:3200}"
serve_demo "$addr"

log "first load per route (Pixel 7, empty cache, Accept-Encoding: br, gzip; the service worker allowed, as on a phone, and blocked)"
node "$ROOT/end2end/bench/first-load.mjs" "http://$addr" >"$dir/first-load.json"
node -e '
const r = require(process.argv[1]);
const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " KB";
console.log("route".padEnd(18) + "measured".padEnd(14) + "worker".padEnd(10) + "bytes on the wire  requests   (largest files)");
for (const x of r) {
  const top = x.files.sort((a, b) => b.bytes - a.bytes).slice(0, 3)
    .map((f) => `${f.url.split("?")[0]}${f.by === "worker" ? " (worker)" : ""} ${(f.bytes / 1000).toFixed(1)}`).join(", ");
  console.log(x.path.padEnd(18) + x.kind.padEnd(14) + x.mode.replace("worker ", "").padEnd(10) + kb(x.bytes)
    + String(x.requests).padStart(10) + "   (" + top + ")");
}' "$dir/first-load.json"

log "build files (raw / brotli as served)"
largest=0; largest_name=
for f in "$ROOT"/target/site/pkg/*.{wasm,js,css} "$ROOT"/target/site/meter/*.{wasm,js}; do
  [ -f "$f" ] || continue
  br=$(stat -c %s "$f.br")
  printf '%-44s %9s B raw %8s B br\n' "$(basename "$f")" "$(stat -c %s "$f")" "$br"
  if [ "$br" -gt "$largest" ]; then largest=$br; largest_name=$(basename "$f"); fi
done
echo "largest file: $largest_name, $largest B brotli"

log "the main WASM's largest contributors (twiggy top: the module as rustc wrote it, before wasm-bindgen and wasm-opt)"
ensure_twiggy
module="$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"
printf 'main WASM as served: %s B raw, %s B brotli; as rustc wrote it (with names): %s B\n' \
  "$(stat -c %s "$ROOT"/target/site/pkg/*.wasm)" "$(stat -c %s "$ROOT"/target/site/pkg/*.wasm.br)" "$(stat -c %s "$module")"
# The custom sections (names, wasm-bindgen's descriptors) are not served: code and data only.
twiggy top -n 40 "$module" | grep -v "custom section\|subsection"

log "SSR throughput: /login vs a bare route returning the same bytes (wrk, 16 connections, 3 rounds of 5 s each, interleaved)"
# On a 2-core machine shared with wrk, one 10 s pair of runs varied by ±10 points from
# run to run; interleaved rounds and their median ratio are steadier.
curl -fs "http://$addr/dev/bench/login-bytes" >/dev/null
run() { wrk -t2 -c16 -d5s --latency -H 'Accept-Encoding: br, gzip' "http://$addr$1"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' <<<"$1"; }
printf '%-26s %12s %10s %10s\n' "route" "requests/s" "p50" "p99"
ratios=()
for round in 1 2 3; do
  bare=$(run /dev/bench/login-bytes)
  page=$(run /login)
  printf '%-26s %12s %10s %10s\n' "/login (rendered) #$round" "$(rps "$page")" "$(pct "$page" 50%)" "$(pct "$page" 99%)"
  printf '%-26s %12s %10s %10s\n' "bare route #$round" "$(rps "$bare")" "$(pct "$bare" 50%)" "$(pct "$bare" 99%)"
  ratios+=("$(awk -v a="$(rps "$page")" -v b="$(rps "$bare")" 'BEGIN { printf "%.1f", 100 * a / b }')")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
  printf "ratio /login ÷ bare: median %.0f %% (rounds %.0f–%.0f %%; target ≥ 50 %%)\n", r[2], r[1], r[3] }'

log "PDFs made on request: 佐藤 花子's invoice and contract document (12 in a row each; target p95 ≤ 300 ms)"
jar="$dir/cookies"
curl -fs -c "$jar" -o /dev/null -H 'Accept: text/html' -H 'Sec-Fetch-Site: same-origin' \
  -d 'itscom_id=hanako@example.com&password=Hanako_2024&next=/' "http://$addr/api/login"
session=$(awk '$6 ~ /session/ {print $6 "=" $7}' "$jar" | head -1)
month=$(TZ=Asia/Tokyo date +%Y-%m)
# Timed one by one with curl, not wrk: an account may have 30 PDFs made in 10 minutes
# (issue 24), and wrk would time the refusals after the 30th. 1 + 12 of each is 26.
printf '%-34s %8s %10s %10s %10s\n' "document" "made" "p50" "p90" "slowest"
for path in "/billing/$month/invoice.pdf" /contract/document.pdf; do
  # The first request loads the font and the engine; it is not counted.
  curl -fs -o /dev/null -H "Cookie: $session" "http://$addr$path"
  times=$(for _ in $(seq 12); do
    curl -fs -o /dev/null -w '%{time_total}\n' -H "Cookie: $session" "http://$addr$path"
  done | sort -n)
  awk -v path="$path" '{ t[NR] = $1 * 1000 } END {
    printf "%-34s %8d %8.1fms %8.1fms %8.1fms\n", path, NR, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.9 + 0.5)], t[NR] }' <<<"$times"
done

log "speed test endpoints on the loopback (one 32 MiB download stream; ping latency, wrk, 1 connection, 5 s)"
ticket=$(curl -fs -X POST -H "Cookie: $session" -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
  "http://$addr/api/speedtest/start" | sed -n 's/.*"ticket":"\([0-9a-f]*\)".*/\1/p')
speed=$(curl -fs -o /dev/null -w '%{speed_download}' -H "Cookie: $session" "http://$addr/speedtest/download?t=$ticket&size=32")
awk -v b="$speed" 'BEGIN { printf "download stream: %.0f MB/s (%.1f Gbit/s) of random bytes from one connection\n", b / 1e6, b * 8 / 1e9 }'
out=$(wrk -t1 -c1 -d5s --latency -H "Cookie: $session" "http://$addr/speedtest/ping?t=$ticket")
printf 'ping endpoint: %s requests/s, p50 %s, p99 %s\n' "$(rps "$out")" "$(pct "$out" 50%)" "$(pct "$out" 99%)"
# Finished, so a second run finds no test of hers running.
curl -fs -o /dev/null -X POST -H "Cookie: $session" -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
  -d "ticket=$ticket&download_kbps=1&upload_kbps=1&ping_us=1&jitter_us=1" "http://$addr/api/speedtest/finish"
