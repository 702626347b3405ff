use super::Confirmation;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::ssr::auth::{request_cookie, sha256_hex, throttle::Policy};
    use crate::ssr::db::Conn;

    pub const FLOW_COOKIE: &str = "mypage_reg";
    /// Steps 2–3 must be done within an hour; the mailed link is valid 24 hours.
    pub const FLOW_SECS: i64 = 3600;
    pub const LINK_SECS: i64 = 24 * 3600;

    /// Verification, per client address: 20 tries an hour, then waits.
    pub const VERIFY_CLIENT: Policy = Policy {
        scope: "register-client",
        free_attempts: 20,
        window_secs: 3600,
        step_secs: 60,
        max_wait_secs: 900,
    };
    /// Verification, per name + phone: 5 tries in 15 minutes, so guessing the last 4
    /// digits (10,000 values) is not feasible.
    pub const VERIFY_SUBJECT: Policy = Policy {
        scope: "register-subject",
        free_attempts: 5,
        window_secs: 900,
        step_secs: 60,
        max_wait_secs: 900,
    };

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
}

#[cfg(feature = "ssr")]
pub use server::{matching_customers, VERIFY_CLIENT, VERIFY_SUBJECT};

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
    if throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await? != throttle::Verdict::Go
        || throttle::reserve(&mut conn, &VERIFY_SUBJECT, &subject, t).await? != throttle::Verdict::Go
    {
        return fail_form(PAGE, AppError::TooManyAttempts);
    }
    let matches = matching_customers(&mut conn, &kana.match_key(), phone.digits(), &factor).await?;
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
    if throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await? != throttle::Verdict::Go
        || throttle::reserve(&mut conn, &VERIFY_SUBJECT, &flow.id_hash, t).await? != throttle::Verdict::Go
    {
        return fail_form(PAGE, AppError::TooManyAttempts);
    }
    let candidates: Vec<&str> = flow.candidates.as_deref().unwrap_or_default().split(',').collect();
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
        return fail_form(PAGE, AppError::VerificationFailed);
    };
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
    // An ID held by another customer's account: the screen is the same, the mail says
    // someone tried, and carries no link.
    let holder: Option<(String,)> =
        sqlx::query_as("SELECT customer_no FROM accounts WHERE itscom_id_key = $1")
            .bind(id.key())
            .fetch_optional(&mut *tx)
            .await?;
    let taken = holder.is_some_and(|(no,)| no != customer_no);
    let locale = crate::ssr::auth::request_cookie(crate::i18n::Locale::COOKIE)
        .and_then(|c| crate::i18n::Locale::from_code(&c))
        .unwrap_or_default();
    let updated = sqlx::query(
        "UPDATE registration_flows SET step = 'mail_sent', itscom_id = $2, password_hash = $3,
            confirm_token_hash = $4, confirm_expires_at = $5
         WHERE id_hash = $1 AND step = 'credentials'",
    )
    .bind(&flow.id_hash)
    .bind(id.as_str())
    .bind(if taken { None } else { Some(hash) })
    .bind(if taken { None } else { Some(sha256_hex(&token)) })
    .bind(t + server::LINK_SECS)
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
    tx.commit().await?;
    proceed("/register/sent")
}

/// The confirmation page's content for a mailed token (reading never changes state).
#[server(endpoint = "register/confirmation")]
pub async fn get_confirmation(token: String) -> Result<Confirmation, AppError> {
    use crate::ssr::auth::sha256_hex;
    let state = crate::ssr::state()?;
    crate::ssr::set_referrer_policy_no_referrer();
    let mut conn = state.db.pool().acquire().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT f.itscom_id, c.name, c.customer_no FROM registration_flows f
         JOIN customers c ON c.customer_no = f.customer_no
         WHERE f.confirm_token_hash = $1 AND f.completed_at IS NULL AND f.confirm_expires_at > $2",
    )
    .bind(sha256_hex(token.trim()))
    .bind(crate::ssr::now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((itscom_id, name, customer_no)) = row else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    let contact_options = contact_options(&mut conn, &customer_no, &itscom_id).await?;
    Ok(Confirmation { itscom_id, name, contact_options })
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

/// Complete the registration from the mailed link: once, even when opened twice at
/// the same moment. Replaces an existing account's ID and password
/// (re-registration), ending its sessions and telling the previous contact address.
#[server(endpoint = "register/complete")]
pub async fn complete_registration(token: String, contact: Option<String>) -> Result<String, AppError> {
    use crate::ssr::auth::{session, sha256_hex};
    use crate::ssr::mail::{enqueue, templates};
    use crate::ssr::{fail_form, now, proceed};

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/register/confirm?token={token}");
    let mut tx = state.db.pool().begin().await?;
    // The single use: whoever flips completed_at first completes.
    let claimed = sqlx::query(
        "UPDATE registration_flows SET completed_at = $2, step = 'done'
         WHERE confirm_token_hash = $1 AND completed_at IS NULL AND confirm_expires_at > $2",
    )
    .bind(sha256_hex(&token))
    .bind(t)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return fail_form(&page, AppError::LinkInvalid);
    }
    let (customer_no, itscom_id, password_hash): (String, String, String) = sqlx::query_as(
        "SELECT customer_no, itscom_id, password_hash FROM registration_flows WHERE confirm_token_hash = $1",
    )
    .bind(sha256_hex(&token))
    .fetch_one(&mut *tx)
    .await?;
    let options = contact_options(&mut tx, &customer_no, &itscom_id).await?;
    let contact = match contact {
        None if options.len() == 1 => options[0].clone(),
        Some(c) if options.contains(&c) => c,
        _ => {
            return fail_form(&page, AppError::invalid("contact", crate::domain::FieldError::Required));
        }
    };
    let key = crate::domain::ItscomId::key_of_raw(&itscom_id);
    let existing: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT a.id, c.contact_email FROM accounts a JOIN customers c ON c.customer_no = a.customer_no
         WHERE a.customer_no = $1",
    )
    .bind(&customer_no)
    .fetch_optional(&mut *tx)
    .await?;
    let written = match &existing {
        Some((account_id, _)) => {
            sqlx::query(
                "UPDATE accounts SET itscom_id = $2, itscom_id_key = $3, password_hash = $4, updated_at = $5,
                    state = 'active'
                 WHERE id = $1",
            )
            .bind(account_id)
            .bind(&itscom_id)
            .bind(&key)
            .bind(&password_hash)
            .bind(t)
            .execute(&mut *tx)
            .await
        }
        None => sqlx::query(
            "INSERT INTO accounts (id, customer_no, itscom_id, itscom_id_key, password_hash, recovery_method,
                    created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'code', $6, $6)",
        )
        .bind(crate::ssr::db::new_id())
        .bind(&customer_no)
        .bind(&itscom_id)
        .bind(&key)
        .bind(&password_hash)
        .bind(t)
        .execute(&mut *tx)
        .await,
    };
    if let Err(e) = written {
        // Another customer took this ID after the mail was sent.
        let unique = crate::ssr::db::is_unique_violation(&e);
        drop(tx);
        return if unique {
            fail_form("/register", AppError::invalid("itscom_id", crate::domain::FieldError::InvalidFormat))
        } else {
            Err(AppError::internal(e))
        };
    }
    sqlx::query("UPDATE customers SET contact_email = $2 WHERE customer_no = $1")
        .bind(&customer_no)
        .bind(&contact)
        .execute(&mut *tx)
        .await?;
    let reregistration = existing.is_some();
    if let Some((account_id, previous_contact)) = existing {
        session::end_all(&mut tx, &account_id).await?;
        if let Some(previous) = previous_contact {
            let mail =
                templates::registration_replaced(&state.settings, crate::i18n::Locale::Ja, &previous, t);
            enqueue(&mut tx, "registration.replaced", &mail, t).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(customer = %customer_no, reregistration, "iTSCOM ID registered");
    proceed("/register/done")
}

/// The step this browser's registration flow is at, if any.
#[server(endpoint = "register/step")]
pub async fn registration_step() -> Result<Option<String>, AppError> {
    // A completed flow is at step 'done', which no page waits for.
    crate::ssr::flow_step("registration_flows", server::FLOW_COOKIE).await
}
