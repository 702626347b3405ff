//! The help screens' paths.

/// お問い合わせ・サポート (`?sent=REF` after an inquiry; `?result=ID` attaches a speed
/// test result to the form).
pub const HELP: &str = "/help";

/// The help page with speed test result `id` chosen in the inquiry form.
pub fn with_result(id: &str) -> String {
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{HELP}?result={safe}#inquiry")
}
