//! The measuring endpoints: plain routes (not server functions: they stream), each
//! opened by a running test's ticket (`?t=`) *and* the session cookie that started it.
//!
//! - `GET /speedtest/download?t=…&size=MiB`: incompressible random bytes (a fresh
//!   ChaCha stream, never a repeated block), never compressed (the compression layer
//!   leaves `application/octet-stream` alone) and `no-store, no-transform`; at most
//!   32 MiB a request, and the stream ends when the ticket does.
//! - `POST /speedtest/upload?t=…`: a sink; the body is read and dropped, at most
//!   32 MiB a request (413 beyond).
//! - `GET /speedtest/ping?t=…`: an empty 200.
//!
//! Abuse answers: 401 without a valid ticket and live session, 429 beyond 8 streams at
//! once for a ticket (counted in the test's row: every server process's together),
//! 413 for an upload over the cap.

use super::store;
use crate::ssr::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Largest download a request asks for, and its default.
pub const DOWNLOAD_MAX_MIB: u64 = 32;
pub const DOWNLOAD_DEFAULT_MIB: u64 = 16;
/// Largest upload body a request may send.
pub const UPLOAD_MAX_BYTES: u64 = 32 * 1024 * 1024;
/// The bytes of one body chunk.
const CHUNK: usize = 64 * 1024;

/// A running test as the endpoints know it.
#[derive(Debug, Clone)]
struct Ticket {
    /// The ticket's stored hash (the test's key).
    hash: String,
    session_hash: String,
    expires_at: i64,
}

fn tickets() -> &'static Mutex<HashMap<String, Ticket>> {
    static TICKETS: OnceLock<Mutex<HashMap<String, Ticket>>> = OnceLock::new();
    TICKETS.get_or_init(Default::default)
}

/// Forgets a finished test's ticket in this process (other processes drop theirs when
/// it expires).
pub fn forget(ticket: &str) {
    forget_hash(&crate::ssr::auth::sha256_hex(ticket));
}

fn forget_hash(hash: &str) {
    if let Ok(mut map) = tickets().lock() {
        map.remove(hash);
    }
}

/// The ticket of the request, if it is running, unexpired and was started by the
/// session whose cookie the request carries, which is still alive. `fresh`: checked in
/// the database now (downloads and uploads: one query per stream of megabytes, and a
/// test finished or a session ended in another server process stops them at once);
/// otherwise (pings) as this process checked it last, so a ping costs no query (its
/// time would be measured as latency).
async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    fresh: bool,
) -> Result<Ticket, Response> {
    let unauthorized = || (no_store(), crate::error::AppError::Unauthorized).into_response();
    let ticket = query.get("t").filter(|t| t.len() == 64).ok_or_else(unauthorized)?;
    let name = crate::ssr::auth::session::cookie_name(&state.settings);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .find_map(|v| crate::cookies::find(v.to_str().ok(), name).map(str::to_owned))
        .ok_or_else(unauthorized)?;
    let session_hash = crate::ssr::auth::sha256_hex(&cookie);
    let hash = crate::ssr::auth::sha256_hex(ticket);
    let now = crate::ssr::now();
    let cached = tickets().lock().ok().and_then(|map| map.get(&hash).cloned());
    let found = match cached {
        Some(t) if !fresh => Some(t),
        cached => {
            let row = async {
                let mut conn = state.db.conn().await?;
                store::ticket(&mut conn, &hash, &session_hash, now).await
            }
            .await
            .map_err(|e| crate::error::AppError::from(e).into_response())?;
            match (row, cached) {
                (None, _) => {
                    forget_hash(&hash);
                    None
                }
                (Some(_), Some(t)) => Some(t),
                (Some(r), None) => {
                    let t =
                        Ticket { hash: hash.clone(), session_hash: r.session_hash, expires_at: r.expires_at };
                    let mut map =
                        tickets().lock().map_err(|_| crate::error::AppError::Internal.into_response())?;
                    map.retain(|_, v| v.expires_at > now);
                    Some(map.entry(hash.clone()).or_insert(t).clone())
                }
            }
        }
    };
    match found {
        Some(t) if t.expires_at > now && t.session_hash == session_hash => Ok(t),
        _ => Err(unauthorized()),
    }
}

/// Nothing of the speed test is kept or changed on the way (the security layer's
/// policy for `/speedtest/` says the same).
pub const NO_STORE: &str = "no-store, no-transform";

fn no_store() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE))]
}

/// One open stream of a running test: one of its places ([`store::open_stream`]) and
/// what it has moved. Its end ([`Stream::end`]) adds that to the test's count and gives
/// the place back, in one statement; a stream dropped on the way (the browser aborts
/// its streams at a phase's end) ends in the background.
struct Stream {
    db: crate::ssr::db::Db,
    ticket_hash: String,
    direction: store::Direction,
    bytes: u64,
    first_ms: i64,
    open: bool,
}

impl Stream {
    /// A stream of `ticket`'s test, in one of its places; None when all are taken.
    async fn open(
        state: &AppState,
        ticket: &Ticket,
        direction: store::Direction,
    ) -> Result<Option<Self>, Response> {
        let taken = store::open_stream(&state.db, &ticket.hash)
            .await
            .map_err(|e| (no_store(), crate::error::AppError::from(e)).into_response())?;
        Ok(taken.then(|| Stream {
            db: state.db.clone(),
            ticket_hash: ticket.hash.clone(),
            direction,
            bytes: 0,
            first_ms: crate::ssr::now_ms(),
            open: true,
        }))
    }

    /// The end, written before what follows it (a download's last chunk, an upload's
    /// answer): the browser's next stream finds the place free, and the test's finish
    /// the count. Written by a task of its own, which a request cancelled meanwhile
    /// does not stop.
    async fn end(mut self) {
        if let Some(ending) = self.ending() {
            let _ = ending.await;
        }
    }

    fn ending(&mut self) -> Option<tokio::task::JoinHandle<()>> {
        if !std::mem::take(&mut self.open) {
            return None;
        }
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let (db, hash) = (self.db.clone(), std::mem::take(&mut self.ticket_hash));
        let (direction, first_ms) = (self.direction, self.first_ms);
        let bytes = i64::try_from(self.bytes).unwrap_or(i64::MAX);
        Some(runtime.spawn(async move {
            let last_ms = crate::ssr::now_ms();
            if let Err(e) = store::stream_ended(&db, &hash, direction, bytes, first_ms, last_ms).await {
                // Its place stays taken until the ticket expires (a minute at most).
                tracing::warn!(error = %e, "speed test: could not write a stream's end");
            }
        }))
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.ending();
    }
}

fn too_large() -> Response {
    (no_store(), crate::error::AppError::TooLarge).into_response()
}

fn too_many() -> Response {
    (no_store(), crate::error::AppError::TooManyAttempts).into_response()
}

/// `GET /speedtest/ping?t=…`: nothing, as fast as it can be said.
pub async fn ping(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match authorize(&state, &headers, &query, false).await {
        Ok(_) => (StatusCode::OK, no_store(), "").into_response(),
        Err(r) => r,
    }
}

/// `GET /speedtest/download?t=…&size=MiB`: `size` MiB (1–32, default 16) of random
/// bytes.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    use rand::{RngCore, SeedableRng};
    let ticket = match authorize(&state, &headers, &query, true).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let stream = match Stream::open(&state, &ticket, store::Direction::Down).await {
        Ok(Some(stream)) => stream,
        Ok(None) => return too_many(),
        Err(r) => return r,
    };
    let mib = query
        .get("size")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(DOWNLOAD_DEFAULT_MIB)
        .clamp(1, DOWNLOAD_MAX_MIB);
    let total = mib * 1024 * 1024;
    let Ok(rng) = rand::rngs::StdRng::from_rng(rand::rngs::OsRng) else {
        return crate::error::AppError::internal("no random generator").into_response();
    };
    let expires_at = ticket.expires_at;
    // (bytes left, generator, the stream while it is open). A chunk counts once it is
    // handed on. The stream ends before its last chunk goes (the server drops a body
    // whose length is all sent without asking it for more), when its ticket does, or,
    // dropped, in the background.
    let body =
        futures_util::stream::unfold((total, rng, Some(stream)), move |(left, mut rng, stream)| async move {
            let mut stream = stream?;
            if left == 0 || crate::ssr::now() >= expires_at {
                stream.end().await;
                return None;
            }
            let n = (left as usize).min(CHUNK);
            let mut chunk = vec![0u8; n];
            rng.fill_bytes(&mut chunk);
            stream.bytes += n as u64;
            let left = left - n as u64;
            let stream = if left == 0 {
                stream.end().await;
                None
            } else {
                Some(stream)
            };
            Some((Ok::<Bytes, std::io::Error>(Bytes::from(chunk)), (left, rng, stream)))
        });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            // Never compressed: the server's compression leaves application/octet-stream
            // alone; `no-transform` asks the same of anything on the way.
            (header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE)),
            (header::CONTENT_LENGTH, HeaderValue::from(total)),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// `POST /speedtest/upload?t=…`: reads the body and drops it; 413 over the cap.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Body,
) -> Response {
    let ticket = match authorize(&state, &headers, &query, true).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > UPLOAD_MAX_BYTES) {
        return too_large();
    }
    let mut stream = match Stream::open(&state, &ticket, store::Direction::Up).await {
        Ok(Some(stream)) => stream,
        Ok(None) => return too_many(),
        Err(r) => return r,
    };
    let answer = sink(&mut stream, body).await;
    // Written before the answer: the browser's next stream may follow at once.
    stream.end().await;
    answer
}

/// An upload's body read and dropped, counted in `stream`: the answer.
async fn sink(stream: &mut Stream, body: Body) -> Response {
    use futures_util::StreamExt;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(bytes) => {
                stream.bytes += bytes.len() as u64;
                if stream.bytes > UPLOAD_MAX_BYTES {
                    return too_large();
                }
            }
            // The browser stopped sending (the phase ended): nothing to answer.
            Err(_) => {
                return (
                    no_store(),
                    crate::error::AppError::invalid("body", crate::domain::FieldError::InvalidFormat),
                )
                    .into_response();
            }
        }
    }
    (StatusCode::OK, no_store(), "").into_response()
}

/// The measuring module's files as the build named them (`meter/manifest.txt` in the
/// site root: `js: <file>` and `wasm: <file>` lines), read once per site root; None
/// (logged, and read again next time) when it was not built.
pub fn meter_files(options: &leptos::config::LeptosOptions) -> Option<super::MeterFiles> {
    static FILES: OnceLock<Mutex<HashMap<String, super::MeterFiles>>> = OnceLock::new();
    let root = options.site_root.to_string();
    let mut known = FILES.get_or_init(Default::default).lock().ok()?;
    if let Some(files) = known.get(&root) {
        return Some(files.clone());
    }
    let read = || {
        let manifest =
            std::fs::read_to_string(std::path::Path::new(&root).join("meter/manifest.txt")).ok()?;
        let file = |key: &str| {
            manifest.lines().find_map(|l| l.strip_prefix(key).map(|f| f.trim().to_string())).filter(|f| {
                !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            })
        };
        Some(super::MeterFiles {
            js: format!("/meter/{}", file("js:")?),
            wasm: format!("/meter/{}", file("wasm:")?),
        })
    };
    match read() {
        Some(files) => Some(known.entry(root).or_insert(files).clone()),
        None => {
            tracing::warn!(site_root = %root, "the speed test's module is not built (meter/manifest.txt): run build_meter");
            None
        }
    }
}
