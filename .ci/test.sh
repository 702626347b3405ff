#!/usr/bin/env bash
# The test command (`npm test`): installs what is missing, then runs every test:
# unit, integration on SQLite and on a throwaway PostgreSQL, and the Playwright suite
# (desktop, phone, JavaScript disabled) against the release build, and Lighthouse.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/.ci/pg.sh"

started=$(date +%s)
ensure_apt chromium postgresql fonts-noto-cjk fonts-ipaexfont-gothic poppler-utils python3 python3-aiosmtpd
ensure_rust_tools
ensure_npm

log "formatting"
cargo fmt --all --check

log "every query of a feature in its store.rs"
# The features are there and their stores hold queries (a moved folder must not make
# this check pass on nothing); a query is sqlx's, by path or imported.
grep -rqE "sqlx::query" app/src/features --include=store.rs ||
  { echo "no query found in app/src/features/*/store.rs: the check below would see nothing" >&2; exit 1; }
if grep -rnE "sqlx::query|\bquery(_as|_scalar)?(::<.*>)?\(|use sqlx::.*query" app/src/features --include=*.rs |
  grep -v "/store.rs:"; then
  echo "the queries above are outside a feature's store.rs" >&2
  exit 1
fi

log "lints (clippy on the server and the browser builds; warnings are errors)"
cargo clippy -p app -p server -p speedtest-rules --features app/ssr --all-targets -- -D warnings
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/front" \
  cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/front" \
  cargo clippy -p meter --target wasm32-unknown-unknown -- -D warnings

log "unit tests (app: domain, i18n, configuration, database helpers; the speed test's rules)"
cargo test -p app -p speedtest-rules --features app/ssr --lib

log "integration tests on SQLite and PostgreSQL"
trap pg_stop EXIT
pg_start
cargo test -p server
pg_stop

bash "$ROOT/.ci/build.sh"

log "end-to-end tests (Playwright in Debian's Chromium)"
export SERVER_BIN="$CARGO_TARGET_DIR/release/server"
npx playwright test -c end2end/playwright.config.ts

log "Lighthouse (mobile) on /login and / logged in"
LIGHTHOUSE_NO_BUILD=1 bash "$ROOT/.ci/lighthouse.sh"

log "all tests passed in $(( $(date +%s) - started )) s"
