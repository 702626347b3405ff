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

/// How a session signed in, as ログイン中の端末 shows it (the `method` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
    /// The password and a code of the authenticator app.
    TwoStep,
    /// The password and a recovery code (the phone may be lost: the customer sees
    /// which of her devices came in so).
    RecoveryCode,
    Passkey,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::TwoStep => "two_step",
            Method::RecoveryCode => "recovery_code",
            Method::Passkey => "passkey",
        }
    }
}

/// What the devices page shows of a session: the browser's User-Agent (at most 300
/// characters kept), the client address and the sign-in method.
#[derive(Debug, Clone)]
pub struct Origin {
    pub user_agent: String,
    pub client: String,
    pub method: Method,
}

impl Origin {
    /// This request's browser and client, signing in by `method`.
    pub fn of_request(method: Method) -> Self {
        Origin { user_agent: super::user_agent(), client: super::client_address(), method }
    }
}

/// Start a session for `account_id`; returns the token for the cookie.
pub async fn create(
    conn: &mut Conn,
    account_id: &str,
    now: i64,
    cfg: &SessionSettings,
    origin: &Origin,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, public_id,
                               user_agent, client, method)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8)",
    )
    .bind(sha256_hex(&token))
    .bind(account_id)
    .bind(now)
    .bind(now + cfg.absolute_secs)
    .bind(crate::ssr::db::new_id())
    .bind(origin.user_agent.chars().take(300).collect::<String>())
    .bind(&origin.client)
    .bind(origin.method.name())
    .execute(conn)
    .await?;
    Ok(token)
}

/// A live session of an account, as ログイン中の端末 lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub public_id: String,
    pub id_hash: String,
    pub user_agent: String,
    pub client: String,
    pub method: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// The account's sessions still within their limits, the latest active first.
pub async fn list(
    conn: &mut Conn,
    account_id: &str,
    now: i64,
    cfg: &SessionSettings,
) -> Result<Vec<Listed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(public_id, id_hash) AS public_id, id_hash, COALESCE(user_agent, '') AS user_agent,
                COALESCE(client, '') AS client, method, created_at, last_seen_at
         FROM sessions WHERE account_id = $1 AND expires_at > $2 AND last_seen_at > $3
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(account_id)
    .bind(now)
    .bind(now - cfg.idle_secs)
    .fetch_all(conn)
    .await
}

/// End the account's session `public_id` (never another account's): the stored id of
/// the one ended, if any.
pub async fn end_one(
    conn: &mut Conn,
    account_id: &str,
    public_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM sessions WHERE account_id = $1 AND COALESCE(public_id, id_hash) = $2 RETURNING id_hash",
    )
    .bind(account_id)
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

/// End every session of the account but `keep_hash` (this browser's): how many ended.
pub async fn end_others(conn: &mut Conn, account_id: &str, keep_hash: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
        .bind(account_id)
        .bind(keep_hash)
        .execute(conn)
        .await?
        .rows_affected())
}

/// A session with its account, as `lookup` reads it.
#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: String,
    customer_no: String,
    itscom_id: String,
    created_at: i64,
    verified_at: Option<i64>,
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
    if !crate::ssr::crypto::is_token(token) {
        return Ok(None);
    }
    let id_hash = sha256_hex(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT a.id AS account_id, a.customer_no, a.itscom_id, s.created_at, s.verified_at, s.last_seen_at,
                s.expires_at, a.state
         FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(SessionRow {
        account_id,
        customer_no,
        itscom_id,
        created_at,
        verified_at,
        last_seen_at,
        expires_at,
        state,
    }) = row
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
        logged_in_at: created_at.max(verified_at.unwrap_or(0)),
        passkey_confirmed_at: verified_at,
        session_hash: id_hash,
    }))
}

/// The session `id_hash` is active at `now` (its idle clock starts again): its absolute
/// end, or None when it has ended. For a step that leaves the site a while (the payment
/// gateway's page), which must end before its session could.
pub async fn touch(conn: &mut Conn, id_hash: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 RETURNING expires_at")
        .bind(id_hash)
        .bind(now)
        .fetch_optional(conn)
        .await
}

/// The session `id_hash` proved its owner again (a passkey) at `now`: the sensitive
/// changes of the next 5 minutes ask no password.
pub async fn verified(conn: &mut Conn, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET verified_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The session `id_hash` goes on under a new token (its row kept: when it signed in,
/// its public id): the token for the cookie, or None when it has ended. A copy of the
/// old cookie (taken by someone else) opens nothing after.
pub async fn rotate(conn: &mut Conn, id_hash: &str) -> Result<Option<String>, sqlx::Error> {
    let token = random_token();
    let moved = sqlx::query("UPDATE sessions SET id_hash = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(sha256_hex(&token))
        .execute(conn)
        .await?
        .rows_affected();
    Ok((moved == 1).then_some(token))
}

/// End one session (logout).
pub async fn delete(conn: &mut Conn, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(sha256_hex(token)).execute(conn).await?;
    Ok(())
}

/// Whether session `id_hash` is still there (a security change deletes every session
/// of its account).
pub async fn exists(conn: &mut Conn, id_hash: &str) -> Result<bool, sqlx::Error> {
    crate::ssr::db::finds(conn, "SELECT id_hash FROM sessions WHERE id_hash = $1", id_hash).await
}

/// End every session of an account (password reset, re-registration).
pub async fn end_all(conn: &mut Conn, account_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?
        .rows_affected())
}
