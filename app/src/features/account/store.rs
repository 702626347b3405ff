//! The account's server-only parts: what the overview reads, the ID change (its draft,
//! links and lifetimes), the contact address's changes and reverts, the phone numbers.

use super::{ContactStep, IdChangeStep};
use crate::domain::ItscomId;
use crate::error::AppError;
use crate::ssr::auth::{sha256_hex, CurrentAccount};
use crate::ssr::db::Conn;

/// The customer's name, address and contact address, as the overview shows them.
#[derive(sqlx::FromRow)]
pub struct Customer {
    pub name: String,
    pub name_kana: String,
    pub postal_code: String,
    pub address: String,
    pub contact_email: Option<String>,
}

/// The customer's name, address and contact address.
pub async fn customer(conn: &mut Conn, customer_no: &str) -> Result<Customer, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, name_kana, postal_code, address, contact_email FROM customers WHERE customer_no = $1",
    )
    .bind(customer_no)
    .fetch_one(conn)
    .await
}

/// The customer's contact address (none: the iTSCOM ID is used).
pub async fn contact_email(conn: &mut Conn, customer_no: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT contact_email FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_one(conn)
        .await
}

/// The customer's phone numbers (digits), in order.
pub async fn phones(conn: &mut Conn, customer_no: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT phone FROM customer_phones WHERE customer_no = $1 ORDER BY phone")
        .bind(customer_no)
        .fetch_all(conn)
        .await
}

/// The customer's mailbox addresses, oldest first.
pub async fn mailboxes(conn: &mut Conn, customer_no: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT address FROM mailboxes WHERE customer_no = $1 ORDER BY created_at, address")
        .bind(customer_no)
        .fetch_all(conn)
        .await
}

/// The new address of the account's contact change waiting for its link.
pub async fn pending_contact(
    conn: &mut Conn,
    account_id: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT new_email FROM contact_changes WHERE account_id = $1 AND step = $2 AND expires_at > $3
         ORDER BY created_at DESC",
    )
    .bind(account_id)
    .bind(ContactStep::Mailed)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The new ID of the account's change waiting for its link.
pub async fn pending_id(conn: &mut Conn, account_id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT new_itscom_id FROM id_changes
         WHERE account_id = $1 AND step = $2 AND expires_at > $3 ORDER BY created_at DESC",
    )
    .bind(account_id)
    .bind(IdChangeStep::Mailed)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// A draft lives 30 minutes; a mailed link 24 hours.
pub const DRAFT_SECS: i64 = 30 * 60;
pub const LINK_SECS: i64 = 24 * 60 * 60;

/// ID changes an account may submit (each mails the typed address): 5 an hour.
pub const ID_CHANGE_MAILS: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("id-change-mail", 3600).free(5).then_wait(300, 3600);

#[derive(sqlx::FromRow)]
pub struct Draft {
    pub id: String,
    pub step: super::IdChangeStep,
    pub new_id: String,
    pub new_id_key: String,
}

/// Writes this session's draft of a change to `new_id`, at its confirmation step.
pub async fn insert_draft(
    conn: &mut Conn,
    account: &CurrentAccount,
    new_id: &ItscomId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO id_changes (id, account_id, session_hash, new_itscom_id, new_id_key, step, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::ssr::db::new_id())
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(new_id.as_str())
    .bind(new_id.key())
    .bind(IdChangeStep::Confirm)
    .bind(now)
    .bind(now + DRAFT_SECS)
    .execute(conn)
    .await?;
    Ok(())
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
    .bind(IdChangeStep::Confirm)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Whether this session's newest change is mailed, its link waiting: a submit sent
/// again (a double click, a retry after no answer) is answered as the first was.
pub async fn mailed_already(
    conn: &mut Conn,
    account: &CurrentAccount,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let step: Option<IdChangeStep> = sqlx::query_scalar(
        "SELECT step FROM id_changes WHERE account_id = $1 AND session_hash = $2 AND expires_at > $3
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(step == Some(IdChangeStep::Mailed))
}

/// Whether an account holds the ID of `id_key`.
pub async fn id_taken(conn: &mut Conn, id_key: &str) -> Result<bool, sqlx::Error> {
    crate::ssr::db::finds(conn, "SELECT id FROM accounts WHERE itscom_id_key = $1", id_key).await
}

/// Stores the hash of the cancel link `token` mailed for change `id`.
pub async fn set_cancel_link(conn: &mut Conn, id: &str, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE id_changes SET cancel_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(sha256_hex(token))
        .execute(conn)
        .await?;
    Ok(())
}

/// A waiting ID change as its mailed links show it: the account's ID, the new one,
/// whether the contact address changes too (0 or 1).
#[derive(sqlx::FromRow)]
pub struct ChangeLink {
    pub itscom_id: String,
    pub new_itscom_id: String,
    pub sets_contact: i64,
}

impl From<ChangeLink> for super::IdChangeLink {
    fn from(r: ChangeLink) -> Self {
        super::IdChangeLink {
            current_id: r.itscom_id,
            new_id: r.new_itscom_id,
            sets_contact: r.sets_contact != 0,
        }
    }
}

/// The change a confirmation link `token` is for, while it waits (reading changes nothing).
pub async fn confirm_link(conn: &mut Conn, token: &str, now: i64) -> Result<Option<ChangeLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.itscom_id, x.new_itscom_id, x.sets_contact FROM id_changes x
         JOIN accounts a ON a.id = x.account_id
         WHERE x.link_hash = $1 AND x.step = $2 AND x.expires_at > $3",
    )
    .bind(sha256_hex(token))
    .bind(IdChangeStep::Mailed)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The change a cancel link `token` is for, while it waits (reading changes nothing).
pub async fn cancel_link(conn: &mut Conn, token: &str) -> Result<Option<ChangeLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.itscom_id, x.new_itscom_id, COALESCE(x.sets_contact, 0) AS sets_contact FROM id_changes x
         JOIN accounts a ON a.id = x.account_id
         WHERE x.cancel_hash = $1 AND x.step = $2",
    )
    .bind(sha256_hex(token))
    .bind(IdChangeStep::Mailed)
    .fetch_optional(conn)
    .await
}

/// The waiting change of cancel link `token`: (its id, its account).
pub async fn change_of_cancel_link(
    conn: &mut Conn,
    token: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, account_id FROM id_changes WHERE cancel_hash = $1 AND step = $2")
        .bind(sha256_hex(token))
        .bind(IdChangeStep::Mailed)
        .fetch_optional(conn)
        .await
}

/// The change a confirmation link confirms, with the account it changes.
#[derive(sqlx::FromRow)]
pub struct Confirming {
    pub account_id: String,
    pub new_id: String,
    pub new_id_key: String,
    pub sets_contact: i64,
    pub customer_no: String,
    pub old_id: String,
    pub old_contact: Option<String>,
    pub locale: String,
}

/// The change of confirmation link `token` (claimed or not), with its account.
pub async fn confirming(conn: &mut Conn, token: &str) -> Result<Confirming, sqlx::Error> {
    sqlx::query_as(
        "SELECT x.account_id, x.new_itscom_id AS new_id, x.new_id_key, x.sets_contact, a.customer_no,
                a.itscom_id AS old_id, c.contact_email AS old_contact, a.locale
         FROM id_changes x JOIN accounts a ON a.id = x.account_id
         JOIN customers c ON c.customer_no = a.customer_no
         WHERE x.link_hash = $1",
    )
    .bind(sha256_hex(token))
    .fetch_one(conn)
    .await
}

/// Before the link `token` is claimed: the rows its change writes, locked in the order
/// every change takes them (the customer's, then the account's). A password reset or a
/// sign-out ending the change (customer, account, then the change's row) commits first,
/// and the claim finds the change ended, or waits for it: never each holding a row the
/// other waits for. Nothing is locked for an unknown link.
pub async fn lock_owner_of_link(conn: &mut Conn, token: &str) -> Result<(), sqlx::Error> {
    let hash = sha256_hex(token);
    sqlx::query(
        "UPDATE customers SET customer_no = customer_no WHERE customer_no IN
           (SELECT a.customer_no FROM id_changes x JOIN accounts a ON a.id = x.account_id WHERE x.link_hash = $1)",
    )
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE accounts SET updated_at = updated_at WHERE id IN (SELECT account_id FROM id_changes WHERE link_hash = $1)",
    )
    .bind(&hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account's iTSCOM ID becomes `new_id` (a unique violation: another account
/// holds it).
pub async fn change_id(
    conn: &mut Conn,
    account_id: &str,
    new_id: &str,
    new_id_key: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET itscom_id = $2, itscom_id_key = $3, updated_at = $4 WHERE id = $1")
        .bind(account_id)
        .bind(new_id)
        .bind(new_id_key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds `phone` (digits) to the customer's numbers: false when it is there already.
pub async fn insert_phone(conn: &mut Conn, customer_no: &str, phone: &str) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "INSERT INTO customer_phones (customer_no, phone) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(customer_no)
    .bind(phone)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed != 0)
}

/// Removes `phone` (digits) from the customer's numbers: false when it is not one.
pub async fn delete_phone(conn: &mut Conn, customer_no: &str, phone: &str) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("DELETE FROM customer_phones WHERE customer_no = $1 AND phone = $2")
        .bind(customer_no)
        .bind(phone)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed != 0)
}

/// How many phone numbers the customer has.
pub async fn phone_count(conn: &mut Conn, customer_no: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM customer_phones WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_one(conn)
        .await
}

/// `address` when it is one of the customer's mailboxes (as stored).
pub async fn own_mailbox(
    conn: &mut Conn,
    customer_no: &str,
    address: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT address FROM mailboxes WHERE customer_no = $1 AND address = $2")
        .bind(customer_no)
        .bind(address)
        .fetch_optional(conn)
        .await
}

/// How long a change to the same address counts as the same request sent again.
pub const SAME_CHANGE_SECS: i64 = 60;

/// Whether this account's link to `to` was mailed within [`SAME_CHANGE_SECS`] and still
/// waits: the same change sent again (a double click, a retry after no answer) is the
/// one already mailed, not a second mail that would make the first link invalid.
pub async fn mailed_just_now(
    conn: &mut Conn,
    account_id: &str,
    to: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contact_changes
         WHERE account_id = $1 AND LOWER(new_email) = LOWER($2) AND step = $3 AND created_at > $4
           AND expires_at > $5",
    )
    .bind(account_id)
    .bind(to)
    .bind(ContactStep::Mailed)
    .bind(now - SAME_CHANGE_SECS)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(waiting > 0)
}

/// A change of the contact address to `new_email`, waiting for the link `token` (stored
/// hashed) mailed there.
pub async fn insert_contact_change(
    conn: &mut Conn,
    account: &CurrentAccount,
    new_email: &str,
    token: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact_changes (id, account_id, customer_no, new_email, link_hash, step, created_at, expires_at,
                session_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(crate::ssr::db::new_id())
    .bind(&account.account_id)
    .bind(&account.customer_no)
    .bind(new_email)
    .bind(sha256_hex(token))
    .bind(ContactStep::Mailed)
    .bind(now)
    .bind(now + LINK_SECS)
    .bind(&account.session_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// The contact address in force and the one a contact-address link would set, while the
/// link waits (reading changes nothing).
pub async fn contact_link(
    conn: &mut Conn,
    token: &str,
    now: i64,
) -> Result<Option<(Option<String>, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.contact_email, x.new_email FROM contact_changes x JOIN customers c ON c.customer_no = x.customer_no
         WHERE x.link_hash = $1 AND x.step = $2 AND x.expires_at > $3",
    )
    .bind(sha256_hex(token))
    .bind(ContactStep::Mailed)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// A contact-address change whose link was claimed.
#[derive(sqlx::FromRow)]
pub struct ClaimedContact {
    pub account_id: String,
    pub customer_no: String,
    pub new_email: String,
}

/// The contact-address change whose link hash the claim marked as `used_hash`.
pub async fn claimed_contact_change(
    conn: &mut Conn,
    used_hash: String,
) -> Result<ClaimedContact, sqlx::Error> {
    sqlx::query_as("SELECT account_id, customer_no, new_email FROM contact_changes WHERE link_hash = $1")
        .bind(used_hash)
        .fetch_one(conn)
        .await
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
    let link = settings.mailed_link(super::routes::CONTACT_REVERT, &token)?;
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
