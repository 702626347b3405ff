use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserBrief {
    pub name: String,
    pub itscom_id: String,
    /// お客さま番号: what the customer center asks for first (on the printed line).
    pub customer_no: String,
    /// A passkey can stand in for the password asked again (step-up).
    pub has_passkey: bool,
    /// Whose pages these are, to the page's script (a digest of the account: it names
    /// no one): a form's draft held through a login is put back only into the same
    /// account's pages (`public/draft.js`), never another's on a device handed on.
    pub owner_tag: String,
}

/// The logged-in customer of this request, if any.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserBrief>, AppError> {
    let Some(account) = crate::ssr::auth::current_account().await? else {
        return Ok(None);
    };
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    let (name, has_passkey) =
        super::store::customer_brief(&mut conn, &account.customer_no, &account.account_id).await?;
    let owner_tag =
        crate::ssr::crypto::sha256_hex(&format!("draft-owner:{}", account.account_id))[..16].to_string();
    Ok(Some(UserBrief {
        name,
        itscom_id: account.itscom_id,
        customer_no: account.customer_no,
        has_passkey,
        owner_tag,
    }))
}

/// Log in. Returns where to go next (a same-site path). A plain form post (no
/// JavaScript) is redirected there, or back to the login page with the failure.
#[server(endpoint = "login")]
pub async fn login(itscom_id: String, password: String, next: Option<String>) -> Result<String, AppError> {
    let next = crate::domain::redirect::safe_next(next.as_deref());
    // A failure goes back to the login page, with the way on.
    let page = super::login_url(&next);
    crate::ssr::respond(&page, async move {
        // A field left empty is said at the field, before any budget or hash: it tells
        // nothing of any account.
        use crate::domain::FieldError;
        if itscom_id.trim().is_empty() {
            return Err(AppError::invalid("itscom_id", FieldError::Required).into());
        }
        if password.is_empty() {
            return Err(AppError::invalid("password", FieldError::Required).into());
        }
        log_in(itscom_id, password, next).await
    })
    .await
}

/// The budgets, then the password; a login that passes both starts its session and
/// goes on to `next`.
#[cfg(feature = "ssr")]
async fn log_in(itscom_id: String, password: String, next: String) -> crate::ssr::Answer {
    use crate::domain::ItscomId;
    use crate::ssr::auth::{self, password as pw, throttle};
    use crate::ssr::events::{record, Event, Subject};
    let state = crate::ssr::state()?;
    // Any text counts as an ID here: an invalid one behaves exactly like an unknown one.
    let id_key = ItscomId::key_of_raw(&itscom_id);
    let client = auth::client_address();
    let t = crate::ssr::now();

    let (account, verdict, row) = {
        let mut conn = state.db.conn().await?;
        let account = super::store::active_account(&mut conn, &id_key).await?;
        let budget = login_budget(&mut conn, account.as_ref().map(|a| a.id.as_str()), &id_key).await?;
        let mut verdict = throttle::reserve(&mut conn, &throttle::LOGIN_CLIENT, &client, t).await?;
        if verdict.go() {
            verdict = throttle::reserve(&mut conn, budget.policy, &budget.subject, t).await?;
        }
        (account, verdict, budget.row())
    }; // the connection goes back to the pool before the slow hash
    let account_id = account.as_ref().map(|a| a.id.clone());
    if !verdict.go() {
        // Recorded for unknown IDs too: the same work either way; once a minute per
        // client (throttle::THROTTLED_RECORD).
        let subject = account_id.as_deref().map_or(Subject::Unknown, Subject::Account);
        let mut conn = state.db.conn().await?;
        if throttle::reserve(&mut conn, &throttle::THROTTLED_RECORD, &client, t).await?.go() {
            record(&mut conn, Event::LoginThrottled, subject, &client, serde_json::json!({}), t).await?;
        }
        return Err(if verdict == throttle::Verdict::Locked {
            AppError::Locked
        } else {
            AppError::TooManyAttempts
        }
        .into());
    }

    let hash = account.as_ref().map(|a| a.password_hash.clone());
    if !pw::verify_async(password, hash).await {
        // The same statements whether or not the ID exists (no timing difference).
        let mut conn = state.db.conn().await?;
        failed_login(&mut conn, &state, Event::LoginFailed, account_id.as_deref(), &row, &client, t).await?;
        return Err(AppError::InvalidCredentials.into());
    }
    let Some(account) = account else {
        return Err(AppError::InvalidCredentials.into()); // unreachable: no hash never verifies
    };
    // As the session's start does: a reset that completed during the hash refuses it.
    // The account's row locked, whether two-step verification is on is read again: a
    // login read before it was turned on (which takes the row) waits for it, then
    // waits for its code too, rather than starting the session the change meant to stop.
    let mut tx = state.db.begin().await?;
    if !super::store::still_as_proven(&mut tx, &account.id, &account.password_hash).await? {
        return Err(AppError::InvalidCredentials.into());
    }
    // Two-step verification on: the login waits for its code; no session yet.
    if super::store::two_step_on(&mut tx, &account.id).await? {
        // The password was right: its attempt goes back to the client's budget, as a
        // login without a second step gives it back (the code reserves one of its own).
        throttle::forgive(&mut tx, &throttle::LOGIN_CLIENT, &client).await?;
        let step =
            crate::features::security::await_second_step(&mut tx, &state.settings, &account.id, &next, t)
                .await?;
        tx.commit().await?;
        return Ok(step);
    }
    let started =
        start_proven_session_in(&mut tx, &state, &account, &client, t, auth::session::Method::Password)
            .await?;
    tx.commit().await?;
    started.hand_over(&state.settings);
    Ok(next)
}

#[cfg(feature = "ssr")]
pub(crate) use crate::ssr::auth::throttle::Budget;

/// The budget a login for account `account_id` (None: an unknown ID) is counted in, its password
/// and its second step's code alike: a browser the account has logged in from before
/// has its own ([`LOGIN_BROWSER`](crate::ssr::auth::throttle::LOGIN_BROWSER)); any
/// other counts under the typed ID ([`LOGIN_ACCOUNT`](crate::ssr::auth::throttle::LOGIN_ACCOUNT)).
/// The same statement for an unknown ID.
#[cfg(feature = "ssr")]
pub(crate) async fn login_budget(
    conn: &mut crate::ssr::db::Conn,
    account_id: Option<&str>,
    id_key: &str,
) -> Result<Budget, sqlx::Error> {
    use crate::ssr::auth::{self, throttle};
    let device = auth::request_cookie(DEVICE_COOKIE);
    let known = super::store::known_browser(conn, account_id.unwrap_or("-"), device.as_deref()).await?;
    Ok(match account_id.filter(|_| known) {
        Some(account_id) => {
            let hash = auth::sha256_hex(device.as_deref().unwrap_or_default());
            Budget {
                policy: &throttle::LOGIN_BROWSER,
                subject: super::store::browser_subject(account_id, &hash),
            }
        }
        None => Budget::of_id(id_key),
    })
}

/// The budget a signed-in session's password asked again and codes count in: the
/// login's from this browser ([`login_budget`]). Strangers' wrong passwords under the
/// ID (anyone who knows the address can send a hundred) then lock the owner's own
/// browser out of neither its login nor its changes; a browser the account does not
/// know (a copy of the session cookie alone) counts under the ID.
#[cfg(feature = "ssr")]
pub(crate) async fn session_budget(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    itscom_id: &str,
) -> Result<Budget, sqlx::Error> {
    login_budget(conn, Some(account_id), &crate::domain::ItscomId::key_of_raw(itscom_id)).await
}

/// The account forgets the browsers it has logged in from, but `keep` (this browser's
/// device cookie, when one is kept), and their budgets open again: after a security
/// change (a password reset, a re-registration…) or 他の端末をすべてログアウト, a
/// browser someone else logged in from is no longer one the account knows. Its next
/// login is told to the owner as a new browser's, counts under the ID, and no longer
/// passes the recovery's limits per ID.
#[cfg(feature = "ssr")]
pub async fn forget_browsers(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    use crate::ssr::auth::throttle;
    let kept = keep.map(crate::ssr::auth::sha256_hex);
    for hash in super::store::known_device_hashes(conn, account_id).await? {
        if kept.as_deref() == Some(hash.as_str()) {
            continue;
        }
        throttle::reset(conn, &throttle::LOGIN_BROWSER, &super::store::browser_subject(account_id, &hash))
            .await?;
        super::store::forget_device(conn, account_id, &hash).await?;
    }
    Ok(())
}

/// The active account `account_id`, as a login starts it (the second step's).
#[cfg(feature = "ssr")]
pub(crate) async fn account_by_id(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
) -> Result<Option<super::store::LoginAccount>, sqlx::Error> {
    super::store::active_account_by_id(conn, account_id).await
}

/// A session started in `tx` ([`start_session_in`]): its cookies, set once `tx` has
/// committed.
#[cfg(feature = "ssr")]
pub(crate) struct Started {
    account_id: String,
    token: String,
    device: String,
    new_browser: bool,
}

#[cfg(feature = "ssr")]
impl Started {
    /// The session's id as stored (its token's hash).
    pub(crate) fn id_hash(&self) -> String {
        crate::ssr::auth::sha256_hex(&self.token)
    }

    /// The session's and the browser's cookies, for the answer.
    pub(crate) fn hand_over(self, settings: &crate::ssr::config::Settings) {
        use crate::ssr::auth::{self, session};
        auth::set_cookie(&session::cookie(settings, &self.token));
        let lives = Some(crate::ssr::maintenance::KNOWN_BROWSER_SECS);
        auth::set_cookie(&auth::cookie(settings, DEVICE_COOKIE, &self.device, lives, true));
        tracing::info!(account = %self.account_id, new_browser = self.new_browser, "login");
    }
}

/// The proven login, in `tx`: its budgets forgiven, a fresh session, the browser
/// remembered (the customer told of a new one). `account` is as it was read before the
/// proof: a password reset, a re-registration or a stop that completed since (during
/// the password's hash, say) refuses the login, as the account is no longer as it was
/// proven, instead of leaving a session the change meant to end. `tx` may have spent
/// what proved the login (a code at the second step) and commits the two together; the
/// account's row is locked here, unless `tx` did so first. None of it is the customer's until `tx` commits
/// and the [`Started`] is handed over.
#[cfg(feature = "ssr")]
pub(crate) async fn start_session_in(
    tx: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    account: &super::store::LoginAccount,
    client: &str,
    t: i64,
    method: crate::ssr::auth::session::Method,
) -> Result<Started, AppError> {
    if !super::store::still_as_proven(tx, &account.id, &account.password_hash).await? {
        return Err(AppError::InvalidCredentials);
    }
    start_proven_session_in(tx, state, account, client, t, method).await
}

/// [`start_session_in`] once `tx` holds the account's row and found it as proven (a
/// password login, which reads whether two-step is on under that lock first).
#[cfg(feature = "ssr")]
async fn start_proven_session_in(
    tx: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    account: &super::store::LoginAccount,
    client: &str,
    t: i64,
    method: crate::ssr::auth::session::Method,
) -> Result<Started, AppError> {
    use crate::ssr::auth::{self, session, throttle};
    use crate::ssr::events::{record, Event, Subject};
    let settings = &state.settings;
    throttle::forgive(tx, &throttle::LOGIN_CLIENT, client).await?;
    // The customer proved the account: a registration budget a stranger spent on their
    // name and phone opens again (a lock after 100 in a row stays: the owner's login is
    // no proof that the guesses stopped).
    throttle::reset_unless_locked(tx, &crate::features::registration::VERIFY_CUSTOMER, &account.customer_no)
        .await?;
    // A fresh session ID at every login; the old one (if any) ends.
    if let Some(old) = auth::request_cookie(session::cookie_name(settings)) {
        session::delete(tx, &old).await?;
    }
    let origin = session::Origin::of_request(method);
    let token = session::create(tx, &account.id, t, &settings.session, &origin).await?;
    let browser = auth::describe_user_agent(&origin.user_agent);
    let detail = serde_json::json!({ "method": method.name(), "browser": browser });
    record(tx, Event::LoggedIn, Subject::Account(&account.id), client, detail, t).await?;

    // A browser not seen with this account before: remember it and tell the customer.
    let device = auth::request_cookie(DEVICE_COOKIE).filter(|d| crate::ssr::crypto::is_token(d));
    let device = device.unwrap_or_else(auth::random_token);
    let known = super::store::remember_device(tx, &account.id, &device, t).await?;
    // The budget the login was counted in (its password and its code alike) is
    // forgiven: a browser it knew, its own; any other, the ID's. A lock after 100 in a
    // row stays until a password reset: a passkey login (which reserves no budget) is
    // no proof that the guesses stopped.
    if known {
        let subject = super::store::browser_subject(&account.id, &auth::sha256_hex(&device));
        throttle::reset_unless_locked(tx, &throttle::LOGIN_BROWSER, &subject).await?;
    } else {
        let id_key = crate::domain::ItscomId::key_of_raw(&account.itscom_id);
        throttle::reset_unless_locked(tx, &throttle::LOGIN_ACCOUNT, &id_key).await?;
    }
    let locale = login_locale(tx, settings, account).await?;
    if !known && account.new_browser_mail != 0 {
        tell_of_new_browser(tx, settings, account, locale, t).await?;
    }
    Ok(Started { account_id: account.id.clone(), token, device, new_browser: !known })
}

/// The language of the login's mails: the browser's choice (remembered for the account),
/// else the account's (which the browser then opens in).
#[cfg(feature = "ssr")]
async fn login_locale(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account: &super::store::LoginAccount,
) -> Result<crate::i18n::Locale, sqlx::Error> {
    use crate::i18n::Locale;
    use crate::ssr::auth;
    // Mail in the language the customer uses the portal in (remembered from this login).
    let page_locale = auth::request_cookie(Locale::COOKIE).and_then(|c| Locale::from_code(&c));
    let locale = page_locale.or_else(|| Locale::from_code(&account.locale)).unwrap_or_default();
    if page_locale.is_none() {
        // A browser that never chose opens in the account's language.
        let cookie = auth::cookie(settings, Locale::COOKIE, locale.code(), Some(31_536_000), false);
        auth::set_cookie(&cookie);
    }
    if let Some(l) = page_locale {
        super::store::set_locale(tx, &account.id, l.code()).await?;
    }
    Ok(locale)
}

/// The contact address hears of a login from a new browser, in `tx`.
#[cfg(feature = "ssr")]
async fn tell_of_new_browser(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account: &super::store::LoginAccount,
    locale: crate::i18n::Locale,
    t: i64,
) -> Result<(), sqlx::Error> {
    let to = account.contact_email.clone().unwrap_or_else(|| account.itscom_id.clone());
    // And, for 7 days after a change of the contact address, the ones before.
    let also = crate::ssr::db::customers::previous_contacts(tx, &account.customer_no, &to, t).await?;
    let client = crate::domain::two_step::shorten_client(&crate::ssr::auth::client_address());
    let place = &format!("{} ({client})", crate::ssr::auth::browser_summary());
    crate::ssr::mail::enqueue_each(
        tx,
        "login.new_browser",
        std::iter::once(to.as_str()).chain(also.iter().map(String::as_str)),
        |to| super::mail::new_browser_login(settings, locale, to, &account.itscom_id, t, place),
        t,
    )
    .await
}

/// A wrong password (or recovery code or answer) for an account: recorded; at
/// [`throttle::LOCK_AFTER`] failures in a row the contact address is told that login
/// now needs a password reset (once a day at most). `row` is the login budget's
/// throttle row (the typed ID's, or a browser's the account knows:
/// [`row_of`](crate::ssr::auth::throttle::row_of)): a flow keeps the row, not the ID.
#[cfg(feature = "ssr")]
pub async fn failed_login(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    event: crate::ssr::events::Event,
    account_id: Option<&str>,
    row: &str,
    client: &str,
    now: i64,
) -> Result<(), AppError> {
    use crate::ssr::auth::throttle;
    use crate::ssr::events::{record, Event, Subject};
    use sqlx::Connection;
    // On the caller's connection: a request holding one never waits for a second.
    let mut tx = conn.begin().await?;
    let subject = account_id.map_or(Subject::Unknown, Subject::Account);
    let detail = serde_json::json!({ "browser": crate::ssr::auth::browser_summary() });
    record(&mut tx, event, subject, client, detail, now).await?;
    let due = throttle::notice_due_row(&mut tx, row, throttle::LOCK_AFTER, now).await?;
    if let (true, Some(account_id)) = (due, account_id) {
        record(&mut tx, Event::LoginLocked, Subject::Account(account_id), client, serde_json::json!({}), now)
            .await?;
        let by_codes = event == Event::TwoStepFailed;
        let mail = |locale, to: &str| super::mail::login_locked(&state.settings, locale, to, now, by_codes);
        crate::ssr::db::customers::notify(&mut tx, account_id, Event::LoginLocked.name(), mail, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The maintenance tick's job: the browsers not yet stamped with when they were last
/// seen get the tick's time, a batch at a time (a few seconds at most a tick): how many.
#[cfg(feature = "ssr")]
pub async fn stamp_browsers(state: &crate::ssr::AppState, now: i64) -> Result<usize, AppError> {
    use crate::ssr::maintenance::BATCH;
    let started = std::time::Instant::now();
    let mut stamped = 0;
    let mut conn = state.db.conn().await?;
    loop {
        let n = super::store::stamp_browsers(&mut conn, now, BATCH).await?;
        stamped += n as usize;
        if n < BATCH as u64 || started.elapsed() > std::time::Duration::from_secs(5) {
            return Ok(stamped);
        }
    }
}

/// A long-lived random cookie naming this browser (stored hashed per account).
pub const DEVICE_COOKIE: &str = "mypage_device";

/// Log out: the session ends on the server, and the cookie is removed.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::auth::{self, session};
    let state = crate::ssr::state()?;
    let ended: Result<(), AppError> = async {
        if let Some(token) = auth::request_cookie(session::cookie_name(&state.settings)) {
            let mut conn = state.db.conn().await?;
            session::delete(&mut conn, &token).await?;
        }
        Ok(())
    }
    .await;
    if let Err(error) = ended {
        // The session could not be ended (the database away): still logged in, and
        // told so on the page a login lands on (never a silent return to it).
        let landing = crate::domain::redirect::safe_next(None);
        return crate::ssr::respond(&landing, std::future::ready(Err(error.into()))).await.map(|_| ());
    }
    auth::set_cookie(&session::clearing_cookie(&state.settings));
    if crate::ssr::is_plain_form_post() {
        crate::ssr::redirect_page(super::routes::LOGIN);
    }
    Ok(())
}
