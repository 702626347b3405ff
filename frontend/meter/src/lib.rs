//! イッツコム 通信速度測定, the browser's side: a WASM module of its own that the
//! speed test page alone loads (the portal's WASM, every page's first load, carries
//! none of it). It finds the page's server-rendered meter (`#speedtest`: its words and
//! settings in `data-*` attributes), enables the start button and, on a click, runs
//! the test: a ticket from the server, ping, download (with the latency measured
//! meanwhile), upload, then the figures stored and the result page opened.
//!
//! XHR streams counted by their progress events, timers as futures, and the rules of
//! the `speedtest-rules` crate (the portal's too: a dependency on `app` would link every
//! island of the portal into this module) applied every 200 ms.

use rules::{Direction, Measured, Meter, Pings};
use speedtest_rules as rules;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ProgressEvent, XmlHttpRequest};

/// MiB a download request asks for; MiB an upload request sends.
const DOWNLOAD_MIB: u32 = 16;
const UPLOAD_MIB: u32 = 8;
/// Failed streams (network errors, refusals) a phase survives.
const MAX_FAILURES: u32 = 10;
/// The paths (the server's `features::speedtest::routes` and server functions).
const START: &str = "/api/speedtest/start";
const FINISH: &str = "/api/speedtest/finish";
const PING: &str = "/speedtest/ping";
const DOWNLOAD: &str = "/speedtest/download";
const UPLOAD: &str = "/speedtest/upload";
const RESULT: &str = "/help/speedtest?result=";

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Runs when the module is instantiated: wires the page's start button.
#[wasm_bindgen(start)]
pub fn main() {
    let Some(page) = Page::find() else { return };
    let Some(button) = page.el("speed-start") else { return };
    let on_click = Closure::<dyn FnMut()>::new(move || {
        if RUNNING.with(|r| r.replace(true)) {
            return;
        }
        let Some(page) = Page::find() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            page.busy(true);
            page.reset();
            if let Err(failure) = run(&page).await {
                page.phase(None);
                page.error(Some(match failure {
                    Failure::Busy => "data-err-busy",
                    Failure::Throttled => "data-err-throttled",
                    Failure::Full => "data-err-full",
                    Failure::Unavailable => "data-err-unavailable",
                    Failure::SessionEnded => "data-err-session",
                    Failure::Failed => "data-err-failed",
                }));
                page.busy(false);
                RUNNING.with(|r| r.set(false));
            }
        });
    });
    if let Some(b) = button.dyn_ref::<web_sys::HtmlElement>() {
        b.set_onclick(Some(on_click.as_ref().unchecked_ref()));
    }
    // The page lives as long as the handler.
    on_click.forget();
    page.busy(false);
    let _ = button.set_attribute("data-hydrated", "");
}

/// Why a test stopped.
enum Failure {
    /// Another test of the account's is running (409).
    Busy,
    /// The hour's tests are used up (429).
    Throttled,
    /// As many tests run in the portal as it takes at once (503).
    Full,
    /// The figures could not be saved: the portal was unavailable (503), tried again.
    Unavailable,
    /// The session ended meanwhile (401).
    SessionEnded,
    Failed,
}

/// `v` with one decimal (`12.3`), by integer arithmetic: Rust's float formatting
/// would be a sixth of this module.
fn one_decimal(v: f64) -> String {
    let tenths = if v.is_finite() { (v.max(0.0) * 10.0).round() as u64 } else { 0 };
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The page's meter: its elements by id, its words and settings in `data-*`.
struct Page {
    doc: web_sys::Document,
    root: Element,
}

impl Page {
    fn find() -> Option<Self> {
        let doc = web_sys::window()?.document()?;
        let root = doc.get_element_by_id("speedtest")?;
        Some(Self { doc, root })
    }

    fn el(&self, id: &str) -> Option<Element> {
        self.doc.get_element_by_id(id)
    }

    fn data(&self, name: &str) -> String {
        self.root.get_attribute(name).unwrap_or_default()
    }

    fn setting(&self, name: &str, default: u32) -> u32 {
        self.data(name).parse().unwrap_or(default)
    }

    fn text(&self, id: &str, text: &str) {
        if let Some(e) = self.el(id) {
            e.set_text_content(Some(text));
        }
    }

    /// The phase's words (`data-phase-…`), or none.
    fn phase(&self, key: Option<&str>) {
        let words = key.map(|k| self.data(k)).unwrap_or_default();
        self.text("speed-phase", &words);
    }

    fn error(&self, key: Option<&str>) {
        if let Some(e) = self.el("speed-error") {
            match key {
                Some(k) => {
                    e.set_text_content(Some(&self.data(k)));
                    let _ = e.remove_attribute("hidden");
                }
                None => {
                    let _ = e.set_attribute("hidden", "");
                }
            }
        }
    }

    fn busy(&self, busy: bool) {
        if let Some(b) = self.el("speed-start") {
            if busy {
                let _ = b.set_attribute("aria-disabled", "true");
                let _ = b.set_attribute("disabled", "");
            } else {
                let _ = b.remove_attribute("aria-disabled");
                let _ = b.remove_attribute("disabled");
            }
        }
    }

    fn progress(&self, id: &str, share: f64) {
        if let Some(p) = self.el(id).and_then(|e| e.dyn_into::<web_sys::HtmlProgressElement>().ok()) {
            p.set_value((share * 100.0).round());
        }
    }

    fn figure(&self, id: &str, value: Option<f64>) {
        self.text(id, &value.map(one_decimal).unwrap_or_else(|| "–".into()));
    }

    /// The gauge: the speed now, on a log scale up to the plan's speed.
    fn speed(&self, mbps: f64) {
        self.text("speed-now", &one_decimal(mbps));
        let top = f64::from(self.setting("data-scale", 1_000).max(10)).log10() + 1.0;
        let fill = ((mbps.max(0.0) + 1.0).log10() / top * 100.0).clamp(0.0, 100.0);
        if let Some(arc) = self.el("speed-gauge-fill") {
            // The gap longer than the arc: the dash is drawn once.
            let _ = arc.set_attribute("stroke-dasharray", &format!("{} 200", one_decimal(fill)));
        }
    }

    fn reset(&self) {
        self.error(None);
        self.speed(0.0);
        for id in ["progress-ping", "progress-download", "progress-upload"] {
            self.progress(id, 0.0);
        }
        for id in ["live-download", "live-upload", "live-ping", "live-jitter", "live-loaded"] {
            self.figure(id, None);
        }
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A unique query value, so no cache and no resource timing entry is shared.
fn nonce() -> String {
    format!("{}", (js_sys::Math::random() * 1e15) as u64)
}

/// A server function called as a form post from fetch: (status, body).
async fn post(path: &str, body: &str) -> Option<(u16, String)> {
    let xhr = XmlHttpRequest::new().ok()?;
    xhr.open_with_async("POST", path, true).ok()?;
    xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded").ok()?;
    xhr.set_request_header("Accept", "application/json").ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    xhr.send_with_opt_str(Some(body)).ok()?;
    let answered = wasm_bindgen_futures::JsFuture::from(promise).await;
    xhr.set_onload(None);
    xhr.set_onerror(None);
    answered.ok()?;
    Some((xhr.status().ok()?, xhr.response_text().ok()??))
}

/// A new test's ticket.
async fn start() -> Result<String, Failure> {
    match post(START, "").await {
        Some((200, body)) => js_sys::JSON::parse(&body)
            .ok()
            .and_then(|v| js_sys::Reflect::get(&v, &"ticket".into()).ok())
            .and_then(|t| t.as_string())
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or(Failure::Failed),
        Some((409, _)) => Err(Failure::Busy),
        Some((429, _)) => Err(Failure::Throttled),
        Some((503, _)) => Err(Failure::Full),
        _ => Err(Failure::Failed),
    }
}

/// Stores the figures: the result's id.
async fn finish(ticket: &str, m: Measured) -> Result<String, Failure> {
    let mut body = format!(
        "ticket={ticket}&download_kbps={}&upload_kbps={}&ping_us={}&jitter_us={}",
        m.download_kbps, m.upload_kbps, m.ping_us, m.jitter_us
    );
    if let Some(l) = m.loaded_us {
        body.push_str(&format!("&loaded_us={l}"));
    }
    // The figures are the test's 35 s: a moment without the network or the database
    // (503) is waited out and the same figures sent again (the server takes a repeat
    // as the first: the same result), for about as long as the ticket's grace.
    let mut wait_ms = 1_000.0;
    loop {
        match post(FINISH, &body).await {
            Some((200, body)) => {
                return js_sys::JSON::parse(&body)
                    .ok()
                    .and_then(|v| v.as_string())
                    .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
                    .ok_or(Failure::Failed)
            }
            None | Some((503, _)) if wait_ms <= 8_000.0 => {
                sleep(wait_ms).await;
                wait_ms *= 2.0;
            }
            Some((401, _)) => return Err(Failure::SessionEnded),
            Some((503, _)) => return Err(Failure::Unavailable),
            _ => return Err(Failure::Failed),
        }
    }
}

/// Runs the whole test and, once stored, opens its result page.
async fn run(page: &Page) -> Result<(), Failure> {
    let ticket = start().await?;
    let seconds = page.setting("data-seconds", 15);
    let down = rules::DOWNLOAD.shortened(seconds);
    let up = rules::UPLOAD.shortened(seconds);

    page.phase(Some("data-phase-ping"));
    let pings = ping_phase(&ticket, page).await.ok_or(Failure::Failed)?;

    page.phase(Some("data-phase-download"));
    let (download, loaded) = transfer(Kind::Download, down, &ticket, page).await.ok_or(Failure::Failed)?;
    page.figure("live-download", Some(download));
    let loaded_ms = rules::median(&loaded);
    page.figure("live-loaded", loaded_ms);

    page.phase(Some("data-phase-upload"));
    let (upload, _) = transfer(Kind::Upload, up, &ticket, page).await.ok_or(Failure::Failed)?;
    page.figure("live-upload", Some(upload));

    page.phase(Some("data-phase-saving"));
    let m = Measured::from_floats(download, upload, pings.ping, pings.jitter, loaded_ms);
    let id = finish(&ticket, m).await?;
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(&format!("{RESULT}{id}"));
    }
    Ok(())
}

/// One ping: the round trip in ms, the Performance API's (request to first byte) when
/// it is smaller. None when the request failed.
async fn ping_once(ticket: &str) -> Option<f64> {
    let path = format!("{PING}?t={ticket}&r={}", nonce());
    let xhr = XmlHttpRequest::new().ok()?;
    xhr.open_with_async("GET", &path, true).ok()?;
    xhr.set_timeout(10_000);
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    let started = now();
    xhr.send().ok()?;
    let answered = wasm_bindgen_futures::JsFuture::from(promise).await;
    let mut rtt = now() - started;
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_ontimeout(None);
    if answered.is_err() || xhr.status().ok()? != 200 {
        return None;
    }
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let url = format!("{}{path}", web_sys::window()?.location().origin().ok()?);
        if let Ok(entry) =
            perf.get_entries_by_name(&url).pop().dyn_into::<web_sys::PerformanceResourceTiming>()
        {
            let d = entry.response_start() - entry.request_start();
            if d > 0.0 && d < rtt {
                rtt = d;
            }
        }
        perf.clear_resource_timings();
    }
    Some(rtt)
}

/// 10 sequential pings, the first discarded: ping (the minimum) and jitter.
async fn ping_phase(ticket: &str, page: &Page) -> Option<Pings> {
    let mut pings = Pings::default();
    for i in 0..rules::PINGS {
        let rtt = ping_once(ticket).await;
        page.progress("progress-ping", f64::from(i + 1) / f64::from(rules::PINGS));
        if i == 0 {
            continue;
        }
        if let Some(ms) = rtt {
            pings.add(ms);
            page.figure("live-ping", Some(pings.ping));
            page.figure("live-jitter", Some(pings.jitter));
        }
    }
    // Half the pings lost: the line (or the server) is not answering.
    (pings.count() >= rules::PINGS / 2).then_some(pings)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Download,
    Upload,
}

/// An XHR event handler kept alive while its request may call it.
type Handler = Closure<dyn FnMut(ProgressEvent)>;

/// The streams of one direction, shared by their event handlers.
struct Streams {
    kind: Kind,
    url: String,
    blob: Option<web_sys::Blob>,
    stopped: Cell<bool>,
    /// The server refused a stream (401): the ticket is over, the phase fails.
    refused: Cell<bool>,
    /// Bytes counted since the last sample.
    bytes: Cell<f64>,
    failures: Cell<u32>,
    xhrs: RefCell<Vec<XmlHttpRequest>>,
    handlers: RefCell<Vec<Handler>>,
}

impl Streams {
    /// Opens one stream; when it ends it opens the next in its place, until stopped.
    fn open(self: &Rc<Self>) {
        if self.stopped.get() {
            return;
        }
        let Ok(xhr) = XmlHttpRequest::new() else { return };
        let url = match self.kind {
            Kind::Download => format!("{}&size={DOWNLOAD_MIB}&r={}", self.url, nonce()),
            Kind::Upload => format!("{}&r={}", self.url, nonce()),
        };
        let method = if self.kind == Kind::Download { "GET" } else { "POST" };
        if xhr.open_with_async(method, &url, true).is_err() {
            return;
        }
        let seen = Rc::new(Cell::new(0.0_f64));
        let progress = {
            let (me, seen) = (self.clone(), seen.clone());
            Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
                if me.stopped.get() {
                    return;
                }
                let loaded = e.loaded();
                let delta = loaded - seen.get();
                seen.set(loaded);
                if delta > 0.0 {
                    me.bytes.set(me.bytes.get() + delta);
                }
            })
        };
        // A stream that ended: the next one in its place. One the server refused (401:
        // the ticket is over) ends the phase; another failure (a network error, a
        // 429) is retried after a pause, at most MAX_FAILURES times a phase.
        let ended = {
            let me = self.clone();
            Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| match me.release(&e) {
                Some(200) => me.open(),
                Some(401) => me.refused.set(true),
                _ => {
                    me.failures.set(me.failures.get() + 1);
                    if me.failures.get() < MAX_FAILURES {
                        let me = me.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            sleep(250.0).await;
                            me.open();
                        });
                    }
                }
            })
        };
        match self.kind {
            Kind::Download => {
                xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
                xhr.set_onprogress(Some(progress.as_ref().unchecked_ref()));
            }
            Kind::Upload => {
                if let Ok(upload) = xhr.upload() {
                    upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
                }
            }
        }
        xhr.set_onload(Some(ended.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(ended.as_ref().unchecked_ref()));
        let sent = match (&self.kind, &self.blob) {
            (Kind::Upload, Some(blob)) => xhr.send_with_opt_blob(Some(blob)),
            _ => xhr.send(),
        };
        if sent.is_err() {
            return;
        }
        self.xhrs.borrow_mut().push(xhr);
        self.handlers.borrow_mut().extend([progress, ended]);
    }

    /// Lets go of an ended request (its target), so its response's bytes are freed:
    /// its status (0 for a network error).
    fn release(&self, e: &ProgressEvent) -> Option<u16> {
        let done = e.target().and_then(|t| t.dyn_into::<XmlHttpRequest>().ok())?;
        self.xhrs.borrow_mut().retain(|x| x != &done);
        done.status().ok()
    }

    /// Stops every stream: handlers detached first, so none runs after its closure is
    /// dropped.
    fn stop(&self) {
        self.stopped.set(true);
        for xhr in self.xhrs.borrow_mut().drain(..) {
            xhr.set_onprogress(None);
            xhr.set_onload(None);
            xhr.set_onerror(None);
            if let Ok(upload) = xhr.upload() {
                upload.set_onprogress(None);
            }
            let _ = xhr.abort();
        }
        self.handlers.borrow_mut().clear();
    }
}

/// An upload body of `UPLOAD_MIB` MiB: one random MiB (the browser's CSPRNG, 64 KiB a
/// call) repeated.
fn upload_blob() -> Option<web_sys::Blob> {
    const MIB: u32 = 1 << 20;
    let chunk = js_sys::Uint8Array::new_with_length(MIB);
    let crypto = web_sys::window()?.crypto().ok()?;
    for offset in (0..MIB).step_by(65_536) {
        let part = chunk.subarray(offset, offset + 65_536);
        crypto.get_random_values_with_array_buffer_view(&part).ok()?;
    }
    let parts = js_sys::Array::new();
    for _ in 0..UPLOAD_MIB {
        parts.push(&chunk);
    }
    web_sys::Blob::new_with_u8_array_sequence(&parts).ok()
}

/// One direction: its streams started 300 ms apart, sampled every 200 ms until the
/// time is up. The speed (Mbps) and, for the download, the round trips measured
/// meanwhile (after the grace time).
async fn transfer(kind: Kind, dir: Direction, ticket: &str, page: &Page) -> Option<(f64, Vec<f64>)> {
    let url = match kind {
        Kind::Download => format!("{DOWNLOAD}?t={ticket}"),
        Kind::Upload => format!("{UPLOAD}?t={ticket}"),
    };
    let blob = if kind == Kind::Upload { Some(upload_blob()?) } else { None };
    let streams = Rc::new(Streams {
        kind,
        url,
        blob,
        stopped: Cell::new(false),
        refused: Cell::new(false),
        bytes: Cell::new(0.0),
        failures: Cell::new(0),
        xhrs: RefCell::new(Vec::new()),
        handlers: RefCell::new(Vec::new()),
    });
    let (progress, live) = if kind == Kind::Download {
        ("progress-download", "live-download")
    } else {
        ("progress-upload", "live-upload")
    };
    let grace_done = Rc::new(Cell::new(false));
    // The streams, one every 300 ms.
    {
        let streams = streams.clone();
        wasm_bindgen_futures::spawn_local(async move {
            for i in 0..dir.streams {
                if i > 0 {
                    sleep(dir.stagger_ms).await;
                }
                streams.open();
            }
        });
    }
    // During the download: latency under load, one ping after another.
    let loaded = Rc::new(RefCell::new(Vec::new()));
    if kind == Kind::Download {
        let (streams, grace_done, loaded, ticket) =
            (streams.clone(), grace_done.clone(), loaded.clone(), ticket.to_string());
        let live = Page::find();
        wasm_bindgen_futures::spawn_local(async move {
            while !streams.stopped.get() {
                if !grace_done.get() {
                    sleep(100.0).await;
                    continue;
                }
                if let Some(ms) = ping_once(&ticket).await {
                    if !streams.stopped.get() {
                        loaded.borrow_mut().push(ms);
                        if let Some(page) = &live {
                            page.figure("live-loaded", rules::median(&loaded.borrow()));
                        }
                    }
                }
            }
        });
    }
    let mut meter = Meter::new(dir, now());
    let speed = loop {
        sleep(rules::SAMPLE_MS).await;
        meter.add(streams.bytes.replace(0.0));
        let s = meter.sample(now());
        grace_done.set(meter.grace_done());
        page.speed(s.mbps);
        page.progress(progress, s.progress);
        page.figure(live, meter.grace_done().then_some(s.mbps));
        if s.done || streams.refused.get() || streams.failures.get() >= MAX_FAILURES {
            break s.mbps;
        }
    };
    let failed = streams.refused.get() || streams.failures.get() >= MAX_FAILURES;
    streams.stop();
    page.speed(0.0);
    let samples = loaded.borrow().clone();
    // Refused, or failing again and again: no figure to report.
    (!failed).then_some((speed, samples))
}
