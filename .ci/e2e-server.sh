#!/usr/bin/env bash
# Started by Playwright (webServer): the release server on a fresh SQLite database
# with the demo data, at $E2E_ADDR, sending mail to a real SMTP server (aiosmtpd)
# that stores each message in the Maildir $E2E_MAILDIR, where tests read it.
set -euo pipefail
: "${SERVER_BIN:?set SERVER_BIN to the release server binary}"
: "${E2E_ADDR:?set E2E_ADDR to host:port}"
: "${E2E_MAILDIR:?set E2E_MAILDIR to a folder for received mail}"
dir="$(mktemp -d)"
smtp_port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$E2E_MAILDIR" &
smtp_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done

export DATABASE_URL="sqlite://$dir/e2e.db"
# Plain http on the loopback: development (the server's default is production).
export MYPAGE_ENV=development
# The speed test's short runs (?duration=3) may be verified, as customers' 15 s ones are.
export SPEEDTEST_MIN_SECONDS=1
# One proxy: tests that walk many screens send X-Forwarded-For to count as a client of
# their own; the others are counted by the peer address (no header).
export TRUSTED_PROXY_HOPS=1
export SMTP_URL="smtp://127.0.0.1:$smtp_port"
export PUBLIC_URL="http://$E2E_ADDR"
export LEPTOS_SITE_ADDR="$E2E_ADDR"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/target/site}"
"$SERVER_BIN" seed-demo
"$SERVER_BIN" serve &
pid=$!
trap 'kill -TERM $pid $smtp_pid 2>/dev/null; wait $pid; rm -rf "$dir"' EXIT TERM INT
wait $pid
