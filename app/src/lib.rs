//! My Page (マイページ): everything the WASM client and the SSR server share, plus
//! the server-only parts behind the `ssr` feature.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod cookies;
pub mod domain;
pub mod error;
pub mod features;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{shell, App};
