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

/// The customer's internet service (the contract mailboxes belong to), if any.
pub async fn internet_service(conn: &mut Conn, customer_no: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM services WHERE customer_no = $1 AND kind = 'internet' AND ended_on IS NULL
         ORDER BY started_on LIMIT 1",
    )
    .bind(customer_no)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn count(conn: &mut Conn, service_id: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mailboxes WHERE service_id = $1")
        .bind(service_id)
        .fetch_one(conn)
        .await?;
    Ok(n)
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
    let taken: Vec<(String,)> = sqlx::query_as("SELECT subdomain FROM mailboxes WHERE local_part = $1")
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
        .filter(|s| !shown.contains(s) && !taken.iter().any(|(t,)| t == s))
        .take(CANDIDATES)
        .collect())
}

pub enum Change {
    Created,
    VirusCheck,
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
    use crate::ssr::mail::{enqueue, enqueue_event};
    let event = serde_json::json!({
        "event": match change {
            Change::Created => "mailbox.created",
            Change::VirusCheck => "mailbox.virus_check_changed",
        },
        "address": address,
        "customer_no": account.customer_no,
        "virus_check": virus_check,
        "at": now,
    });
    enqueue_event(conn, super::EVENT_TOPIC, &event, now).await?;
    let target = crate::ssr::db::customers::notice_target(conn, &account.account_id).await?;
    let (locale, to) = (target.locale, target.to.as_str());
    let mail = match change {
        Change::Created => mail::mailbox_created(settings, locale, to, address, virus_check),
        Change::VirusCheck => mail::mailbox_virus_check(settings, locale, to, address, virus_check),
    };
    enqueue(conn, "mailbox.notice", &mail, now).await
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
         WHERE account_id = $1 AND session_hash = $2 AND step <> $3 AND expires_at > $4
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
