//! Login's server-only parts: the account a login names, the browsers it knows, the
//! language it uses.

use crate::ssr::db::Conn;

/// The customer's name.
pub async fn customer_name(conn: &mut Conn, customer_no: &str) -> Result<String, sqlx::Error> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_one(conn)
        .await?;
    Ok(name)
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
}

/// The active account of the iTSCOM ID key `id_key`.
pub async fn active_account(conn: &mut Conn, id_key: &str) -> Result<Option<LoginAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.password_hash, a.itscom_id, a.locale, c.contact_email, a.customer_no
             FROM accounts a JOIN customers c ON c.customer_no = a.customer_no
             WHERE a.itscom_id_key = $1 AND a.state = 'active'",
    )
    .bind(id_key)
    .fetch_optional(conn)
    .await
}

/// Remembers the browser `device` (stored hashed) for the account: whether it was
/// known already.
pub async fn remember_device(
    conn: &mut Conn,
    account_id: &str,
    device: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO known_devices (account_id, device_hash, first_seen_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(crate::ssr::auth::sha256_hex(device))
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(added == 0)
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
