//! Registration's server-only parts: the verification budgets, the customer matching,
//! the flow as stored, and putting a registration into effect.

use super::RegistrationStep;
use crate::error::AppError;
use crate::ssr::auth::{
    request_cookie, sha256_hex,
    throttle::{Counting, Policy},
};
use crate::ssr::db::Conn;

pub const FLOW_COOKIE: &str = "mypage_reg";
/// Steps 2–3 must be done within an hour; the mailed link is valid 24 hours.
pub const FLOW_SECS: i64 = 3600;
pub const LINK_SECS: i64 = 24 * 3600;

/// Verification, per client address: 20 tries an hour, then waits.
pub const VERIFY_CLIENT: Policy = Policy {
    scope: "register-client",
    counting: Counting::PerWindow { window_secs: 3600 },
    free_attempts: 20,
    step_secs: 60,
    max_wait_secs: 900,
};
/// Verification, per name + phone: failures in a row (never forgotten with time),
/// 5 free, then a growing wait, so guessing the last 4 digits (10,000 values) is
/// not feasible.
pub const VERIFY_SUBJECT: Policy = Policy {
    scope: "register-subject",
    counting: Counting::Consecutive { lock_after: None },
    free_attempts: 5,
    step_secs: 60,
    max_wait_secs: 900,
};
/// Verification, per customer record (whatever name or phone form was typed):
/// failures in a row; 100 end registration for that customer (support can help).
pub const VERIFY_CUSTOMER: Policy = Policy {
    scope: "register-customer",
    counting: Counting::Consecutive { lock_after: Some(crate::ssr::auth::throttle::LOCK_AFTER) },
    free_attempts: 5,
    step_secs: 60,
    max_wait_secs: 900,
};
/// After this many failures in a row the customer's contact address is told (once a
/// day at most).
pub const NOTICE_AFTER: i64 = 10;

pub struct Flow {
    pub id_hash: String,
    pub customer_no: Option<String>,
    pub candidates: Option<String>,
    pub factor_used: String,
}

/// The flow of this browser at `step`, or FlowExpired.
pub async fn current_flow(conn: &mut Conn, step: RegistrationStep, now: i64) -> Result<Flow, AppError> {
    let token = request_cookie(FLOW_COOKIE).ok_or(AppError::FlowExpired)?;
    let row: Option<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT id_hash, customer_no, candidates, factor_used FROM registration_flows
         WHERE id_hash = $1 AND step = $2 AND expires_at > $3 AND completed_at IS NULL",
    )
    .bind(sha256_hex(&token))
    .bind(step)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let (id_hash, customer_no, candidates, factor_used) = row.ok_or(AppError::FlowExpired)?;
    Ok(Flow { id_hash, customer_no, candidates, factor_used })
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
    let rows: Vec<(String,)> = sqlx::query_as(
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
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Reserve one verification attempt for each of `customers`; false when any of
/// them must wait (or is locked).
pub async fn reserve_customers(conn: &mut Conn, customers: &[String], now: i64) -> Result<bool, sqlx::Error> {
    use crate::ssr::auth::throttle;
    let mut all = true;
    for c in customers {
        all &= throttle::reserve(conn, &VERIFY_CUSTOMER, c, now).await?.go();
    }
    Ok(all)
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
/// failures in a row the customer's contact address is told, once a day.
pub async fn customers_failed(
    conn: &mut Conn,
    settings: &crate::ssr::config::Settings,
    customers: &[String],
    now: i64,
) -> Result<(), crate::error::AppError> {
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::events::{record, Event, Subject};
    let client = client_address();
    for c in customers {
        let subject = if c.starts_with(STAND_IN) { Subject::Unknown } else { Subject::Customer(c) };
        record(conn, Event::VerificationFailed, subject, &client, serde_json::json!({}), now).await?;
        if throttle::notice_due(conn, &VERIFY_CUSTOMER, c, NOTICE_AFTER, now).await? {
            let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT c.contact_email, a.locale FROM customers c
                 LEFT JOIN accounts a ON a.customer_no = c.customer_no WHERE c.customer_no = $1",
            )
            .bind(c)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some((Some(to), locale)) = row {
                let locale = locale.and_then(|l| crate::i18n::Locale::from_code(&l)).unwrap_or_default();
                let mail =
                    crate::ssr::mail::templates::verification_failures_notice(settings, locale, &to, now);
                crate::ssr::mail::enqueue(conn, "registration.failures", &mail, now).await?;
            }
        }
    }
    Ok(())
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
    use crate::error::AppError;
    use crate::ssr::events::{record, Event, Subject};
    use crate::ssr::mail::{enqueue, templates};
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
    let (customer_no, itscom_id, password_hash, contact, flow_account, requested_from): (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT customer_no, itscom_id, password_hash, contact, account_id, requested_from
         FROM registration_flows WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_one(&mut *tx)
    .await?;
    let key = crate::domain::ItscomId::key_of_raw(&itscom_id);
    /// id, state, contact address, locale, iTSCOM ID
    type Existing = (String, String, Option<String>, String, String);
    let existing: Option<Existing> = sqlx::query_as(
        "SELECT a.id, a.state, c.contact_email, a.locale, a.itscom_id FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no WHERE a.customer_no = $1",
    )
    .bind(&customer_no)
    .fetch_optional(&mut *tx)
    .await?;
    let written = match (&existing, &flow_account) {
        (Some((account_id, state, ..)), Some(expected)) if account_id == expected => {
            if state != "active" {
                return Err(AppError::AccountUnavailable);
            }
            sqlx::query(
                "UPDATE accounts SET itscom_id = $2, itscom_id_key = $3, password_hash = $4, updated_at = $5
                 WHERE id = $1 AND state = 'active'",
            )
            .bind(account_id)
            .bind(&itscom_id)
            .bind(&key)
            .bind(&password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
        }
        (None, None) => sqlx::query(
            "INSERT INTO accounts (id, customer_no, itscom_id, itscom_id_key, password_hash, recovery_method,
                    created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'code', $6, $6)",
        )
        .bind(crate::ssr::db::new_id())
        .bind(&customer_no)
        .bind(&itscom_id)
        .bind(&key)
        .bind(&password_hash)
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
    sqlx::query("UPDATE customers SET contact_email = $2 WHERE customer_no = $1")
        .bind(&customer_no)
        .bind(&contact)
        .execute(&mut *tx)
        .await?;
    let client = requested_from.unwrap_or_default();
    // A new password: the login budget of the new ID (and of the old one) opens again.
    crate::ssr::auth::throttle::reset(tx, &crate::ssr::auth::throttle::LOGIN_ACCOUNT, &key).await?;
    crate::ssr::auth::throttle::reset(tx, &VERIFY_CUSTOMER, &customer_no).await?;
    match existing {
        Some((account_id, _, previous_contact, locale, old_id)) => {
            let old_key = crate::domain::ItscomId::key_of_raw(&old_id);
            crate::ssr::auth::throttle::reset(tx, &crate::ssr::auth::throttle::LOGIN_ACCOUNT, &old_key)
                .await?;
            crate::ssr::auth::end_for_security(tx, &account_id, now).await?;
            if let Some(previous) = previous_contact {
                let locale = crate::i18n::Locale::from_code(&locale).unwrap_or_default();
                let mail = templates::registration_replaced(settings, locale, &previous, now);
                enqueue(tx, "registration.replaced", &mail, now).await?;
            }
            record(
                tx,
                Event::Reregistered,
                Subject::Account(&account_id),
                &client,
                serde_json::json!({}),
                now,
            )
            .await?;
        }
        None => {
            // Any other registration of this customer still under way ends here.
            crate::ssr::auth::cancel_registrations(tx, &customer_no).await?;
            record(
                tx,
                Event::Registered,
                Subject::Customer(&customer_no),
                &client,
                serde_json::json!({}),
                now,
            )
            .await?;
        }
    }
    // The new password's hash is in the account now; the flow keeps none.
    sqlx::query("UPDATE registration_flows SET password_hash = NULL WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    tracing::info!(customer = %customer_no, "iTSCOM ID registered");
    Ok(())
}
