//! Server-only code: configuration, database, credentials, demo data, and the
//! context helpers server functions use.

pub mod auth;
pub mod config;
pub mod db;
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
    if let (Some(opts), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        opts.set_status(code);
    }
}

/// Unix seconds now.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
