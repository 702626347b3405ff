//! PDFs in Japanese (a feature's documents: invoices, receipts, the contract document,
//! each a [`Template`] of the feature's): typst lays them out
//! (its own line breaker handles Japanese; tables break across pages), in the one
//! TrueType font of `PDF_FONT_PATH` (IPAex Gothic). Each document is a typst template
//! fed its data as one JSON string (`sys.inputs.data`), so no value is ever evaluated
//! as markup. The engine and the font are loaded once, on the first document; call
//! [`render`] off the async threads (it is CPU work), through [`render_blocking`]:
//! at most as many renders at once as the machine has cores (the others wait up to
//! [`QUEUE_WAIT`], then get a busy answer), each ended at [`RENDER_LIMIT`] (typst has
//! no cancellation of its own: the world it lays out against stops it at its next
//! look-up of a font, which layout makes for every run of text), and a per-account rate
//! ([`PER_ACCOUNT`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use typst_as_lib::TypstEngine;

/// How long a request waits for a free renderer before it is told the service is busy.
pub const QUEUE_WAIT: Duration = Duration::from_secs(3);
/// How long one document may take to lay out before it is stopped.
pub const RENDER_LIMIT: Duration = Duration::from_secs(10);

/// PDFs an account may have made: 30 in 10 minutes (each costs a core for some
/// milliseconds; a script on a stolen session must not keep the renderers busy).
pub const PER_ACCOUNT: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("pdf-account", 600).free(30).then_wait(60, 600);

/// A typst template of a feature's document (its file name, for typst's diagnostics,
/// and its source): the feature owns it, this layer lays it out.
#[derive(Debug)]
pub struct Template {
    pub name: &'static str,
    pub source: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF font {path} could not be read: {source}")]
    Font { path: String, source: std::io::Error },
    #[error("typst: {0}")]
    Layout(String),
    #[error("the layout took longer than its limit and was stopped")]
    TimedOut,
}

/// The payload a render unwinds with when its time is up.
struct TimeUp;

thread_local! {
    /// The deadline of the render on this thread ([`render_blocking`] sets it).
    static DEADLINE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// A render's world with a deadline: its font look-up (made for every run of text)
/// stops the layout once the time is up.
struct Timed<'a> {
    world: typst_as_lib::TypstWorld<'a>,
    deadline: Instant,
}

impl typst::World for Timed<'_> {
    fn library(&self) -> &typst::utils::LazyHash<typst::Library> {
        self.world.library()
    }
    fn book(&self) -> &typst::utils::LazyHash<typst::text::FontBook> {
        self.world.book()
    }
    fn main(&self) -> typst::syntax::FileId {
        self.world.main()
    }
    fn source(&self, id: typst::syntax::FileId) -> typst::diag::FileResult<typst::syntax::Source> {
        self.world.source(id)
    }
    fn file(&self, id: typst::syntax::FileId) -> typst::diag::FileResult<typst::foundations::Bytes> {
        self.world.file(id)
    }
    fn font(&self, index: usize) -> Option<typst::text::Font> {
        if Instant::now() >= self.deadline {
            std::panic::panic_any(TimeUp);
        }
        self.world.font(index)
    }
    fn today(&self, offset: Option<typst::foundations::Duration>) -> Option<typst::foundations::Datetime> {
        self.world.today(offset)
    }
}

/// A stopped render is not a crash: the panic hook stays silent for it.
fn quiet_time_up() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<TimeUp>() {
                previous(info);
            }
        }));
    });
}

/// The engine of `template`, made on its first document: the font is read once and
/// shared by every template's engine.
fn engine(template: &'static Template, font_path: &std::path::Path) -> Result<Arc<TypstEngine>, PdfError> {
    static FONT: OnceLock<typst::foundations::Bytes> = OnceLock::new();
    static ENGINES: OnceLock<Mutex<HashMap<&'static str, Arc<TypstEngine>>>> = OnceLock::new();
    let engines = ENGINES.get_or_init(Default::default);
    if let Some(engine) = engines.lock().unwrap_or_else(|e| e.into_inner()).get(template.name) {
        return Ok(engine.clone());
    }
    let font = match FONT.get() {
        Some(font) => font.clone(),
        None => {
            let bytes = std::fs::read(font_path)
                .map_err(|source| PdfError::Font { path: font_path.display().to_string(), source })?;
            FONT.get_or_init(|| typst::foundations::Bytes::new(bytes)).clone()
        }
    };
    let built = Arc::new(
        TypstEngine::builder()
            .fonts([font])
            .with_static_source_file_resolver([(template.name, template.source)])
            .build(),
    );
    let mut engines = engines.lock().unwrap_or_else(|e| e.into_inner());
    Ok(engines.entry(template.name).or_insert(built).clone())
}

/// `template` laid out with `data` (serialized to JSON), as PDF bytes.
pub fn render(
    template: &'static Template,
    data: &impl serde::Serialize,
    font_path: &std::path::Path,
) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_string(data).map_err(|e| PdfError::Layout(e.to_string()))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::IntoValue::into_value(json));
    let deadline = DEADLINE.with(|d| d.get()).unwrap_or_else(|| Instant::now() + RENDER_LIMIT);
    let engine = engine(template, font_path)?;
    let world = engine
        .world_builder(template.name)
        .with_inputs(inputs)
        .build()
        .map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    quiet_time_up();
    let timed = Timed { world, deadline };
    let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        typst::compile::<typst_layout::PagedDocument>(&timed)
    }));
    // As the engine does after each document: its memo cache is not kept.
    typst::comemo::evict(0);
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(payload) if payload.is::<TimeUp>() => return Err(PdfError::TimedOut),
        Err(payload) => std::panic::resume_unwind(payload),
    };
    let doc = compiled.output.map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Layout(format!("{e:?}")))
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with
/// RFC 5987's encoding: every byte outside attr-char as %XX).
pub fn content_disposition(ascii_fallback: &str, name: &str) -> String {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{encoded}")
}

/// A PDF download: `no-store` (personal), with its file name.
pub fn download(bytes: Vec<u8>, ascii_name: &str, name: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, HeaderValue, StatusCode};
    let disposition = HeaderValue::from_str(&content_disposition(ascii_name, name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// The same answer for "not yours" and "not there".
pub fn not_found() -> axum::response::Response {
    use axum::response::IntoResponse;
    crate::error::AppError::NotFound.into_response()
}

/// The renderers: as many as the machine has cores.
fn renderers() -> &'static std::sync::Arc<tokio::sync::Semaphore> {
    static RENDERERS: OnceLock<std::sync::Arc<tokio::sync::Semaphore>> = OnceLock::new();
    RENDERERS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    })
}

/// "Busy, try again shortly": 503 with `Retry-After`, in both languages (a download
/// link is followed without a page around it).
pub fn busy() -> axum::response::Response {
    use axum::response::IntoResponse;
    crate::error::AppError::ServiceUnavailable.into_response()
}

/// Whether `account_id` may have another PDF made now ([`PER_ACCOUNT`]): else 429.
pub async fn account_may_render(
    db: &crate::ssr::db::Db,
    account_id: &str,
) -> Result<(), axum::response::Response> {
    use axum::response::IntoResponse;
    let verdict = async {
        let mut conn = db.conn().await?;
        crate::ssr::auth::throttle::reserve(&mut conn, &PER_ACCOUNT, account_id, crate::ssr::now()).await
    }
    .await;
    match verdict {
        Ok(v) if v.go() => Ok(()),
        Ok(_) => Err(crate::error::AppError::TooManyAttempts.into_response()),
        Err(e) => Err(crate::error::AppError::from(e).into_response()),
    }
}

/// Make a PDF on the blocking pool (`make` is CPU work), once a renderer is free
/// (waiting at most [`QUEUE_WAIT`]: then [`busy`]), stopped at [`RENDER_LIMIT`]; a
/// failure is logged and answered 503 (the font missing, a layout error, the time up)
/// or 500.
pub async fn render_blocking(
    what: &'static str,
    make: impl FnOnce() -> Result<Vec<u8>, PdfError> + Send + 'static,
) -> Result<Vec<u8>, axum::response::Response> {
    use axum::response::IntoResponse;
    let Ok(Ok(permit)) = tokio::time::timeout(QUEUE_WAIT, renderers().clone().acquire_owned()).await else {
        tracing::warn!(what, "every PDF renderer is busy: answered busy");
        return Err(busy());
    };
    let deadline = Instant::now() + RENDER_LIMIT;
    let made = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        DEADLINE.with(|d| d.set(Some(deadline)));
        let made = make();
        DEADLINE.with(|d| d.set(None));
        made
    });
    match made.await {
        Ok(Err(PdfError::TimedOut)) => {
            tracing::error!(what, limit_secs = RENDER_LIMIT.as_secs(), "a PDF took too long and was stopped");
            Err(busy())
        }
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            tracing::error!(error = %e, what, "could not make a PDF");
            Err(crate::error::AppError::ServiceUnavailable.into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, what, "the PDF task failed");
            Err(crate::error::AppError::Internal.into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_ascii_for_old_clients_and_utf8_percent_encoded() {
        assert_eq!(
            content_disposition("invoice-2026-11.pdf", "請求書_2026年11月.pdf"),
            "attachment; filename=\"invoice-2026-11.pdf\"; \
             filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8_2026%E5%B9%B411%E6%9C%88.pdf"
        );
        assert!(content_disposition("a.pdf", "a b\"c.pdf").ends_with("UTF-8''a%20b%22c.pdf"));
    }

    #[test]
    fn a_render_past_its_deadline_stops_and_the_next_one_works() {
        let font = std::path::Path::new(crate::ssr::config::DEFAULT_PDF_FONT_PATH);
        if !font.is_file() {
            panic!("the test command installs fonts-ipaexfont-gothic ({})", font.display());
        }
        static PROBE: Template =
            Template { name: "probe.typ", source: "#let d = json(bytes(sys.inputs.data))\n#d.text" };
        let text = serde_json::json!({ "text": "ご請求金額確定のお知らせ" });
        assert!(render(&PROBE, &text, font).is_ok_and(|pdf| pdf.starts_with(b"%PDF")));
        // Its time up before it starts laying out text: it stops at the first look-up.
        DEADLINE.with(|d| d.set(Some(Instant::now() - Duration::from_secs(1))));
        let stopped = render(&PROBE, &text, font);
        DEADLINE.with(|d| d.set(None));
        assert!(matches!(stopped, Err(PdfError::TimedOut)), "{stopped:?}");
        let after = render(&PROBE, &text, font);
        assert!(after.is_ok_and(|pdf| pdf.starts_with(b"%PDF")), "the engine still works");
    }

    #[tokio::test]
    async fn past_the_renderers_a_request_waits_then_hears_busy() {
        // Every renderer taken (as many as cores): the next document waits its while,
        // then is answered 503 with Retry-After, and never runs.
        let all = renderers().available_permits() as u32;
        let _taken = renderers().clone().acquire_many_owned(all).await.unwrap();
        let started = Instant::now();
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = ran.clone();
        let answer = render_blocking("test", move || {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(Vec::new())
        })
        .await;
        let response = answer.expect_err("busy");
        assert_eq!(response.status(), http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(http::header::RETRY_AFTER));
        assert!(started.elapsed() >= QUEUE_WAIT, "it waited for a renderer first");
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst), "the render never ran");
    }
}
