#!/usr/bin/env bash
# `npm run lighthouse`: Lighthouse (npm `lighthouse`, pinned in package.json) in
# Debian's Chromium, mobile settings (its defaults: a mid-range phone, slow 4G, 4× CPU
# slowdown), on /login and on / logged in as the demo customer 佐藤 花子, three runs a
# page (Lighthouse's advice against the variance of one run): the median run by
# performance must reach performance 95, accessibility 100, best practices 100, SEO 90.
# Keeps every run's HTML and JSON report in end2end/lighthouse/. Builds first unless LIGHTHOUSE_NO_BUILD=1 (the
# test command has just built).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt chromium
ensure_npm
[ "${LIGHTHOUSE_NO_BUILD:-}" = 1 ] || bash "$ROOT/.ci/build.sh" >/dev/null

addr="${LIGHTHOUSE_ADDR:-127.0.0.1:3300}"
out="$ROOT/end2end/lighthouse"
rm -rf "$out"
mkdir -p "$out"
serve_demo "$addr"

# A session of 佐藤 花子's, logged in as the form does (its cookie goes with each
# request Lighthouse makes for /).
curl -fs -o /dev/null -c "$dir/cookies" -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
  --data-urlencode 'itscom_id=hanako@example.com' --data-urlencode 'password=Hanako_2024' \
  "http://$addr/api/login"
cookie="$(sed 's/^#HttpOnly_//' "$dir/cookies" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }')"
[ -n "$cookie" ] || { echo "could not log in as the demo customer" >&2; exit 1; }

export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
run() { # name, path, [extra args]
  local name="$1" path="$2"
  shift 2
  log "lighthouse $path"
  # A run the tool itself fails (Chromium's trace lost: NO_NAVSTART, seen on a loaded
  # machine) is run once more; the scores are judged below from the reports, so a
  # second try never hides a low score.
  local try
  for try in 1 2; do
    npx lighthouse "http://$addr$path" --quiet --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output=html --output-path="$out/$name" "$@" && return 0
    [ "$try" = 1 ] && log "lighthouse $path: the tool failed; once more"
  done
  return 1
}
for i in 1 2 3; do
  run "login-$i" /login
  run "top-$i" / --extra-headers="{\"Cookie\": \"$cookie\"}"
done

node - "$out" <<'JS'
const fs = require('node:fs');
const out = process.argv[2];
const floor = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 90 };
let failed = false;
for (const name of ['login', 'top']) {
  const runs = [1, 2, 3].map((i) => JSON.parse(fs.readFileSync(`${out}/${name}-${i}.report.json`, 'utf8')));
  const perf = (r) => r.categories.performance.score ?? 0;
  console.log(`${name}: performance of the three runs ${runs.map((r) => Math.round(perf(r) * 100)).join(', ')}`);
  const r = runs.sort((a, b) => perf(a) - perf(b))[1];
  if (r.finalDisplayedUrl !== r.requestedUrl) { console.log(`${name}: redirected to ${r.finalDisplayedUrl}`); failed = true; }
  const line = Object.entries(floor).map(([id, min]) => {
    const score = Math.round((r.categories[id].score ?? 0) * 100);
    if (score < min) {
      failed = true;
      const lost = r.categories[id].auditRefs
        .filter((a) => a.weight > 0 && (r.audits[a.id].score ?? 1) < 1)
        .map((a) => `${a.id} ${r.audits[a.id].displayValue ?? r.audits[a.id].score}`);
      console.log(`  ${name} ${id} ${score} < ${min}: ${lost.join('; ')}`);
    }
    return `${id} ${score}`;
  });
  const m = (id) => r.audits[id]?.displayValue ?? '';
  console.log(`${name.padEnd(6)} ${line.join(', ')}  (FCP ${m('first-contentful-paint')}, LCP ${m('largest-contentful-paint')}, TBT ${m('total-blocking-time')}, CLS ${m('cumulative-layout-shift')})`);
}
process.exit(failed ? 1 : 0);
JS
