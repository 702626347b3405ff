use super::{Confirmation, OwnerReview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
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
    pub async fn current_flow(conn: &mut Conn, step: &str, now: i64) -> Result<Flow, AppError> {
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
    pub async fn reserve_customers(
        conn: &mut Conn,
        customers: &[String],
        now: i64,
    ) -> Result<bool, sqlx::Error> {
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
        from: &str,
        now: i64,
    ) -> Result<(), crate::error::AppError> {
        use crate::error::AppError;
        use crate::ssr::events::{record, Event, Subject};
        use crate::ssr::mail::{enqueue, templates};
        let claimed = sqlx::query(
            "UPDATE registration_flows SET step = 'done', completed_at = $3,
                confirm_token_hash = NULL, owner_confirm_hash = NULL, owner_cancel_hash = NULL
             WHERE id_hash = $1 AND step = $2",
        )
        .bind(id_hash)
        .bind(from)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
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
            (None, None) => {
                sqlx::query(
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
                .await
            }
            // An account appeared since STEP 3 (another registration completed first):
            // this flow was a first registration and may not replace it unguarded.
            _ => return Err(AppError::FlowExpired),
        };
        if let Err(e) = written {
            return Err(if crate::ssr::db::is_unique_violation(&e) {
                // Another customer took this ID after the mail was sent.
                AppError::invalid("itscom_id", crate::domain::FieldError::Taken)
            } else {
                AppError::internal(e)
            });
        }
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
}

#[cfg(feature = "ssr")]
pub use server::{matching_customers, VERIFY_CLIENT, VERIFY_CUSTOMER, VERIFY_SUBJECT};

/// STEP 2: verify the contract holder. Returns the next page.
#[server(endpoint = "register/verify")]
pub async fn verify_contract(
    kana: String,
    phone: String,
    factor_kind: Option<String>,
    factor_value: String,
) -> Result<String, AppError> {
    use crate::domain::{verification::Factor, KatakanaName, PhoneNumber};
    use crate::ssr::auth::{client_address, random_token, set_cookie, sha256_hex, throttle};
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/register";

    let kana = match KatakanaName::parse(&kana) {
        Ok(k) => k,
        Err(e) => return fail_form(PAGE, AppError::invalid("kana", e)),
    };
    let phone = match PhoneNumber::parse(&phone) {
        Ok(p) => p,
        Err(e) => return fail_form(PAGE, AppError::invalid("phone", e)),
    };
    let factor = match factor_kind.as_deref() {
        None | Some("") => {
            return fail_form(PAGE, AppError::invalid("factor", crate::domain::FieldError::Required))
        }
        Some(kind) => match Factor::parse(kind, &factor_value) {
            Ok(f) => f,
            Err(e) => return fail_form(PAGE, AppError::invalid("factor", e)),
        },
    };

    let state = crate::ssr::state()?;
    let t = now();
    let subject = format!("{}|{}", kana.match_key(), phone.digits());
    let mut conn = state.db.pool().acquire().await?;
    // Counted per client, per name + phone, and per customer record they name.
    let named = server::named_customers(&mut conn, &kana.match_key(), phone.digits()).await?;
    if !throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await?.go()
        || !throttle::reserve(&mut conn, &VERIFY_SUBJECT, &subject, t).await?.go()
        || !server::reserve_customers(&mut conn, &named, t).await?
    {
        return fail_form(PAGE, AppError::TooManyAttempts);
    }
    let matches = matching_customers(&mut conn, &kana.match_key(), phone.digits(), &factor).await?;
    if matches.is_empty() {
        server::customers_failed(&mut conn, &state.settings, &named, t).await?;
        return fail_form(PAGE, AppError::VerificationFailed);
    }
    let matched: Vec<String> = matches.iter().map(|(n, _)| n.clone()).collect();
    server::settle_customers(&mut conn, &named, &matched).await?;
    // A success does not count against a shared client address (an office, a NAT).
    throttle::forgive(&mut conn, &VERIFY_CLIENT, &client_address()).await?;
    let (step, customer_no, candidates, next) = match matches.as_slice() {
        [] => return fail_form(PAGE, AppError::VerificationFailed),
        [(no, false)] => ("credentials", Some(no.clone()), None, "/register/credentials"),
        several => (
            "additional",
            None,
            Some(several.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(",")),
            "/register/additional",
        ),
    };
    throttle::reset(&mut conn, &VERIFY_SUBJECT, &subject).await?;
    let token = random_token();
    sqlx::query(
        "INSERT INTO registration_flows (id_hash, step, customer_no, candidates, factor_used, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(sha256_hex(&token))
    .bind(step)
    .bind(customer_no)
    .bind(candidates)
    .bind(factor.kind())
    .bind(t)
    .bind(t + server::FLOW_SECS)
    .execute(&mut *conn)
    .await?;
    set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        server::FLOW_COOKIE,
        &token,
        Some(server::FLOW_SECS),
        true,
    ));
    proceed(next)
}

/// 追加認証情報: the customer number or equipment ID not used before singles out one
/// customer among several matches.
#[server(endpoint = "register/additional")]
pub async fn verify_additional(
    factor_kind: Option<String>,
    factor_value: String,
) -> Result<String, AppError> {
    use crate::domain::verification::Factor;
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/register/additional";

    let state = crate::ssr::state()?;
    let t = now();
    let mut conn = state.db.pool().acquire().await?;
    let flow = match server::current_flow(&mut conn, "additional", t).await {
        Ok(f) => f,
        Err(e) => return fail_form("/register", e),
    };
    let kind = factor_kind.unwrap_or_default();
    // Only a customer number or an equipment ID, and not the kind already used.
    if !matches!(kind.as_str(), "customer_no" | "equipment") || kind == flow.factor_used {
        return fail_form(PAGE, AppError::invalid("factor", crate::domain::FieldError::Required));
    }
    let factor = match Factor::parse(&kind, &factor_value) {
        Ok(f) => f,
        Err(e) => return fail_form(PAGE, AppError::invalid("factor", e)),
    };
    let named: Vec<String> =
        flow.candidates.as_deref().unwrap_or_default().split(',').map(str::to_owned).collect();
    if !throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await?.go()
        || !throttle::reserve(&mut conn, &VERIFY_SUBJECT, &flow.id_hash, t).await?.go()
        || !server::reserve_customers(&mut conn, &named, t).await?
    {
        return fail_form(PAGE, AppError::TooManyAttempts);
    }
    let candidates: Vec<&str> = named.iter().map(String::as_str).collect();
    let mut found = None;
    for no in &candidates {
        let ok = match &factor {
            Factor::CustomerNumber(n) => n.as_str() == *no,
            Factor::Equipment(e) => {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM equipment WHERE customer_no = $1 AND equipment_id = $2",
                )
                .bind(*no)
                .bind(e.as_str())
                .fetch_one(&mut *conn)
                .await?;
                n > 0
            }
            _ => false,
        };
        if ok {
            found = Some(no.to_string());
        }
    }
    let Some(customer_no) = found else {
        server::customers_failed(&mut conn, &state.settings, &named, t).await?;
        return fail_form(PAGE, AppError::VerificationFailed);
    };
    server::settle_customers(&mut conn, &named, std::slice::from_ref(&customer_no)).await?;
    throttle::forgive(&mut conn, &VERIFY_CLIENT, &client_address()).await?;
    sqlx::query(
        "UPDATE registration_flows SET step = 'credentials', customer_no = $2, candidates = NULL
         WHERE id_hash = $1 AND step = 'additional'",
    )
    .bind(&flow.id_hash)
    .bind(&customer_no)
    .execute(&mut *conn)
    .await?;
    proceed("/register/credentials")
}

/// STEP 3: the iTSCOM ID and password; mails the confirmation link.
#[server(endpoint = "register/credentials")]
pub async fn submit_credentials(
    itscom_id: String,
    password: String,
    password_again: String,
) -> Result<String, AppError> {
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::{FieldError, ItscomId};
    use crate::ssr::auth::{password as pw, random_token, sha256_hex};
    use crate::ssr::mail::{enqueue, templates};
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/register/credentials";

    let id = match ItscomId::parse(&itscom_id) {
        Ok(id) => id,
        Err(e) => return fail_form(PAGE, AppError::invalid("itscom_id", e)),
    };
    let new_password = match parse_new(&password, &password_again, Some(id.as_str())) {
        Ok(p) => p,
        Err(NewPasswordError::Password(e)) => return fail_form(PAGE, AppError::invalid("password", e)),
        Err(NewPasswordError::Mismatch) => {
            return fail_form(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
        }
    };
    let state = crate::ssr::state()?;
    let t = now();
    let flow = {
        let mut conn = state.db.pool().acquire().await?;
        match server::current_flow(&mut conn, "credentials", t).await {
            Ok(f) => f,
            Err(e) => return fail_form("/register", e),
        }
    };
    let customer_no = flow.customer_no.clone().ok_or(AppError::FlowExpired)?;
    let hash = pw::hash_async(new_password.expose().to_string()).await;
    let token = random_token();

    let mut tx = state.db.pool().begin().await?;
    // Write first (SQLite: a transaction that reads first cannot write once another
    // writer has committed meanwhile).
    let at_step =
        sqlx::query("UPDATE registration_flows SET step = step WHERE id_hash = $1 AND step = 'credentials'")
            .bind(&flow.id_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if at_step != 1 {
        return fail_form("/register", AppError::FlowExpired);
    }
    // An ID held by another customer's account: the screen is the same, the mail says
    // someone tried, and carries no link.
    let holder: Option<(String,)> =
        sqlx::query_as("SELECT customer_no FROM accounts WHERE itscom_id_key = $1")
            .bind(id.key())
            .fetch_optional(&mut *tx)
            .await?;
    let taken = holder.is_some_and(|(no,)| no != customer_no);
    // The customer's own account, if any: this is then a re-registration, held until
    // its contact address confirms or the hold is over.
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE customer_no = $1")
        .bind(&customer_no)
        .fetch_optional(&mut *tx)
        .await?;
    let existing = existing.map(|(id,)| id);
    let hold_until = t + state.settings.reregistration_hold_secs;
    let (owner_confirm, owner_cancel) = (random_token(), random_token());
    let client = crate::ssr::auth::client_address();
    let browser = crate::ssr::auth::browser_summary();
    let locale = crate::ssr::auth::request_cookie(crate::i18n::Locale::COOKIE)
        .and_then(|c| crate::i18n::Locale::from_code(&c))
        .unwrap_or_default();
    let updated = sqlx::query(
        "UPDATE registration_flows SET step = 'mail_sent', itscom_id = $2, password_hash = $3,
            confirm_token_hash = $4, confirm_expires_at = $5, account_id = $6, hold_until = $7,
            owner_confirm_hash = $8, owner_cancel_hash = $9, requested_from = $10
         WHERE id_hash = $1 AND step = 'credentials'",
    )
    .bind(&flow.id_hash)
    .bind(id.as_str())
    .bind(if taken { None } else { Some(hash) })
    .bind(if taken { None } else { Some(sha256_hex(&token)) })
    .bind(t + server::LINK_SECS)
    .bind(&existing)
    .bind(existing.as_ref().map(|_| hold_until))
    // The owner's links exist only when they are mailed (a taken ID never completes).
    .bind(existing.as_ref().filter(|_| !taken).map(|_| sha256_hex(&owner_confirm)))
    .bind(existing.as_ref().filter(|_| !taken).map(|_| sha256_hex(&owner_cancel)))
    .bind(&client)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return fail_form("/register", AppError::FlowExpired);
    }
    let mail = if taken {
        templates::registration_attempt_on_taken_id(&state.settings, locale, id.as_str())
    } else {
        let link = state
            .settings
            .public_url
            .join(&format!("/register/confirm?token={token}"))
            .map_err(AppError::internal)?;
        templates::registration_confirm(&state.settings, locale, id.as_str(), link.as_str())
    };
    enqueue(&mut tx, "registration.confirm", &mail, t).await?;
    // (A taken ID can never complete: nothing for the owner to confirm or cancel.)
    if let (Some(account_id), false) = (&existing, taken) {
        // The account's owner hears of it now, before anything changes.
        let target = crate::ssr::db::customers::notice_target(&mut tx, account_id).await?;
        let link = |token: &str| {
            state
                .settings
                .public_url
                .join(&format!("/register/review?token={token}"))
                .map_err(AppError::internal)
        };
        let mail = templates::reregistration_requested(
            &state.settings,
            target.locale,
            &target.to,
            id.as_str(),
            t,
            &browser,
            hold_until,
            link(&owner_confirm)?.as_str(),
            link(&owner_cancel)?.as_str(),
        );
        enqueue(&mut tx, "registration.review", &mail, t).await?;
        crate::ssr::events::record(
            &mut tx,
            crate::ssr::events::Event::ReregistrationRequested,
            crate::ssr::events::Subject::Account(account_id),
            &client,
            serde_json::json!({ "browser": browser, "takes_effect_at": hold_until }),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    proceed("/register/sent")
}

/// A pending registration found by its confirmation link, with its customer's name.
#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct ConfirmLink {
    itscom_id: String,
    name: String,
    customer_no: String,
    account_id: Option<String>,
    hold_until: Option<i64>,
    owner_confirmed_at: Option<i64>,
}

/// A pending registration as its completion reads it.
#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct ConfirmingFlow {
    id_hash: String,
    customer_no: String,
    itscom_id: String,
    account_id: Option<String>,
    hold_until: Option<i64>,
    owner_confirmed_at: Option<i64>,
}

/// A held re-registration as the account owner's review reads it.
#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct OwnerReviewFlow {
    id_hash: String,
    customer_no: String,
    owner_confirm_hash: Option<String>,
    step: String,
    account_id: Option<String>,
}

/// The confirmation page's content for a mailed token (reading never changes state).
/// For a re-registration the account's addresses are shown masked until its contact
/// address has confirmed: the person re-registering may be a stranger.
#[server(endpoint = "register/confirmation")]
pub async fn get_confirmation(token: String) -> Result<Confirmation, AppError> {
    use crate::ssr::crypto::sha256_hex;
    let state = crate::ssr::state()?;
    crate::ssr::set_referrer_policy_no_referrer();
    let mut conn = state.db.pool().acquire().await?;
    let row: Option<ConfirmLink> = sqlx::query_as(
        "SELECT f.itscom_id, c.name, c.customer_no, f.account_id, f.hold_until, f.owner_confirmed_at
         FROM registration_flows f JOIN customers c ON c.customer_no = f.customer_no
         WHERE f.confirm_token_hash = $1 AND f.step = 'mail_sent' AND f.confirm_expires_at > $2",
    )
    .bind(sha256_hex(token.trim()))
    .bind(crate::ssr::now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(ConfirmLink {
        itscom_id,
        name,
        customer_no,
        account_id: account,
        hold_until,
        owner_confirmed_at: confirmed,
    }) = row
    else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    let held = account.is_some() && confirmed.is_none();
    let mut contact_options = contact_options(&mut conn, &customer_no, &itscom_id).await?;
    if held {
        for option in contact_options.iter_mut().skip(1) {
            *option = super::mask_address(option);
        }
    }
    Ok(Confirmation { itscom_id, name, contact_options, takes_effect_at: hold_until.filter(|_| held) })
}

/// The new ID first, then the addresses already on the customer's record (the current
/// contact address and the provider mailboxes), without repeats.
#[cfg(feature = "ssr")]
async fn contact_options(
    conn: &mut crate::ssr::db::Conn,
    customer_no: &str,
    itscom_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut options = vec![itscom_id.to_string()];
    let (contact,): (Option<String>,) =
        sqlx::query_as("SELECT contact_email FROM customers WHERE customer_no = $1")
            .bind(customer_no)
            .fetch_one(&mut *conn)
            .await?;
    let mailboxes: Vec<(String,)> =
        sqlx::query_as("SELECT address FROM mailboxes WHERE customer_no = $1 ORDER BY address")
            .bind(customer_no)
            .fetch_all(&mut *conn)
            .await?;
    for a in contact.into_iter().chain(mailboxes.into_iter().map(|(a,)| a)) {
        if !options.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
            options.push(a);
        }
    }
    Ok(options)
}

/// Complete the registration from the mailed link (`次へ`): once, even when opened
/// twice at the same moment. A first registration takes effect at once; a
/// re-registration too when the account's contact address has confirmed, else it
/// waits for the hold to end (and never happens if cancelled). `contact` is the index
/// of the chosen address (or, when nothing is masked, the address itself).
#[server(endpoint = "register/complete")]
pub async fn complete_registration(token: String, contact: Option<String>) -> Result<String, AppError> {
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{fail_form, now, proceed};

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/register/confirm?token={token}");
    let mut tx = state.db.pool().begin().await?;
    // Write first, and the customer first: the customer's row lock (PostgreSQL) or the
    // write lock (SQLite) is taken before anything is read, so parallel openings queue
    // instead of failing, and two completions of one customer never deadlock.
    let locked = sqlx::query(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE confirm_token_hash = $1 AND step = 'mail_sent' AND confirm_expires_at > $2)",
    )
    .bind(sha256_hex(&token))
    .bind(t)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if locked != 1 {
        return fail_form(&page, AppError::LinkInvalid);
    }
    let row: Option<ConfirmingFlow> = sqlx::query_as(
        "SELECT id_hash, customer_no, itscom_id, account_id, hold_until, owner_confirmed_at
         FROM registration_flows
         WHERE confirm_token_hash = $1 AND step = 'mail_sent' AND confirm_expires_at > $2",
    )
    .bind(sha256_hex(&token))
    .bind(t)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(ConfirmingFlow {
        id_hash,
        customer_no,
        itscom_id,
        account_id: account,
        hold_until,
        owner_confirmed_at: confirmed,
    }) = row
    else {
        return fail_form(&page, AppError::LinkInvalid);
    };
    let held = account.is_some() && confirmed.is_none();
    let options = contact_options(&mut tx, &customer_no, &itscom_id).await?;
    let chosen = match contact.as_deref().map(str::trim) {
        None | Some("") if options.len() == 1 => Some(options[0].clone()),
        Some(c) => match c.parse::<usize>() {
            Ok(i) => options.get(i).cloned(),
            Err(_) if !held => options.iter().find(|o| o.as_str() == c).cloned(),
            Err(_) => None,
        },
        None => None,
    };
    let Some(contact) = chosen else {
        return fail_form(&page, AppError::invalid("contact", crate::domain::FieldError::Required));
    };
    let recorded =
        sqlx::query("UPDATE registration_flows SET contact = $2 WHERE id_hash = $1 AND step = 'mail_sent'")
            .bind(&id_hash)
            .bind(&contact)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if recorded != 1 {
        return fail_form(&page, AppError::LinkInvalid);
    }
    if let (true, Some(until)) = (held, hold_until.filter(|u| t < *u)) {
        // The link is used; the change waits for the hold or the owner's confirmation.
        let waiting = sqlx::query(
            "UPDATE registration_flows SET step = 'waiting', confirm_token_hash = NULL
             WHERE id_hash = $1 AND step = 'mail_sent'",
        )
        .bind(&id_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if waiting != 1 {
            return fail_form(&page, AppError::LinkInvalid);
        }
        tx.commit().await?;
        return proceed(&format!("/register/pending?at={until}"));
    }
    match server::apply(&mut tx, &state.settings, &id_hash, "mail_sent", t).await {
        Ok(()) => {
            tx.commit().await?;
            proceed("/register/done")
        }
        Err(e) => {
            drop(tx);
            if matches!(e, AppError::AccountUnavailable | AppError::FlowExpired) {
                close_flow(&state, &id_hash).await?;
            }
            let back = if matches!(
                e,
                AppError::Invalid { .. } | AppError::AccountUnavailable | AppError::FlowExpired
            ) {
                "/register"
            } else {
                &page
            };
            fail_form(back, e)
        }
    }
}

/// A flow that can never complete (its account is disabled) ends.
#[cfg(feature = "ssr")]
async fn close_flow(state: &crate::ssr::AppState, id_hash: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE registration_flows SET step = 'cancelled', confirm_token_hash = NULL,
            owner_confirm_hash = NULL, owner_cancel_hash = NULL
         WHERE id_hash = $1 AND step IN ('mail_sent', 'waiting')",
    )
    .bind(id_hash)
    .execute(state.db.pool())
    .await?;
    Ok(())
}

/// The re-registration a link mailed to the account's contact address is about
/// (reading changes nothing).
#[server(endpoint = "register/review")]
pub async fn get_owner_review(token: String) -> Result<OwnerReview, AppError> {
    use crate::ssr::crypto::sha256_hex;
    crate::ssr::set_referrer_policy_no_referrer();
    let state = crate::ssr::state()?;
    let hash = sha256_hex(token.trim());
    let row: Option<(Option<String>, String, i64)> = sqlx::query_as(
        "SELECT owner_confirm_hash, itscom_id, hold_until FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND step IN ('mail_sent', 'waiting')",
    )
    .bind(&hash)
    .fetch_optional(state.db.pool())
    .await?;
    let Some((confirm_hash, new_id, takes_effect_at)) = row else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    Ok(OwnerReview {
        confirm: confirm_hash.as_deref() == Some(hash.as_str()),
        new_id,
        // STEP 3, as the mail says: the hold runs from it.
        requested_at: takes_effect_at - state.settings.reregistration_hold_secs,
        takes_effect_at,
    })
}

/// `これは自分です` or `心当たりがない`, from the link mailed to the account's contact
/// address (single use: either link ends both). Confirming lets the replacement take
/// effect as soon as the new address's link is opened (at once if it already was);
/// cancelling ends this request and every pending one of the customer.
#[server(endpoint = "register/review/submit")]
pub async fn review_reregistration(token: String) -> Result<String, AppError> {
    use crate::ssr::auth::{client_address, sha256_hex};
    use crate::ssr::events::{record, Event, Subject};
    use crate::ssr::{fail_form, now, proceed};

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/register/review?token={token}");
    let hash = sha256_hex(&token);
    let mut tx = state.db.pool().begin().await?;
    // Write first, the customer first (see complete_registration).
    sqlx::query(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND step IN ('mail_sent', 'waiting'))",
    )
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    let row: Option<OwnerReviewFlow> = sqlx::query_as(
        "SELECT id_hash, customer_no, owner_confirm_hash, step, account_id FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND step IN ('mail_sent', 'waiting')",
    )
    .bind(&hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(OwnerReviewFlow {
        id_hash,
        customer_no,
        owner_confirm_hash: confirm_hash,
        step,
        account_id: Some(account_id),
    }) = row
    else {
        return fail_form(&page, AppError::LinkInvalid);
    };
    // Single use: whoever clears the links first decides.
    let claimed = sqlx::query(
        "UPDATE registration_flows SET owner_confirm_hash = NULL, owner_cancel_hash = NULL,
            owner_confirmed_at = CASE WHEN $2 = 1 THEN $3 ELSE owner_confirmed_at END
         WHERE id_hash = $1 AND (owner_confirm_hash IS NOT NULL OR owner_cancel_hash IS NOT NULL)",
    )
    .bind(&id_hash)
    .bind(i64::from(confirm_hash.as_deref() == Some(hash.as_str())))
    .bind(t)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return fail_form(&page, AppError::LinkInvalid);
    }
    let client = client_address();
    if confirm_hash.as_deref() == Some(hash.as_str()) {
        record(
            &mut tx,
            Event::ReregistrationConfirmed,
            Subject::Account(&account_id),
            &client,
            serde_json::json!({}),
            t,
        )
        .await?;
        if step == "waiting" {
            if let Err(e) = server::apply(&mut tx, &state.settings, &id_hash, "waiting", t).await {
                drop(tx);
                if e == AppError::Internal {
                    return Err(e);
                }
                close_flow(&state, &id_hash).await?;
                return proceed("/register/reviewed?result=unavailable");
            }
            tx.commit().await?;
            return proceed("/register/reviewed?result=applied");
        }
        tx.commit().await?;
        return proceed("/register/reviewed?result=confirmed");
    }
    crate::ssr::auth::cancel_registrations(&mut tx, &customer_no).await?;
    record(
        &mut tx,
        Event::ReregistrationCancelled,
        Subject::Account(&account_id),
        &client,
        serde_json::json!({}),
        t,
    )
    .await?;
    tx.commit().await?;
    proceed("/register/reviewed?result=cancelled")
}

/// Put into effect every re-registration whose hold is over and that nobody
/// cancelled (run by the server's maintenance task). Returns how many took effect.
#[cfg(feature = "ssr")]
pub async fn apply_due_reregistrations(state: &crate::ssr::AppState, now: i64) -> Result<usize, AppError> {
    let due: Vec<(String,)> =
        sqlx::query_as("SELECT id_hash FROM registration_flows WHERE step = 'waiting' AND hold_until <= $1")
            .bind(now)
            .fetch_all(state.db.pool())
            .await?;
    let mut applied = 0;
    for (id_hash,) in due {
        let mut tx = state.db.pool().begin().await?;
        // The customer first (see complete_registration).
        sqlx::query(
            "UPDATE customers SET name = name
             WHERE customer_no IN (SELECT customer_no FROM registration_flows WHERE id_hash = $1)",
        )
        .bind(&id_hash)
        .execute(&mut *tx)
        .await?;
        match server::apply(&mut tx, &state.settings, &id_hash, "waiting", now).await {
            Ok(()) => {
                tx.commit().await?;
                applied += 1;
            }
            // Another process applied it first (or the owner cancelled meanwhile).
            Err(AppError::LinkInvalid) => {}
            // It can never take effect: the account is disabled, the ID was taken by
            // another customer, or an account appeared that this flow did not know.
            Err(e @ (AppError::AccountUnavailable | AppError::Invalid { .. } | AppError::FlowExpired)) => {
                drop(tx);
                tracing::warn!(error = %e, "a held re-registration cannot take effect; it ends");
                close_flow(state, &id_hash).await?;
            }
            // Anything else (the database busy…): the next run tries again.
            Err(e) => {
                drop(tx);
                tracing::warn!(error = %e, "a held re-registration could not be applied now; retried next run");
            }
        }
    }
    Ok(applied)
}

/// The step this browser's registration flow is at, if any.
#[server(endpoint = "register/step")]
pub async fn registration_step() -> Result<Option<String>, AppError> {
    // A completed flow is at step 'done', which no page waits for.
    crate::ssr::flow_step("registration_flows", server::FLOW_COOKIE).await
}
