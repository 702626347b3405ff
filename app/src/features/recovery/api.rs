#[cfg(feature = "ssr")]
use super::routes;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::store;

#[cfg(feature = "ssr")]
pub use store::{decoy_method, DECOY_SECRET};

/// The choice: password unknown (path B) or ID unknown (re-registration).
#[server(endpoint = "recovery/choose")]
pub async fn choose_recovery(choice: Option<String>) -> Result<String, AppError> {
    let next = match choice.as_deref() {
        Some("password") => Ok(routes::IDENTIFY.into()),
        Some("id") => Ok(crate::features::registration::routes::START.into()),
        _ => Err(AppError::invalid("choice", crate::domain::FieldError::Required).into()),
    };
    crate::ssr::respond(routes::START, next)
}

/// 本人認証: start a recovery for the typed ID. Whatever the ID, existing or not, the
/// answer is the same; mail only goes where an account exists. Legacy accounts (and
/// a fixed share of unknown IDs, see [`store::decoy_method`]) go to the secret
/// question (path A), every other ID to the mailed code (path B).
#[server(endpoint = "recovery/start")]
pub async fn start_recovery(itscom_id: String) -> Result<String, AppError> {
    use super::mail;
    use super::RecoveryStep;
    use crate::domain::ItscomId;
    use crate::ssr::auth::{random_token, set_cookie, sha256_hex, throttle};
    use crate::ssr::{now, refuse, respond};
    respond(routes::IDENTIFY, async move {

    if let Err(e) = ItscomId::parse(&itscom_id) {
        return refuse(routes::IDENTIFY, AppError::invalid("itscom_id", e));
    }
    let key = ItscomId::key_of_raw(&itscom_id);
    let state = crate::ssr::state()?;
    let decoy = store::decoy_method(&state.db.server_secret(store::DECOY_SECRET).await?, &key);
    let t = now();
    let token = random_token();
    let code = {
        use rand::Rng;
        format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
    };
    let mut tx = state.db.pool().begin().await?;
    if !store::client_may_try(&mut tx, t).await? {
        tx.commit().await?;
        return refuse(routes::IDENTIFY, AppError::TooManyAttempts);
    }
    let account: Option<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.recovery_method FROM accounts a
         WHERE a.itscom_id_key = $1 AND a.state = 'active'",
    )
    .bind(&key)
    .fetch_optional(&mut *tx)
    .await?;
    // Per typed ID and client (a stranger spends only their own), under a larger cap per
    // ID whoever asks, which a browser the account has logged in from before is not held
    // by (strangers from many addresses must not keep the owner from a code).
    let client = crate::ssr::auth::client_address();
    let known_browser = store::known_browser(
        &mut tx,
        account.as_ref().map_or("-", |(id, _)| id.as_str()),
        crate::ssr::auth::request_cookie(crate::features::login::DEVICE_COOKIE).as_deref(),
    )
    .await?;
    let allowed = throttle::reserve(&mut tx, &store::START_PER_ID_CLIENT, &format!("{key}|{client}"), t).await?.go()
        && (known_browser || throttle::reserve(&mut tx, &store::START_PER_ID, &key, t).await?.go());
    let method = match &account {
        Some((_, m)) if m == "legacy_question" => "question",
        Some(_) => "code",
        None => decoy,
    };
    // Past the hourly limit the flow is bound to no account: same screens, no mail,
    // and nothing to guess.
    let account = account.filter(|_| allowed);
    let code_method = method == "code";
    sqlx::query(
        "INSERT INTO recovery_flows
            (id_hash, account_id, method, step, code_hash, code_expires_at, created_at, expires_at, id_key_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(sha256_hex(&token))
    .bind(account.as_ref().map(|a| a.0.clone()))
    .bind(method)
    .bind(if code_method { RecoveryStep::Code } else { RecoveryStep::Question })
    .bind(code_method.then(|| store::code_hash(&token, &code)))
    .bind(t + store::CODE_SECS)
    .bind(t)
    .bind(t + store::FLOW_SECS)
    .bind(sha256_hex(&key))
    .execute(&mut *tx)
    .await?;
    // The same statements whether or not an account stands behind the ID (the time a
    // request takes must not tell): the event (of no one, for an unknown ID), the
    // look-up of where the mail goes, and the mail (a stand-in row for an unknown ID).
    let subject = match &account {
        Some((account_id, _)) => crate::ssr::events::Subject::Account(account_id),
        None => crate::ssr::events::Subject::Unknown,
    };
    let started = crate::ssr::events::Event::RecoveryStarted;
    crate::ssr::events::record(&mut tx, started, subject, &client, serde_json::json!({ "method": method }), t).await?;
    if code_method {
        let looked_up = crate::ssr::db::customers::notice_target_of(
            &mut tx,
            account.as_ref().map_or("-", |(account_id, _)| account_id.as_str()),
        )
        .await?;
        match looked_up {
            // The stored contact address (else the stored ID), never what was typed.
            Some(target) => {
                crate::ssr::mail::enqueue_each(
                    &mut tx,
                    "recovery.code",
                    target.security_recipients(),
                    |to| mail::recovery_code(&state.settings, target.locale, to, &code),
                    t,
                )
                .await?
            }
            None => crate::ssr::mail::enqueue_decoy(&mut tx, t).await?,
        }
    }
    tx.commit().await?;
    set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        store::FLOW_COOKIE,
        &token,
        Some(store::FLOW_SECS),
        true,
    ));
    Ok(String::from(if code_method { routes::CODE } else { routes::QUESTION }))
    }
    .await)
}

/// 認証コード: 10 minutes, 5 attempts (counted atomically), single use. Wrong codes
/// also count as failed logins for the account.
#[server(endpoint = "recovery/code")]
pub async fn verify_recovery_code(code: String) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::domain::auth_code::AuthCode;
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::CODE;
    respond(
        PAGE,
        async move {
            let code = match AuthCode::parse(&code) {
                Ok(c) => c,
                Err(e) => return refuse(PAGE, AppError::invalid("code", e)),
            };
            let state = crate::ssr::state()?;
            let t = now();
            let mut conn = state.db.pool().acquire().await?;
            let flow = match store::current_flow(&mut conn, RecoveryStep::Code, t).await {
                Ok(f) => f,
                Err(e) => return refuse(routes::IDENTIFY, e),
            };
            // Per client, and per account a day (20 codes, whatever the flows).
            let per_account = flow.id_key_hash.clone().unwrap_or_else(|| flow.id_hash.clone());
            let client = crate::ssr::auth::client_address();
            use crate::ssr::auth::throttle::reserve;
            if !store::client_may_try(&mut conn, t).await?
                || !reserve(&mut conn, &store::CODE_PER_ACCOUNT, &format!("{per_account}|{client}"), t)
                    .await?
                    .go()
                || !reserve(&mut conn, &store::CODE_PER_ID, &per_account, t).await?.go()
            {
                return refuse(PAGE, AppError::TooManyAttempts);
            }
            // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
            let counted: Option<(i64,)> = sqlx::query_as(
                "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE id_hash = $1 AND step = $2 AND attempts < $3 RETURNING attempts",
            )
            .bind(&flow.id_hash)
            .bind(RecoveryStep::Code)
            .bind(store::MAX_ATTEMPTS)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((attempt,)) = counted else {
                return refuse(routes::IDENTIFY, AppError::FlowExpired);
            };
            let right = flow.account_id.is_some()
                && t < flow.code_expires_at
                && flow.code_hash.as_deref() == Some(store::code_hash(&flow.token, code.expose()).as_str());
            if !right {
                if let Some(account_id) = &flow.account_id {
                    store::count_failed_login(&mut conn, &state, account_id, t).await?;
                }
                return if attempt >= store::MAX_ATTEMPTS {
                    flow::advance(RecoveryStep::Code, RecoveryStep::Failed)
                        .by("id_hash", &flow.id_hash)
                        .rows(&mut conn)
                        .await?;
                    refuse(routes::IDENTIFY, AppError::FlowExpired)
                } else {
                    refuse(PAGE, AppError::InvalidCredentials)
                };
            }
            // Single use: the code step ends here.
            let moved = flow::advance(RecoveryStep::Code, RecoveryStep::Password)
                .clear("code_hash")
                .by("id_hash", &flow.id_hash)
                .once(&mut conn)
                .await?;
            if !moved {
                return refuse(routes::IDENTIFY, AppError::FlowExpired);
            }
            // A success does not count against a shared client address.
            crate::ssr::auth::throttle::forgive(
                &mut conn,
                &store::RECOVERY_CLIENT,
                &crate::ssr::auth::client_address(),
            )
            .await?;
            Ok(String::from(routes::PASSWORD))
        }
        .await,
    )
}

/// 合言葉登録 (path A): the question and answer this recovery is bound to; mails the
/// single-use link to the contact address. The answer is hashed whether or not an
/// account stands behind the flow, so both take the same time.
#[server(endpoint = "recovery/question")]
pub async fn submit_recovery_question(question: String, answer: String) -> Result<String, AppError> {
    use super::mail;
    use super::RecoveryStep;
    use crate::domain::secret_question::{SecretAnswer, SecretQuestion};
    use crate::ssr::auth::{password as pw, random_token, sha256_hex};
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::QUESTION;
    respond(
        PAGE,
        async move {
            let question = match SecretQuestion::parse(&question) {
                Ok(q) => q,
                Err(e) => return refuse(PAGE, AppError::invalid("question", e)),
            };
            let answer = match SecretAnswer::parse(&answer) {
                Ok(a) => a,
                Err(e) => return refuse(PAGE, AppError::invalid("answer", e)),
            };
            let state = crate::ssr::state()?;
            let t = now();
            let flow = {
                let mut conn = state.db.pool().acquire().await?;
                let flow = match store::current_flow(&mut conn, RecoveryStep::Question, t).await {
                    Ok(f) => f,
                    Err(e) => return refuse(routes::IDENTIFY, e),
                };
                // Before the hash: each costs a core for ≈20 ms.
                if !store::client_may_try(&mut conn, t).await? {
                    return refuse(PAGE, AppError::TooManyAttempts);
                }
                flow
            };
            let answer_hash = pw::hash_async(answer.secret_for(question)).await;
            let link_token = random_token();
            let mut tx = state.db.pool().begin().await?;
            let updated = flow::advance(RecoveryStep::Question, RecoveryStep::Mailed)
                .set("question", question.code())
                .set("answer_hash", &answer_hash)
                .set("link_hash", flow.account_id.as_ref().map(|_| sha256_hex(&link_token)))
                .set("expires_at", t + store::LINK_SECS)
                .by("id_hash", &flow.id_hash)
                .once(&mut tx)
                .await?;
            if !updated {
                return refuse(routes::IDENTIFY, AppError::FlowExpired);
            }
            if let Some(account_id) = &flow.account_id {
                let target = crate::ssr::db::customers::notice_target(&mut tx, account_id).await?;
                let link = state
                    .settings
                    .public_url
                    .join(&format!("/recovery/verify?token={link_token}"))
                    .map_err(AppError::internal)?;
                crate::ssr::mail::enqueue_each(
                    &mut tx,
                    "recovery.link",
                    target.security_recipients(),
                    |to| mail::recovery_question_link(&state.settings, target.locale, to, link.as_str()),
                    t,
                )
                .await?;
            }
            tx.commit().await?;
            Ok(String::from(routes::SENT))
        }
        .await,
    )
}

/// Whether a mailed path-A link can still be used (reading changes nothing).
#[server(endpoint = "recovery/link")]
pub async fn recovery_link_status(token: String) -> Result<(), AppError> {
    use crate::ssr::crypto::sha256_hex;
    crate::ssr::set_referrer_policy_no_referrer();
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT attempts FROM recovery_flows
         WHERE link_hash = $1 AND step = $2 AND expires_at > $3 AND account_id IS NOT NULL",
    )
    .bind(sha256_hex(token.trim()))
    .bind(super::RecoveryStep::Mailed)
    .bind(crate::ssr::now())
    .fetch_optional(state.db.pool())
    .await?;
    match row {
        Some(_) => Ok(()),
        None => {
            crate::ssr::set_status(404);
            Err(AppError::LinkInvalid)
        }
    }
}

/// The mailed link's page (path A): the same question and answer again. Neither the
/// link alone nor the answer alone goes further; 5 wrong answers end the flow. A
/// right answer binds the rest of the recovery to this browser.
#[server(endpoint = "recovery/answer")]
pub async fn verify_recovery_answer(
    token: String,
    question: String,
    answer: String,
) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::domain::secret_question::{SecretAnswer, SecretQuestion};
    use crate::domain::FieldError;
    use crate::ssr::auth::{password as pw, random_token, set_cookie, sha256_hex};
    use crate::ssr::{flow, now, refuse, respond};

    let token = token.trim().to_string();
    let page = format!("/recovery/verify?token={token}");
    respond(
        &page.clone(),
        async move {
            let question = match SecretQuestion::parse(&question) {
                Ok(q) => q,
                Err(e) => return refuse(&page, AppError::invalid("question", e)),
            };
            let answer = match SecretAnswer::parse(&answer) {
                Ok(a) => a,
                Err(e) => return refuse(&page, AppError::invalid("answer", e)),
            };
            let state = crate::ssr::state()?;
            let t = now();
            let link_hash = sha256_hex(&token);
            let mut conn = state.db.pool().acquire().await?;
            if !store::client_may_try(&mut conn, t).await? {
                return refuse(&page, AppError::TooManyAttempts);
            }
            // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
            /// attempts, question, answer_hash, account_id
            type Counted = (i64, Option<String>, Option<String>, Option<String>);
            let counted: Option<Counted> = sqlx::query_as(
                "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE link_hash = $1 AND step = $2 AND attempts < $3 AND expires_at > $4
            AND account_id IS NOT NULL
         RETURNING attempts, question, answer_hash, account_id",
            )
            .bind(&link_hash)
            .bind(RecoveryStep::Mailed)
            .bind(store::MAX_ATTEMPTS)
            .bind(t)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((attempt, stored_question, answer_hash, Some(account_id))) = counted else {
                return refuse(&page, AppError::LinkInvalid);
            };
            let answer_matches = pw::verify_async(answer.secret_for(question), answer_hash).await;
            if !(answer_matches && stored_question.as_deref() == Some(question.code())) {
                store::count_failed_login(&mut conn, &state, &account_id, t).await?;
                if attempt >= store::MAX_ATTEMPTS {
                    flow::advance(RecoveryStep::Mailed, RecoveryStep::Failed)
                        .by("link_hash", &link_hash)
                        .rows(&mut conn)
                        .await?;
                    return refuse(&page, AppError::LinkInvalid);
                }
                return refuse(&page, AppError::invalid("answer", FieldError::Mismatch));
            }
            // Single use: the link ends here, and the flow moves to this browser.
            let browser_token = random_token();
            let moved = flow::advance(RecoveryStep::Mailed, RecoveryStep::Password)
                .set("id_hash", sha256_hex(&browser_token))
                .set("expires_at", t + store::FLOW_SECS)
                .claim("link_hash", &link_hash)
                .once(&mut conn)
                .await?;
            if !moved {
                return refuse(&page, AppError::LinkInvalid);
            }
            crate::ssr::auth::throttle::forgive(
                &mut conn,
                &store::RECOVERY_CLIENT,
                &crate::ssr::auth::client_address(),
            )
            .await?;
            set_cookie(&crate::ssr::auth::cookie(
                &state.settings,
                store::FLOW_COOKIE,
                &browser_token,
                Some(store::FLOW_SECS),
                true,
            ));
            Ok(String::from(routes::REISSUE))
        }
        .await,
    )
}

/// ID・パスワード再発行 (path A): the iTSCOM ID of the account this browser's recovery
/// reached the password step for.
#[server(endpoint = "recovery/identity")]
pub async fn recovery_identity() -> Result<String, AppError> {
    // The page shows the iTSCOM ID to a visitor: no cache keeps it.
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let flow = store::current_flow(&mut conn, super::RecoveryStep::Password, crate::ssr::now()).await?;
    let account_id = flow.account_id.ok_or(AppError::FlowExpired)?;
    let (itscom_id,): (String,) = sqlx::query_as("SELECT itscom_id FROM accounts WHERE id = $1")
        .bind(&account_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(itscom_id)
}

/// The new password: ends every session of the account and mails a notice.
#[server(endpoint = "recovery/password")]
pub async fn set_recovered_password(password: String, password_again: String) -> Result<String, AppError> {
    use super::mail;
    use super::RecoveryStep;
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::FieldError;
    use crate::ssr::auth::{password as pw, throttle};
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::PASSWORD;
    respond(
        PAGE,
        async move {
            let state = crate::ssr::state()?;
            let t = now();
            let (flow, target) = {
                let mut conn = state.db.pool().acquire().await?;
                let flow = match store::current_flow(&mut conn, RecoveryStep::Password, t).await {
                    Ok(f) => f,
                    Err(e) => return refuse(routes::IDENTIFY, e),
                };
                let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
                let target = crate::ssr::db::customers::notice_target(&mut conn, &account_id).await?;
                (flow, target)
            };
            let new_password = match parse_new(&password, &password_again, Some(&target.itscom_id)) {
                Ok(p) => p,
                Err(NewPasswordError::Password(e)) => return refuse(PAGE, AppError::invalid("password", e)),
                Err(NewPasswordError::Mismatch) => {
                    return refuse(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
                }
            };
            let hash = pw::hash_async(new_password.expose().to_string()).await;
            let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
            let mut tx = state.db.pool().begin().await?;
            if !flow::advance(RecoveryStep::Password, RecoveryStep::Done)
                .by("id_hash", &flow.id_hash)
                .once(&mut tx)
                .await?
            {
                return refuse(routes::IDENTIFY, AppError::FlowExpired);
            }
            sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(&account_id)
                .bind(hash)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            // Every session ends, and so does every pending change (ID change, re-registration,
            // other recoveries) started before the reset.
            crate::features::end_for_security(&mut tx, &account_id, t).await?;
            let key = crate::domain::ItscomId::key_of_raw(&target.itscom_id);
            throttle::reset(&mut tx, &throttle::LOGIN_ACCOUNT, &key).await?;
            crate::features::registration::clear_customer_budgets(&mut tx, &account_id).await?;
            crate::ssr::events::account_event(
                &mut tx,
                crate::ssr::events::Event::PasswordReset,
                &account_id,
                t,
            )
            .await?;
            crate::ssr::mail::enqueue_each(
                &mut tx,
                "recovery.done",
                target.security_recipients(),
                |to| mail::password_reset_notice(&state.settings, target.locale, to, t),
                t,
            )
            .await?;
            tx.commit().await?;
            crate::ssr::auth::set_cookie(&crate::ssr::auth::cookie(
                &state.settings,
                store::FLOW_COOKIE,
                "",
                Some(0),
                true,
            ));
            Ok(String::from(routes::DONE))
        }
        .await,
    )
}

/// The step this browser's recovery is at, if any.
#[server(endpoint = "recovery/step")]
pub async fn recovery_step() -> Result<Option<super::RecoveryStep>, AppError> {
    crate::ssr::flow::browser_step(store::FLOW_COOKIE).await
}
