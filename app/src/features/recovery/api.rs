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
    crate::ssr::respond(routes::START, std::future::ready(next)).await
}

/// 本人認証: start a recovery for the typed ID. Whatever the ID, existing or not, the
/// answer is the same; mail only goes where an account exists. Legacy accounts (and
/// a fixed share of unknown IDs, see [`store::decoy_method`]) go to the secret
/// question (path A), every other ID to the mailed code (path B).
#[server(endpoint = "recovery/start")]
pub async fn start_recovery(itscom_id: String) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::domain::ItscomId;
    use crate::ssr::auth::{random_token, set_flow_cookie};
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
        let mut tx = state.db.begin().await?;
        if !store::client_may_try(&mut tx, t).await? {
            tx.commit().await?;
            return refuse(routes::IDENTIFY, AppError::TooManyAttempts);
        }
        let (account_id, method, allowed) = recovery_account(&mut tx, &key, decoy, t).await?;
        let code_method = method == "code";
        let flow = store::NewFlow {
            token: &token,
            account_id: account_id.clone(),
            method,
            step: if code_method { RecoveryStep::Code } else { RecoveryStep::Question },
            code_hash: code_method.then(|| store::code_hash(&token, &code)),
            id_key: &key,
            counts: allowed,
        };
        store::start_flow(&mut tx, flow, t).await?;
        announce_recovery(&mut tx, &state.settings, account_id.as_deref(), method, &code, t).await?;
        tx.commit().await?;
        set_flow_cookie(&state.settings, store::FLOW_COOKIE, &token, store::FLOW_SECS);
        Ok(String::from(if code_method { routes::CODE } else { routes::QUESTION }))
    })
    .await
}

/// The active account a recovery of the ID of `key` is bound to (none past the
/// hourly limits), the path its screens take (`decoy` for an unknown ID), and whether
/// it is within those limits (its wrong codes count against the ID's login budget).
#[cfg(feature = "ssr")]
async fn recovery_account(
    tx: &mut crate::ssr::db::Conn,
    key: &str,
    decoy: &'static str,
    t: i64,
) -> Result<(Option<String>, &'static str, bool), sqlx::Error> {
    use crate::ssr::auth::throttle;
    let account = store::active_account(tx, key).await?;
    // Per typed ID and client (a stranger spends only their own), under a larger cap per
    // ID whoever asks, which a browser the account has logged in from before is not held
    // by (strangers from many addresses must not keep the owner from a code).
    let client = crate::ssr::auth::client_address();
    let known_browser = crate::features::login::store::known_browser(
        tx,
        account.as_ref().map_or("-", |(id, _)| id.as_str()),
        crate::ssr::auth::request_cookie(crate::features::login::DEVICE_COOKIE).as_deref(),
    )
    .await?;
    let allowed =
        throttle::reserve(tx, &store::START_PER_ID_CLIENT, &format!("{key}|{client}"), t).await?.go()
            && (known_browser || throttle::reserve(tx, &store::START_PER_ID, key, t).await?.go());
    let method = match &account {
        Some((_, m)) if m == "legacy_question" => "question",
        Some(_) => "code",
        None => decoy,
    };
    // Past the hourly limit the flow is bound to no account: same screens, no mail,
    // nothing to guess, and (for any ID alike) nothing counted: a lock reached by such
    // codes would reach no owner's mail.
    Ok((account.filter(|_| allowed).map(|(account_id, _)| account_id), method, allowed))
}

/// A recovery's start: its event and, on path B, the code's mail.
#[cfg(feature = "ssr")]
async fn announce_recovery(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: Option<&str>,
    method: &str,
    code: &str,
    t: i64,
) -> Result<(), sqlx::Error> {
    use crate::ssr::events::{record, Event, Subject};
    // The same statements whether or not an account stands behind the ID (the time a
    // request takes must not tell): the event (of no one, for an unknown ID), the
    // look-up of where the mail goes, and the mail (a stand-in row for an unknown ID).
    let subject = match account_id {
        Some(account_id) => Subject::Account(account_id),
        None => Subject::Unknown,
    };
    let client = crate::ssr::auth::client_address();
    record(tx, Event::RecoveryStarted, subject, &client, serde_json::json!({ "method": method }), t).await?;
    if method == "code" {
        let looked_up = crate::ssr::db::customers::notice_target_of(tx, account_id.unwrap_or("-")).await?;
        match looked_up {
            // The stored contact address (else the stored ID), never what was typed.
            Some(target) => {
                target
                    .notify(
                        tx,
                        "recovery.code",
                        |to| super::mail::recovery_code(settings, target.locale, to, code),
                        t,
                    )
                    .await?
            }
            None => crate::ssr::mail::enqueue_decoy(tx, t).await?,
        }
    }
    Ok(())
}

/// 認証コード: 10 minutes, 5 attempts (counted atomically), single use. Wrong codes
/// also count as failed logins of the typed ID, whether or not it has an account.
#[server(endpoint = "recovery/code")]
pub async fn verify_recovery_code(code: String) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::domain::auth_code::AuthCode;
    use crate::ssr::{flow, now, refuse, respond, BackTo};
    const PAGE: &str = routes::CODE;
    respond(PAGE, async move {
        let code = AuthCode::parse(&code).map_err(|e| AppError::invalid("code", e))?;
        let state = crate::ssr::state()?;
        let t = now();
        let mut conn = state.db.conn().await?;
        let flow = store::current_flow(&mut conn, RecoveryStep::Code, t).await.back_to(routes::IDENTIFY)?;
        if !code_may_try(&mut conn, &flow, t).await? {
            return refuse(PAGE, AppError::TooManyAttempts);
        }
        // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
        let Some(attempt) = store::count_code_attempt(&mut conn, &flow.id_hash).await? else {
            return refuse(routes::IDENTIFY, AppError::FlowExpired);
        };
        let right = flow.account_id.is_some()
            && t < flow.code_expires_at
            && flow.code_hash.as_deref() == Some(store::code_hash(&flow.token, code.expose()).as_str());
        if !right {
            return wrong_code(&mut conn, &state, &flow, attempt, t).await;
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
        // The right code ends a run of wrong ones for the ID (not a lock: that is no
        // proof the guesses stopped).
        crate::ssr::auth::throttle::reset_unless_locked(&mut conn, &store::CODE_PER_ID, &codes_of(&flow))
            .await?;
        // A success does not count against a shared client address.
        crate::ssr::auth::throttle::forgive(
            &mut conn,
            &store::RECOVERY_CLIENT,
            &crate::ssr::auth::client_address(),
        )
        .await?;
        Ok(String::from(routes::PASSWORD))
    })
    .await
}

/// The typed ID a flow's codes are counted by (the same for an unknown ID).
#[cfg(feature = "ssr")]
fn codes_of(flow: &store::Flow) -> String {
    flow.id_key_hash.clone().unwrap_or_else(|| flow.id_hash.clone())
}

/// Whether this client may try a code for the flow now.
#[cfg(feature = "ssr")]
async fn code_may_try(conn: &mut crate::ssr::db::Conn, flow: &store::Flow, t: i64) -> Result<bool, AppError> {
    use crate::ssr::auth::throttle::reserve;
    // Per client, and per account a day (20 codes, whatever the flows); then per ID in a
    // row, which a browser the account has logged in from is not held by.
    let per_account = codes_of(flow);
    let client = crate::ssr::auth::client_address();
    if !(store::client_may_try(conn, t).await?
        && reserve(conn, &store::CODE_PER_ACCOUNT, &format!("{per_account}|{client}"), t).await?.go())
    {
        return Ok(false);
    }
    let device = crate::ssr::auth::request_cookie(crate::features::login::DEVICE_COOKIE);
    // Asked for an unknown ID too ("-" is no account's): the same statement either way.
    let account_id = flow.account_id.as_deref().unwrap_or("-");
    let known = crate::features::login::store::known_browser(conn, account_id, device.as_deref()).await?;
    Ok(known || reserve(conn, &store::CODE_PER_ID, &per_account, t).await?.go())
}

/// A wrong code: a failed login of the account; the last attempt ends the flow.
#[cfg(feature = "ssr")]
async fn wrong_code(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    flow: &store::Flow,
    attempt: i64,
    t: i64,
) -> crate::ssr::Answer {
    use super::RecoveryStep;
    use crate::ssr::refuse;
    store::count_failed_login(conn, state, flow.account_id.as_deref(), flow.login_row.as_deref(), t).await?;
    if attempt >= store::MAX_ATTEMPTS {
        crate::ssr::flow::advance(RecoveryStep::Code, RecoveryStep::Failed)
            .by("id_hash", &flow.id_hash)
            .rows(conn)
            .await?;
        refuse(routes::IDENTIFY, AppError::FlowExpired)
    } else {
        // The field's own message (wrong, or past its time), as any bad input's.
        refuse(routes::CODE, AppError::invalid("code", crate::domain::FieldError::Mismatch))
    }
}

/// The secret question and its answer, parsed (a refusal goes back to `page`).
#[cfg(feature = "ssr")]
fn parse_secret(
    page: &str,
    question: &str,
    answer: &str,
) -> Result<
    (crate::domain::secret_question::SecretQuestion, crate::domain::secret_question::SecretAnswer),
    crate::ssr::Refusal,
> {
    use crate::domain::secret_question::{SecretAnswer, SecretQuestion};
    use crate::ssr::refuse;
    let question = match SecretQuestion::parse(question) {
        Ok(q) => q,
        Err(e) => return refuse(page, AppError::invalid("question", e)),
    };
    let answer = match SecretAnswer::parse(answer) {
        Ok(a) => a,
        Err(e) => return refuse(page, AppError::invalid("answer", e)),
    };
    Ok((question, answer))
}

/// 合言葉登録 (path A): the question and answer this recovery is bound to; mails the
/// single-use link to the contact address. The answer is hashed whether or not an
/// account stands behind the flow, so both take the same time.
#[server(endpoint = "recovery/question")]
pub async fn submit_recovery_question(question: String, answer: String) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::ssr::auth::{password as pw, random_token, sha256_hex};
    use crate::ssr::{flow, now, refuse, respond, BackTo};
    const PAGE: &str = routes::QUESTION;
    respond(PAGE, async move {
        let (question, answer) = parse_secret(PAGE, &question, &answer)?;
        let state = crate::ssr::state()?;
        let t = now();
        let flow = {
            let mut conn = state.db.conn().await?;
            let flow =
                store::current_flow(&mut conn, RecoveryStep::Question, t).await.back_to(routes::IDENTIFY)?;
            // Before the hash: each costs a core for ≈20 ms.
            if !store::client_may_try(&mut conn, t).await? {
                return refuse(PAGE, AppError::TooManyAttempts);
            }
            flow
        };
        let answer_hash = pw::hash_async(answer.secret_for(question)).await;
        let link_token = random_token();
        let mut tx = state.db.begin().await?;
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
        // The same statements whether or not the ID has an account: a stand-in row
        // where there is no one to mail (the time taken must not tell them apart).
        match &flow.account_id {
            Some(account_id) => {
                mail_answer_link(&mut tx, &state.settings, account_id, &link_token, t).await?
            }
            None => {
                crate::ssr::db::customers::notice_target_of(&mut tx, "-").await?;
                crate::ssr::mail::enqueue_decoy(&mut tx, t).await?;
            }
        }
        tx.commit().await?;
        Ok(String::from(routes::SENT))
    })
    .await
}

/// Path A's single-use link, mailed to the account's contact address.
#[cfg(feature = "ssr")]
async fn mail_answer_link(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    link_token: &str,
    t: i64,
) -> Result<(), AppError> {
    let link = settings.mailed_link(routes::VERIFY, link_token)?;
    let mail = |locale, to: &str| super::mail::recovery_question_link(settings, locale, to, link.as_str());
    Ok(crate::ssr::db::customers::notify(tx, account_id, "recovery.link", mail, t).await?)
}

/// Whether a mailed path-A link can still be used (reading changes nothing).
#[server(endpoint = "recovery/link")]
pub async fn recovery_link_status(token: String) -> Result<(), AppError> {
    let open = async |conn: &mut _, token: &_, t| Ok(store::link_open(conn, token, t).await?.then_some(()));
    crate::ssr::read_link(&token, open).await.map(|_| ())
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
    use crate::ssr::auth::{password as pw, sha256_hex};
    use crate::ssr::refuse;
    crate::ssr::link_action(token, routes::VERIFY, |crate::ssr::Link { token, page, state, t }| async move {
        let (question, answer) = parse_secret(&page, &question, &answer)?;
        let link_hash = sha256_hex(&token);
        let mut conn = state.db.conn().await?;
        if !store::client_may_try(&mut conn, t).await? {
            return refuse(&page, AppError::TooManyAttempts);
        }
        // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
        let counted = store::count_answer_attempt(&mut conn, &link_hash, t).await?;
        let Some(store::CountedAnswer {
            attempts: attempt,
            question: stored_question,
            answer_hash,
            account_id: Some(account_id),
        }) = counted
        else {
            return refuse(&page, AppError::LinkInvalid);
        };
        // No connection held while the answer's hash is checked (it waits its turn for a core).
        drop(conn);
        let answer_matches = pw::verify_async(answer.secret_for(question), answer_hash).await;
        let mut conn = state.db.conn().await?;
        if !(answer_matches && stored_question.as_deref() == Some(question.code())) {
            return wrong_answer(&mut conn, &state, &page, &link_hash, &account_id, attempt, t).await;
        }
        move_to_browser(&mut conn, &state.settings, &page, &link_hash, t).await
    })
    .await
}

/// A right answer: the link ends, and the recovery moves to this browser (its cookie).
#[cfg(feature = "ssr")]
async fn move_to_browser(
    conn: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    page: &str,
    link_hash: &str,
    t: i64,
) -> crate::ssr::Answer {
    use super::RecoveryStep;
    use crate::ssr::auth::{random_token, set_flow_cookie, sha256_hex};
    // Single use: the link ends here, and the flow moves to this browser.
    let browser_token = random_token();
    let moved = crate::ssr::flow::advance(RecoveryStep::Mailed, RecoveryStep::Password)
        .set("id_hash", sha256_hex(&browser_token))
        .set("expires_at", t + store::FLOW_SECS)
        .claim("link_hash", link_hash)
        .once(conn)
        .await?;
    if !moved {
        return crate::ssr::refuse(page, AppError::LinkInvalid);
    }
    crate::ssr::auth::throttle::forgive(conn, &store::RECOVERY_CLIENT, &crate::ssr::auth::client_address())
        .await?;
    set_flow_cookie(settings, store::FLOW_COOKIE, &browser_token, store::FLOW_SECS);
    Ok(String::from(routes::REISSUE))
}

/// A wrong answer (or question): a failed login of the account; the last attempt ends
/// the link.
#[cfg(feature = "ssr")]
async fn wrong_answer(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    page: &str,
    link_hash: &str,
    account_id: &str,
    attempt: i64,
    t: i64,
) -> crate::ssr::Answer {
    use super::RecoveryStep;
    use crate::ssr::refuse;
    store::count_failed_login(conn, state, Some(account_id), None, t).await?;
    if attempt >= store::MAX_ATTEMPTS {
        crate::ssr::flow::advance(RecoveryStep::Mailed, RecoveryStep::Failed)
            .by("link_hash", link_hash)
            .rows(conn)
            .await?;
        return refuse(page, AppError::LinkInvalid);
    }
    refuse(page, AppError::invalid("answer", crate::domain::FieldError::Mismatch))
}

/// ID・パスワード再発行 (path A): the iTSCOM ID of the account this browser's recovery
/// reached the password step for.
#[server(endpoint = "recovery/identity")]
pub async fn recovery_identity() -> Result<String, AppError> {
    // The page shows the iTSCOM ID to a visitor: no cache keeps it.
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    let flow = store::current_flow(&mut conn, super::RecoveryStep::Password, crate::ssr::now()).await?;
    let account_id = flow.account_id.ok_or(AppError::FlowExpired)?;
    let itscom_id = store::itscom_id(&mut conn, &account_id).await?;
    Ok(itscom_id)
}

/// The new password: ends every session of the account and mails a notice.
#[server(endpoint = "recovery/password")]
pub async fn set_recovered_password(password: String, password_again: String) -> Result<String, AppError> {
    use super::RecoveryStep;
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::FieldError;
    use crate::ssr::auth::password as pw;
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::PASSWORD;
    respond(PAGE, async move {
        let state = crate::ssr::state()?;
        let t = now();
        let (flow, target) = password_flow(&state, t).await?;
        let new_password = match parse_new(&password, &password_again, Some(&target.itscom_id)) {
            Ok(p) => p,
            Err(NewPasswordError::Password(e)) => return refuse(PAGE, AppError::invalid("password", e)),
            Err(NewPasswordError::Mismatch) => {
                return refuse(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
            }
        };
        let hash = pw::hash_async(new_password.expose().to_string()).await;
        let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
        let mut tx = state.db.begin().await?;
        if !flow::advance(RecoveryStep::Password, RecoveryStep::Done)
            .by("id_hash", &flow.id_hash)
            .once(&mut tx)
            .await?
        {
            return refuse(routes::IDENTIFY, AppError::FlowExpired);
        }
        reset_password(&mut tx, &state.settings, &account_id, &target, hash, t).await?;
        tx.commit().await?;
        crate::ssr::auth::set_flow_cookie(&state.settings, store::FLOW_COOKIE, "", 0);
        Ok(String::from(routes::DONE))
    })
    .await
}

/// This browser's recovery at the password step, and where its account's notices go
/// (read outside the transaction).
#[cfg(feature = "ssr")]
async fn password_flow(
    state: &crate::ssr::AppState,
    t: i64,
) -> Result<(store::Flow, crate::ssr::db::customers::NoticeTarget), crate::ssr::Refusal> {
    let mut conn = state.db.conn().await?;
    let flow = match store::current_flow(&mut conn, super::RecoveryStep::Password, t).await {
        Ok(f) => f,
        Err(e) => return crate::ssr::refuse(routes::IDENTIFY, e),
    };
    let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
    let target = crate::ssr::db::customers::notice_target(&mut conn, &account_id).await?;
    Ok((flow, target))
}

/// The recovered account's new password, in the recovery's transaction: the account's
/// budgets open again, the event is recorded and its contact address told.
#[cfg(feature = "ssr")]
async fn reset_password(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    target: &crate::ssr::db::customers::NoticeTarget,
    password_hash: String,
    t: i64,
) -> Result<(), sqlx::Error> {
    use crate::ssr::auth::throttle;
    store::set_password(tx, account_id, password_hash, t).await?;
    // Every session ends, and so does every pending change (ID change, re-registration,
    // other recoveries) started before the reset.
    crate::features::end_for_security(tx, account_id, t).await?;
    // A passkey logs in alone, as a session does: one a stolen session added would let
    // its holder back in after the reset that ended the session.
    let passkeys_removed = crate::features::security::store::delete_passkeys(tx, account_id).await? > 0;
    let key = crate::domain::ItscomId::key_of_raw(&target.itscom_id);
    throttle::reset(tx, &throttle::LOGIN_ACCOUNT, &key).await?;
    crate::features::registration::clear_customer_budgets(tx, account_id).await?;
    crate::ssr::events::account_event(tx, crate::ssr::events::Event::PasswordReset, account_id, t).await?;
    target
        .notify(
            tx,
            "recovery.done",
            |to| super::mail::password_reset_notice(settings, target.locale, to, t, passkeys_removed),
            t,
        )
        .await
}

/// The step this browser's recovery is at, if any.
#[server(endpoint = "recovery/step")]
pub async fn recovery_step() -> Result<Option<super::RecoveryStep>, AppError> {
    crate::ssr::flow::browser_step(store::FLOW_COOKIE).await
}
