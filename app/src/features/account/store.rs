//! The ID change's server-only parts: the draft as stored and its lifetimes.

use crate::error::AppError;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::db::Conn;

/// A draft lives 30 minutes; a mailed link 24 hours.
pub const DRAFT_SECS: i64 = 30 * 60;
pub const LINK_SECS: i64 = 24 * 60 * 60;

/// ID changes an account may submit (each mails the typed address): 5 an hour.
pub const ID_CHANGE_MAILS: crate::ssr::auth::throttle::Policy = crate::ssr::auth::throttle::Policy {
    scope: "id-change-mail",
    counting: crate::ssr::auth::throttle::Counting::PerWindow { window_secs: 3600 },
    free_attempts: 5,
    step_secs: 300,
    max_wait_secs: 3600,
};

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

/// A change of the contact address can be taken back by the address it replaced for
/// this long, which meanwhile also gets the account's security notices.
pub const REVERT_SECS: i64 = 7 * 86_400;

/// The contact address of `customer_no` becomes `new`, in `tx`. When it replaces
/// another (`previous`), that address is mailed at once with a single-use link that
/// takes the change back, valid [`REVERT_SECS`], and gets the account's security
/// notices as long.
#[allow(clippy::too_many_arguments)]
pub async fn set_contact(
    tx: &mut Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    customer_no: &str,
    previous: &str,
    new: &str,
    locale: crate::i18n::Locale,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE customers SET contact_email = $2 WHERE customer_no = $1")
        .bind(customer_no)
        .bind(new)
        .execute(&mut *tx)
        .await?;
    if previous.eq_ignore_ascii_case(new) {
        return Ok(());
    }
    // The addresses replaced within the last 7 days (their own links still open) hear
    // of this change too: a second change must not hide the first one's owner.
    let earlier = crate::ssr::db::customers::previous_contacts(tx, customer_no, previous, now).await?;
    for to in earlier.iter().filter(|a| !a.eq_ignore_ascii_case(new)) {
        let words = (super::texts::of(locale).what_contact_changed)(new);
        let mail = super::mail::profile_changed(settings, locale, to, &words, now);
        crate::ssr::mail::enqueue(tx, "account.contact_changed_notice", &mail, now).await?;
    }
    let token = crate::ssr::auth::random_token();
    sqlx::query(
        "INSERT INTO contact_reverts (id, account_id, customer_no, previous_email, new_email, revert_hash, step,
            created_at, created_ms, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9)",
    )
    .bind(crate::ssr::db::new_id())
    .bind(account_id)
    .bind(customer_no)
    .bind(previous)
    .bind(new)
    .bind(crate::ssr::auth::sha256_hex(&token))
    .bind(now)
    .bind(crate::ssr::now_ms())
    .bind(now + REVERT_SECS)
    .execute(&mut *tx)
    .await?;
    let link = settings
        .public_url
        .join(&format!("{}?token={token}", super::routes::CONTACT_REVERT))
        .map_err(AppError::internal)?;
    let mail = super::mail::contact_changed(settings, locale, previous, new, now, link.as_str());
    crate::ssr::mail::enqueue(tx, "account.contact_changed", &mail, now).await?;
    crate::ssr::events::account_event(tx, crate::ssr::events::Event::ContactChanged, account_id, now).await?;
    Ok(())
}

/// An open revert link, as its page shows it.
#[derive(sqlx::FromRow)]
pub struct Revert {
    pub account_id: String,
    pub customer_no: String,
    pub previous_email: String,
    pub current: Option<String>,
    pub locale: String,
    pub created_ms: i64,
}

/// The open change a revert link takes back (reading changes nothing).
pub async fn revert_link(conn: &mut Conn, token: &str, now: i64) -> Result<Option<Revert>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.account_id, r.customer_no, r.previous_email, c.contact_email AS current, a.locale, r.created_ms
         FROM contact_reverts r JOIN customers c ON c.customer_no = r.customer_no
         JOIN accounts a ON a.id = r.account_id
         WHERE r.revert_hash = $1 AND r.step = 'open' AND r.expires_at > $2",
    )
    .bind(crate::ssr::auth::sha256_hex(token))
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Takes the change of `token` back, once: the contact address is the one it replaced
/// again; the changes made after it end with it (their links too: an address put in
/// later cannot take the restore back), while older changes keep their links and
/// copies; every session and pending change of the account ends. None when the link
/// is unknown, used or expired.
pub async fn revert(tx: &mut Conn, token: &str, now: i64) -> Result<Option<Revert>, AppError> {
    let hash = crate::ssr::auth::sha256_hex(token);
    let used = format!("used:{hash}");
    // The customer's row first: a change of the contact address under way (it writes
    // that row) commits before the account's revert links are read below.
    sqlx::query(
        "UPDATE customers SET customer_no = customer_no
         WHERE customer_no IN (SELECT customer_no FROM contact_reverts WHERE revert_hash = $1)",
    )
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    // Write first (the claim), so parallel clicks queue and one wins; the used link's
    // hash is kept marked, to read the row back.
    let claimed = sqlx::query(
        "UPDATE contact_reverts SET step = 'reverted', revert_hash = $3
         WHERE revert_hash = $1 AND step = 'open' AND expires_at > $2",
    )
    .bind(&hash)
    .bind(now)
    .bind(&used)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }
    let row: Revert = sqlx::query_as(
        "SELECT r.account_id, r.customer_no, r.previous_email, c.contact_email AS current, a.locale, r.created_ms
         FROM contact_reverts r JOIN customers c ON c.customer_no = r.customer_no
         JOIN accounts a ON a.id = r.account_id
         WHERE r.revert_hash = $1",
    )
    .bind(&used)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE contact_reverts SET step = 'reverted', revert_hash = NULL
         WHERE account_id = $1 AND step = 'open' AND created_ms >= $2",
    )
    .bind(&row.account_id)
    .bind(row.created_ms)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE customers SET contact_email = $2 WHERE customer_no = $1")
        .bind(&row.customer_no)
        .bind(&row.previous_email)
        .execute(&mut *tx)
        .await?;
    crate::features::end_for_security(tx, &row.account_id, now).await?;
    Ok(Some(row))
}
