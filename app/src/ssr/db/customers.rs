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
/// on record), in the account's language; and, for 7 days after a change of the
/// contact address, the addresses it replaced (`also`): security notices, recovery
/// codes and re-registration links go there too, so a takeover through the contact
/// address is seen by the owner.
pub struct NoticeTarget {
    pub itscom_id: String,
    pub to: String,
    pub also: Vec<String>,
    pub locale: crate::i18n::Locale,
}

impl NoticeTarget {
    /// Where a security notice goes: the contact address and, for 7 days after a
    /// change, the ones before it.
    pub fn security_recipients(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.to.as_str()).chain(self.also.iter().map(String::as_str))
    }

    /// Queue a security notice, made by `mail` for each of the
    /// [`security_recipients`](Self::security_recipients).
    pub async fn notify(
        &self,
        conn: &mut Conn,
        topic: &str,
        mail: impl Fn(&str) -> crate::ssr::mail::Mail,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        crate::ssr::mail::enqueue_each(conn, topic, self.security_recipients(), mail, now).await
    }
}

pub async fn notice_target(conn: &mut Conn, account_id: &str) -> Result<NoticeTarget, sqlx::Error> {
    notice_target_of(conn, account_id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// Queue a security notice of account `account_id` as `topic`: `mail` (in the
/// account's language, to an address) for each of its
/// [`security_recipients`](NoticeTarget::security_recipients); in the caller's
/// transaction.
pub async fn notify(
    conn: &mut Conn,
    account_id: &str,
    topic: &str,
    mail: impl Fn(crate::i18n::Locale, &str) -> crate::ssr::mail::Mail,
    now: i64,
) -> Result<(), sqlx::Error> {
    let target = notice_target(conn, account_id).await?;
    target.notify(conn, topic, |to| mail(target.locale, to), now).await
}

/// Queue a notice of account `account_id` as `topic`: `mail` (in the account's
/// language, to an address) to its contact address only; in the caller's transaction.
pub async fn mail_owner(
    conn: &mut Conn,
    account_id: &str,
    topic: &str,
    mail: impl FnOnce(crate::i18n::Locale, &str) -> crate::ssr::mail::Mail,
    now: i64,
) -> Result<(), sqlx::Error> {
    let target = notice_target(conn, account_id).await?;
    crate::ssr::mail::enqueue(conn, topic, &mail(target.locale, &target.to), now).await
}

/// [`notice_target`], None for an account that does not exist: the same statements
/// either way (the second looks up the addresses of a customer that is not there).
pub async fn notice_target_of(
    conn: &mut Conn,
    account_id: &str,
) -> Result<Option<NoticeTarget>, sqlx::Error> {
    let row: Option<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT a.itscom_id, c.contact_email, a.locale, a.customer_no FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    let customer_no = row.as_ref().map_or("-", |r| r.3.as_str()).to_string();
    let current = row.as_ref().map(|r| r.1.clone().unwrap_or_else(|| r.0.clone())).unwrap_or_default();
    let also = previous_contacts(conn, &customer_no, &current, crate::ssr::now()).await?;
    Ok(row.map(|(itscom_id, _, locale, _)| NoticeTarget {
        to: current,
        also,
        itscom_id,
        locale: crate::i18n::Locale::from_code(&locale).unwrap_or_default(),
    }))
}

/// The addresses a customer's contact address replaced in the last 7 days (changes not
/// taken back), other than `current`, oldest first.
pub async fn previous_contacts(
    conn: &mut Conn,
    customer_no: &str,
    current: &str,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT previous_email FROM contact_reverts
         WHERE customer_no = $1 AND step = 'open' AND expires_at > $2 ORDER BY created_at",
    )
    .bind(customer_no)
    .bind(now)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<String> = Vec::new();
    for address in rows {
        if !address.eq_ignore_ascii_case(current) && !out.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            out.push(address);
        }
    }
    Ok(out)
}

/// Takes the customer row's write lock for the rest of the transaction (a write first:
/// SQLite then also cannot be overtaken), so limits counted per customer hold when two
/// requests run at once.
pub async fn lock(tx: &mut Conn, customer_no: &str) -> Result<(), sqlx::Error> {
    write_lock(tx, "UPDATE customers SET customer_no = customer_no WHERE customer_no = $1", customer_no).await
}

/// Takes the account row's write lock for the rest of the transaction: a security change
/// takes it before it ends the sessions, as a login takes it before it starts one
/// (`login::store::still_as_proven`), so the two cannot pass each other.
pub async fn lock_account(tx: &mut Conn, account_id: &str) -> Result<(), sqlx::Error> {
    write_lock(tx, "UPDATE accounts SET updated_at = updated_at WHERE id = $1", account_id).await
}

/// A row's write lock, by an update `sql` that changes nothing of the row `$1` names.
async fn write_lock(tx: &mut Conn, sql: &'static str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).bind(key).execute(tx).await.map(|_| ())
}

/// The customer number of an account, if it exists.
pub async fn of_account(conn: &mut Conn, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT customer_no FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(conn)
        .await
}
