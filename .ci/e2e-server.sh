#!/usr/bin/env bash
# Started by Playwright (webServer): the release server on a fresh SQLite database
# with the demo data, at $E2E_ADDR.
set -euo pipefail
: "${SERVER_BIN:?set SERVER_BIN to the release server binary}"
: "${E2E_ADDR:?set E2E_ADDR to host:port}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/e2e.db"
export LEPTOS_SITE_ADDR="$E2E_ADDR"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/target/site}"
export LEPTOS_OUTPUT_NAME=mypage
export LEPTOS_ENV=PROD
"$SERVER_BIN" seed-demo
"$SERVER_BIN" serve &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -rf "$dir"' EXIT TERM INT
wait $pid
