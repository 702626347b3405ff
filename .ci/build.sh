#!/usr/bin/env bash
# The release build (`npm run build`): server binary, WASM islands, CSS, with
# content-hashed file names (hash.txt beside the binary names them) and every site file
# also written brotli- and gzip-compressed (`.br`, `.gz`) for the server to send as is.
# Used by the test command, by production and by the benchmarks.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust_tools
ensure_npm

log "release build (server + WASM + CSS, hashed and precompressed)"
build_meter
cargo leptos build --release --precompress

# The release's order, beside the hashes: the service worker's address names it, so a
# page of the release before (a process not yet restarted in a rolling restart) leaves
# this release's worker in charge (app::worker_url). The commit's time, or
# MYPAGE_RELEASE_ORDER (a rollback: an order above the withdrawn release's); the build's
# time, said, without git.
hashes="$CARGO_TARGET_DIR/release/hash.txt"
order="${MYPAGE_RELEASE_ORDER:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || true)}"
if ! [[ "$order" =~ ^[0-9]{1,12}$ ]]; then
  order="$(date +%s)"
  log "no commit time (not a git checkout?): the release's order is the build's time, $order"
fi
sed -i '/^release:/d' "$hashes"
echo "release: $order" >>"$hashes"

shopt -s nullglob
for f in "$ROOT"/target/site/pkg/*.wasm "$ROOT"/target/site/pkg/*.js "$ROOT"/target/site/pkg/*.css \
  "$ROOT"/target/site/meter/*.wasm "$ROOT"/target/site/meter/*.js; do
  printf '%-40s %8s B raw %8s B br\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(stat -c %s "$f.br" 2>/dev/null || echo -)"
done
