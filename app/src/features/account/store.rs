//! The ID change's server-only parts: the draft as stored and its lifetimes.

use crate::error::AppError;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::db::Conn;

/// A draft lives 30 minutes; a mailed link 24 hours.
pub const DRAFT_SECS: i64 = 30 * 60;
pub const LINK_SECS: i64 = 24 * 60 * 60;
/// A login older than this asks for the password again before the change.
pub const REAUTH_SECS: i64 = 5 * 60;

pub struct Draft {
    pub id: String,
    pub new_id: String,
    pub new_id_key: String,
}

/// The draft of this session at its confirmation step.
pub async fn current_draft(
    conn: &mut Conn,
    account: &CurrentAccount,
    now: i64,
) -> Result<Option<Draft>, AppError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT id, new_itscom_id, new_id_key FROM id_changes
         WHERE account_id = $1 AND session_hash = $2 AND step = $3 AND expires_at > $4
         ORDER BY created_at DESC",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(super::IdChangeStep::Confirm)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, new_id, new_id_key)| Draft { id, new_id, new_id_key }))
}
