#!/usr/bin/env bash
# The run command (`npm start`): installs what is missing, builds, migrates the SQLite
# database, loads the demo data when it is empty, and serves the portal at
# http://127.0.0.1:3000 with live reload.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The invoices' PDF font (IPAex Gothic).
ensure_apt fonts-ipaexfont-gothic
ensure_rust_tools
ensure_npm

log "building"
build_meter
cargo leptos build

export DATABASE_URL="${DATABASE_URL:-sqlite://data/mypage.db}"
# The server fails closed (production); this local demo is development: /dev/mailbox.
export MYPAGE_ENV="${MYPAGE_ENV:-development}"
log "preparing the database ($DATABASE_URL)"
"$CARGO_TARGET_DIR/debug/server" migrate
"$CARGO_TARGET_DIR/debug/server" seed-demo --if-empty

log "serving http://127.0.0.1:3000 (Ctrl-C stops)"
exec cargo leptos watch
