//! The speed test's paths.

/// イッツコム 通信速度測定 (`?result=ID`: one result with its comparisons).
pub const SPEEDTEST: &str = "/help/speedtest";
/// The measuring endpoints (plain routes, not pages).
pub const DOWNLOAD: &str = "/speedtest/download";
pub const UPLOAD: &str = "/speedtest/upload";
pub const PING: &str = "/speedtest/ping";

/// The page showing result `id`.
pub fn result(id: &str) -> String {
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{SPEEDTEST}?result={safe}")
}

/// お問い合わせ・サポート's inquiry form with result `id` attached (`/help?result=ID`, a
/// path of the help pages, which read `?result=`): where a result's 「お問い合わせに添付」
/// leads.
pub fn attach_to_inquiry(id: &str) -> String {
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("/help?result={safe}#inquiry")
}
