//! The security centre's server functions. Each reads and changes only the account of
//! its own session; a change of the sign-in settings asks for the password (and, to
//! turn two-step verification off or renew its codes, a code as well) and mails the
//! contact address.

use super::{Activity, SecurityOverview, TwoStepSetup};
use crate::error::AppError;
use leptos::prelude::*;

/// The cookie of a login waiting for its second step (five minutes).
pub const CHALLENGE_COOKIE: &str = "mypage_login_step";
/// The cookie holding the key of the recovery codes until their page shows them.
pub const CODES_COOKIE: &str = "mypage_codes";
/// How long a login waits for its second step.
pub const CHALLENGE_SECS: i64 = 300;

/// ログイン・セキュリティ設定: two-step verification, the devices, the notice setting.
#[server(endpoint = "security/overview")]
pub async fn get_security_overview() -> Result<SecurityOverview, AppError> {
    use super::{Device, TwoStep};
    use crate::ssr::auth::{self, session};
    let (account, state) = auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let two_step = match (
        state.settings.seal_key.is_some(),
        super::store::two_step_on(&mut conn, &account.account_id).await?,
    ) {
        (_, true) => {
            TwoStep::On { codes_left: super::store::codes_left(&mut conn, &account.account_id).await? }
        }
        (true, false) => TwoStep::Off,
        (false, false) => TwoStep::Unavailable,
    };
    let devices = session::list(&mut conn, &account.account_id, t, &state.settings.session)
        .await?
        .into_iter()
        .map(|s| Device {
            current: s.id_hash == account.session_hash,
            id: s.public_id,
            browser: auth::describe_user_agent(&s.user_agent),
            from: crate::domain::two_step::shorten_client(&s.client),
            method: s.method,
            signed_in_at: s.created_at,
            last_active_at: s.last_seen_at,
        })
        .collect();
    let new_browser_mail = super::store::new_browser_mail(&mut conn, &account.account_id).await?;
    let passkeys = super::store::passkeys(&mut conn, &account.account_id)
        .await?
        .into_iter()
        .map(|p| super::PasskeyView {
            id: p.id,
            name: p.name,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
        })
        .collect();
    Ok(SecurityOverview {
        passkeys,
        two_step,
        devices,
        new_browser_mail,
        needs_password: auth::needs_password(&account, t),
    })
}

/// `ログアウトさせる`: one of the account's sessions ends on the server at once (its
/// browser's next request, on any process, is a logged-out one).
#[server(endpoint = "security/session/end")]
pub async fn end_session(id: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, end_one(id)).await
}

#[cfg(feature = "ssr")]
async fn end_one(id: String) -> crate::ssr::Answer {
    use crate::ssr::auth::{self, session};
    use crate::ssr::events::Event;
    let (account, state) = auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut tx = state.db.begin().await?;
    // The account's row first, and this session still there (`hold_session`): a change
    // the session ending here is writing under that lock (a contact address, a phone)
    // commits first and is ended below with it, or finds its session gone; and this
    // session, ended meanwhile by a password reset, ends nothing.
    crate::ssr::auth::hold_session(&mut tx, &account).await?;
    let ended =
        if id.len() > 64 { None } else { session::end_one(&mut tx, &account.account_id, &id).await? };
    let Some(ended) = ended else {
        // Another account's session, or one already ended: nothing to end here.
        return crate::ssr::refuse(super::routes::SECURITY, AppError::FlowExpired);
    };
    // What it started and a mailed link would complete (a change of the contact address
    // or the ID) ends with it.
    let only = crate::ssr::flow::Sessions::Only(&ended);
    end_started_by(&mut tx, &account.account_id, only, t).await?;
    crate::ssr::events::account_event(&mut tx, Event::SessionEnded, &account.account_id, t).await?;
    tx.commit().await?;
    if ended == account.session_hash {
        // This browser's own session: it is logged out now.
        auth::set_cookie(&session::clearing_cookie(&state.settings));
        return Ok(crate::features::login::routes::LOGIN.to_string());
    }
    Ok(super::routes::done("session_ended", "devices"))
}

/// `他の端末をすべてログアウト`: every session of the account but this one ends.
#[server(endpoint = "security/sessions/end-others")]
pub async fn end_other_sessions() -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, end_others()).await
}

#[cfg(feature = "ssr")]
async fn end_others() -> crate::ssr::Answer {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut tx = state.db.begin().await?;
    let ended = sign_out_others(&mut tx, &account, Record::Always, t).await?;
    // Told by mail, as the other sign-in changes are: from a session taken from her,
    // this is what signs the owner out.
    if ended > 0 {
        let mail = |locale, to: &str| {
            let what = (super::texts::of(locale).changed_others_ended)(ended as i64);
            super::mail::sign_in_changed(&state.settings, locale, to, &what, t)
        };
        let topic = crate::ssr::events::Event::OtherSessionsEnded.name();
        crate::ssr::db::customers::notify(&mut tx, &account.account_id, topic, mail, t).await?;
    }
    // This one goes on under a new token, with what it has under way: a copy of its
    // cookie (someone else's, taken from this browser) ends with the others.
    let token = crate::ssr::auth::session::rotate(&mut tx, &account.session_hash)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let new_hash = crate::ssr::auth::sha256_hex(&token);
    super::store::rebind_session(&mut tx, crate::features::SESSION_BOUND, &account.session_hash, &new_hash)
        .await?;
    super::store::rebind_setups(&mut tx, &account.session_hash, &new_hash).await?;
    // And its budget of mailed changes: pressed on a stolen session, a new token would
    // otherwise give it 20 more mails to the owner each time.
    let noticed = &crate::ssr::auth::throttle::NOTICED_CHANGES;
    crate::ssr::auth::throttle::carry(&mut tx, noticed, &account.session_hash, &new_hash).await?;
    tx.commit().await?;
    crate::ssr::auth::set_cookie(&crate::ssr::auth::session::cookie(&state.settings, &token));
    Ok(format!("{}?done=others_ended&n={ended}#devices", super::routes::SECURITY))
}

/// The changes `sessions` of the account started, still waiting for their mailed link,
/// end (in `tx`).
#[cfg(feature = "ssr")]
async fn end_started_by(
    tx: &mut crate::ssr::db::Conn,
    account_id: &str,
    sessions: crate::ssr::flow::Sessions<'_>,
    t: i64,
) -> Result<(), sqlx::Error> {
    use crate::features::{FLOWS, SESSION_BOUND};
    crate::ssr::flow::end_pending_of_sessions(tx, FLOWS, SESSION_BOUND, account_id, sessions, t).await
}

/// Whether [`sign_out_others`] records that none ended.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Record {
    /// Always: the customer asked for it (他の端末をすべてログアウト).
    Always,
    /// Only when some ended: a change that signs the others out on its way.
    WhenAny,
}

/// Every session of the account but this one ends, in `tx`, recorded as `record` says,
/// with the logins waiting for their second step elsewhere, and the browsers it knows
/// but this one are forgotten: how many ended.
#[cfg(feature = "ssr")]
async fn sign_out_others(
    tx: &mut crate::ssr::db::Conn,
    account: &crate::ssr::auth::CurrentAccount,
    record_if: Record,
    t: i64,
) -> Result<u64, AppError> {
    use crate::ssr::auth::session;
    use crate::ssr::events::{record, Event, Subject};
    // The account's row first (see `end_one`): what the others are writing under it is
    // committed, and ended below, or finds its session gone.
    crate::ssr::db::customers::lock_account(&mut *tx, &account.account_id).await?;
    let ended = session::end_others(tx, &account.account_id, &account.session_hash).await?;
    // A login someone with the password started elsewhere would have gone on with a code,
    // and a change one of them started would have completed by its mailed link.
    super::store::end_logins_waiting(tx, &account.account_id).await?;
    let others = crate::ssr::flow::Sessions::AllBut(&account.session_hash);
    end_started_by(tx, &account.account_id, others, t).await?;
    if ended > 0 || record_if == Record::Always {
        let client = crate::ssr::auth::client_address();
        let detail = serde_json::json!({ "ended": ended, "browser": crate::ssr::auth::browser_summary() });
        record(tx, Event::OtherSessionsEnded, Subject::signed_in(account), &client, detail, t).await?;
    }
    let this_browser = crate::ssr::auth::request_cookie(crate::features::login::DEVICE_COOKIE);
    crate::features::login::forget_browsers(tx, &account.account_id, this_browser.as_deref()).await?;
    Ok(ended)
}

/// ログインのお知らせメール: `on` or `off`. Turning them off asks for the password after
/// 5 minutes and is mailed (the last such mail): a moment at an unlocked phone must
/// not silence the mails that would tell of later logins with a stolen password.
#[server(endpoint = "security/notices")]
pub async fn set_notices(notices: String, password: Option<String>) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, save_notices(notices, password)).await
}

#[cfg(feature = "ssr")]
async fn save_notices(notices: String, password: Option<String>) -> crate::ssr::Answer {
    use crate::domain::FieldError;
    use crate::ssr::events::{record, Event, Subject};
    let account = crate::ssr::auth::require_login().await?;
    let on = match notices.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return crate::ssr::refuse(
                super::routes::SECURITY,
                AppError::invalid("notices", FieldError::Required),
            )
        }
    };
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    if !on {
        crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
    }
    let mut tx = state.db.begin().await?;
    if super::store::set_new_browser_mail(&mut tx, &account.account_id, on).await? {
        let client = crate::ssr::auth::client_address();
        let detail = serde_json::json!({ "on": on, "browser": crate::ssr::auth::browser_summary() });
        record(&mut tx, Event::NewBrowserMailChanged, Subject::signed_in(&account), &client, detail, t)
            .await?;
        if !on {
            let mail = |locale, to: &str| {
                let what = super::texts::of(locale).notices_stopped;
                super::mail::sign_in_changed(&state.settings, locale, to, what, t)
            };
            let topic = Event::NewBrowserMailChanged.name();
            crate::ssr::db::customers::notify(&mut tx, &account.account_id, topic, mail, t).await?;
        }
    }
    tx.commit().await?;
    Ok(super::routes::done("notices", "notices"))
}

/// `2段階認証を設定する`: a new secret waits for its first code. The account's password
/// is asked every time (or a passkey), not only after 5 minutes: turned on, it signs
/// every other device out and asks a code of every login, so a session taken from the
/// owner (a cookie copied in its first minutes) would otherwise lock her out with an
/// authenticator of its own.
#[server(endpoint = "security/two-step/start")]
pub async fn start_two_step(password: Option<String>) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, begin_setup(password)).await
}

#[cfg(feature = "ssr")]
async fn begin_setup(password: Option<String>) -> crate::ssr::Answer {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let key = state.settings.seal_key.as_ref().ok_or(AppError::ServiceUnavailable)?;
    let t = crate::ssr::now();
    crate::ssr::auth::check_password(&state.db, &account, password, t).await?;
    let mut conn = state.db.conn().await?;
    let sealed = crate::ssr::crypto::seal_with(key.expose(), &super::totp::new_secret());
    if !super::store::put_pending(&mut conn, &account.account_id, &account.session_hash, &sealed, t).await? {
        // On already: nothing to set up.
        return Ok(super::routes::SECURITY.to_string());
    }
    Ok(super::routes::TWO_STEP.to_string())
}

/// The setup under way in this session: the key and its QR code; None when none waits
/// (another session's setup is not shown: its key is a second factor in the making).
#[server(endpoint = "security/two-step/setup")]
pub async fn get_two_step_setup() -> Result<Option<TwoStepSetup>, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let factor = super::store::factor(&mut conn, &account.account_id).await?;
    let Some(factor) = factor.and_then(|f| f.pending_in(&account.session_hash)) else { return Ok(None) };
    let secret = open_secret(&state.settings, &factor.secret)?;
    let totp = super::totp::generator(&secret, &state.settings.brand, &account.itscom_id)
        .ok_or_else(|| AppError::internal("a stored TOTP secret does not decode"))?;
    let label = super::texts::t().setup_qr_label;
    let uri = totp.get_url();
    let qr_svg = crate::ssr::qr::svg(&uri, label, "two-step-qr").map_err(AppError::internal)?;
    Ok(Some(TwoStepSetup { key: super::totp::grouped(&secret), qr_svg, uri }))
}

/// At start-up: this process's `SEAL_KEY` opens the app secrets stored, or the process
/// must not serve. One started with another key behind the load balancer could check
/// no customer's code (each answered as not available: its log says why) until someone
/// noticed. Tried on the factors in force most recently turned on: refused only when
/// it opens none of them, so that a few sealed by a process that had another key (one
/// that started before any secret was stored) do not hold the cluster's key out.
/// Without a key, or with no factor in force yet, there is nothing to try (the
/// configuration's warnings name a missing key).
#[cfg(feature = "ssr")]
pub async fn check_seal_key(
    db: &crate::ssr::db::Db,
    settings: &crate::ssr::config::Settings,
) -> Result<(), String> {
    let Some(key) = settings.seal_key.as_ref() else { return Ok(()) };
    let newest = async {
        let mut conn = db.conn().await?;
        super::store::newest_sealed_secrets(&mut conn, 20).await
    };
    let sealed = newest.await.map_err(|e| format!("database: {e}"))?;
    let opens = |s: &String| crate::ssr::crypto::open_with(key.expose(), s).is_some();
    if sealed.is_empty() || sealed.iter().any(opens) {
        return Ok(());
    }
    Err("configuration error in SEAL_KEY: it opens none of the two-step secrets stored in the database \
         (every process of the cluster needs the same key)"
        .into())
}

/// The app's secret, opened with the server's key.
#[cfg(feature = "ssr")]
fn open_secret(settings: &crate::ssr::config::Settings, sealed: &str) -> Result<String, AppError> {
    let key = settings.seal_key.as_ref().ok_or(AppError::ServiceUnavailable)?;
    crate::ssr::crypto::open_with(key.expose(), sealed).ok_or_else(|| {
        // The customer is told the procedure is not available; the operator, why.
        tracing::error!("a TOTP secret does not open with SEAL_KEY: is it the cluster's key?");
        AppError::ServiceUnavailable
    })
}

/// `設定する`: the first code of the app turns two-step verification on, and 10
/// recovery codes are made, to be shown once.
#[server(endpoint = "security/two-step/confirm")]
pub async fn confirm_two_step(otp: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::TWO_STEP, turn_on(otp)).await
}

#[cfg(feature = "ssr")]
async fn turn_on(code: String) -> crate::ssr::Answer {
    use crate::domain::two_step::SecondFactor;
    use crate::domain::FieldError;
    use crate::ssr::auth::throttle;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let code = match SecondFactor::parse(&code).map_err(|e| AppError::invalid("otp", e))? {
        SecondFactor::Totp(c) => c,
        SecondFactor::Recovery(_) => return Err(AppError::invalid("otp", FieldError::InvalidFormat).into()),
    };
    // The account's row first, as a security change takes it before it ends the
    // sessions and the setups waiting with them: a reset completing meanwhile leaves no
    // setup to confirm.
    let mut tx = state.db.begin().await?;
    crate::ssr::db::customers::lock_account(&mut tx, &account.account_id).await?;
    let factor = super::store::factor(&mut tx, &account.account_id).await?;
    let Some(factor) = factor.and_then(|f| f.pending_in(&account.session_hash)) else {
        return crate::ssr::refuse(super::routes::SECURITY, AppError::FlowExpired);
    };
    // Counted where the session's other codes are: its browser's budget.
    let budget =
        crate::features::login::session_budget(&mut tx, &account.account_id, &account.itscom_id).await?;
    if !throttle::reserve(&mut tx, budget.policy, &budget.subject, t).await?.go() {
        return Err(AppError::TooManyAttempts.into());
    }
    let secret = open_secret(&state.settings, &factor.secret)?;
    let step = super::totp::generator(&secret, &state.settings.brand, &account.itscom_id)
        .and_then(|totp| super::totp::matched_step(&totp, &code, t));
    let Some(step) = step else {
        tx.commit().await?; // the reserved attempt stays counted
        return Err(AppError::invalid("otp", FieldError::Mismatch).into());
    };
    throttle::reset(&mut tx, budget.policy, &budget.subject).await?;
    if !super::store::enable(&mut tx, &account.account_id, &account.session_hash, &factor.secret, step, t)
        .await?
    {
        return crate::ssr::refuse(super::routes::SECURITY, AppError::FlowExpired);
    }
    new_codes(&mut tx, &state.settings, &account.account_id).await?;
    changed(
        &mut tx,
        &account.account_id,
        crate::ssr::events::Event::TwoStepEnabled,
        |w| w.done_two_step_on,
        t,
    )
    .await?;
    // The sessions that logged in without it end, and the changes waiting for a mailed
    // link: one with a stolen password (the reason to turn it on) could otherwise go on
    // changing the contact address, or finish a change it had started. (This session
    // keeps its token: a double click's second request, sent with it, is not logged out.)
    let ended = sign_out_others(&mut tx, &account, Record::WhenAny, t).await?;
    crate::features::cancel_pending(&mut tx, &account.account_id, t).await?;
    tx.commit().await?;
    Ok(super::routes::recovery_codes(ended))
}

/// A new set of recovery codes in `tx`: stored hashed; their text sealed with a key
/// only this browser holds (a cookie) until their page shows them once.
#[cfg(feature = "ssr")]
async fn new_codes(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
) -> Result<(), AppError> {
    let seal_key = settings.seal_key.as_ref().ok_or(AppError::ServiceUnavailable)?;
    let codes = super::totp::new_recovery_codes();
    let hashes: Vec<String> =
        codes.iter().map(|c| super::totp::recovery_mac(seal_key.expose(), account_id, c)).collect();
    let (key, sealed) = crate::ssr::crypto::seal(&codes.join(" "));
    if !super::store::replace_codes(tx, account_id, &hashes, &sealed).await? {
        return Err(AppError::FlowExpired); // turned off meanwhile, in another tab
    }
    crate::ssr::auth::set_cookie(&crate::ssr::auth::one_time_key_cookie(settings, CODES_COOKIE, &key, 600));
    Ok(())
}

/// The event of a change to the sign-in settings, and the mail that tells the contact
/// address (and, for 7 days after a change, the ones before), in `tx`.
#[cfg(feature = "ssr")]
async fn changed(
    tx: &mut crate::ssr::db::Conn,
    account_id: &str,
    event: crate::ssr::events::Event,
    what: fn(&'static super::texts::SecurityTexts) -> &'static str,
    t: i64,
) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let mail = |locale, to: &str| {
        super::mail::sign_in_changed(&state.settings, locale, to, what(super::texts::of(locale)), t)
    };
    Ok(crate::ssr::events::notify_account(tx, event, account_id, mail, t).await?)
}

/// The recovery codes just made, once (printed form); None once shown, or for another
/// browser.
#[server(endpoint = "security/two-step/codes")]
pub async fn get_recovery_codes() -> Result<Option<super::RecoveryCodes>, AppError> {
    use crate::ssr::auth;
    let account = auth::require_login().await?;
    // Not kept by the browser's cache: Back must not bring the codes back.
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let Some(key) = auth::request_cookie(CODES_COOKIE) else { return Ok(None) };
    let mut conn = state.db.conn().await?;
    let Some(sealed) =
        super::store::factor(&mut conn, &account.account_id).await?.and_then(|f| f.codes_sealed)
    else {
        return Ok(None);
    };
    let Some(text) = crate::ssr::crypto::open(&key, &sealed) else { return Ok(None) };
    if !super::store::take_sealed_codes(&mut conn, &account.account_id, &sealed).await? {
        return Ok(None);
    }
    auth::set_cookie(&auth::one_time_key_cookie(&state.settings, CODES_COOKIE, "", 0));
    Ok(Some(super::RecoveryCodes {
        codes: text.split(' ').map(crate::domain::two_step::print_recovery).collect(),
        itscom_id: account.itscom_id,
        shown_at: crate::ssr::now(),
    }))
}

/// `server two-step-off --customer NO`: the support centre, having confirmed who is
/// calling, takes the second factors off customer NO's account (two-step verification
/// with its recovery codes, and the passkeys). For a customer who lost the phone and
/// the recovery codes, or whose account someone with her password set a factor on
/// (after she reset the password by mail): the way back was a re-registration held 72
/// hours. Every session, pending change and known browser ends with them, as at a
/// security change; the event is recorded and the contact address told. Whether there
/// were any (None: the customer has no account).
#[cfg(feature = "ssr")]
pub async fn removed_by_support(
    db: &crate::ssr::db::Db,
    settings: &crate::ssr::config::Settings,
    customer_no: &str,
    now: i64,
) -> Result<Option<bool>, AppError> {
    use crate::ssr::events::Event;
    let mut tx = db.begin().await?;
    let account = crate::features::registration::store::customer_account(&mut tx, customer_no).await?;
    let Some(account_id) = account else { return Ok(None) };
    crate::ssr::db::customers::lock_account(&mut tx, &account_id).await?;
    // A setup never confirmed is no factor: with nothing else, nothing is done.
    let on = super::store::two_step_on(&mut tx, &account_id).await?;
    super::store::remove(&mut tx, &account_id).await?;
    let removed = on | (super::store::delete_passkeys(&mut tx, &account_id).await? > 0);
    if !removed {
        return Ok(Some(false));
    }
    crate::features::end_for_security(&mut tx, &account_id, now).await?;
    let mail = |locale, to: &str| {
        let what = super::texts::of(locale).changed_by_support;
        super::mail::sign_in_changed(settings, locale, to, what, now)
    };
    crate::ssr::events::notify_account(&mut tx, Event::FactorsRemovedBySupport, &account_id, mail, now)
        .await?;
    tx.commit().await?;
    Ok(Some(true))
}

/// `2段階認証を解除する`: the password and a code (or a recovery code).
#[server(endpoint = "security/two-step/off")]
pub async fn disable_two_step(password: Option<String>, otp: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, with_both_factors(password, otp, false)).await
}

/// `リカバリーコードを作り直す`: the password and a code; the old codes stop working.
#[server(endpoint = "security/two-step/renew")]
pub async fn renew_recovery_codes(password: Option<String>, otp: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, with_both_factors(password, otp, true)).await
}

/// Turns two-step verification off, or (`renew`) makes new recovery codes, after the
/// password and a code.
#[cfg(feature = "ssr")]
async fn with_both_factors(password: Option<String>, code: String, renew: bool) -> crate::ssr::Answer {
    use crate::ssr::events::Event;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut tx = code_first(&state, &account, Some(password), &code, t).await?;
    if renew {
        new_codes(&mut tx, &state.settings, &account.account_id).await?;
        changed(&mut tx, &account.account_id, Event::RecoveryCodesRenewed, |w| w.changed_codes_renewed, t)
            .await?;
        tx.commit().await?;
        return Ok(super::routes::RECOVERY_CODES.to_string());
    }
    super::store::remove(&mut tx, &account.account_id).await?;
    changed(&mut tx, &account.account_id, Event::TwoStepDisabled, |w| w.done_two_step_off, t).await?;
    tx.commit().await?;
    Ok(super::routes::done("two_step_off", "two-step"))
}

/// A transaction for a change of the sign-in settings that asks for a code. The code's
/// attempt of the login budget is reserved first, on its own ([`reserve_code_attempt`];
/// with `password`, `Some`, the password's attempt stands for it: kept until the code
/// passes, as were the password to forgive it the wrong codes before would be wiped).
/// Then the account's row is taken (as a login takes it first) and the code spent
/// ([`spend_code`]).
#[cfg(feature = "ssr")]
async fn code_first(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    password: Option<Option<String>>,
    code: &str,
    t: i64,
) -> Result<crate::ssr::db::Tx, AppError> {
    // The session's changes count where the password asked again does: in its
    // browser's budget (under the ID from a browser the account does not know).
    let (budget, factor) = match password {
        Some(password) => {
            let budget = crate::ssr::auth::password_first_of_two(&state.db, account, password, t).await?;
            let factor = parse_code(code)?;
            let mut conn = state.db.conn().await?;
            if let Err(refused) = reserve_strangers_code(&mut conn, &account.account_id, &budget, t).await {
                // The code is not checked: the right password's attempt goes back.
                crate::ssr::auth::throttle::forgive(&mut conn, budget.policy, &budget.subject).await?;
                return Err(refused);
            }
            (budget, factor)
        }
        None => {
            let factor = parse_code(code)?;
            let mut conn = state.db.conn().await?;
            let budget =
                crate::features::login::session_budget(&mut conn, &account.account_id, &account.itscom_id)
                    .await?;
            reserve_code_attempt(&mut conn, &account.account_id, &budget, t).await?;
            (budget, factor)
        }
    };
    let mut tx = state.db.begin().await?;
    crate::ssr::db::customers::lock_account(&mut tx, &account.account_id).await?;
    // The same change sent twice at once (a double click without JavaScript): the other
    // request turned two-step verification off while this one waited for the account.
    // Its code, right a moment ago, is no wrong code (recorded and counted as a guess).
    if !super::store::two_step_on(&mut tx, &account.account_id).await? {
        drop(tx);
        give_back_code_attempt(state, &account.account_id, &budget, t).await;
        return Err(AppError::FlowExpired);
    }
    // The app's right code of a step already used is the session's own, sent again (a
    // double click on リカバリーコードを作り直す without JavaScript): no guess.
    let spent =
        spend_code(tx, state, (&account.account_id, &account.itscom_id), &budget, (factor, Used::Refused), t);
    Ok(spent.await?.0)
}

/// The code typed at a second step, read: a malformed one is refused before it costs
/// an attempt.
#[cfg(feature = "ssr")]
fn parse_code(raw: &str) -> Result<crate::domain::two_step::SecondFactor, AppError> {
    crate::domain::two_step::SecondFactor::parse(raw).map_err(|e| AppError::invalid("otp", e))
}

/// The account's wrong codes from anywhere but its own browsers (a stranger's browser
/// at login, or a session's change from one), in a row: 10 free, then each waits a
/// minute longer, at most an hour. Only a right code it counted (from such a browser)
/// opens it again; one from the owner's own browser does not. A password reset opens the
/// login's budgets (a customer who forgot her password must get back in), so before,
/// someone who read the contact mailbox could reset, log in, guess a few codes and reset
/// again, far past the lock at 100. No lock for good: a stranger who has the password
/// must not lock the owner out of her own codes (her browsers are not counted here).
#[cfg(feature = "ssr")]
pub const STRANGERS_CODES: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::in_a_row("two-step-strangers", None).free(10).then_wait(60, 3600);

/// A code's attempt of the login budget `budget` (and, from a browser the account does
/// not know, of [`STRANGERS_CODES`]), reserved before the code is checked and committed
/// on its own: nothing that fails after it gives the attempt back; only the right code
/// forgives it.
#[cfg(feature = "ssr")]
async fn reserve_code_attempt(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    budget: &crate::features::login::Budget,
    t: i64,
) -> Result<(), AppError> {
    use crate::ssr::auth::throttle;
    reserve_strangers_code(conn, account_id, budget, t).await?;
    match code_verdict(throttle::reserve(conn, budget.policy, &budget.subject, t).await?) {
        Ok(()) => Ok(()),
        Err(refused) => {
            if budget.is_the_ids() {
                throttle::forgive(conn, &STRANGERS_CODES, account_id).await?;
            }
            Err(refused)
        }
    }
}

/// A code's attempt of [`STRANGERS_CODES`] when `budget` is the typed ID's (a browser
/// the account does not know, at login or in a session).
#[cfg(feature = "ssr")]
async fn reserve_strangers_code(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    budget: &crate::features::login::Budget,
    t: i64,
) -> Result<(), AppError> {
    use crate::ssr::auth::throttle;
    if !budget.is_the_ids() {
        return Ok(());
    }
    code_verdict(throttle::reserve(conn, &STRANGERS_CODES, account_id, t).await?)
}

#[cfg(feature = "ssr")]
fn code_verdict(verdict: crate::ssr::auth::throttle::Verdict) -> Result<(), AppError> {
    use crate::ssr::auth::throttle::Verdict;
    match verdict {
        Verdict::Go => Ok(()),
        Verdict::Locked => Err(AppError::Locked),
        Verdict::Wait { .. } => Err(AppError::TooManyAttempts),
    }
}

/// What the app's right code of a time step already used is.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Used {
    /// A wrong code, recorded and counted (at login: someone typed a code seen before).
    Wrong,
    /// Refused as used (`otp.used`), neither recorded nor counted: a session's change
    /// sent again (a double click without JavaScript), no guess.
    Refused,
}

/// The code typed at a second step, its attempt reserved, as the first spending of
/// `tx`, which goes on to what the code allows (a session, a change) and commits the
/// two together: when that fails, the code was not spent and can be typed again (a
/// recovery code is not lost). A wrong code is committed (its record, and the notice of
/// the lock at 100 in a row) and refused; the app's code of a time step already used is
/// as [`Used`] says (refused as used: its attempt given back). With `tx`, what the code
/// proved ([`Proof::kept`]).
#[cfg(feature = "ssr")]
async fn spend_code(
    mut tx: crate::ssr::db::Tx,
    state: &crate::ssr::AppState,
    account: (&str, &str),
    budget: &crate::features::login::Budget,
    (factor, used): (crate::domain::two_step::SecondFactor, Used),
    t: i64,
) -> Result<(crate::ssr::db::Tx, String), AppError> {
    use crate::domain::FieldError;
    match check_second_factor(&mut tx, state, account, budget, (factor, used), t).await {
        Ok(proof) => Ok((tx, proof)),
        Err(used @ AppError::Invalid { error: FieldError::Used, .. }) => {
            drop(tx);
            give_back_code_attempt(state, account.0, budget, t).await;
            Err(used)
        }
        Err(wrong @ AppError::Invalid { .. }) => {
            tx.commit().await?;
            Err(wrong)
        }
        Err(AppError::ServiceUnavailable) => {
            // This process cannot check the code (its SEAL_KEY opens no secret): the
            // attempt goes back, or retries against a misconfigured process would
            // lock the login with no one told. (A wrong code whose record fails counts.)
            drop(tx);
            give_back_code_attempt(state, account.0, budget, t).await;
            Err(AppError::ServiceUnavailable)
        }
        Err(failed) => Err(failed),
    }
}

/// The attempt [`reserve_code_attempt`] took, given back when the code could not be
/// checked at all; best effort (with the database away it stays counted). A wrong code
/// whose record fails still counts.
#[cfg(feature = "ssr")]
async fn give_back_code_attempt(
    state: &crate::ssr::AppState,
    account_id: &str,
    budget: &crate::features::login::Budget,
    t: i64,
) {
    use crate::ssr::auth::throttle;
    let given = async {
        let mut conn = state.db.conn().await?;
        if budget.is_the_ids() {
            throttle::forgive(&mut conn, &STRANGERS_CODES, account_id).await?;
        }
        throttle::forgive(&mut conn, budget.policy, &budget.subject).await
    };
    if let Err(e) = given.await {
        tracing::warn!(error = %e, at = t, "a code's attempt could not be given back");
    }
}

/// A second step's code (the app's, a step not used before; or a recovery code, once),
/// its attempt of `budget` (consecutive failures) reserved: a wrong one is recorded and
/// counts toward the lock at 100 in a row; a right one forgives the count. The app's
/// right code of a step already used is as [`Used`] says.
#[cfg(feature = "ssr")]
async fn check_second_factor(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    (account_id, itscom_id): (&str, &str),
    budget: &crate::features::login::Budget,
    (factor, used): (crate::domain::two_step::SecondFactor, Used),
    t: i64,
) -> Result<String, AppError> {
    use crate::domain::two_step::SecondFactor;
    use crate::domain::FieldError;
    use crate::ssr::auth::throttle;
    let client = crate::ssr::auth::client_address();
    let passed = match factor {
        SecondFactor::Totp(code) => match app_step(conn, state, (account_id, itscom_id), &code, t).await? {
            Some(step) if super::store::take_step(conn, account_id, step).await? => Some(Proof::Step(step)),
            Some(_) if used == Used::Refused => return Err(AppError::invalid("otp", FieldError::Used)),
            _ => None,
        },
        SecondFactor::Recovery(code) => {
            let [keyed, legacy] = recovery_digests(state, account_id, &code)?;
            let used = super::store::use_code(conn, account_id, [keyed.as_str(), legacy.as_str()], t).await?;
            used.then_some(Proof::Recovery(keyed))
        }
    };
    let Some(proof) = passed else {
        crate::features::login::failed_login(
            conn,
            state,
            crate::ssr::events::Event::TwoStepFailed,
            Some(account_id),
            &budget.row(),
            &client,
            t,
        )
        .await?;
        return Err(AppError::invalid("otp", FieldError::Mismatch));
    };
    throttle::reset(conn, budget.policy, &budget.subject).await?;
    // Opened by a right code it counted only: the owner's login from her own browser
    // is no proof that the strangers stopped (it gave them ten more free guesses).
    if budget.is_the_ids() {
        throttle::reset(conn, &STRANGERS_CODES, account_id).await?;
    }
    Ok(proof.kept())
}

/// What a second step's code proved: the app's time step, or a recovery code (its
/// digest). A completed login keeps it ([`Proof::kept`]) for the same code sent again.
#[cfg(feature = "ssr")]
enum Proof {
    Step(i64),
    Recovery(String),
}

#[cfg(feature = "ssr")]
impl Proof {
    fn kept(self) -> String {
        match self {
            Proof::Step(step) => format!("totp:{step}"),
            Proof::Recovery(keyed) => format!("recovery:{keyed}"),
        }
    }
}

/// The time step the account's app shows `code` at, if it is right now (the window's
/// steps either side allowed).
#[cfg(feature = "ssr")]
async fn app_step(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    (account_id, itscom_id): (&str, &str),
    code: &str,
    t: i64,
) -> Result<Option<i64>, AppError> {
    let Some(f) = super::store::factor(conn, account_id).await?.filter(|f| f.enabled_at.is_some()) else {
        return Ok(None);
    };
    let secret = open_secret(&state.settings, &f.secret)?;
    Ok(super::totp::generator(&secret, &state.settings.brand, itscom_id)
        .and_then(|totp| super::totp::matched_step(&totp, code, t)))
}

/// A recovery code's two digests as stored: keyed by `SEAL_KEY`, and the older unkeyed one.
#[cfg(feature = "ssr")]
fn recovery_digests(
    state: &crate::ssr::AppState,
    account_id: &str,
    code: &str,
) -> Result<[String; 2], AppError> {
    let seal_key = state.settings.seal_key.as_ref().ok_or(AppError::ServiceUnavailable)?;
    Ok([
        super::totp::recovery_mac(seal_key.expose(), account_id, code),
        super::totp::recovery_hash(account_id, code),
    ])
}

/// What a second step's code proves, as a completed login keeps it: the app's time step
/// it matches now, or the recovery code's digest; None for an app code that matches no
/// step. Nothing is counted or written.
#[cfg(feature = "ssr")]
async fn proof_of(
    conn: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    account: (&str, &str),
    factor: &crate::domain::two_step::SecondFactor,
    t: i64,
) -> Result<Option<String>, AppError> {
    use crate::domain::two_step::SecondFactor;
    Ok(match factor {
        SecondFactor::Totp(code) => {
            app_step(conn, state, account, code, t).await?.map(|s| Proof::Step(s).kept())
        }
        SecondFactor::Recovery(code) => {
            let [keyed, _] = recovery_digests(state, account.0, code)?;
            Some(Proof::Recovery(keyed).kept())
        }
    })
}

/// How long after a login completed the same code, sent again by its browser, logs that
/// browser in too (once).
#[cfg(feature = "ssr")]
const SENT_AGAIN_SECS: i64 = 30;

/// A wrong code at a login whose password was right: the password may be known to
/// someone else, so the contact address is told (once a day at most: a claim in the
/// throttle table, so that two processes do not both tell). Before, nothing was said
/// until a hundred wrong codes in a row locked the login.
#[cfg(feature = "ssr")]
async fn tell_password_known(state: &crate::ssr::AppState, account_id: &str, t: i64) -> Result<(), AppError> {
    use crate::ssr::auth::throttle;
    let mut tx = state.db.begin().await?;
    if !throttle::reserve(&mut tx, &PASSWORD_KNOWN_NOTICE, account_id, t).await?.go() {
        return Ok(());
    }
    let place = crate::ssr::auth::browser_summary();
    let mail = |locale, to: &str| super::mail::password_known(&state.settings, locale, to, t, &place);
    crate::ssr::db::customers::notify(&mut tx, account_id, "security.password_known", mail, t).await?;
    tx.commit().await?;
    Ok(())
}

/// The notice of a right password with a wrong code: once a day per account.
#[cfg(feature = "ssr")]
const PASSWORD_KNOWN_NOTICE: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("password-known-notice", 86_400)
        .free(1)
        .then_wait(86_400, 86_400);

/// A login whose password was right, for an account with two-step verification: it
/// waits (five minutes, its own cookie) for the second step; no session yet.
#[cfg(feature = "ssr")]
pub(crate) async fn await_second_step(
    conn: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    next: &str,
    t: i64,
) -> Result<String, AppError> {
    use crate::ssr::auth;
    let token = auth::random_token();
    super::store::open_challenge(conn, &auth::sha256_hex(&token), account_id, t, t + CHALLENGE_SECS).await?;
    auth::set_cookie(&auth::cookie(settings, CHALLENGE_COOKIE, &token, Some(CHALLENGE_SECS), true));
    Ok(super::routes::login_two_step(next))
}

/// Whether this browser has a login waiting for its second step.
#[server(endpoint = "login/two-step/state")]
pub async fn get_login_step() -> Result<bool, AppError> {
    let Some(token) = crate::ssr::auth::request_cookie(CHALLENGE_COOKIE) else { return Ok(false) };
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    let hash = crate::ssr::auth::sha256_hex(&token);
    Ok(super::store::challenge_account(&mut conn, &hash, crate::ssr::now()).await?.is_some())
}

/// The login's second step: the app's code or a recovery code. A right one starts the
/// session (a two-step login) and goes on to `next`.
#[server(endpoint = "login/two-step")]
pub async fn login_second_step(otp: String, next: Option<String>) -> Result<String, AppError> {
    let next = crate::domain::redirect::safe_next(next.as_deref());
    let page = super::routes::login_two_step(&next);
    crate::ssr::respond(&page, finish_login(otp, next)).await
}

#[cfg(feature = "ssr")]
async fn finish_login(code: String, next: String) -> crate::ssr::Answer {
    use crate::features::login::start_session_in;
    use crate::ssr::auth::{self, session::Method, throttle};
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let client = auth::client_address();
    let token = auth::request_cookie(CHALLENGE_COOKIE).unwrap_or_default();
    let hash = auth::sha256_hex(&token);
    let mut conn = state.db.conn().await?;
    // A login completed already is read too: the same code sent again (below).
    let account = match super::store::challenge(&mut conn, &hash, t).await? {
        Some(c) => crate::features::login::account_by_id(&mut conn, &c.account_id).await?,
        None => None,
    };
    let Some(account) = account else {
        return Err(AppError::FlowExpired.into());
    };
    if !throttle::reserve(&mut conn, &throttle::LOGIN_CLIENT, &client, t).await?.go() {
        return Err(AppError::TooManyAttempts.into());
    }
    let factor = parse_code(&code)?;
    let by_recovery_code = matches!(factor, crate::domain::two_step::SecondFactor::Recovery(_));
    let method = if by_recovery_code { Method::RecoveryCode } else { Method::TwoStep };
    // The code counts where the password did: a browser the account knows, in its own
    // budget (a lock strangers put on the ID holds it at neither step); any other,
    // under the ID.
    let id_key = crate::domain::ItscomId::key_of_raw(&account.itscom_id);
    let budget = crate::features::login::login_budget(&mut conn, Some(&account.id), &id_key).await?;
    reserve_code_attempt(&mut conn, &account.id, &budget, t).await?;
    drop(conn);
    // The account's row first, as a login and a change of the sign-in settings take it;
    // the code, the waiting login and the session are one transaction: when the session
    // cannot start, the code is not spent and the login still waits for it.
    let mut tx = state.db.begin().await?;
    crate::ssr::db::customers::lock_account(&mut tx, &account.id).await?;
    // The same login sent twice (a double click before the page's script runs, an
    // autofill that submits): the other request completed it, before this one came or
    // while it waited for the account. Its code, right and now used, was no wrong code
    // (counted, recorded and mailed as the password's being known); the very proof the
    // other spent (the same time step, the same recovery code), within
    // [`SENT_AGAIN_SECS`] and once, logs this request's browser in too. It was told the
    // login had expired: the browser may have dropped the other's answer, and its code,
    // typed again at a new login, was refused as used. Any other code is refused here,
    // its attempt counted.
    match super::store::challenge(&mut tx, &hash, t).await? {
        Some(c) if c.completed_at.is_none() => {}
        found => {
            let completed = found.is_some();
            // A process that cannot check the code (its SEAL_KEY) takes none, and counts none.
            let proof = proof_of(&mut tx, &state, (&account.id, &account.itscom_id), &factor, t).await;
            let again = match &proof {
                Ok(Some(proof)) if completed => {
                    super::store::take_completed(&mut tx, &hash, proof, t - SENT_AGAIN_SECS, t).await?
                }
                _ => false,
            };
            let started = match again {
                true => Some(start_session_in(&mut tx, &state, &account, &client, t, method).await?),
                false => None,
            };
            tx.commit().await?;
            if again || !completed || proof.is_err() {
                give_back_code_attempt(&state, &account.id, &budget, t).await;
            }
            proof?;
            let started = started.ok_or(AppError::FlowExpired)?;
            auth::set_cookie(&auth::cookie(&state.settings, CHALLENGE_COOKIE, "", Some(0), true));
            started.hand_over(&state.settings);
            return Ok(next);
        }
    }
    let spent = spend_code(tx, &state, (&account.id, &account.itscom_id), &budget, (factor, Used::Wrong), t);
    // With what the code proved, kept with the completed login for the same code sent again.
    let (mut tx, proof) = match spent.await {
        Ok(spent) => spent,
        Err(wrong @ AppError::Invalid { .. }) => {
            tell_password_known(&state, &account.id, t).await?;
            return Err(wrong.into());
        }
        Err(e) => return Err(e.into()),
    };
    if !super::store::close_challenge(&mut tx, &hash, &proof, t).await? {
        return Err(AppError::FlowExpired.into());
    }
    let started = start_session_in(&mut tx, &state, &account, &client, t, method).await?;
    if by_recovery_code {
        tell_recovery_code_used(&mut tx, &state.settings, &account.id, t).await?;
    }
    tx.commit().await?;
    auth::set_cookie(&auth::cookie(&state.settings, CHALLENGE_COOKIE, "", Some(0), true));
    started.hand_over(&state.settings);
    Ok(next)
}

/// A login by a recovery code is told to the contact address, with the codes left: the
/// owner's phone may be lost, or someone else has her codes. (The login's own mail goes
/// to a new browser only.)
#[cfg(feature = "ssr")]
async fn tell_recovery_code_used(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    t: i64,
) -> Result<(), sqlx::Error> {
    let left = super::store::codes_left(tx, account_id).await?;
    let mail = |locale, to: &str| super::mail::recovery_code_used(settings, locale, to, left, t);
    crate::ssr::db::customers::notify(tx, account_id, "security.recovery_code_used", mail, t).await
}

/// セキュリティ履歴: a page of the account's own events of the last 12 months.
#[server(endpoint = "security/activity")]
pub async fn get_activity(kind: String, page: u32) -> Result<Activity, AppError> {
    use super::{ActivityEntry, ActivityFilter, ACTIVITY_DAYS, ACTIVITY_PAGE};
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let filter = ActivityFilter::from_code(&kind);
    let page = page.min(1_000);
    let kinds: Vec<&str> = match filter {
        ActivityFilter::All => ActivityFilter::ALL.iter().flat_map(|f| f.kinds().iter().copied()).collect(),
        f => f.kinds().to_vec(),
    };
    let since = crate::ssr::now() - ACTIVITY_DAYS * 86_400;
    let mut conn = state.db.conn().await?;
    let limit = i64::from(ACTIVITY_PAGE) + 1;
    let offset = i64::from(page) * i64::from(ACTIVITY_PAGE);
    let mut rows = super::store::events(&mut conn, &account.account_id, since, &kinds, limit, offset).await?;
    let has_older = rows.len() > ACTIVITY_PAGE as usize;
    rows.truncate(ACTIVITY_PAGE as usize);
    let entries = rows
        .into_iter()
        .map(|r| {
            let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
            ActivityEntry {
                // A browser the parser could not name at all is left out.
                browser: detail
                    .get("browser")
                    .and_then(|b| b.as_str())
                    .filter(|b| *b != "? / ?")
                    .map(str::to_owned),
                from: crate::domain::two_step::shorten_client(&r.client),
                kind: r.kind,
                at: r.created_at,
            }
        })
        .collect();
    Ok(Activity { entries, page, has_older, filter })
}

/// `パスキーを登録する`, its start (called by the page's script): the options for the
/// browser's `navigator.credentials.create()`, as JSON; the ceremony's state waits in
/// the database (the password again after 5 minutes). With two-step verification on,
/// a code too, however recent the login: a passkey logs in alone, without the password
/// or a code, and outlives a password reset, so a stolen session must not be able to
/// add one with the password only. Started again by the session that proved a code
/// for this browser's ceremony while it is open (the browser's prompt cancelled or
/// failed), that code stands for the rest of the ceremony's 5 minutes: a code is taken
/// once, so asking for it again would refuse the right one (as used). The open ceremony is read, and replaced only once the checks have passed.
#[server(endpoint = "security/passkey/register/start")]
pub async fn passkey_register_start(
    password: Option<String>,
    otp: Option<String>,
) -> Result<String, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let open = super::store::ceremony(&mut conn, &ceremony_of_browser(), "register", t)
        .await?
        .filter(|c| c.account_id.as_deref() == Some(account.account_id.as_str()))
        .filter(|c| c.code_session.as_deref() == Some(account.session_hash.as_str()));
    let until = open.as_ref().map_or(t + super::passkey::CEREMONY_SECS, |c| c.expires_at);
    let code_asked = open.is_none() && super::store::two_step_on(&mut conn, &account.account_id).await?;
    // A code is spent with the ceremony it opens (one transaction): when that fails, the
    // code can be typed again.
    let mut tx = if code_asked {
        let code = otp.unwrap_or_default();
        if code.trim().is_empty() {
            return Err(AppError::invalid("otp", crate::domain::FieldError::Required));
        }
        drop(conn);
        let password = crate::ssr::auth::needs_password(&account, t).then_some(password);
        code_first(&state, &account, password, &code, t).await?
    } else {
        drop(conn);
        crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
        state.db.begin().await?
    };
    let code_proved = open.is_some() || code_asked;
    let rp = super::passkey::relying_party(&state.settings)?;
    let existing = super::store::passkeys(&mut tx, &account.account_id).await?;
    let exclude = existing
        .iter()
        .filter_map(|p| serde_json::from_str::<webauthn_rs::prelude::Passkey>(&p.passkey).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let user = super::passkey::user_handle(&account.account_id);
    let (options, registration) = rp
        .start_passkey_registration(user, &account.itscom_id, &account.itscom_id, Some(exclude))
        .map_err(|e| AppError::internal(format!("passkey registration start: {e}")))?;
    // A passkey logs in without an ID typed: the credential must be discoverable.
    let mut options = serde_json::to_value(&options).map_err(AppError::internal)?;
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
    let saved = serde_json::to_string(&registration).map_err(AppError::internal)?;
    // This browser's earlier ceremony (its prompt cancelled) is replaced: the one read
    // above, when it stood for the code, or none was asked. Finished meanwhile (a
    // passkey added with it), it proves nothing more: one code, one passkey.
    let taken = take_ceremony(&mut tx, "register", t).await?;
    if open.as_ref().is_some_and(|o| taken.as_ref().map(|c| &c.state) != Some(&o.state)) {
        return Err(AppError::FlowExpired);
    }
    let owner = (Some(account.account_id.as_str()), code_proved.then_some(account.session_hash.as_str()));
    let cookie = open_ceremony(&mut tx, &state.settings, owner, "register", &saved, (t, until)).await?;
    tx.commit().await?;
    crate::ssr::auth::set_cookie(&cookie);
    Ok(options.to_string())
}

/// A ceremony's state kept for its finish, from `t` until `until`: the cookie that
/// names it in this browser, to be set once `conn` has committed it.
#[cfg(feature = "ssr")]
async fn open_ceremony(
    conn: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    owner: (Option<&str>, Option<&str>),
    kind: &str,
    saved: &str,
    (t, until): (i64, i64),
) -> Result<String, AppError> {
    use super::passkey::CEREMONY_COOKIE;
    use crate::ssr::auth;
    let token = auth::random_token();
    super::store::open_ceremony(conn, &auth::sha256_hex(&token), owner, kind, saved, until).await?;
    Ok(auth::cookie(settings, CEREMONY_COOKIE, &token, Some(until - t), true))
}

/// The hash this browser's ceremony is stored under (its cookie's).
#[cfg(feature = "ssr")]
fn ceremony_of_browser() -> String {
    let token = crate::ssr::auth::request_cookie(super::passkey::CEREMONY_COOKIE).unwrap_or_default();
    crate::ssr::auth::sha256_hex(&token)
}

/// This browser's ceremony of `kind`, taken (used once).
#[cfg(feature = "ssr")]
async fn take_ceremony(
    conn: &mut crate::ssr::db::Conn,
    kind: &str,
    t: i64,
) -> Result<Option<super::store::Ceremony>, AppError> {
    Ok(super::store::take_ceremony(conn, &ceremony_of_browser(), kind, t).await?)
}

/// `パスキーを登録する`, its finish: the browser's new credential (JSON), checked against
/// the ceremony this account started; saved with the browser's name. Where to go next.
#[server(endpoint = "security/passkey/register/finish")]
pub async fn passkey_register_finish(credential: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, add_passkey(credential)).await
}

#[cfg(feature = "ssr")]
async fn add_passkey(credential: String) -> crate::ssr::Answer {
    use crate::ssr::events::Event;
    use crate::ssr::OnUnique;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut tx = state.db.begin().await?;
    let Some(super::store::Ceremony { account_id: Some(owner), state: saved, .. }) =
        take_ceremony(&mut tx, "register", t).await?
    else {
        return Err(AppError::FlowExpired.into());
    };
    if owner != account.account_id {
        return Err(AppError::FlowExpired.into());
    }
    let registration: webauthn_rs::prelude::PasskeyRegistration =
        serde_json::from_str(&saved).map_err(AppError::internal)?;
    let response: webauthn_rs::prelude::RegisterPublicKeyCredential =
        serde_json::from_str(&credential).map_err(|_| AppError::BadRequest)?;
    let rp = super::passkey::relying_party(&state.settings)?;
    let passkey = rp.finish_passkey_registration(&response, &registration).map_err(|e| {
        tracing::info!(error = %e, "a passkey registration was refused");
        AppError::VerificationFailed
    })?;
    let credential_id = super::passkey::credential_key(passkey.cred_id().as_ref());
    let name = crate::ssr::auth::browser_summary();
    let json = serde_json::to_string(&passkey).map_err(AppError::internal)?;
    super::store::insert_passkey(&mut tx, &account.account_id, &credential_id, &json, &name, t)
        .await
        .on_unique(AppError::VerificationFailed)?;
    changed(&mut tx, &account.account_id, Event::PasskeyAdded, |w| w.changed_passkey_added, t).await?;
    tx.commit().await?;
    Ok(super::routes::done("passkey_added", "passkeys"))
}

/// `名前を変更`: the account's passkey `id` gets `name`.
#[server(endpoint = "security/passkey/rename")]
pub async fn rename_passkey(id: String, name: String) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, rename(id, name)).await
}

#[cfg(feature = "ssr")]
async fn rename(id: String, name: String) -> crate::ssr::Answer {
    let account = crate::ssr::auth::require_login().await?;
    let name =
        crate::domain::two_step::passkey_name(&name).map_err(|e| AppError::invalid("passkey_name", e))?;
    let state = crate::ssr::state()?;
    let mut tx = state.db.begin().await?;
    // Not by a session a security change (a reset elsewhere) has just ended.
    crate::ssr::auth::hold_session(&mut tx, &account).await?;
    if !super::store::rename_passkey(&mut tx, &account.account_id, &id, &name).await? {
        return Err(AppError::FlowExpired.into());
    }
    // Recorded (セキュリティ履歴 shows it), not mailed: a name changes no way in.
    let client = crate::ssr::auth::client_address();
    let detail = serde_json::json!({ "browser": crate::ssr::auth::browser_summary() });
    let subject = crate::ssr::events::Subject::signed_in(&account);
    let event = crate::ssr::events::Event::PasskeyRenamed;
    crate::ssr::events::record(&mut tx, event, subject, &client, detail, crate::ssr::now()).await?;
    tx.commit().await?;
    Ok(super::routes::done("passkey_renamed", "passkeys"))
}

/// `削除`: the account's passkey `id` (the password again after 5 minutes).
#[server(endpoint = "security/passkey/delete")]
pub async fn delete_passkey(id: String, password: Option<String>) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::SECURITY, remove_passkey(id, password)).await
}

#[cfg(feature = "ssr")]
async fn remove_passkey(id: String, password: Option<String>) -> crate::ssr::Answer {
    use crate::ssr::events::Event;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
    let mut tx = state.db.begin().await?;
    // The account's row first, and this session still there (see `end_one`).
    crate::ssr::auth::hold_session(&mut tx, &account).await?;
    if !super::store::delete_passkey(&mut tx, &account.account_id, &id).await? {
        return Err(AppError::FlowExpired.into());
    }
    // The sessions it opened on other devices (a lost phone's) end with it, and the
    // changes they started that a mailed link would complete; this one, which removed
    // it with the password, goes on.
    let ended =
        super::store::end_sessions_of_passkey(&mut tx, &account.account_id, &id, &account.session_hash)
            .await?;
    for session in &ended {
        end_started_by(&mut tx, &account.account_id, crate::ssr::flow::Sessions::Only(session), t).await?;
    }
    changed(&mut tx, &account.account_id, Event::PasskeyRemoved, |w| w.done_passkey_removed, t).await?;
    tx.commit().await?;
    let done = if ended.is_empty() { "passkey_removed" } else { "passkey_removed_ended" };
    Ok(super::routes::done(done, "passkeys"))
}

/// `パスキーでログイン`, its start (called by the login page's script): the options for
/// `navigator.credentials.get()` with no credential named (the browser offers the
/// passkeys it holds for this site), as JSON.
#[server(endpoint = "login/passkey/start")]
pub async fn passkey_login_start() -> Result<String, AppError> {
    use crate::ssr::auth::throttle;
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    // Each start writes a row: it spends the client's login budget like a login.
    if !throttle::reserve(&mut conn, &throttle::LOGIN_CLIENT, &crate::ssr::auth::client_address(), t)
        .await?
        .go()
    {
        return Err(AppError::TooManyAttempts);
    }
    let rp = super::passkey::relying_party(&state.settings)?;
    let (mut options, authentication) = rp
        .start_discoverable_authentication()
        .map_err(|e| AppError::internal(format!("passkey login start: {e}")))?;
    // A button press, not the login field's autofill: the browser asks at once.
    options.mediation = None;
    let saved = serde_json::to_string(&authentication).map_err(AppError::internal)?;
    let cookie = open_ceremony(
        &mut conn,
        &state.settings,
        (None, None),
        "login",
        &saved,
        (t, t + super::passkey::CEREMONY_SECS),
    )
    .await?;
    crate::ssr::auth::set_cookie(&cookie);
    serde_json::to_string(&options).map_err(AppError::internal)
}

/// `パスキーでログイン`, its finish: the browser's assertion (JSON). A right one is a
/// full login with two factors (no code asked); the passkey's counter and backup state
/// are saved. Where to go next.
#[server(endpoint = "login/passkey/finish")]
pub async fn passkey_login_finish(credential: String, next: Option<String>) -> Result<String, AppError> {
    let next = crate::domain::redirect::safe_next(next.as_deref());
    let page = crate::features::login::login_url(&next);
    crate::ssr::respond(&page, passkey_login(credential, next)).await
}

#[cfg(feature = "ssr")]
async fn passkey_login(credential: String, next: String) -> crate::ssr::Answer {
    use crate::features::login::start_session_in;
    use crate::ssr::auth::{self, session::Method};
    use crate::ssr::events::{record, Event, Subject};
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let client = auth::client_address();
    let mut conn = state.db.conn().await?;
    let Some(super::store::Ceremony { state: saved, .. }) = take_ceremony(&mut conn, "login", t).await?
    else {
        return Err(AppError::FlowExpired.into());
    };
    let authentication: webauthn_rs::prelude::DiscoverableAuthentication =
        serde_json::from_str(&saved).map_err(AppError::internal)?;
    let response: webauthn_rs::prelude::PublicKeyCredential =
        serde_json::from_str(&credential).map_err(|_| AppError::BadRequest)?;
    let rp = super::passkey::relying_party(&state.settings)?;
    let (user, credential_id) =
        rp.identify_discoverable_authentication(&response).map_err(|_| AppError::InvalidCredentials)?;
    let stored =
        super::store::passkey_of_credential(&mut conn, &super::passkey::credential_key(credential_id))
            .await?;
    // A credential this portal does not know, or one presented under another account's
    // user handle: no login.
    let Some(row) = stored.filter(|r| super::passkey::user_handle(&r.account_id) == user) else {
        record(
            &mut conn,
            Event::PasskeyLoginFailed,
            Subject::Unknown,
            &client,
            serde_json::json!({ "passkey": true }),
            t,
        )
        .await?;
        return Err(AppError::InvalidCredentials.into());
    };
    let mut passkey: webauthn_rs::prelude::Passkey =
        serde_json::from_str(&row.passkey).map_err(AppError::internal)?;
    let result = match rp.finish_discoverable_authentication_v2(&response, authentication, &passkey) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "a passkey assertion was refused");
            let detail = serde_json::json!({ "passkey": true, "browser": auth::browser_summary() });
            record(
                &mut conn,
                Event::PasskeyLoginFailed,
                Subject::Account(&row.account_id),
                &client,
                detail,
                t,
            )
            .await?;
            return Err(AppError::InvalidCredentials.into());
        }
    };
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).map_err(AppError::internal)?;
    // The account as it is before the passkey is taken; then, in one transaction, its
    // row locked as it was read, the passkey taken (still there) and the session
    // started: a re-registration completing meanwhile (it removes the passkeys and
    // changes the password) refuses the login instead of leaving it a session, and a
    // session that cannot start leaves the passkey's counter as it was.
    let Some(account) = crate::features::login::account_by_id(&mut conn, &row.account_id).await? else {
        return Err(AppError::InvalidCredentials.into());
    };
    drop(conn);
    let mut tx = state.db.begin().await?;
    let started = start_session_in(&mut tx, &state, &account, &client, t, Method::Passkey).await?;
    if !super::store::passkey_used(&mut tx, &row.id, &json, t).await? {
        return Err(AppError::InvalidCredentials.into());
    }
    super::store::opened_with_passkey(&mut tx, &started.id_hash(), &row.id).await?;
    tx.commit().await?;
    started.hand_over(&state.settings);
    Ok(next)
}

/// `パスキーで確認` (step-up), its start: the options for `navigator.credentials.get()`
/// naming the account's passkeys, as JSON. An account without one: not found.
#[server(endpoint = "security/passkey/verify/start")]
pub async fn passkey_verify_start() -> Result<String, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let passkeys: Vec<webauthn_rs::prelude::Passkey> = super::store::passkeys(&mut conn, &account.account_id)
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str(&p.passkey).ok())
        .collect();
    if passkeys.is_empty() {
        return Err(AppError::NotFound);
    }
    let rp = super::passkey::relying_party(&state.settings)?;
    let (options, authentication) = rp
        .start_passkey_authentication(&passkeys)
        .map_err(|e| AppError::internal(format!("passkey step-up start: {e}")))?;
    let saved = serde_json::to_string(&authentication).map_err(AppError::internal)?;
    let cookie = open_ceremony(
        &mut conn,
        &state.settings,
        (Some(&account.account_id), None),
        "verify",
        &saved,
        (t, t + super::passkey::CEREMONY_SECS),
    )
    .await?;
    crate::ssr::auth::set_cookie(&cookie);
    serde_json::to_string(&options).map_err(AppError::internal)
}

/// `パスキーで確認`, its finish: a passkey of this account proves its owner again; the
/// changes of the next 5 minutes ask no password.
#[server(endpoint = "security/passkey/verify/finish")]
pub async fn passkey_verify_finish(credential: String) -> Result<(), AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let Some(super::store::Ceremony { account_id: Some(owner), state: saved, .. }) =
        take_ceremony(&mut conn, "verify", t).await?
    else {
        return Err(AppError::FlowExpired);
    };
    if owner != account.account_id {
        return Err(AppError::FlowExpired);
    }
    let authentication: webauthn_rs::prelude::PasskeyAuthentication =
        serde_json::from_str(&saved).map_err(AppError::internal)?;
    let response: webauthn_rs::prelude::PublicKeyCredential =
        serde_json::from_str(&credential).map_err(|_| AppError::BadRequest)?;
    let rp = super::passkey::relying_party(&state.settings)?;
    let result = rp.finish_passkey_authentication(&response, &authentication).map_err(|e| {
        tracing::info!(error = %e, "a passkey step-up was refused");
        AppError::invalid("current_password", crate::domain::FieldError::Mismatch)
    })?;
    // The passkey must still be the account's: one removed since the ceremony began
    // proves nothing.
    let mismatch = || AppError::invalid("current_password", crate::domain::FieldError::Mismatch);
    let key = super::passkey::credential_key(result.cred_id().as_ref());
    let stored = super::store::passkey_of_credential(&mut conn, &key).await?;
    let Some(row) = stored.filter(|r| r.account_id == account.account_id) else {
        return Err(mismatch());
    };
    let mut passkey: webauthn_rs::prelude::Passkey =
        serde_json::from_str(&row.passkey).map_err(AppError::internal)?;
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).map_err(AppError::internal)?;
    if !super::store::passkey_used(&mut conn, &row.id, &json, t).await? {
        return Err(mismatch());
    }
    crate::ssr::auth::session::verified(&mut conn, &account.session_hash, t).await?;
    Ok(())
}
