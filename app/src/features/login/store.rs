//! Login's server-only parts: the account a login names, the browsers it knows, the
//! language it uses.

use crate::ssr::db::Conn;

/// The customer's name, and whether the account has a passkey (which may stand in for
/// a password asked again): one statement on every page's way.
pub async fn customer_brief(
    conn: &mut Conn,
    customer_no: &str,
    account_id: &str,
) -> Result<(String, bool), sqlx::Error> {
    let (name, passkeys): (String, i64) = sqlx::query_as(
        "SELECT name, CASE WHEN EXISTS (SELECT 1 FROM passkeys WHERE account_id = $2) THEN 1 ELSE 0 END
         FROM customers WHERE customer_no = $1",
    )
    .bind(customer_no)
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok((name, passkeys != 0))
}

/// An active account, as a login checks and starts it.
#[derive(sqlx::FromRow)]
pub struct LoginAccount {
    pub id: String,
    pub password_hash: String,
    pub itscom_id: String,
    /// The language its mails are in (a locale code).
    pub locale: String,
    pub contact_email: Option<String>,
    pub customer_no: String,
    /// Whether a login from a new browser is mailed (1) or not (0).
    pub new_browser_mail: i64,
}

/// A [`LoginAccount`] of an active account whose column `by` is `value` (one
/// statement, whatever the login needs next).
async fn active_account_by(
    conn: &mut Conn,
    by: &str,
    value: &str,
) -> Result<Option<LoginAccount>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, a.password_hash, a.itscom_id, a.locale, c.contact_email, a.customer_no, a.new_browser_mail
             FROM accounts a JOIN customers c ON c.customer_no = a.customer_no
             WHERE a.{by} = $1 AND a.state = 'active'"
    );
    sqlx::query_as(&sql).bind(value).fetch_optional(conn).await
}

/// The active account of the iTSCOM ID key `id_key`.
pub async fn active_account(conn: &mut Conn, id_key: &str) -> Result<Option<LoginAccount>, sqlx::Error> {
    active_account_by(conn, "itscom_id_key", id_key).await
}

/// The active account `account_id` (a login at its second step).
pub async fn active_account_by_id(
    conn: &mut Conn,
    account_id: &str,
) -> Result<Option<LoginAccount>, sqlx::Error> {
    active_account_by(conn, "id", account_id).await
}

/// The first statement of a login's session: the account `account_id` is still active
/// with the password the login was proven against (`password_hash`, read before the
/// proof). It locks the account's row, as a reset, a re-registration or a stop does
/// before it ends the sessions: so either that change waits and then ends this session
/// too, or this waits for it and finds the account changed. Whether the login may go on.
pub async fn still_as_proven(
    conn: &mut Conn,
    account_id: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let held = sqlx::query(
        "UPDATE accounts SET updated_at = updated_at
         WHERE id = $1 AND state = 'active' AND password_hash = $2",
    )
    .bind(account_id)
    .bind(password_hash)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(held == 1)
}

/// Whether two-step verification is on for account `account_id` (a password login then
/// waits for a code): asked once the login holds the account's row.
pub async fn two_step_on(conn: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    let on: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_factors WHERE account_id = $1 AND enabled_at IS NOT NULL",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(on > 0)
}

/// Whether the browser's device cookie (set at login) names one the account has logged
/// in from. Asked for unknown IDs too (`account_id` "-"): the same statement either way.
pub async fn known_browser(
    conn: &mut Conn,
    account_id: &str,
    device: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM known_devices WHERE account_id = $1 AND device_hash = $2")
            .bind(account_id)
            .bind(crate::ssr::crypto::sha256_hex(device.unwrap_or_default()))
            .fetch_one(conn)
            .await?;
    Ok(device.is_some() && n > 0)
}

/// The stored hashes of the browsers the account has logged in from (their login
/// budgets are [`browser_subject`]s of them).
pub async fn known_device_hashes(conn: &mut Conn, account_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT device_hash FROM known_devices WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(conn)
        .await
}

/// The account forgets the browser whose device cookie hashes to `device_hash`.
pub async fn forget_device(conn: &mut Conn, account_id: &str, device_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM known_devices WHERE account_id = $1 AND device_hash = $2")
        .bind(account_id)
        .bind(device_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The subject of the login budget of `account_id` from the browser whose device
/// cookie hashes to `device_hash` ([`throttle::LOGIN_BROWSER`](crate::ssr::auth::throttle::LOGIN_BROWSER)).
pub fn browser_subject(account_id: &str, device_hash: &str) -> String {
    format!("{account_id}|{device_hash}")
}

/// Remembers the browser `device` (stored hashed) for the account, seen at `now` (a
/// browser unseen for [`KNOWN_BROWSER_SECS`](crate::ssr::maintenance::KNOWN_BROWSER_SECS)
/// is forgotten): whether it was known already.
pub async fn remember_device(
    conn: &mut Conn,
    account_id: &str,
    device: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let hash = crate::ssr::auth::sha256_hex(device);
    let seen =
        sqlx::query("UPDATE known_devices SET last_seen_at = $3 WHERE account_id = $1 AND device_hash = $2")
            .bind(account_id)
            .bind(&hash)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if seen > 0 {
        return Ok(true);
    }
    let added = sqlx::query(
        "INSERT INTO known_devices (account_id, device_hash, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(&hash)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(added == 0)
}

/// At most `batch` of the browsers not stamped with when they were last seen (0: known
/// before migration 34, or remembered by a process of the release before it) are
/// stamped `now`: their 400 days start then. How many.
pub async fn stamp_browsers(conn: &mut Conn, now: i64, batch: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE known_devices SET last_seen_at = $1 WHERE (account_id, device_hash) IN
         (SELECT account_id, device_hash FROM known_devices WHERE last_seen_at = 0 LIMIT $2)",
    )
    .bind(now)
    .bind(batch)
    .execute(conn)
    .await?
    .rows_affected())
}

/// The account's language (its mails, its next login elsewhere) becomes `locale_code`.
pub async fn set_locale(conn: &mut Conn, account_id: &str, locale_code: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET locale = $2 WHERE id = $1")
        .bind(account_id)
        .bind(locale_code)
        .execute(conn)
        .await?;
    Ok(())
}
