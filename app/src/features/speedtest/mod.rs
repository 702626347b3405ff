//! イッツコム 通信速度測定 (SPEC §5; issue 14): download, upload, ping and jitter
//! between the browser and the portal's server after LibreSpeed's method (the rules in
//! `domain::speedtest`), plus the latency during the download (bufferbloat), the result
//! compared with the customer's plan and their own history, and the history itself.
//!
//! - `start_speed_test` (behind the session, one running test per account, 10 an hour)
//!   gives a ticket; the measuring endpoints (`endpoints`, plain routes) take it with
//!   the session cookie: `GET /speedtest/download` (random bytes, never compressed or
//!   stored), `POST /speedtest/upload` (a capped sink), `GET /speedtest/ping` (empty).
//! - `finish_speed_test` stores the browser's figures (checked) and ends the ticket.
//! - The measuring code is its own small WASM module (`frontend/meter`), loaded by this
//!   page only: the portal's WASM (every page's first load) carries none of it.

mod api;
#[cfg(feature = "ssr")]
pub mod endpoints;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::SpeedTestPage;

use crate::domain::speedtest::Measured;
use serde::{Deserialize, Serialize};

crate::flow_steps! {
    /// A speed test: `Running` (its ticket opens the endpoints), then `Done` with its
    /// figures, or `Expired` (abandoned: never finished in time).
    pub enum SpeedStep in "speed_tests" { Running, Done, Expired }
}

/// A finished test of the customer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedResult {
    pub id: String,
    /// When it finished (unix seconds; and milliseconds, for the order).
    pub finished_at: i64,
    pub finished_ms: i64,
    pub measured: Measured,
    /// The internet plan in force then (None: no internet service).
    pub plan_name: Option<String>,
    pub plan_mbps: Option<i64>,
    /// Whether the server's own count of the bytes it moved agrees with the reported
    /// speeds: an unverified result is shown as such and cannot be attached to an
    /// inquiry.
    pub verified: bool,
}

/// 通信速度測定: the plan in force, the customer's results (newest first) and, when
/// asked for (`?result=`), one of them with its comparisons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedOverview {
    pub plan_name: Option<String>,
    pub plan_mbps: Option<i64>,
    pub history: Vec<SpeedResult>,
    pub shown: Option<SpeedResult>,
    /// The shown result's download against the median of the customer's earlier ones,
    /// whole percent.
    pub change_from_history: Option<i64>,
    /// The measuring module's files (None: not built, as in the integration tests).
    pub meter: Option<MeterFiles>,
    /// The shortest phase a test may run (`SPEEDTEST_MIN_SECONDS`): `?duration=` never
    /// shortens it below, and a result counted over less is not verified.
    pub min_seconds: u32,
}

/// The measuring module's JS and WASM, by their content-hashed paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterFiles {
    pub js: String,
    pub wasm: String,
}

/// What the measuring code needs to run a test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedTicket {
    pub ticket: String,
}

/// The results a history keeps and the page shows.
pub const HISTORY: i64 = 20;
