# Shared by the run and test commands: installs whatever is missing, then gets out of
# the way. A second run skips what is already there. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build output lives outside the clone, so a fresh clone (CI) reuses compiled crates.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mypage/target}"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the exact `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)"
TWIGGY_VERSION=0.8.0

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages, installed only when missing.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

# The Rust side: the WASM target, cargo-leptos, and the wasm-bindgen CLI matching the
# pinned crate (cargo-leptos would otherwise try to download one).
ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    log "adding clippy"
    rustup component add clippy
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    env -u CARGO_TARGET_DIR cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once)"
    # Not --locked: its lock file wants a webpki-roots release the registry lacks.
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# twiggy, the code size profiler `npm run bench` reads the main WASM with (from
# crates.io, built once like the other tools).
ensure_twiggy() {
  if ! twiggy --version 2>/dev/null | grep -q "$TWIGGY_VERSION"; then
    log "installing twiggy $TWIGGY_VERSION (once)"
    env -u CARGO_TARGET_DIR cargo install twiggy --locked --version "$TWIGGY_VERSION"
  fi
}

# npm build tools (Tailwind, wasm-opt from binaryen, Playwright), from package-lock.json.
ensure_npm() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund
  fi
}

# The speed test's measuring module (frontend/meter): a small WASM of its own that the
# speed test page alone loads, so no other page's first load carries it. Written with
# content-hashed names into public/meter/ (ignored by git), which cargo-leptos copies
# into the site on every build and watch, and precompresses in release builds;
# public/meter/manifest.txt names the files for the server. Run it before
# `cargo leptos build`.
build_meter() {
  local out="$ROOT/public/meter" tmp wasm_hash js_hash
  # A fixed work folder beside the build output: nothing left in /tmp when a step fails.
  tmp="$CARGO_TARGET_DIR/meter-bindgen"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "speed test module (frontend/meter)"
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR/front" \
    cargo build -p meter --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm-bindgen --target web --no-typescript --out-dir "$tmp" --out-name meter \
    "$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/meter.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$tmp/meter_bg.wasm" -o "$tmp/meter_bg.wasm"
  wasm_hash="$(sha256sum "$tmp/meter_bg.wasm" | cut -c1-20)"
  js_hash="$(sha256sum "$tmp/meter.js" | cut -c1-20)"
  rm -rf "$out"
  mkdir -p "$out"
  cp "$tmp/meter.js" "$out/meter.$js_hash.js"
  cp "$tmp/meter_bg.wasm" "$out/meter.$wasm_hash.wasm"
  printf 'js: meter.%s.js\nwasm: meter.%s.wasm\n' "$js_hash" "$wasm_hash" > "$out/manifest.txt"
}

# The release build serving the demo data on a fresh SQLite database at $1
# (host:port), in development mode, until the script exits; $dir is its scratch
# folder (removed on exit, its log in $dir/server.log), $pid its process.
serve_demo() {
  local addr="$1"
  dir="$(mktemp -d)"
  export DATABASE_URL="sqlite://$dir/demo.db" MYPAGE_ENV=development PUBLIC_URL="http://$addr"
  export LEPTOS_SITE_ADDR="$addr" LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn
  "$CARGO_TARGET_DIR/release/server" seed-demo >/dev/null
  "$CARGO_TARGET_DIR/release/server" serve >"$dir/server.log" 2>&1 &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
  for _ in $(seq 100); do curl -fs "http://$addr/healthz" >/dev/null && break; sleep 0.1; done
}
