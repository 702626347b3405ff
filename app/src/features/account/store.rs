//! The ID change's server-only parts: the draft as stored and its lifetimes.

use crate::error::AppError;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::db::Conn;

/// A draft lives 30 minutes; a mailed link 24 hours.
pub const DRAFT_SECS: i64 = 30 * 60;
pub const LINK_SECS: i64 = 24 * 60 * 60;

#[derive(sqlx::FromRow)]
pub struct Draft {
    pub id: String,
    pub step: super::IdChangeStep,
    pub new_id: String,
    pub new_id_key: String,
}

/// The draft of this session at its confirmation step.
pub async fn current_draft(
    conn: &mut Conn,
    account: &CurrentAccount,
    now: i64,
) -> Result<Option<Draft>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, step, new_itscom_id AS new_id, new_id_key FROM id_changes
         WHERE account_id = $1 AND session_hash = $2 AND step = $3 AND expires_at > $4
         ORDER BY created_at DESC",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(super::IdChangeStep::Confirm)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}
