// The service worker of My Page.
//
// What it keeps: only the static build output (/pkg/: WASM, JS, CSS), the icons, the
// manifest and the offline page. Its install fetches the offline page alone (1.3 KB,
// whole in itself): everything else is kept as the browser asks for it, so a phone's
// first visit downloads nothing it does not show (the large icon is fetched when the
// app is installed, not on every first visit). What it never keeps: pages (they carry personal
// data) and /api/ (server functions): those always go to the network.
//
// Freshness: build output is fetched network-first, so after a release the new WASM
// is used as soon as the browser is online; the cached copy is only a fallback. This
// file is served with Cache-Control: no-cache, and a changed worker replaces the old
// one at once (skipWaiting + clients.claim) and drops the old caches.

const CACHE = 'mypage-static-v1';
const OFFLINE_PAGE = '/offline.html';
const PRECACHE = [OFFLINE_PAGE];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isStaticAsset(url) {
  return (
    url.pathname.startsWith('/pkg/') ||
    url.pathname.startsWith('/icons/') ||
    url.pathname === '/manifest.webmanifest' ||
    url.pathname === OFFLINE_PAGE
  );
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // server functions: network only

  if (request.mode === 'navigate') {
    // Pages: network only; the offline page when there is no network.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
    return;
  }

  if (isStaticAsset(url)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || Response.error())),
    );
  }
});
