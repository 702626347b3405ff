//! The help screens' paths.

/// お問い合わせ・サポート (`?sent=REF` after an inquiry; `?result=ID` attaches a speed
/// test result to the form).
pub const HELP: &str = "/help";

/// The help page with speed test result `id` chosen in the inquiry form (the speed
/// test's own link to it: help builds on the speed test, not the other way round).
pub use crate::features::speedtest::routes::attach_to_inquiry as with_result;
