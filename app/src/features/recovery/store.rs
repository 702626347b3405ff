//! Recovery's server-only parts: the budgets, the decoy path for unknown IDs, the code's
//! stored form, and the flow as stored.

use crate::error::AppError;
use crate::ssr::auth::{request_cookie, sha256_hex, throttle::Policy};
use crate::ssr::db::Conn;

pub const FLOW_COOKIE: &str = "mypage_recovery";
pub const FLOW_SECS: i64 = 30 * 60;
pub const CODE_SECS: i64 = 10 * 60;
pub const MAX_ATTEMPTS: i64 = 5;
/// Path A: the mailed link works for 30 minutes.
pub const LINK_SECS: i64 = 30 * 60;
/// The share of iTSCOM IDs without an account whose screens take path A, in 256ths.
/// An outsider who sees the secret question cannot tell a legacy account from an
/// unknown ID; the choice per ID is fixed (keyed by a server secret) so asking
/// twice shows the same path.
pub const DECOY_QUESTION_SHARE: u8 = 64;

/// The name of the server secret behind [`decoy_method`].
pub const DECOY_SECRET: &str = "recovery-decoy";

/// The path the screens of an iTSCOM ID without an account take.
pub fn decoy_method(secret: &str, key: &str) -> &'static str {
    let digest = sha256_hex(&format!("{secret}\u{0}{key}"));
    let first = u8::from_str_radix(&digest[..2], 16).unwrap_or(0);
    if first < DECOY_QUESTION_SHARE {
        "question"
    } else {
        "code"
    }
}

/// A wrong code or answer counts as a failed login of the typed ID (and is recorded;
/// 100 in a row lock the login until a reset). `login_row` is the flow's own row of
/// that budget: kept for an unknown ID too, so its wrong codes count alike and a login
/// after them answers as for an account. Without it (a flow from before it was kept),
/// the account's row, read.
pub async fn count_failed_login(
    conn: &mut Conn,
    state: &crate::ssr::AppState,
    account_id: Option<&str>,
    login_row: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    use crate::ssr::auth::throttle;
    let row = match (login_row, account_id) {
        (Some(row), _) => row.to_string(),
        (None, Some(account_id)) => {
            let key: String = sqlx::query_scalar("SELECT itscom_id_key FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_one(&mut *conn)
                .await?;
            throttle::row_of(&throttle::LOGIN_ACCOUNT, &key)
        }
        (None, None) => return Ok(()),
    };
    throttle::reserve_row(conn, &throttle::LOGIN_ACCOUNT, &row, now).await?;
    let client = crate::ssr::auth::client_address();
    crate::features::login::failed_login(
        conn,
        state,
        crate::ssr::events::Event::RecoveryFailed,
        account_id,
        &row,
        &client,
        now,
    )
    .await
}

/// Every recovery step, per client address: 50 in 15 minutes, like login (path A's
/// answers cost an argon2 hash each: no free CPU lever for strangers).
pub const RECOVERY_CLIENT: Policy =
    Policy::per_window("recovery-client", 900).free(50).then_wait(30, 900).per_network(200);

/// Codes per typed iTSCOM ID (so per account) and client address: at most 20 attempts
/// a day, whatever the flows, so a stranger who knows the address spends their own
/// budget, not the owner's. Keyed by the ID's key for an unknown ID too, so the limit
/// looks the same either way.
pub const CODE_PER_ACCOUNT: Policy =
    Policy::per_window("recovery-code-account", 86_400).free(20).then_wait(86_400, 86_400);

/// Codes per typed iTSCOM ID whoever tries, from a browser the account has never logged
/// in from: wrong ones in a row until the right one, never forgotten with time (a guess
/// is one in a million: 100 a day, as this was, came to one account in 28 a year). 50
/// free, then each waits a minute longer, at most an hour; 100 in a row end the codes
/// for the ID (NIST SP 800-63B's limit: one chance in 10,000 in all). A browser the
/// account has logged in from is not held by it, so strangers cannot keep the owner
/// from recovering there.
pub const CODE_PER_ID: Policy =
    Policy::in_a_row("recovery-code-id-run", Some(crate::ssr::auth::throttle::LOCK_AFTER))
        .free(50)
        .then_wait(60, 3600);

/// Reserve one recovery step for this client; false when it must wait.
pub async fn client_may_try(conn: &mut Conn, now: i64) -> Result<bool, AppError> {
    use crate::ssr::auth::{client_address, throttle};
    Ok(throttle::reserve(conn, &RECOVERY_CLIENT, &client_address(), now).await?.go())
}

/// Recovery starts per typed ID and client address: 5 an hour, so no one floods a
/// mailbox with codes. Past it the screens stay the same and no mail goes out.
pub const START_PER_ID_CLIENT: Policy =
    Policy::per_window("recovery-id-client", 3600).free(5).then_wait(300, 3600);

/// Recovery starts per typed ID whoever asks: 20 an hour. A stranger from one address
/// spends only their own 5 ([`START_PER_ID_CLIENT`]): keeping the owner from getting a
/// code takes this many from several addresses within the hour.
pub const START_PER_ID: Policy = Policy::per_window("recovery-id", 3600).free(20).then_wait(300, 3600);

/// The code's stored form: keyed by the browser's flow token, so the database row
/// alone does not reveal it and the code only works in the browser that asked.
pub fn code_hash(token: &str, code: &str) -> String {
    sha256_hex(&format!("{token}\u{0}{code}"))
}

/// This browser's recovery as its steps read it.
pub struct Flow {
    pub token: String,
    pub id_hash: String,
    pub account_id: Option<String>,
    pub code_hash: Option<String>,
    pub code_expires_at: i64,
    /// SHA-256 of the typed ID's key: the per-ID budgets' subject.
    pub id_key_hash: Option<String>,
    /// The typed ID's login budget (its throttle row).
    pub login_row: Option<String>,
}

/// A recovery's row, as [`Flow`] holds it.
#[derive(sqlx::FromRow)]
struct FlowRow {
    id_hash: String,
    account_id: Option<String>,
    code_hash: Option<String>,
    code_expires_at: i64,
    id_key_hash: Option<String>,
    login_row: Option<String>,
}

/// The recovery of this browser at `step`, or FlowExpired.
pub async fn current_flow(conn: &mut Conn, step: super::RecoveryStep, now: i64) -> Result<Flow, AppError> {
    let token = request_cookie(FLOW_COOKIE).ok_or(AppError::FlowExpired)?;
    let row: Option<FlowRow> = sqlx::query_as(
        "SELECT id_hash, account_id, code_hash, code_expires_at, id_key_hash, login_row FROM recovery_flows
         WHERE id_hash = $1 AND step = $2 AND expires_at > $3",
    )
    .bind(sha256_hex(&token))
    .bind(step)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    let FlowRow { id_hash, account_id, code_hash, code_expires_at, id_key_hash, login_row } =
        row.ok_or(AppError::FlowExpired)?;
    Ok(Flow { token, id_hash, account_id, code_hash, code_expires_at, id_key_hash, login_row })
}

/// The active account of the iTSCOM ID of `key`, if any: (id, recovery method).
pub async fn active_account(conn: &mut Conn, key: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.recovery_method FROM accounts a
         WHERE a.itscom_id_key = $1 AND a.state = 'active'",
    )
    .bind(key)
    .fetch_optional(conn)
    .await
}

/// A recovery as its start writes it.
pub struct NewFlow<'a> {
    /// The browser's flow token (stored hashed).
    pub token: &'a str,
    /// None for an unknown ID, and past the hourly limit.
    pub account_id: Option<String>,
    /// "code" (path B) or "question" (path A).
    pub method: &'a str,
    pub step: super::RecoveryStep,
    pub code_hash: Option<String>,
    /// The typed ID's key (stored hashed: the per-ID budgets' subject).
    pub id_key: &'a str,
    /// Within the hourly limits: its wrong codes count against the ID's login budget.
    pub counts: bool,
}

/// Starts this browser's recovery.
pub async fn start_flow(conn: &mut Conn, flow: NewFlow<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recovery_flows
            (id_hash, account_id, method, step, code_hash, code_expires_at, created_at, expires_at, id_key_hash,
             login_row)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(sha256_hex(flow.token))
    .bind(flow.account_id)
    .bind(flow.method)
    .bind(flow.step)
    .bind(flow.code_hash)
    .bind(now + CODE_SECS)
    .bind(now)
    .bind(now + FLOW_SECS)
    .bind(sha256_hex(flow.id_key))
    .bind(flow.counts.then(|| crate::ssr::auth::throttle::row_of(&crate::ssr::auth::throttle::LOGIN_ACCOUNT, flow.id_key)))
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts one code attempt of flow `id_hash`, atomically: the attempts so far, or None
/// when the flow is past the code step or out of attempts.
pub async fn count_code_attempt(conn: &mut Conn, id_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE id_hash = $1 AND step = $2 AND attempts < $3 RETURNING attempts",
    )
    .bind(id_hash)
    .bind(super::RecoveryStep::Code)
    .bind(MAX_ATTEMPTS)
    .fetch_optional(conn)
    .await
}

/// Whether the mailed path-A link `token` can still be used (reading changes nothing).
pub async fn link_open(conn: &mut Conn, token: &str, now: i64) -> Result<bool, sqlx::Error> {
    let row: Option<i64> = sqlx::query_scalar(
        "SELECT attempts FROM recovery_flows
         WHERE link_hash = $1 AND step = $2 AND expires_at > $3 AND account_id IS NOT NULL",
    )
    .bind(sha256_hex(token))
    .bind(super::RecoveryStep::Mailed)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// A path-A link's attempt, counted: what the answer is checked against.
#[derive(sqlx::FromRow)]
pub struct CountedAnswer {
    pub attempts: i64,
    pub question: Option<String>,
    pub answer_hash: Option<String>,
    pub account_id: Option<String>,
}

/// Counts one answer attempt of the link `link_hash`, atomically: None when the link is
/// used, expired, bound to no account or out of attempts.
pub async fn count_answer_attempt(
    conn: &mut Conn,
    link_hash: &str,
    now: i64,
) -> Result<Option<CountedAnswer>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE link_hash = $1 AND step = $2 AND attempts < $3 AND expires_at > $4
            AND account_id IS NOT NULL
         RETURNING attempts, question, answer_hash, account_id",
    )
    .bind(link_hash)
    .bind(super::RecoveryStep::Mailed)
    .bind(MAX_ATTEMPTS)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The account's iTSCOM ID.
pub async fn itscom_id(conn: &mut Conn, account_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT itscom_id FROM accounts WHERE id = $1").bind(account_id).fetch_one(conn).await
}

/// The account's new password (its hash).
pub async fn set_password(
    conn: &mut Conn,
    account_id: &str,
    hash: String,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(account_id)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
