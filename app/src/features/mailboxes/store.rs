//! The mailboxes' server-only queries: the contract, candidates, the wizard's draft.
use super::MailboxStep;
use crate::domain::mailbox::{Subdomain, CANDIDATES};
use crate::error::AppError;
use crate::ssr::auth::{sha256_hex, CurrentAccount};
use crate::ssr::db::Conn;

pub const DRAFT_SECS: i64 = 30 * 60;
/// The sealed password waits this long for the completion screen.
pub const REVEAL_SECS: i64 = 10 * 60;
pub const REVEAL_COOKIE: &str = "mypage_mailbox_reveal";

/// The customer's internet contracts in force, oldest first: each has its own
/// mailboxes, up to the limit each.
pub async fn internet_services(
    conn: &mut Conn,
    customer_no: &str,
) -> Result<Vec<super::MailboxContract>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id AS service_id, plan_name, installation_address FROM services
         WHERE customer_no = $1 AND kind = 'internet' AND ended_on IS NULL
         ORDER BY started_on, id",
    )
    .bind(customer_no)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut Conn, service_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM mailboxes WHERE service_id = $1")
        .bind(service_id)
        .fetch_one(conn)
        .await
}

/// The next candidates for `local` in this draft's own order (a shuffle keyed by
/// the draft id, so customers asking for the same name are offered different
/// sub-domains), skipping those `shown` already and those taken.
pub async fn next_candidates(
    conn: &mut Conn,
    draft_id: &str,
    local: &str,
    shown: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let taken: Vec<String> = sqlx::query_scalar("SELECT subdomain FROM mailboxes WHERE local_part = $1")
        .bind(local)
        .fetch_all(conn)
        .await?;
    let mut order: Vec<(String, String)> = Subdomain::all()
        .map(|s| s.to_string())
        .map(|s| (sha256_hex(&format!("{draft_id}\u{0}{s}")), s))
        .collect();
    order.sort();
    Ok(order
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| !shown.contains(s) && !taken.iter().any(|t| t == s))
        .take(CANDIDATES)
        .collect())
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: String,
    address: String,
    virus_check: i64,
    created_at: i64,
}

/// The mailboxes of the contract `service_id`, oldest first.
pub async fn mailboxes(conn: &mut Conn, service_id: &str) -> Result<Vec<super::MailboxRow>, sqlx::Error> {
    let rows: Vec<ListedRow> = sqlx::query_as(
        "SELECT id, address, virus_check, created_at FROM mailboxes WHERE service_id = $1
         ORDER BY created_at, address",
    )
    .bind(service_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::MailboxRow {
            id: r.id,
            address: r.address,
            virus_check: r.virus_check != 0,
            created_at: r.created_at,
        })
        .collect())
}

/// Switches the customer's mailbox `mailbox_id` to `on`: its address, or None when it
/// is not theirs or is so already.
pub async fn switch_virus_check(
    conn: &mut Conn,
    mailbox_id: &str,
    customer_no: &str,
    on: bool,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE mailboxes SET virus_check = $3 WHERE id = $1 AND customer_no = $2 AND virus_check <> $3
             RETURNING address",
    )
    .bind(mailbox_id)
    .bind(customer_no)
    .bind(i64::from(on))
    .fetch_optional(conn)
    .await
}

/// Whether mailbox `mailbox_id` is the customer's.
pub async fn belongs_to(conn: &mut Conn, mailbox_id: &str, customer_no: &str) -> Result<bool, sqlx::Error> {
    let mine: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mailboxes WHERE id = $1 AND customer_no = $2")
        .bind(mailbox_id)
        .bind(customer_no)
        .fetch_one(conn)
        .await?;
    Ok(mine != 0)
}

/// Writes a new draft `id` for the session at `Subdomain`, offering `offered`.
pub async fn create_draft(
    conn: &mut Conn,
    id: &str,
    account: &CurrentAccount,
    service_id: &str,
    local_part: &str,
    offered: &[String],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mailbox_drafts (id, account_id, session_hash, service_id, step, local_part, offered, shown,
                created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
    )
    .bind(id)
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(service_id)
    .bind(MailboxStep::Subdomain)
    .bind(local_part)
    .bind(offered.join(","))
    .bind(now)
    .bind(now + DRAFT_SECS)
    .execute(conn)
    .await?;
    Ok(())
}

/// Locks the contract `service_id`'s row until the transaction ends.
pub async fn lock_service(conn: &mut Conn, service_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE services SET plan_code = plan_code WHERE id = $1")
        .bind(service_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The step of draft `draft_id`.
pub async fn draft_step(conn: &mut Conn, draft_id: &str) -> Result<MailboxStep, sqlx::Error> {
    sqlx::query_scalar("SELECT step FROM mailbox_drafts WHERE id = $1").bind(draft_id).fetch_one(conn).await
}

/// A mailbox as it is written.
pub struct NewMailbox<'a> {
    pub id: &'a str,
    pub customer_no: &'a str,
    pub service_id: &'a str,
    pub local_part: &'a str,
    pub subdomain: &'a str,
    pub address: &'a str,
    pub password_hash: &'a str,
    pub virus_check: bool,
}

/// Writes `mailbox` (a unique violation: its address is taken).
pub async fn insert_mailbox(conn: &mut Conn, mailbox: &NewMailbox<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mailboxes (id, customer_no, service_id, local_part, subdomain, address, password_hash,
                virus_check, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(mailbox.id)
    .bind(mailbox.customer_no)
    .bind(mailbox.service_id)
    .bind(mailbox.local_part)
    .bind(mailbox.subdomain)
    .bind(mailbox.address)
    .bind(mailbox.password_hash)
    .bind(i64::from(mailbox.virus_check))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A completed draft whose sealed password waits for the completion screen.
#[derive(sqlx::FromRow)]
pub struct Sealed {
    pub id: String,
    pub sealed_password: String,
    pub virus_check: i64,
    /// The mailbox's address, read with it: nothing is left to read once it is cleared.
    pub address: String,
    /// 1: a password issued again, not a new mailbox's.
    pub reissue: i64,
}

/// This session's completed drafts with their passwords still sealed in them
/// (unexpired), the mailbox registered last first: more than one when a completion
/// screen was never seen (its answer lost, or a second tab) before the next 登録 (or
/// password issued again).
pub async fn sealed_completions(
    conn: &mut Conn,
    account: &CurrentAccount,
    now: i64,
) -> Result<Vec<Sealed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.sealed_password, d.virus_check, m.address, d.reissue
         FROM mailbox_drafts d JOIN mailboxes m ON m.id = d.mailbox_id
         WHERE d.account_id = $1 AND d.session_hash = $2 AND d.step = $3 AND d.sealed_password IS NOT NULL
            AND d.expires_at > $4
         ORDER BY m.created_at DESC, d.created_at DESC, d.id",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(MailboxStep::Done)
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Removes draft `draft_id`'s sealed password: true for the one call that removed it.
pub async fn clear_sealed(conn: &mut Conn, draft_id: &str) -> Result<bool, sqlx::Error> {
    let cleared = sqlx::query(
        "UPDATE mailbox_drafts SET sealed_password = NULL WHERE id = $1 AND sealed_password IS NOT NULL",
    )
    .bind(draft_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(cleared == 1)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    VirusCheck,
    PasswordReissued,
}

/// One of the customer's mailboxes, as its password is issued again.
#[derive(sqlx::FromRow)]
pub struct Owned {
    pub id: String,
    pub service_id: String,
    pub local_part: String,
    pub address: String,
    pub virus_check: i64,
}

/// The customer's mailbox `mailbox_id` of a contract in force (None: there is none, it
/// is another's, or its contract has ended).
pub async fn owned(
    conn: &mut Conn,
    mailbox_id: &str,
    customer_no: &str,
) -> Result<Option<Owned>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.service_id, m.local_part, m.address, m.virus_check FROM mailboxes m
         JOIN services s ON s.id = m.service_id
         WHERE m.id = $1 AND m.customer_no = $2 AND s.ended_on IS NULL",
    )
    .bind(mailbox_id)
    .bind(customer_no)
    .fetch_optional(conn)
    .await
}

/// Writes the reissue `id` of `mailbox` for the session, with the new password sealed
/// for its screen: false when that reissue was written already (the same page sent
/// twice), and nothing is to be done again.
pub async fn insert_reissue(
    conn: &mut Conn,
    id: &str,
    account: &CurrentAccount,
    mailbox: &Owned,
    sealed: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let written = sqlx::query(
        "INSERT INTO mailbox_drafts (id, account_id, session_hash, service_id, step, local_part, virus_check,
                mailbox_id, sealed_password, reissue, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(&mailbox.service_id)
    .bind(MailboxStep::Done)
    .bind(&mailbox.local_part)
    .bind(mailbox.virus_check)
    .bind(&mailbox.id)
    .bind(sealed)
    .bind(now)
    .bind(now + REVEAL_SECS)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// Whether the reissue `id` was written (its page sent before).
pub async fn reissue_written(conn: &mut Conn, id: &str) -> Result<bool, sqlx::Error> {
    crate::ssr::db::finds(conn, "SELECT id FROM mailbox_drafts WHERE id = $1", id).await
}

/// Mailbox `mailbox_id`'s passwords still sealed for their screen, but reissue `kept`'s,
/// are not shown any more (a password set since replaced them).
pub async fn supersede_sealed(conn: &mut Conn, mailbox_id: &str, kept: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mailbox_drafts SET sealed_password = NULL
         WHERE mailbox_id = $1 AND id <> $2 AND sealed_password IS NOT NULL",
    )
    .bind(mailbox_id)
    .bind(kept)
    .execute(conn)
    .await?;
    Ok(())
}

/// The customer's mailbox `mailbox_id` takes the password of hash `hash`.
pub async fn set_password(
    conn: &mut Conn,
    mailbox_id: &str,
    customer_no: &str,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let set = sqlx::query("UPDATE mailboxes SET password_hash = $3 WHERE id = $1 AND customer_no = $2")
        .bind(mailbox_id)
        .bind(customer_no)
        .bind(hash)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(set == 1)
}

/// Tell the mail system (an outbox event, the format in the module docs) and the
/// customer (a notice to the contact address, never with the password).
pub async fn report(
    conn: &mut Conn,
    settings: &crate::ssr::config::Settings,
    account: &CurrentAccount,
    change: Change,
    address: &str,
    virus_check: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    use super::mail;
    use crate::ssr::mail::enqueue_event;
    let event = serde_json::json!({
        "event": match change {
            Change::Created => "mailbox.created",
            Change::VirusCheck => "mailbox.virus_check_changed",
            Change::PasswordReissued => "mailbox.password_reissued",
        },
        "address": address,
        "customer_no": account.customer_no,
        "virus_check": virus_check,
        "at": now,
    });
    enqueue_event(conn, super::EVENT_TOPIC, &event, now).await?;
    // In the account's セキュリティ履歴, with the browser as every entry there (the
    // address is the mailbox's own row's: not copied into the log and the events).
    let logged = match change {
        Change::Created => Some(crate::ssr::events::Event::MailboxCreated),
        Change::PasswordReissued => Some(crate::ssr::events::Event::MailboxPasswordReissued),
        Change::VirusCheck => None,
    };
    if let Some(event) = logged {
        crate::ssr::events::account_event(conn, event, &account.account_id, now).await?;
    }
    let mail = |locale, to: &str| match change {
        Change::Created => mail::mailbox_created(settings, locale, to, address, virus_check),
        Change::VirusCheck => mail::mailbox_virus_check(settings, locale, to, address, virus_check),
        Change::PasswordReissued => mail::mailbox_reissued(settings, locale, to, address),
    };
    crate::ssr::db::customers::mail_owner(conn, &account.account_id, "mailbox.notice", mail, now).await
}

pub fn split(list: &str) -> Vec<String> {
    list.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// A wizard draft as stored (`offered` and `shown` are comma-separated lists).
#[derive(sqlx::FromRow)]
struct DraftRow {
    id: String,
    service_id: String,
    step: MailboxStep,
    local_part: String,
    offered: String,
    shown: String,
    subdomain: Option<String>,
    virus_check: Option<i64>,
}

pub struct Draft {
    pub id: String,
    pub service_id: String,
    pub step: MailboxStep,
    pub local_part: String,
    pub offered: Vec<String>,
    pub shown: Vec<String>,
    pub subdomain: Option<String>,
    pub virus_check: Option<bool>,
}

/// This session's newest live draft.
pub async fn current_draft(
    conn: &mut Conn,
    account: &CurrentAccount,
    now: i64,
) -> Result<Option<Draft>, AppError> {
    let row: Option<DraftRow> = sqlx::query_as(
        "SELECT id, service_id, step, local_part, offered, shown, subdomain, virus_check
         FROM mailbox_drafts
         WHERE account_id = $1 AND session_hash = $2 AND step <> $3 AND expires_at > $4 AND reissue = 0
         ORDER BY CASE WHEN step = $5 THEN 1 ELSE 0 END, created_at DESC LIMIT 1",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(MailboxStep::Cancelled)
    .bind(now)
    .bind(MailboxStep::Done)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Draft {
        id: r.id,
        service_id: r.service_id,
        step: r.step,
        local_part: r.local_part,
        offered: split(&r.offered),
        shown: split(&r.shown),
        subdomain: r.subdomain,
        virus_check: r.virus_check.map(|v| v != 0),
    }))
}

/// This session's draft at `step`, else the "out of order" error.
pub async fn draft_at(
    conn: &mut Conn,
    account: &CurrentAccount,
    step: MailboxStep,
    now: i64,
) -> Result<Draft, AppError> {
    current_draft(conn, account, now).await?.filter(|d| d.step == step).ok_or(AppError::FlowExpired)
}

/// A strong initial password: 12 characters without look-alikes (0/O, 1/l/I),
/// at least one upper-case letter, one lower-case letter and one digit.
pub fn initial_password() -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    let all: Vec<u8> = [UPPER, LOWER, DIGIT].concat();
    let mut chars: Vec<u8> = vec![
        UPPER[rng.gen_range(0..UPPER.len())],
        LOWER[rng.gen_range(0..LOWER.len())],
        DIGIT[rng.gen_range(0..DIGIT.len())],
    ];
    chars.extend((0..9).map(|_| all[rng.gen_range(0..all.len())]));
    chars.shuffle(&mut rng);
    String::from_utf8(chars).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_passwords_are_12_mixed_characters_without_look_alikes() {
        for _ in 0..200 {
            let p = initial_password();
            assert_eq!(p.len(), 12);
            assert!(p.chars().any(|c| c.is_ascii_uppercase()));
            assert!(p.chars().any(|c| c.is_ascii_lowercase()));
            assert!(p.chars().any(|c| c.is_ascii_digit()));
            assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
        }
        assert_ne!(initial_password(), initial_password());
    }
}
