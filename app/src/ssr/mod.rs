//! Server-only code: configuration, database, credentials, demo data, and the
//! context helpers server functions use.

pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
pub mod events;
pub mod mail;
pub mod maintenance;
pub mod security;
pub mod seed;

use crate::error::AppError;
use std::sync::Arc;

/// What every request handler and server function shares. Provided as Leptos context
/// for SSR and server functions alike, and as axum state for plain routes.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: leptos::config::LeptosOptions,
    pub db: db::Db,
    pub settings: Arc<config::Settings>,
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

/// The step of this browser's multi-step flow (registration, recovery): the row of
/// `table` keyed by the SHA-256 of cookie `cookie`, while it has not expired.
pub async fn flow_step(table: &'static str, cookie: &str) -> Result<Option<String>, AppError> {
    let Some(token) = auth::request_cookie(cookie) else { return Ok(None) };
    let state = state()?;
    let row: Option<(String,)> =
        sqlx::query_as(&format!("SELECT step FROM {table} WHERE id_hash = $1 AND expires_at > $2"))
            .bind(auth::sha256_hex(&token))
            .bind(now())
            .fetch_optional(state.db.pool())
            .await?;
    Ok(row.map(|(s,)| s))
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

/// A failed form submission: a plain form post goes back to `page` with the error
/// code in the URL; a fetch gets the error and its status.
pub fn fail_form<T>(page: &str, error: AppError) -> Result<T, AppError> {
    if is_plain_form_post() {
        let sep = if page.contains('?') { '&' } else { '?' };
        redirect_page(&format!("{page}{sep}error={}", error.query_code()));
    } else {
        set_status(error.status());
    }
    Err(error)
}

/// A successful form submission moving on to `next`: a plain form post is redirected
/// there; a fetch gets `next` back and the page navigates.
pub fn proceed(next: &str) -> Result<String, AppError> {
    if is_plain_form_post() {
        redirect_page(next);
    }
    Ok(next.to_string())
}

/// Pages whose URL carries a secret token are not to leak it in `Referer`.
pub fn set_referrer_policy_no_referrer() {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::REFERRER_POLICY, http::HeaderValue::from_static("no-referrer"));
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
