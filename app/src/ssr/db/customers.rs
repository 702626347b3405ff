//! Customers and where an account's notices go. (A feature's own queries live in its
//! `store.rs`: this layer imports no feature.)

use super::Conn;

/// Customer numbers and names, for the development preview.
pub async fn list_brief(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT customer_no, name FROM customers ORDER BY customer_no LIMIT 50")
        .fetch_all(conn)
        .await
}

/// Where an account's mail goes: its contact address (the iTSCOM ID when none is
/// on record), in the account's language.
pub struct NoticeTarget {
    pub itscom_id: String,
    pub to: String,
    pub locale: crate::i18n::Locale,
}

pub async fn notice_target(conn: &mut Conn, account_id: &str) -> Result<NoticeTarget, sqlx::Error> {
    let (itscom_id, contact, locale): (String, Option<String>, String) = sqlx::query_as(
        "SELECT a.itscom_id, c.contact_email, a.locale FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(NoticeTarget {
        to: contact.unwrap_or_else(|| itscom_id.clone()),
        itscom_id,
        locale: crate::i18n::Locale::from_code(&locale).unwrap_or_default(),
    })
}

/// Takes the customer row's write lock for the rest of the transaction (a write first:
/// SQLite then also cannot be overtaken), so limits counted per customer hold when two
/// requests run at once.
pub async fn lock(tx: &mut Conn, customer_no: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET customer_no = customer_no WHERE customer_no = $1")
        .bind(customer_no)
        .execute(tx)
        .await
        .map(|_| ())
}
