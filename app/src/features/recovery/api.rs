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

    pub const FLOW_COOKIE: &str = "mypage_recovery";
    pub const FLOW_SECS: i64 = 30 * 60;
    pub const CODE_SECS: i64 = 10 * 60;
    pub const MAX_ATTEMPTS: i64 = 5;
    /// Path A: the mailed link works for 30 minutes.
    pub const LINK_SECS: i64 = 30 * 60;
    /// The share of iTSCOM IDs without an account whose screens take path A, in 256ths.
    /// An outsider who sees the secret question cannot tell a legacy account from an
    /// unknown ID; the choice per ID is fixed (keyed by a server secret) so asking
    /// twice shows the same path.
    pub const DECOY_QUESTION_SHARE: u8 = 64;

    /// The name of the server secret behind [`decoy_method`].
    pub const DECOY_SECRET: &str = "recovery-decoy";

    /// The path the screens of an iTSCOM ID without an account take.
    pub fn decoy_method(secret: &str, key: &str) -> &'static str {
        let digest = sha256_hex(&format!("{secret}\u{0}{key}"));
        let first = u8::from_str_radix(&digest[..2], 16).unwrap_or(0);
        if first < DECOY_QUESTION_SHARE {
            "question"
        } else {
            "code"
        }
    }

    /// A wrong code or answer counts as a failed login of the account (and is
    /// recorded; 100 in a row lock the login until a reset).
    pub async fn count_failed_login(
        conn: &mut Conn,
        state: &crate::ssr::AppState,
        account_id: &str,
        now: i64,
    ) -> Result<(), AppError> {
        use crate::ssr::auth::throttle;
        let (key,): (String,) = sqlx::query_as("SELECT itscom_id_key FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *conn)
            .await?;
        throttle::reserve(conn, &throttle::LOGIN_ACCOUNT, &key, now).await?;
        let client = crate::ssr::auth::client_address();
        crate::features::login::failed_login(
            conn,
            state,
            crate::ssr::events::Event::RecoveryFailed,
            Some(account_id),
            &key,
            &client,
            now,
        )
        .await
    }

    /// Every recovery step, per client address: 50 in 15 minutes, like login (path A's
    /// answers cost an argon2 hash each: no free CPU lever for strangers).
    pub const RECOVERY_CLIENT: Policy = Policy {
        scope: "recovery-client",
        counting: Counting::PerWindow { window_secs: 900 },
        free_attempts: 50,
        step_secs: 30,
        max_wait_secs: 900,
    };

    /// Codes per typed iTSCOM ID (so per account): at most 20 attempts a day, whatever
    /// the flows. Keyed by the ID's key for an unknown ID too, so the limit looks
    /// the same either way.
    pub const CODE_PER_ACCOUNT: Policy = Policy {
        scope: "recovery-code-account",
        counting: Counting::PerWindow { window_secs: 86_400 },
        free_attempts: 20,
        step_secs: 86_400,
        max_wait_secs: 86_400,
    };

    /// Reserve one recovery step for this client; false when it must wait.
    pub async fn client_may_try(conn: &mut Conn, now: i64) -> Result<bool, AppError> {
        use crate::ssr::auth::{client_address, throttle};
        Ok(throttle::reserve(conn, &RECOVERY_CLIENT, &client_address(), now).await?.go())
    }

    /// Recovery starts per typed ID: 5 an hour, so no one floods a mailbox with codes.
    /// Past it the screens stay the same and no mail goes out.
    pub const START_PER_ID: Policy = Policy {
        scope: "recovery-id",
        counting: Counting::PerWindow { window_secs: 3600 },
        free_attempts: 5,
        step_secs: 300,
        max_wait_secs: 3600,
    };

    /// The code's stored form: keyed by the browser's flow token, so the database row
    /// alone does not reveal it and the code only works in the browser that asked.
    pub fn code_hash(token: &str, code: &str) -> String {
        sha256_hex(&format!("{token}\u{0}{code}"))
    }

    pub struct Flow {
        pub token: String,
        pub id_hash: String,
        pub account_id: Option<String>,
        pub code_hash: Option<String>,
        pub code_expires_at: i64,
        /// SHA-256 of the typed ID's key: the per-ID budgets' subject.
        pub id_key_hash: Option<String>,
    }

    pub async fn current_flow(conn: &mut Conn, step: &str, now: i64) -> Result<Flow, AppError> {
        let token = request_cookie(FLOW_COOKIE).ok_or(AppError::FlowExpired)?;
        type Row = (String, Option<String>, Option<String>, i64, Option<String>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT id_hash, account_id, code_hash, code_expires_at, id_key_hash FROM recovery_flows
             WHERE id_hash = $1 AND step = $2 AND expires_at > $3",
        )
        .bind(sha256_hex(&token))
        .bind(step)
        .bind(now)
        .fetch_optional(conn)
        .await?;
        let (id_hash, account_id, code_hash, code_expires_at, id_key_hash) =
            row.ok_or(AppError::FlowExpired)?;
        Ok(Flow { token, id_hash, account_id, code_hash, code_expires_at, id_key_hash })
    }
}

#[cfg(feature = "ssr")]
pub use server::{decoy_method, DECOY_SECRET};

/// The choice: password unknown (path B) or ID unknown (re-registration).
#[server(endpoint = "recovery/choose")]
pub async fn choose_recovery(choice: Option<String>) -> Result<String, AppError> {
    use crate::ssr::{fail_form, proceed};
    match choice.as_deref() {
        Some("password") => proceed("/recovery/identify"),
        Some("id") => proceed("/register"),
        _ => fail_form("/recovery", AppError::invalid("choice", crate::domain::FieldError::Required)),
    }
}

/// 本人認証: start a recovery for the typed ID. Whatever the ID, existing or not, the
/// answer is the same; mail only goes where an account exists. Legacy accounts (and
/// a fixed share of unknown IDs, see [`server::decoy_method`]) go to the secret
/// question (path A), every other ID to the mailed code (path B).
#[server(endpoint = "recovery/start")]
pub async fn start_recovery(itscom_id: String) -> Result<String, AppError> {
    use crate::domain::ItscomId;
    use crate::ssr::auth::{random_token, set_cookie, sha256_hex, throttle};
    use crate::ssr::mail::{enqueue, templates};
    use crate::ssr::{fail_form, now, proceed};

    if let Err(e) = ItscomId::parse(&itscom_id) {
        return fail_form("/recovery/identify", AppError::invalid("itscom_id", e));
    }
    let key = ItscomId::key_of_raw(&itscom_id);
    let state = crate::ssr::state()?;
    let decoy = server::decoy_method(&state.db.server_secret(server::DECOY_SECRET).await?, &key);
    let t = now();
    let token = random_token();
    let code = {
        use rand::Rng;
        format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
    };
    let mut tx = state.db.pool().begin().await?;
    if !server::client_may_try(&mut tx, t).await? {
        tx.commit().await?;
        return fail_form("/recovery/identify", AppError::TooManyAttempts);
    }
    let allowed = throttle::reserve(&mut tx, &server::START_PER_ID, &key, t).await?.go();
    let account: Option<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.recovery_method FROM accounts a
         WHERE a.itscom_id_key = $1 AND a.state = 'active'",
    )
    .bind(&key)
    .fetch_optional(&mut *tx)
    .await?;
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
    .bind(if code_method { "code" } else { "question" })
    .bind(code_method.then(|| server::code_hash(&token, &code)))
    .bind(t + server::CODE_SECS)
    .bind(t)
    .bind(t + server::FLOW_SECS)
    .bind(sha256_hex(&key))
    .execute(&mut *tx)
    .await?;
    if let Some((account_id, _)) = &account {
        crate::ssr::events::record(
            &mut tx,
            crate::ssr::events::Event::RecoveryStarted,
            crate::ssr::events::Subject::Account(account_id),
            &crate::ssr::auth::client_address(),
            serde_json::json!({ "method": method }),
            t,
        )
        .await?;
        if code_method {
            // The stored contact address (else the stored ID), never what was typed.
            let target = crate::ssr::db::customers::notice_target(&mut tx, account_id).await?;
            let mail = templates::recovery_code(&state.settings, target.locale, &target.to, &code);
            enqueue(&mut tx, "recovery.code", &mail, t).await?;
        }
    }
    tx.commit().await?;
    set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        server::FLOW_COOKIE,
        &token,
        Some(server::FLOW_SECS),
        true,
    ));
    proceed(if code_method { "/recovery/code" } else { "/recovery/question" })
}

/// 認証コード: 10 minutes, 5 attempts (counted atomically), single use. Wrong codes
/// also count as failed logins for the account.
#[server(endpoint = "recovery/code")]
pub async fn verify_recovery_code(code: String) -> Result<String, AppError> {
    use crate::domain::auth_code::AuthCode;
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/recovery/code";

    let code = match AuthCode::parse(&code) {
        Ok(c) => c,
        Err(e) => return fail_form(PAGE, AppError::invalid("code", e)),
    };
    let state = crate::ssr::state()?;
    let t = now();
    let mut conn = state.db.pool().acquire().await?;
    let flow = match server::current_flow(&mut conn, "code", t).await {
        Ok(f) => f,
        Err(e) => return fail_form("/recovery/identify", e),
    };
    // Per client, and per account a day (20 codes, whatever the flows).
    let per_account = flow.id_key_hash.clone().unwrap_or_else(|| flow.id_hash.clone());
    if !server::client_may_try(&mut conn, t).await?
        || !crate::ssr::auth::throttle::reserve(&mut conn, &server::CODE_PER_ACCOUNT, &per_account, t)
            .await?
            .go()
    {
        return fail_form(PAGE, AppError::TooManyAttempts);
    }
    // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
    let counted: Option<(i64,)> = sqlx::query_as(
        "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE id_hash = $1 AND step = 'code' AND attempts < $2 RETURNING attempts",
    )
    .bind(&flow.id_hash)
    .bind(server::MAX_ATTEMPTS)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((attempt,)) = counted else {
        return fail_form("/recovery/identify", AppError::FlowExpired);
    };
    let right = flow.account_id.is_some()
        && t < flow.code_expires_at
        && flow.code_hash.as_deref() == Some(server::code_hash(&flow.token, code.expose()).as_str());
    if !right {
        if let Some(account_id) = &flow.account_id {
            server::count_failed_login(&mut conn, &state, account_id, t).await?;
        }
        return if attempt >= server::MAX_ATTEMPTS {
            sqlx::query("UPDATE recovery_flows SET step = 'failed' WHERE id_hash = $1 AND step = 'code'")
                .bind(&flow.id_hash)
                .execute(&mut *conn)
                .await?;
            fail_form("/recovery/identify", AppError::FlowExpired)
        } else {
            fail_form(PAGE, AppError::InvalidCredentials)
        };
    }
    // Single use: the code step ends here.
    let moved = sqlx::query(
        "UPDATE recovery_flows SET step = 'password', code_hash = NULL WHERE id_hash = $1 AND step = 'code'",
    )
    .bind(&flow.id_hash)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return fail_form("/recovery/identify", AppError::FlowExpired);
    }
    // A success does not count against a shared client address.
    crate::ssr::auth::throttle::forgive(
        &mut conn,
        &server::RECOVERY_CLIENT,
        &crate::ssr::auth::client_address(),
    )
    .await?;
    proceed("/recovery/password")
}

/// 合言葉登録 (path A): the question and answer this recovery is bound to; mails the
/// single-use link to the contact address. The answer is hashed whether or not an
/// account stands behind the flow, so both take the same time.
#[server(endpoint = "recovery/question")]
pub async fn submit_recovery_question(question: String, answer: String) -> Result<String, AppError> {
    use crate::domain::secret_question::{SecretAnswer, SecretQuestion};
    use crate::ssr::auth::{password as pw, random_token, sha256_hex};
    use crate::ssr::mail::{enqueue, templates};
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/recovery/question";

    let question = match SecretQuestion::parse(&question) {
        Ok(q) => q,
        Err(e) => return fail_form(PAGE, AppError::invalid("question", e)),
    };
    let answer = match SecretAnswer::parse(&answer) {
        Ok(a) => a,
        Err(e) => return fail_form(PAGE, AppError::invalid("answer", e)),
    };
    let state = crate::ssr::state()?;
    let t = now();
    let flow = {
        let mut conn = state.db.pool().acquire().await?;
        let flow = match server::current_flow(&mut conn, "question", t).await {
            Ok(f) => f,
            Err(e) => return fail_form("/recovery/identify", e),
        };
        // Before the hash: each costs a core for ≈20 ms.
        if !server::client_may_try(&mut conn, t).await? {
            return fail_form(PAGE, AppError::TooManyAttempts);
        }
        flow
    };
    let answer_hash = pw::hash_async(answer.secret_for(question)).await;
    let link_token = random_token();
    let mut tx = state.db.pool().begin().await?;
    let updated = sqlx::query(
        "UPDATE recovery_flows SET step = 'mailed', question = $2, answer_hash = $3, link_hash = $4,
            expires_at = $5
         WHERE id_hash = $1 AND step = 'question'",
    )
    .bind(&flow.id_hash)
    .bind(question.code())
    .bind(&answer_hash)
    .bind(flow.account_id.as_ref().map(|_| sha256_hex(&link_token)))
    .bind(t + server::LINK_SECS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return fail_form("/recovery/identify", AppError::FlowExpired);
    }
    if let Some(account_id) = &flow.account_id {
        let target = crate::ssr::db::customers::notice_target(&mut tx, account_id).await?;
        let link = state
            .settings
            .public_url
            .join(&format!("/recovery/verify?token={link_token}"))
            .map_err(AppError::internal)?;
        let mail =
            templates::recovery_question_link(&state.settings, target.locale, &target.to, link.as_str());
        enqueue(&mut tx, "recovery.link", &mail, t).await?;
    }
    tx.commit().await?;
    proceed("/recovery/sent")
}

/// Whether a mailed path-A link can still be used (reading changes nothing).
#[server(endpoint = "recovery/link")]
pub async fn recovery_link_status(token: String) -> Result<(), AppError> {
    use crate::ssr::crypto::sha256_hex;
    crate::ssr::set_referrer_policy_no_referrer();
    let state = crate::ssr::state()?;
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT attempts FROM recovery_flows
         WHERE link_hash = $1 AND step = 'mailed' AND expires_at > $2 AND account_id IS NOT NULL",
    )
    .bind(sha256_hex(token.trim()))
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
    use crate::domain::secret_question::{SecretAnswer, SecretQuestion};
    use crate::domain::FieldError;
    use crate::ssr::auth::{password as pw, random_token, set_cookie, sha256_hex};
    use crate::ssr::{fail_form, now, proceed};

    let token = token.trim().to_string();
    let page = format!("/recovery/verify?token={token}");
    let question = match SecretQuestion::parse(&question) {
        Ok(q) => q,
        Err(e) => return fail_form(&page, AppError::invalid("question", e)),
    };
    let answer = match SecretAnswer::parse(&answer) {
        Ok(a) => a,
        Err(e) => return fail_form(&page, AppError::invalid("answer", e)),
    };
    let state = crate::ssr::state()?;
    let t = now();
    let link_hash = sha256_hex(&token);
    let mut conn = state.db.pool().acquire().await?;
    if !server::client_may_try(&mut conn, t).await? {
        return fail_form(&page, AppError::TooManyAttempts);
    }
    // Count the attempt first, atomically: parallel guesses cannot exceed the limit.
    /// attempts, question, answer_hash, account_id
    type Counted = (i64, Option<String>, Option<String>, Option<String>);
    let counted: Option<Counted> = sqlx::query_as(
        "UPDATE recovery_flows SET attempts = attempts + 1
         WHERE link_hash = $1 AND step = 'mailed' AND attempts < $2 AND expires_at > $3
            AND account_id IS NOT NULL
         RETURNING attempts, question, answer_hash, account_id",
    )
    .bind(&link_hash)
    .bind(server::MAX_ATTEMPTS)
    .bind(t)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((attempt, stored_question, answer_hash, Some(account_id))) = counted else {
        return fail_form(&page, AppError::LinkInvalid);
    };
    let answer_matches = pw::verify_async(answer.secret_for(question), answer_hash).await;
    if !(answer_matches && stored_question.as_deref() == Some(question.code())) {
        server::count_failed_login(&mut conn, &state, &account_id, t).await?;
        if attempt >= server::MAX_ATTEMPTS {
            sqlx::query("UPDATE recovery_flows SET step = 'failed' WHERE link_hash = $1 AND step = 'mailed'")
                .bind(&link_hash)
                .execute(&mut *conn)
                .await?;
            return fail_form(&page, AppError::LinkInvalid);
        }
        return fail_form(&page, AppError::invalid("answer", FieldError::Mismatch));
    }
    // Single use: the link ends here, and the flow moves to this browser.
    let browser_token = random_token();
    let moved = sqlx::query(
        "UPDATE recovery_flows SET step = 'password', id_hash = $2, link_hash = NULL, expires_at = $3
         WHERE link_hash = $1 AND step = 'mailed'",
    )
    .bind(&link_hash)
    .bind(sha256_hex(&browser_token))
    .bind(t + server::FLOW_SECS)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return fail_form(&page, AppError::LinkInvalid);
    }
    crate::ssr::auth::throttle::forgive(
        &mut conn,
        &server::RECOVERY_CLIENT,
        &crate::ssr::auth::client_address(),
    )
    .await?;
    set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        server::FLOW_COOKIE,
        &browser_token,
        Some(server::FLOW_SECS),
        true,
    ));
    proceed("/recovery/reissue")
}

/// ID・パスワード再発行 (path A): the iTSCOM ID of the account this browser's recovery
/// reached the password step for.
#[server(endpoint = "recovery/identity")]
pub async fn recovery_identity() -> Result<String, AppError> {
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let flow = server::current_flow(&mut conn, "password", crate::ssr::now()).await?;
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
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::FieldError;
    use crate::ssr::auth::{password as pw, throttle};
    use crate::ssr::mail::{enqueue, templates};
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/recovery/password";

    let state = crate::ssr::state()?;
    let t = now();
    let (flow, target) = {
        let mut conn = state.db.pool().acquire().await?;
        let flow = match server::current_flow(&mut conn, "password", t).await {
            Ok(f) => f,
            Err(e) => return fail_form("/recovery/identify", e),
        };
        let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
        let target = crate::ssr::db::customers::notice_target(&mut conn, &account_id).await?;
        (flow, target)
    };
    let new_password = match parse_new(&password, &password_again, Some(&target.itscom_id)) {
        Ok(p) => p,
        Err(NewPasswordError::Password(e)) => return fail_form(PAGE, AppError::invalid("password", e)),
        Err(NewPasswordError::Mismatch) => {
            return fail_form(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
        }
    };
    let hash = pw::hash_async(new_password.expose().to_string()).await;
    let account_id = flow.account_id.clone().ok_or(AppError::FlowExpired)?;
    let mut tx = state.db.pool().begin().await?;
    let done =
        sqlx::query("UPDATE recovery_flows SET step = 'done' WHERE id_hash = $1 AND step = 'password'")
            .bind(&flow.id_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if done != 1 {
        return fail_form("/recovery/identify", AppError::FlowExpired);
    }
    sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(&account_id)
        .bind(hash)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    // Every session ends, and so does every pending change (ID change, re-registration,
    // other recoveries) started before the reset.
    crate::ssr::auth::end_for_security(&mut tx, &account_id, t).await?;
    let key = crate::domain::ItscomId::key_of_raw(&target.itscom_id);
    throttle::reset(&mut tx, &throttle::LOGIN_ACCOUNT, &key).await?;
    crate::ssr::auth::clear_customer_budgets(&mut tx, &account_id).await?;
    crate::ssr::events::account_event(&mut tx, crate::ssr::events::Event::PasswordReset, &account_id, t)
        .await?;
    let mail = templates::password_reset_notice(&state.settings, target.locale, &target.to, t);
    enqueue(&mut tx, "recovery.done", &mail, t).await?;
    tx.commit().await?;
    crate::ssr::auth::set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        server::FLOW_COOKIE,
        "",
        Some(0),
        true,
    ));
    proceed("/recovery/done")
}

/// The step this browser's recovery is at, if any.
#[server(endpoint = "recovery/step")]
pub async fn recovery_step() -> Result<Option<String>, AppError> {
    crate::ssr::flow_step("recovery_flows", server::FLOW_COOKIE).await
}
