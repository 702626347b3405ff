//! Server-side sessions in the database: several server processes share them. The
//! cookie holds a 256-bit random token; the database holds its SHA-256.

use super::{random_token, sha256_hex, CurrentAccount};
use crate::ssr::config::{SessionSettings, Settings};
use crate::ssr::db::Conn;

/// `__Host-` in production: the browser then insists on Secure, Path=/ and no Domain.
pub fn cookie_name(settings: &Settings) -> &'static str {
    if settings.env.is_production() {
        "__Host-mypage_session"
    } else {
        "mypage_session"
    }
}

/// The `Set-Cookie` value for a new session (a browser-session cookie: the server
/// enforces the idle and absolute limits).
pub fn cookie(settings: &Settings, token: &str) -> String {
    super::cookie(settings, cookie_name(settings), token, None, true)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie(settings: &Settings) -> String {
    super::cookie(settings, cookie_name(settings), "", Some(0), true)
}

/// Start a session for `account_id`; returns the token for the cookie.
pub async fn create(
    conn: &mut Conn,
    account_id: &str,
    now: i64,
    cfg: &SessionSettings,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(sha256_hex(&token))
    .bind(account_id)
    .bind(now)
    .bind(now + cfg.absolute_secs)
    .execute(conn)
    .await?;
    Ok(token)
}

/// A session with its account, as `lookup` reads it.
#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: String,
    customer_no: String,
    itscom_id: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    state: String,
}

/// The account of a live session. Expired sessions are deleted when met; the idle
/// clock is refreshed at most once a minute to spare the database a write a request.
pub async fn lookup(
    conn: &mut Conn,
    token: &str,
    now: i64,
    cfg: &SessionSettings,
) -> Result<Option<CurrentAccount>, sqlx::Error> {
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = sha256_hex(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT a.id AS account_id, a.customer_no, a.itscom_id, s.created_at, s.last_seen_at, s.expires_at,
                a.state
         FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(SessionRow { account_id, customer_no, itscom_id, created_at, last_seen_at, expires_at, state }) =
        row
    else {
        return Ok(None);
    };
    if now >= expires_at || now - last_seen_at >= cfg.idle_secs || state != "active" {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&id_hash).execute(&mut *conn).await?;
        return Ok(None);
    }
    if now - last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(&id_hash)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(CurrentAccount {
        account_id,
        customer_no,
        itscom_id,
        logged_in_at: created_at,
        session_hash: id_hash,
    }))
}

/// End one session (logout).
pub async fn delete(conn: &mut Conn, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(sha256_hex(token)).execute(conn).await?;
    Ok(())
}

/// End every session of an account (password reset, re-registration).
pub async fn end_all(conn: &mut Conn, account_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?
        .rows_affected())
}
