//! The contract screens' paths.

/// ご契約情報確認・変更.
pub const CONTRACT: &str = "/contract";
/// サービス加入・変更履歴 (`?service=<id>` filters by service).
pub const HISTORY: &str = "/contract/history";
/// 契約内容確認書 (PDF, a plain route behind the session).
pub const DOCUMENT: &str = "/contract/document.pdf";
/// プラン変更のお申し込み (`?service=<id>`, then `&plan=<code>` for the confirmation).
pub const CHANGE: &str = "/contract/change";
