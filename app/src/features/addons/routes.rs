//! The add-on screens' paths.

/// インターネットセキュリティサービスの設定・変更.
pub const SECURITY: &str = "/settings/security";
/// オプションチャンネル.
pub const CHANNELS: &str = "/contract/channels";
/// The application of one add-on (`?code=…`: the terms; `&agree=1`: the summary).
pub const APPLY: &str = "/addons/apply";

/// The screen an add-on of `kind` lives on.
pub fn home(kind: &str) -> &'static str {
    if kind == "security" {
        SECURITY
    } else {
        CHANNELS
    }
}

/// The application of `code`.
pub fn apply(code: &str) -> String {
    let safe: String = code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{APPLY}?code={safe}")
}
