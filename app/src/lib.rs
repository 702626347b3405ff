//! My Page (マイページ): everything the WASM client and the SSR server share, plus
//! the server-only parts behind the `ssr` feature.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod context;
pub mod cookies;
pub mod domain;
pub mod error;
pub mod features;
pub mod flow;
pub mod frame;
pub mod i18n;
pub mod paths;
/// The demo data (SPEC §7): the customers, contracts and 12 months of invoices of every
/// feature, above them all (server only).
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod ssr;
/// Synthetic customers for load tests and the billing benchmark (`server seed-load`).
#[cfg(feature = "ssr")]
pub mod synthetic;

pub use app::{shell, App};

/// Hydrates the islands of the page in the browser. Called from the WASM entry point,
/// it also links this crate there, with every `#[island]` it exports.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}
