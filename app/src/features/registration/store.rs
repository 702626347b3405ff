//! Registration's server-only parts: the verification budgets, the customer matching,
//! the flow as stored, and putting a registration into effect.

use super::RegistrationStep;
use crate::error::AppError;
use crate::ssr::auth::{request_cookie, sha256_hex, throttle::Policy};
use crate::ssr::db::Conn;

pub const FLOW_COOKIE: &str = "mypage_reg";
/// Steps 2–3 must be done within an hour; the mailed link is valid 24 hours.
pub const FLOW_SECS: i64 = 3600;
pub const LINK_SECS: i64 = 24 * 3600;

/// Verification, per client address: 20 tries an hour, then waits.
pub const VERIFY_CLIENT: Policy =
    Policy::per_window("register-client", 3600).free(20).then_wait(60, 900).per_network(100);
/// Verification, per name + phone: failures in a row (never forgotten with time),
/// 5 free, then a growing wait, so guessing the last 4 digits (10,000 values) is
/// not feasible; 100 in a row end registration for that name and phone (an operator
/// opens it again: `server registration-unlock`).
pub const VERIFY_SUBJECT: Policy =
    Policy::in_a_row("register-subject", Some(crate::ssr::auth::throttle::LOCK_AFTER))
        .free(5)
        .then_wait(60, 900);
/// Verification, per customer record (whatever name or phone form was typed):
/// failures in a row; 100 end registration for that customer (support can help).
pub const VERIFY_CUSTOMER: Policy =
    Policy::in_a_row("register-customer", Some(crate::ssr::auth::throttle::LOCK_AFTER))
        .free(5)
        .then_wait(60, 900);
/// After this many failures in a row the customer's contact address is told (once a
/// day at most).
pub const NOTICE_AFTER: i64 = 10;

/// This browser's flow before its mail: what STEP 2 found.
#[derive(sqlx::FromRow)]
pub struct Flow {
    pub id_hash: String,
    pub customer_no: Option<String>,
    pub candidates: Option<String>,
    pub factor_used: String,
}

/// The flow of this browser at `step`, or FlowExpired.
pub async fn current_flow(conn: &mut Conn, step: RegistrationStep, now: i64) -> Result<Flow, AppError> {
    let token = request_cookie(FLOW_COOKIE).ok_or(AppError::FlowExpired)?;
    let row: Option<Flow> = sqlx::query_as(
        "SELECT id_hash, customer_no, candidates, factor_used FROM registration_flows
         WHERE id_hash = $1 AND step = $2 AND expires_at > $3 AND completed_at IS NULL",
    )
    .bind(sha256_hex(&token))
    .bind(step)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(AppError::FlowExpired)
}

/// The iTSCOM ID this browser's flow mailed its confirmation link to (its own typing,
/// shown back so that a mistyped address is seen), while the link waits.
pub async fn sent_to(conn: &mut Conn, now: i64) -> Result<Option<String>, sqlx::Error> {
    let Some(token) = request_cookie(FLOW_COOKIE) else { return Ok(None) };
    sqlx::query_scalar(
        "SELECT itscom_id FROM registration_flows
         WHERE id_hash = $1 AND step = $2 AND expires_at > $3 AND completed_at IS NULL",
    )
    .bind(sha256_hex(&token))
    .bind(RegistrationStep::MailSent)
    .bind(now)
    .fetch_optional(conn)
    .await
    .map(Option::flatten)
}

/// What this browser's flow mailed its link for, while the link waits: the ID as
/// typed and the password's hash (kept for a taken ID too, which never completes: a
/// STEP 3 sent again is compared with both alike).
pub async fn mailed(conn: &mut Conn, now: i64) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let Some(token) = request_cookie(FLOW_COOKIE) else { return Ok(None) };
    sqlx::query_as(
        "SELECT itscom_id, password_hash FROM registration_flows
         WHERE id_hash = $1 AND step = $2 AND expires_at > $3 AND completed_at IS NULL AND itscom_id IS NOT NULL",
    )
    .bind(sha256_hex(&token))
    .bind(RegistrationStep::MailSent)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Starts this browser's flow (`token` is its cookie) at `step`: STEP 2 found one
/// customer, or the `candidates` (comma-separated) to single out.
pub async fn start_flow(
    conn: &mut Conn,
    token: &str,
    step: RegistrationStep,
    customer_no: Option<String>,
    candidates: Option<String>,
    factor_used: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registration_flows (id_hash, step, customer_no, candidates, factor_used, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(sha256_hex(token))
    .bind(step)
    .bind(customer_no)
    .bind(candidates)
    .bind(factor_used)
    .bind(now)
    .bind(now + FLOW_SECS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `equipment_id` is the customer's.
pub async fn has_equipment(
    conn: &mut Conn,
    customer_no: &str,
    equipment_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM equipment WHERE customer_no = $1 AND equipment_id = $2")
            .bind(customer_no)
            .bind(equipment_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// The customer whose account holds the iTSCOM ID of `key`, if any.
pub async fn id_holder(conn: &mut Conn, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT customer_no FROM accounts WHERE itscom_id_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
}

/// The customer's account, if it has one.
pub async fn customer_account(conn: &mut Conn, customer_no: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM accounts WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_optional(conn)
        .await
}

/// The customers among `candidates` (or all) matching name, phone and a factor.
pub async fn matching_customers(
    conn: &mut Conn,
    kana_key: &str,
    phone: &str,
    factor: &crate::domain::verification::Factor,
) -> Result<Vec<(String, bool)>, sqlx::Error> {
    use crate::domain::verification::Factor;
    let (condition, value) = match factor {
        Factor::CustomerNumber(n) => ("c.customer_no = $3", n.as_str().to_string()),
        Factor::BankLast4(l) => (
            "EXISTS (SELECT 1 FROM payment_methods m WHERE m.customer_no = c.customer_no
                     AND m.kind = 'bank' AND m.account_last4 = $3)",
            l.as_str().to_string(),
        ),
        Factor::CardLast4(l) => (
            "EXISTS (SELECT 1 FROM payment_methods m WHERE m.customer_no = c.customer_no
                     AND m.kind = 'card' AND m.card_last4 = $3)",
            l.as_str().to_string(),
        ),
        Factor::Equipment(e) => (
            "EXISTS (SELECT 1 FROM equipment e WHERE e.customer_no = c.customer_no AND e.equipment_id = $3)",
            e.as_str().to_string(),
        ),
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT DISTINCT c.customer_no, c.requires_additional_verification
         FROM customers c JOIN customer_phones p ON p.customer_no = c.customer_no
         WHERE c.kana_key = $1 AND p.phone = $2 AND {condition}
         ORDER BY c.customer_no"
    ))
    .bind(kana_key)
    .bind(phone)
    .bind(value)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(no, req)| (no, req != 0)).collect())
}

/// What the per-customer counters are kept under when a name and phone match no
/// customer: the same statements run, so the time taken does not tell whether they
/// belong to a customer.
pub const STAND_IN: &str = "unmatched|";

/// The customers whose name and phone match, whatever the other details: the
/// records a failed verification counts against (a stand-in when none).
pub async fn named_customers(
    conn: &mut Conn,
    kana_key: &str,
    phone: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.customer_no FROM customers c JOIN customer_phones p ON p.customer_no = c.customer_no
         WHERE c.kana_key = $1 AND p.phone = $2 ORDER BY c.customer_no",
    )
    .bind(kana_key)
    .bind(phone)
    .fetch_all(conn)
    .await?;
    if rows.is_empty() {
        return Ok(vec![format!("{STAND_IN}{kana_key}|{phone}")]);
    }
    Ok(rows)
}

/// Reserve one verification attempt for each of `customers`: the worst verdict (a
/// lock before a wait before a go).
pub async fn reserve_customers(
    conn: &mut Conn,
    customers: &[String],
    now: i64,
) -> Result<crate::ssr::auth::throttle::Verdict, sqlx::Error> {
    use crate::ssr::auth::throttle::{self, Verdict};
    let mut worst = Verdict::Go;
    for c in customers {
        worst = match (worst, throttle::reserve(conn, &VERIFY_CUSTOMER, c, now).await?) {
            (Verdict::Locked, _) | (_, Verdict::Locked) => Verdict::Locked,
            (Verdict::Wait { seconds }, _) | (_, Verdict::Wait { seconds }) => Verdict::Wait { seconds },
            _ => Verdict::Go,
        };
    }
    Ok(worst)
}

/// The refusal of a verification budget's verdict: a lock (100 failures in a row)
/// needs the support centre; a wait is "try again later".
pub fn refused(verdict: crate::ssr::auth::throttle::Verdict) -> Option<AppError> {
    use crate::ssr::auth::throttle::Verdict;
    match verdict {
        Verdict::Go => None,
        Verdict::Wait { .. } => Some(AppError::TooManyAttempts),
        Verdict::Locked => Some(AppError::SupportNeeded),
    }
}

/// After the account's owner answered `心当たりがない` to a re-registration, no new one
/// starts for the customer for this long (the screen names the support centre).
pub const REREGISTRATION_BLOCK_SECS: i64 = 7 * 86_400;

/// Re-registrations (STEP 3 for a customer who has an account: each mails the owner)
/// a customer may submit: 3 a day.
pub const REREGISTRATIONS_PER_DAY: Policy =
    Policy::per_window("reregistration-customer", 86_400).free(3).then_wait(86_400, 86_400);

/// STEP 3s of a customer (each mails the typed ID): 5 an hour.
pub const REGISTRATION_MAILS: Policy =
    Policy::per_window("registration-mail", 3600).free(5).then_wait(300, 3600);

/// The customer's account, if it has one, and whether a re-registration of it is
/// refused now (its owner answered `心当たりがない` within the last 7 days).
pub async fn existing_account(
    conn: &mut Conn,
    customer_no: &str,
    now: i64,
) -> Result<(Option<String>, bool), sqlx::Error> {
    let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT a.id, c.reregistration_blocked_until FROM customers c
         LEFT JOIN accounts a ON a.customer_no = c.customer_no WHERE c.customer_no = $1",
    )
    .bind(customer_no)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some((account, until)) => {
            let blocked = account.is_some() && until.is_some_and(|u| u > now);
            (account, blocked)
        }
        None => (None, false),
    })
}

/// The owner answered `心当たりがない`: no re-registration of the customer for
/// [`REREGISTRATION_BLOCK_SECS`]; unless the contact address changed within the last 7
/// days (whoever answered may hold the new address, not be the owner, and must not
/// keep the owner from registering anew).
pub async fn block_reregistration(conn: &mut Conn, customer_no: &str, now: i64) -> Result<(), sqlx::Error> {
    let current: Option<Option<String>> =
        sqlx::query_scalar("SELECT contact_email FROM customers WHERE customer_no = $1")
            .bind(customer_no)
            .fetch_optional(&mut *conn)
            .await?;
    let current = current.flatten().unwrap_or_default();
    if !crate::ssr::db::customers::previous_contacts(conn, customer_no, &current, now).await?.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE customers SET reregistration_blocked_until = $2 WHERE customer_no = $1")
        .bind(customer_no)
        .bind(now + REREGISTRATION_BLOCK_SECS)
        .execute(conn)
        .await?;
    Ok(())
}

/// A pending registration found by its confirmation link, with its customer's name: what
/// the link's page shows and its completion reads.
#[derive(sqlx::FromRow)]
pub struct ConfirmLink {
    pub id_hash: String,
    pub itscom_id: String,
    pub name: String,
    pub customer_no: String,
    pub account_id: Option<String>,
    pub hold_until: Option<i64>,
    pub owner_confirmed_at: Option<i64>,
}

/// The pending registration of confirmation link `token`, while the link is open
/// (reading changes nothing; the completion reads it again inside its transaction).
pub async fn confirm_link(
    conn: &mut Conn,
    token: &str,
    now: i64,
) -> Result<Option<ConfirmLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id_hash, f.itscom_id, c.name, c.customer_no, f.account_id, f.hold_until, f.owner_confirmed_at
         FROM registration_flows f JOIN customers c ON c.customer_no = f.customer_no
         WHERE f.confirm_token_hash = $1 AND f.step = $2 AND f.confirm_expires_at > $3",
    )
    .bind(sha256_hex(token))
    .bind(RegistrationStep::MailSent)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The new ID first, then the addresses already on the customer's record (the current
/// contact address and the provider mailboxes), without repeats.
pub async fn contact_options(
    conn: &mut Conn,
    customer_no: &str,
    itscom_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut options = vec![itscom_id.to_string()];
    let contact: Option<String> =
        sqlx::query_scalar("SELECT contact_email FROM customers WHERE customer_no = $1")
            .bind(customer_no)
            .fetch_one(&mut *conn)
            .await?;
    let mailboxes: Vec<String> =
        sqlx::query_scalar("SELECT address FROM mailboxes WHERE customer_no = $1 ORDER BY address")
            .bind(customer_no)
            .fetch_all(&mut *conn)
            .await?;
    for a in contact.into_iter().chain(mailboxes) {
        if !options.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
            options.push(a);
        }
    }
    Ok(options)
}

/// Takes the write lock of the customer of confirmation link `token` while the link is
/// open: how many customers were locked (0: the link is not open).
pub async fn lock_link_customer(conn: &mut Conn, token: &str, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE confirm_token_hash = $1 AND step = $2 AND confirm_expires_at > $3)",
    )
    .bind(sha256_hex(token))
    .bind(RegistrationStep::MailSent)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

/// A held re-registration as a link mailed to the account's owner shows it.
#[derive(sqlx::FromRow)]
pub struct OwnerReviewLink {
    pub owner_confirm_hash: Option<String>,
    pub itscom_id: String,
    pub hold_until: i64,
    pub account_id: Option<String>,
}

/// The pending re-registration whose owner's link (confirm or cancel) hashes to `hash`
/// (reading changes nothing).
pub async fn owner_review_link(conn: &mut Conn, hash: &str) -> Result<Option<OwnerReviewLink>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT owner_confirm_hash, itscom_id, hold_until, account_id FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {}",
        crate::ssr::flow::step_in(&[RegistrationStep::MailSent, RegistrationStep::Waiting])
    ))
    .bind(hash)
    .fetch_optional(conn)
    .await
}

/// Takes the write lock of the customer whose pending re-registration the owner's link
/// `hash` is about (nothing when there is none).
pub async fn lock_review_customer(conn: &mut Conn, hash: &str) -> Result<(), sqlx::Error> {
    let pending = crate::ssr::flow::step_in(&[RegistrationStep::MailSent, RegistrationStep::Waiting]);
    sqlx::query(&format!(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {pending})"
    ))
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// A held re-registration as the account owner's review reads it.
#[derive(sqlx::FromRow)]
pub struct OwnerReviewFlow {
    pub id_hash: String,
    pub customer_no: String,
    pub owner_confirm_hash: Option<String>,
    pub step: RegistrationStep,
    pub account_id: Option<String>,
}

/// The pending re-registration the owner's link `hash` is about.
pub async fn owner_review_flow(conn: &mut Conn, hash: &str) -> Result<Option<OwnerReviewFlow>, sqlx::Error> {
    let pending = crate::ssr::flow::step_in(&[RegistrationStep::MailSent, RegistrationStep::Waiting]);
    sqlx::query_as(&format!(
        "SELECT id_hash, customer_no, owner_confirm_hash, step, account_id FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {pending}"
    ))
    .bind(hash)
    .fetch_optional(conn)
    .await
}

/// Clears both of the owner's links of flow `id_hash` (noting the time when the owner
/// `confirmed`): false when they were cleared already (single use: the first decides).
pub async fn claim_owner_links(
    conn: &mut Conn,
    id_hash: &str,
    confirmed: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE registration_flows SET owner_confirm_hash = NULL, owner_cancel_hash = NULL,
            owner_confirmed_at = CASE WHEN $2 = 1 THEN $3 ELSE owner_confirmed_at END
         WHERE id_hash = $1 AND (owner_confirm_hash IS NOT NULL OR owner_cancel_hash IS NOT NULL)",
    )
    .bind(id_hash)
    .bind(i64::from(confirmed))
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Sets aside the owner's `これは自分です` link of flow `id_hash` alone (a confirmation
/// that does not shorten the hold): her `心当たりがない` stays open. False when it was
/// used or cleared already.
pub async fn set_aside_confirm_link(conn: &mut Conn, id_hash: &str) -> Result<bool, sqlx::Error> {
    let cleared = sqlx::query(
        "UPDATE registration_flows SET owner_confirm_hash = NULL WHERE id_hash = $1 AND owner_confirm_hash IS NOT NULL",
    )
    .bind(id_hash)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(cleared == 1)
}

/// A stop link lives this long.
pub const STOP_SECS: i64 = 7 * 86_400;

/// A first registration's account as its stop link shows it.
#[derive(sqlx::FromRow)]
pub struct Stop {
    pub itscom_id: String,
    pub created_at: i64,
}

/// The account a stop link is about, while it is open (reading changes nothing).
pub async fn stop_link(conn: &mut Conn, token: &str, now: i64) -> Result<Option<Stop>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.itscom_id, s.created_at FROM account_stops s JOIN accounts a ON a.id = s.account_id
         WHERE s.stop_hash = $1 AND s.used_at IS NULL AND s.expires_at > $2 AND a.state = 'active'",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Stops the account of a stop link, once: disabled (only the support centre opens it
/// again), every session and pending change ended, and the contact address on record
/// before it put back. None: the link is unknown, used or expired.
pub async fn stop(tx: &mut Conn, token: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    let hash = sha256_hex(token);
    let claimed: Option<(String, String)> = sqlx::query_as(
        "UPDATE account_stops SET used_at = $2, stop_hash = NULL
         WHERE stop_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id, on_record",
    )
    .bind(&hash)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((account_id, on_record)) = claimed else { return Ok(None) };
    sqlx::query(
        "UPDATE customers SET contact_email = $2 WHERE customer_no IN (SELECT customer_no FROM accounts WHERE id = $1)",
    )
    .bind(&account_id)
    .bind(&on_record)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE accounts SET state = 'disabled', updated_at = $2 WHERE id = $1")
        .bind(&account_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    crate::features::end_for_security(tx, &account_id, now).await?;
    Ok(Some(account_id))
}

/// Opens registration again for a customer record (or a name and phone) locked after
/// 100 failed verifications in a row: the operator's `server registration-unlock`.
/// Whether anything was locked.
pub async fn unlock(
    conn: &mut Conn,
    customer_no: Option<&str>,
    name_phone: Option<(&str, &str)>,
) -> Result<bool, sqlx::Error> {
    use crate::ssr::auth::throttle;
    let mut any = false;
    if let Some(c) = customer_no {
        any |= throttle::failures(conn, &VERIFY_CUSTOMER, c).await? > 0;
        throttle::reset(conn, &VERIFY_CUSTOMER, c).await?;
    }
    if let Some((kana_key, phone)) = name_phone {
        let subject = format!("{kana_key}|{phone}");
        any |= throttle::failures(conn, &VERIFY_SUBJECT, &subject).await? > 0;
        throttle::reset(conn, &VERIFY_SUBJECT, &subject).await?;
    }
    Ok(any)
}

/// The verification succeeded for `matched`: its count ends; the other records of
/// the same name and phone get this attempt back.
pub async fn settle_customers(
    conn: &mut Conn,
    customers: &[String],
    matched: &[String],
) -> Result<(), sqlx::Error> {
    use crate::ssr::auth::throttle;
    for c in customers {
        if matched.contains(c) {
            throttle::reset(conn, &VERIFY_CUSTOMER, c).await?;
        } else {
            throttle::forgive(conn, &VERIFY_CUSTOMER, c).await?;
        }
    }
    Ok(())
}

/// The verification failed for `customers`: recorded, and after [`NOTICE_AFTER`]
/// failures in a row the customer's contact address is told, once a day: in one
/// transaction, so the day's notice is never marked sent without its mail.
pub async fn customers_failed(
    conn: &mut Conn,
    settings: &crate::ssr::config::Settings,
    customers: &[String],
    now: i64,
) -> Result<(), crate::error::AppError> {
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::events::{record, Event, Subject};
    use sqlx::Connection;
    let client = client_address();
    // On the caller's connection: a request holding one never waits for a second.
    let mut tx = conn.begin().await?;
    for c in customers {
        let subject = if c.starts_with(STAND_IN) { Subject::Unknown } else { Subject::Customer(c) };
        record(&mut tx, Event::VerificationFailed, subject, &client, serde_json::json!({}), now).await?;
        if throttle::notice_due(&mut tx, &VERIFY_CUSTOMER, c, NOTICE_AFTER, now).await? {
            let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT c.contact_email, a.locale FROM customers c
                 LEFT JOIN accounts a ON a.customer_no = c.customer_no WHERE c.customer_no = $1",
            )
            .bind(c)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((Some(to), locale)) = row {
                let locale = locale.and_then(|l| crate::i18n::Locale::from_code(&l)).unwrap_or_default();
                let also = crate::ssr::db::customers::previous_contacts(&mut tx, c, &to, now).await?;
                crate::ssr::mail::enqueue_each(
                    &mut tx,
                    "registration.failures",
                    std::iter::once(to.as_str()).chain(also.iter().map(String::as_str)),
                    |to| super::mail::verification_failures_notice(settings, locale, to, now),
                    now,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The re-registrations whose hold is over by `now` (and that nobody cancelled).
pub async fn due_reregistrations(conn: &mut Conn, now: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id_hash FROM registration_flows WHERE step = $1 AND hold_until <= $2")
        .bind(super::RegistrationStep::Waiting)
        .bind(now)
        .fetch_all(conn)
        .await
}

/// Takes the write lock of flow `id_hash`'s customer.
pub async fn lock_flow_customer(conn: &mut Conn, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET name = name
             WHERE customer_no IN (SELECT customer_no FROM registration_flows WHERE id_hash = $1)",
    )
    .bind(id_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// A registration being put into effect, as STEP 3 and its link left it.
#[derive(sqlx::FromRow)]
struct Applying {
    customer_no: String,
    itscom_id: String,
    password_hash: String,
    contact: String,
    account_id: Option<String>,
    requested_from: Option<String>,
}

/// The customer's account as a re-registration replacing it reads it.
#[derive(sqlx::FromRow)]
struct Existing {
    id: String,
    state: String,
    /// The contact address on record.
    contact_email: Option<String>,
    locale: String,
    itscom_id: String,
}

/// Put a registration into effect (the flow must be at `from`): creates the account,
/// or replaces the ID and password of the customer's account (never re-activating a
/// disabled one), sets the contact address, and, for a replacement, ends every
/// session and pending change of the account and tells the previous contact
/// address. Once, even when called twice at the same moment. On an error the
/// caller drops the transaction.
pub async fn apply(
    tx: &mut Conn,
    settings: &crate::ssr::config::Settings,
    id_hash: &str,
    from: RegistrationStep,
    now: i64,
) -> Result<(), crate::error::AppError> {
    let claimed = crate::ssr::flow::advance(from, RegistrationStep::Done)
        .set("completed_at", now)
        .clear("confirm_token_hash")
        .clear("owner_confirm_hash")
        .clear("owner_cancel_hash")
        .by("id_hash", id_hash)
        .once(tx)
        .await?;
    if !claimed {
        return Err(AppError::LinkInvalid);
    }
    let flow: Applying = sqlx::query_as(
        "SELECT customer_no, itscom_id, password_hash, contact, account_id, requested_from
         FROM registration_flows WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_one(&mut *tx)
    .await?;
    let key = crate::domain::ItscomId::key_of_raw(&flow.itscom_id);
    let on_record: Option<String> =
        sqlx::query_scalar("SELECT contact_email FROM customers WHERE customer_no = $1")
            .bind(&flow.customer_no)
            .fetch_one(&mut *tx)
            .await?;
    let new_account_id = crate::ssr::db::new_id();
    let existing: Option<Existing> = sqlx::query_as(
        "SELECT a.id, a.state, c.contact_email, a.locale, a.itscom_id FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no WHERE a.customer_no = $1",
    )
    .bind(&flow.customer_no)
    .fetch_optional(&mut *tx)
    .await?;
    write_account(tx, &flow, existing.as_ref(), &key, &new_account_id, now).await?;
    set_registered_contact(tx, settings, &flow, existing.as_ref(), now).await?;
    let client = flow.requested_from.clone().unwrap_or_default();
    // A new password: the login budget of the new ID (and of the old one) opens again.
    crate::ssr::auth::throttle::reset(tx, &crate::ssr::auth::throttle::LOGIN_ACCOUNT, &key).await?;
    crate::ssr::auth::throttle::reset_unless_locked(tx, &VERIFY_CUSTOMER, &flow.customer_no).await?;
    match existing {
        Some(existing) => replaced(tx, settings, &flow.customer_no, existing, &client, now).await?,
        None => created(tx, settings, &flow, &new_account_id, on_record, &client, now).await?,
    }
    // The new password's hash is in the account now; the flow keeps none.
    sqlx::query("UPDATE registration_flows SET password_hash = NULL WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    tracing::info!(customer = %flow.customer_no, "iTSCOM ID registered");
    Ok(())
}

/// The registration's ID and password: the customer's account replaced (the one STEP 3
/// saw, while active), or a new account (when STEP 3 saw none and there is none).
async fn write_account(
    tx: &mut Conn,
    flow: &Applying,
    existing: Option<&Existing>,
    key: &str,
    new_account_id: &str,
    now: i64,
) -> Result<(), AppError> {
    let written = match (existing, &flow.account_id) {
        (Some(existing), Some(expected)) if existing.id == *expected => {
            if existing.state != "active" {
                return Err(AppError::AccountUnavailable);
            }
            sqlx::query(
                "UPDATE accounts SET itscom_id = $2, itscom_id_key = $3, password_hash = $4, updated_at = $5
                 WHERE id = $1 AND state = 'active'",
            )
            .bind(&existing.id)
            .bind(&flow.itscom_id)
            .bind(key)
            .bind(&flow.password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
        }
        (None, None) => sqlx::query(
            "INSERT INTO accounts (id, customer_no, itscom_id, itscom_id_key, password_hash, recovery_method,
                    created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'code', $6, $6)",
        )
        .bind(new_account_id)
        .bind(&flow.customer_no)
        .bind(&flow.itscom_id)
        .bind(key)
        .bind(&flow.password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await,
        // An account appeared since STEP 3 (another registration completed first):
        // this flow was a first registration and may not replace it unguarded.
        _ => return Err(AppError::FlowExpired),
    };
    // Another customer took this ID after the mail was sent.
    crate::ssr::OnUnique::on_unique(
        written,
        AppError::invalid("itscom_id", crate::domain::FieldError::Taken),
    )?;
    Ok(())
}

/// The contact address chosen at the link goes on the customer's record.
async fn set_registered_contact(
    tx: &mut Conn,
    settings: &crate::ssr::config::Settings,
    flow: &Applying,
    existing: Option<&Existing>,
    now: i64,
) -> Result<(), AppError> {
    match existing {
        // A re-registration's new contact address: the one it replaces gets the link that
        // takes the change back, and for 7 days the account's security notices (the
        // owner may have been away while a stranger's re-registration ran out its hold).
        Some(existing) => {
            let previous = existing.contact_email.clone().unwrap_or_else(|| existing.itscom_id.clone());
            let locale = crate::i18n::Locale::from_code(&existing.locale).unwrap_or_default();
            crate::features::account::store::set_contact(
                tx,
                settings,
                &existing.id,
                &flow.customer_no,
                &previous,
                &flow.contact,
                locale,
                now,
            )
            .await?;
        }
        None => {
            sqlx::query("UPDATE customers SET contact_email = $2 WHERE customer_no = $1")
                .bind(&flow.customer_no)
                .bind(&flow.contact)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// After a re-registration: the old ID's login budget opens again, every session and
/// pending change of the account ends, the previous contact address is told, and the
/// event is recorded.
async fn replaced(
    tx: &mut Conn,
    settings: &crate::ssr::config::Settings,
    customer_no: &str,
    existing: Existing,
    client: &str,
    now: i64,
) -> Result<(), AppError> {
    use crate::ssr::events::{record, Event, Subject};
    let Existing { id: account_id, contact_email: previous_contact, locale, itscom_id: old_id, .. } =
        existing;
    let old_key = crate::domain::ItscomId::key_of_raw(&old_id);
    crate::ssr::auth::throttle::reset(tx, &crate::ssr::auth::throttle::LOGIN_ACCOUNT, &old_key).await?;
    crate::features::end_for_security(tx, &account_id, now).await?;
    // Whoever lost every factor re-registers through the contract check: the factors
    // they lost go with the old ID (the owner's mail says so).
    let factors_removed = crate::features::security::store::remove(tx, &account_id).await?
        | (crate::features::security::store::delete_passkeys(tx, &account_id).await? > 0);
    if let Some(previous) = previous_contact {
        let locale = crate::i18n::Locale::from_code(&locale).unwrap_or_default();
        let also = crate::ssr::db::customers::previous_contacts(tx, customer_no, &previous, now).await?;
        crate::ssr::mail::enqueue_each(
            tx,
            "registration.replaced",
            std::iter::once(previous.as_str()).chain(also.iter().map(String::as_str)),
            |to| super::mail::registration_replaced(settings, locale, to, now, factors_removed),
            now,
        )
        .await?;
    }
    record(tx, Event::Reregistered, Subject::Account(&account_id), client, serde_json::json!({}), now)
        .await?;
    Ok(())
}

/// After a first registration: the customer's other registrations end, the contact
/// address on record hears of the new account (with a link that stops it), and the
/// event is recorded.
async fn created(
    tx: &mut Conn,
    settings: &crate::ssr::config::Settings,
    flow: &Applying,
    account_id: &str,
    on_record: Option<String>,
    client: &str,
    now: i64,
) -> Result<(), AppError> {
    use crate::ssr::events::{record, Event, Subject};
    // Any other registration of this customer still under way ends here.
    cancel_registrations(tx, &flow.customer_no).await?;
    // STEP 2 asks only for what a stranger may know: the contact address on record
    // (the contract's) hears of the new account, with a link that stops it.
    if let Some(to) = on_record {
        let token = crate::ssr::auth::random_token();
        sqlx::query(
            "INSERT INTO account_stops (id, account_id, on_record, stop_hash, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::ssr::db::new_id())
        .bind(account_id)
        .bind(&to)
        .bind(sha256_hex(&token))
        .bind(now)
        .bind(now + STOP_SECS)
        .execute(&mut *tx)
        .await?;
        let link = settings.mailed_link(super::routes::STOP, &token)?;
        // The recipient has no account yet: the language of the contract's papers.
        let locale = crate::i18n::Locale::Ja;
        let mail = super::mail::registration_created(
            settings,
            locale,
            &to,
            &crate::domain::itscom_id::mask_address(&flow.itscom_id),
            now,
            link.as_str(),
        );
        crate::ssr::mail::enqueue(tx, "registration.created", &mail, now).await?;
    }
    record(tx, Event::Registered, Subject::Customer(&flow.customer_no), client, serde_json::json!({}), now)
        .await?;
    Ok(())
}

/// The stop links' rows: deleted a day after they expire.
pub const STOPS: crate::ssr::flow::FlowTable = crate::ssr::flow::FlowTable {
    table: "account_stops",
    ends: None,
    purge: &[crate::ssr::flow::Purge {
        column: "expires_at",
        steps: &[],
        keep_secs: crate::ssr::maintenance::KEEP_FINISHED_SECS,
    }],
};

/// Every registration of a customer still under way ends (its links with it).
pub async fn cancel_registrations(conn: &mut Conn, customer_no: &str) -> Result<(), sqlx::Error> {
    use RegistrationStep::*;
    crate::ssr::flow::advance_from(&[Additional, Credentials, MailSent, Waiting], Cancelled)
        .clear("confirm_token_hash")
        .clear("owner_confirm_hash")
        .clear("owner_cancel_hash")
        .by("customer_no", customer_no)
        .rows(conn)
        .await?;
    Ok(())
}

/// The account's owner proved it (a password reset; login and re-registration reset it
/// from the customer number they already hold): the registration budget of its
/// customer record (which strangers who know the name and phone can spend) opens again,
/// unless 100 failures in a row locked it.
pub async fn clear_customer_budgets(conn: &mut Conn, account_id: &str) -> Result<(), sqlx::Error> {
    let row: Option<String> = sqlx::query_scalar("SELECT customer_no FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(customer_no) = row {
        crate::ssr::auth::throttle::reset_unless_locked(conn, &VERIFY_CUSTOMER, &customer_no).await?;
    }
    Ok(())
}
