//! Server-only code: configuration, database, credentials, demo data, and the
//! context helpers server functions use.

pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
pub mod events;
pub mod flow;
pub mod mail;
pub mod maintenance;
pub mod payment;
pub mod pdf;
pub mod qr;
pub mod security;

use crate::error::AppError;
use std::sync::Arc;

/// What every request handler and server function shares. Provided as Leptos context
/// for SSR and server functions alike, and as axum state for plain routes.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: leptos::config::LeptosOptions,
    pub db: db::Db,
    pub settings: Arc<config::Settings>,
    /// Where cards are entered and kept (`PAYMENT_GATEWAY`); None: no change to a card
    /// online.
    pub payment_gateway: Option<Arc<dyn payment::PaymentGateway>>,
    /// What the features register with this layer: their flows' tables and scheduled
    /// jobs (`features::REGISTRY`).
    pub registry: &'static maintenance::Registry,
    /// Set once the process was told to stop: `/readyz` then answers 503, so a load
    /// balancer sends its requests elsewhere while it finishes.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
}

/// The shared state, from a server function or a component rendering on the server.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// Set the HTTP status of the current response (server functions, SSR).
pub fn set_status(status: u16) {
    if let (Some(opts), Ok(code)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        opts.set_status(code);
    }
}

/// Answer the page being rendered with a 302 to `path` (whatever the client accepts:
/// `leptos_axum::redirect` only does so for requests that accept HTML).
pub fn redirect_page(path: &str) {
    if let (Some(res), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(path))
    {
        res.insert_header(http::header::LOCATION, value);
        res.set_status(http::StatusCode::FOUND);
    }
}

/// Whether the current request calls a server function (`/api/…`), rather than
/// rendering a page that calls it directly.
pub fn is_server_function_call() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| p.uri.path().starts_with("/api/"))
}

/// Whether the current request is a plain HTML form post (no JavaScript): such a
/// request is answered with a redirect rather than data.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Why a form's step did not go on, and the page the customer is sent back to with the
/// message (`None`: the form's own page). A form's body returns it with `?`: a domain
/// error, a database error (logged, shown as the generic message) or an [`AppError`]
/// sent elsewhere with [`BackTo::back_to`].
#[derive(Debug)]
pub struct Refusal {
    pub error: AppError,
    pub back: Option<String>,
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Refusal { error, back: None }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

/// A form step's outcome: the next page, or why not.
pub type Answer = Result<String, Refusal>;

/// Send a refusal to another page than the form's (a flow out of order goes back to
/// its start).
pub trait BackTo<T> {
    fn back_to(self, page: &str) -> Result<T, Refusal>;
}

impl<T, E: Into<AppError>> BackTo<T> for Result<T, E> {
    fn back_to(self, page: &str) -> Result<T, Refusal> {
        self.map_err(|e| Refusal { error: e.into(), back: Some(page.to_string()) })
    }
}

/// A refusal of `error`, sent back to `page`.
pub fn refuse<T>(page: &str, error: AppError) -> Result<T, Refusal> {
    Err(Refusal { error, back: Some(page.to_string()) })
}

/// The one exit of every form's server function, for JavaScript and plain posts alike:
/// on success a plain form post is redirected to the next page and a fetch gets its
/// path; a refusal sends a plain post back to its page with the error code in the URL
/// (`?error=…`, which the page shows at the field or above the form) and gives a fetch
/// the error with its status. `Unauthorized` sends a plain post to the login screen
/// (`require_login`); when a session ended while the form was open, that screen says
/// why and leads back to the form's page. A fetch gets 401, its page says so above the
/// form, and what was typed stays in it. The answer is the form's work, an `async` block:
/// `respond(PAGE, async move { … }).await`.
pub async fn respond(
    page: &str,
    answer: impl std::future::Future<Output = Answer>,
) -> Result<String, AppError> {
    match answer.await {
        Ok(next) => {
            if is_plain_form_post() {
                redirect_page(&next);
            }
            Ok(next)
        }
        Err(Refusal { error: AppError::Unauthorized, .. }) => {
            // A session that ended (its cookie still sent): said, and back to the form
            // after the login. No session at all: the bare login screen.
            let state = state()?;
            let ended = auth::request_cookie(auth::session::cookie_name(&state.settings)).is_some();
            if is_plain_form_post() && ended {
                let back = crate::paths::encode(page);
                let code = AppError::Unauthorized.query_code();
                redirect_page(&format!("{}?error={code}&next={back}", state.registry.login));
            }
            Err(AppError::Unauthorized)
        }
        Err(Refusal { error, back }) => {
            if is_plain_form_post() {
                redirect_page(&with_error(back.as_deref().unwrap_or(page), &error));
            } else {
                set_status(error.status());
            }
            Err(error)
        }
    }
}

/// What a mailed link's form post works with: its token (as typed, trimmed), the
/// link's page (where a refusal goes back to), the app's state and the time.
pub struct Link {
    pub token: String,
    pub page: String,
    pub state: AppState,
    pub t: i64,
}

/// A mailed link's form post, written once (the pages' side is `LinkPage`): `act`
/// is given the [`Link`] of `token` on the page of `link`, and its answer goes to
/// [`respond`] with that page.
pub async fn link_action<Fut>(
    token: String,
    link: crate::paths::MailedLink,
    act: impl FnOnce(Link) -> Fut,
) -> Result<String, AppError>
where
    Fut: std::future::Future<Output = Answer>,
{
    let token = token.trim().to_string();
    let page = link.page(&token);
    let answer = async {
        let link = Link { token, page: page.clone(), state: state()?, t: now() };
        act(link).await
    };
    respond(&page, answer).await
}

/// What a mailed link's page reads (reading changes nothing), written once: the link
/// page's headers are set, and `read` finds the link's row from the token (trimmed) at
/// this moment. A link that finds nothing (unknown, used or expired) is `LinkInvalid`,
/// answered 404.
pub async fn read_link<T>(
    token: &str,
    read: impl AsyncFnOnce(&mut db::Conn, &str, i64) -> Result<Option<T>, sqlx::Error>,
) -> Result<(T, AppState), AppError> {
    set_link_page_headers();
    let state = state()?;
    let mut conn = state.db.conn().await?;
    match read(&mut conn, token.trim(), now()).await? {
        Some(row) => Ok((row, state)),
        None => {
            set_status(404);
            Err(AppError::LinkInvalid)
        }
    }
}

/// Middleware: a server function's error answers with its variant's status (and its
/// `Retry-After`, if it has one). The
/// server-function layer answers every error 500 unless the function set another (as
/// [`respond`] and `require_login` do): a lookup refused (`NotFound`, `FlowExpired`…) or
/// arguments that could not be read (`BadRequest`, `TooLarge`) are the request's fault,
/// and say so (4xx); only `Internal` stays a 500.
pub async fn server_fn_error_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
    let res = next.run(req).await;
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // An error is a short JSON value (its variant); anything longer is left as it is.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if parts.status == http::StatusCode::INTERNAL_SERVER_ERROR {
            if let Ok(status) = http::StatusCode::from_u16(error.status()) {
                parts.status = status;
            }
        }
        if let Some(secs) = error.retry_after() {
            parts.headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static(secs));
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// `page` with the error code in its query: appended, but before a way on (`?next=…`,
/// the login page's), which stays last.
fn with_error(page: &str, error: &AppError) -> String {
    let code = error.query_code();
    match page.split_once("?next=") {
        Some((path, next)) => format!("{path}?error={code}&next={next}"),
        None if page.contains('?') => format!("{page}&error={code}"),
        None => format!("{page}?error={code}"),
    }
}

/// A write refused by a unique index, mapped to what the customer is told (after
/// realworld-axum-sqlx's `on_constraint`): every other database error is internal.
pub trait OnUnique<T> {
    fn on_unique(self, error: AppError) -> Result<T, AppError>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, error: AppError) -> Result<T, AppError> {
        self.map_err(|e| if db::is_unique_violation(&e) { error } else { AppError::from(e) })
    }
}

/// A page whose URL carries a mailed link's token: the token does not leak in `Referer`,
/// and no cache keeps the page (it shows personal data to whoever holds the link).
pub fn set_link_page_headers() {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::REFERRER_POLICY, http::HeaderValue::from_static("no-referrer"));
    }
    set_no_store();
}

/// When to ask again, in seconds (`Retry-After`, with a 503).
pub fn set_retry_after(secs: u32) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
    }
}

/// The response is not to be stored by any cache (pages showing a secret once).
pub fn set_no_store() {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
}

/// Unix seconds now.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Unix milliseconds now: the order of rows written within one second (a list's
/// newest first), never shown.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server layer is below the features: nothing under `ssr/` names one (the
    /// features register what it needs: their flows' tables, jobs, mails, templates).
    #[test]
    fn the_server_layer_imports_no_feature() {
        let files: Vec<_> = walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ssr"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        assert!(files.len() > 15, "{files:?}");
        // (Spelt apart, so this test does not find itself.)
        let (path, folder) = (["features", "::"].concat(), ["features", "/"].concat());
        let mut found = Vec::new();
        for file in &files {
            for (n, line) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                if code.contains(&path) || code.contains(&folder) {
                    found.push(format!("{}:{}: {code}", file.display(), n + 1));
                }
            }
        }
        assert!(found.is_empty(), "ssr/ names a feature:\n{}", found.join("\n"));
    }

    #[test]
    fn a_refusal_carries_its_code_in_the_page_url() {
        let e = AppError::VerificationFailed;
        assert_eq!(with_error("/register", &e), "/register?error=verification");
        assert_eq!(
            with_error("/register/confirm?token=ab", &e),
            "/register/confirm?token=ab&error=verification"
        );
        assert_eq!(
            with_error("/login?next=/mail%3Fx%3D1", &e),
            "/login?error=verification&next=/mail%3Fx%3D1"
        );
    }
}
