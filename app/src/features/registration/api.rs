#[cfg(feature = "ssr")]
use super::routes;
use super::{Confirmation, OwnerReview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::store;

#[cfg(feature = "ssr")]
pub use store::{matching_customers, VERIFY_CLIENT, VERIFY_CUSTOMER, VERIFY_SUBJECT};

/// STEP 2: verify the contract holder. Returns the next page.
#[server(endpoint = "register/verify")]
pub async fn verify_contract(
    kana: String,
    phone: String,
    factor_kind: Option<String>,
    factor_value: String,
) -> Result<String, AppError> {
    use crate::ssr::auth::{random_token, set_flow_cookie};
    use crate::ssr::{now, respond};
    respond(routes::START, async move {
        let (kana, phone, factor) = parse_holder(&kana, &phone, factor_kind.as_deref(), &factor_value)?;
        let state = crate::ssr::state()?;
        let t = now();
        let subject = format!("{}|{}", kana.match_key(), phone.digits());
        let mut conn = state.db.conn().await?;
        let matches =
            verified_customers(&mut conn, &state.settings, &kana, &phone, &factor, &subject, t).await?;
        let next = next_after_verification(&mut conn, &matches, t).await?;
        let token = random_token();
        store::start_flow(&mut conn, &token, next.step, next.customer_no, next.candidates, factor.kind(), t)
            .await?;
        set_flow_cookie(&state.settings, store::FLOW_COOKIE, &token, store::FLOW_SECS);
        Ok(String::from(next.page))
    })
    .await
}

/// STEP 2's fields, parsed: the name, the phone number and the factor.
#[cfg(feature = "ssr")]
fn parse_holder(
    kana: &str,
    phone: &str,
    factor_kind: Option<&str>,
    factor_value: &str,
) -> Result<
    (crate::domain::KatakanaName, crate::domain::PhoneNumber, crate::domain::verification::Factor),
    crate::ssr::Refusal,
> {
    use crate::domain::{verification::Factor, KatakanaName, PhoneNumber};
    use crate::ssr::refuse;
    const PAGE: &str = routes::START;
    let kana = match KatakanaName::parse(kana) {
        Ok(k) => k,
        Err(e) => return refuse(PAGE, AppError::invalid("kana", e)),
    };
    let phone = match PhoneNumber::parse(phone) {
        Ok(p) => p,
        Err(e) => return refuse(PAGE, AppError::invalid("phone", e)),
    };
    let factor = match factor_kind {
        // No item chosen: said at the choice (the value typed is not at fault).
        None | Some("") => {
            return refuse(PAGE, AppError::invalid("factor_kind", crate::domain::FieldError::Required))
        }
        Some(kind) => match Factor::parse(kind, factor_value) {
            Ok(f) => f,
            Err(e) => return refuse(PAGE, AppError::invalid("factor", e)),
        },
    };
    Ok((kana, phone, factor))
}

/// STEP 2's verification within its budgets: the customers (and whether each needs
/// 追加認証情報) that name, phone and factor match; `subject` is the name + phone.
#[cfg(feature = "ssr")]
async fn verified_customers(
    conn: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    kana: &crate::domain::KatakanaName,
    phone: &crate::domain::PhoneNumber,
    factor: &crate::domain::verification::Factor,
    subject: &str,
    t: i64,
) -> Result<Vec<(String, bool)>, crate::ssr::Refusal> {
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::refuse;
    const PAGE: &str = routes::START;
    // Counted per client, per name + phone, and per customer record they name.
    let named = store::named_customers(conn, &kana.match_key(), phone.digits()).await?;
    if !throttle::reserve(conn, &VERIFY_CLIENT, &client_address(), t).await?.go() {
        return refuse(PAGE, AppError::TooManyAttempts);
    }
    // 100 failures in a row (per name + phone, per customer record): the support centre.
    if let Some(e) = store::refused(throttle::reserve(conn, &VERIFY_SUBJECT, subject, t).await?) {
        return refuse(PAGE, e);
    }
    if let Some(e) = store::refused(store::reserve_customers(conn, &named, t).await?) {
        return refuse(PAGE, e);
    }
    let matches = matching_customers(conn, &kana.match_key(), phone.digits(), factor).await?;
    if matches.is_empty() {
        store::customers_failed(conn, settings, &named, t).await?;
        return refuse(PAGE, AppError::VerificationFailed);
    }
    // One match going on to STEP 3 proves its customer and the name + phone. One that
    // needs 追加認証情報, or several, are no proof yet: only this attempt is given back,
    // so starting again never wipes the wrong details guessed there (they count per
    // customer).
    let proven: &[String] = match matches.as_slice() {
        [(one, false)] => std::slice::from_ref(one),
        _ => &[],
    };
    if proven.is_empty() {
        throttle::forgive(conn, &VERIFY_SUBJECT, subject).await?;
    } else {
        throttle::reset(conn, &VERIFY_SUBJECT, subject).await?;
    }
    store::settle_customers(conn, &named, proven).await?;
    // A success does not count against a shared client address (an office, a NAT).
    throttle::forgive(conn, &VERIFY_CLIENT, &client_address()).await?;
    Ok(matches)
}

/// Where a verified STEP 2 leads: the flow's first step, its customer (one match) or
/// its candidates (several, comma-separated), and the next page.
#[cfg(feature = "ssr")]
struct Verified {
    step: super::RegistrationStep,
    customer_no: Option<String>,
    candidates: Option<String>,
    page: &'static str,
}

/// One customer goes on to STEP 3 (unless its owner refused a re-registration lately),
/// several to 追加認証情報.
#[cfg(feature = "ssr")]
async fn next_after_verification(
    conn: &mut crate::ssr::db::Conn,
    matches: &[(String, bool)],
    t: i64,
) -> Result<Verified, crate::ssr::Refusal> {
    use super::RegistrationStep;
    use crate::ssr::refuse;
    Ok(match matches {
        [] => return refuse(routes::START, AppError::VerificationFailed),
        // Its owner refused a re-registration within the last 7 days: the support centre.
        [(no, false)] if store::existing_account(conn, no, t).await?.1 => {
            return refuse(routes::START, AppError::SupportNeeded)
        }
        [(no, false)] => Verified {
            step: RegistrationStep::Credentials,
            customer_no: Some(no.clone()),
            candidates: None,
            page: routes::CREDENTIALS,
        },
        several => Verified {
            step: RegistrationStep::Additional,
            customer_no: None,
            candidates: Some(several.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(",")),
            page: routes::ADDITIONAL,
        },
    })
}

/// 追加認証情報: the customer number or equipment ID not used before singles out one
/// customer among several matches.
#[server(endpoint = "register/additional")]
pub async fn verify_additional(
    factor_kind: Option<String>,
    factor_value: String,
) -> Result<String, AppError> {
    use super::RegistrationStep;
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::{flow, now, refuse, respond, BackTo};
    const PAGE: &str = routes::ADDITIONAL;
    respond(PAGE, async move {
        let state = crate::ssr::state()?;
        let t = now();
        let mut conn = state.db.conn().await?;
        let flow =
            store::current_flow(&mut conn, RegistrationStep::Additional, t).await.back_to(routes::START)?;
        let factor = additional_factor(factor_kind.unwrap_or_default(), &factor_value, &flow.factor_used)?;
        let named: Vec<String> =
            flow.candidates.as_deref().unwrap_or_default().split(',').map(str::to_owned).collect();
        if !throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await?.go()
            || !throttle::reserve(&mut conn, &VERIFY_SUBJECT, &flow.id_hash, t).await?.go()
        {
            return refuse(PAGE, AppError::TooManyAttempts);
        }
        if let Some(e) = store::refused(store::reserve_customers(&mut conn, &named, t).await?) {
            return refuse(PAGE, e);
        }
        let Some(customer_no) = singled_out(&mut conn, &named, &factor).await? else {
            store::customers_failed(&mut conn, &state.settings, &named, t).await?;
            return refuse(PAGE, AppError::VerificationFailed);
        };
        store::settle_customers(&mut conn, &named, std::slice::from_ref(&customer_no)).await?;
        throttle::forgive(&mut conn, &VERIFY_CLIENT, &client_address()).await?;
        if store::existing_account(&mut conn, &customer_no, t).await?.1 {
            return refuse(PAGE, AppError::SupportNeeded);
        }
        flow::advance(RegistrationStep::Additional, RegistrationStep::Credentials)
            .set("customer_no", &customer_no)
            .clear("candidates")
            .by("id_hash", &flow.id_hash)
            .rows(&mut conn)
            .await?;
        Ok(String::from(routes::CREDENTIALS))
    })
    .await
}

/// 追加認証情報's factor, parsed: `kind` must be the customer number or the equipment ID,
/// and not the kind STEP 2 used (`used`).
#[cfg(feature = "ssr")]
fn additional_factor(
    kind: String,
    value: &str,
    used: &str,
) -> Result<crate::domain::verification::Factor, crate::ssr::Refusal> {
    use crate::domain::verification::Factor;
    use crate::ssr::refuse;
    const PAGE: &str = routes::ADDITIONAL;
    // Only a customer number or an equipment ID, and not the kind already used.
    if !matches!(kind.as_str(), "customer_no" | "equipment") || kind == used {
        return refuse(PAGE, AppError::invalid("factor_kind", crate::domain::FieldError::Required));
    }
    match Factor::parse(&kind, value) {
        Ok(f) => Ok(f),
        Err(e) => refuse(PAGE, AppError::invalid("factor", e)),
    }
}

/// The customer among `candidates` that `factor` names (every candidate is asked).
#[cfg(feature = "ssr")]
async fn singled_out(
    conn: &mut crate::ssr::db::Conn,
    candidates: &[String],
    factor: &crate::domain::verification::Factor,
) -> Result<Option<String>, sqlx::Error> {
    use crate::domain::verification::Factor;
    let mut found = None;
    for no in candidates {
        let ok = match factor {
            Factor::CustomerNumber(n) => n.as_str() == no.as_str(),
            Factor::Equipment(e) => store::has_equipment(conn, no, e.as_str()).await?,
            _ => false,
        };
        if ok {
            found = Some(no.to_string());
        }
    }
    Ok(found)
}

/// STEP 3: the iTSCOM ID and password; mails the confirmation link.
#[server(endpoint = "register/credentials")]
pub async fn submit_credentials(
    itscom_id: String,
    password: String,
    password_again: String,
) -> Result<String, AppError> {
    use super::RegistrationStep;
    use crate::ssr::auth::{password as pw, random_token};
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::CREDENTIALS;
    respond(PAGE, async move {
        let (id, new_password) = parse_credentials(&itscom_id, &password, &password_again)?;
        let state = crate::ssr::state()?;
        let t = now();
        let (flow, reregistration) = match credentials_flow(&state, &id, t).await {
            // Sent again (a double click, a retry after the answer was lost): mailed once.
            Err(r)
                if matches!(r.error, AppError::FlowExpired)
                    && mailed_already(&state, &id, new_password.expose(), t).await? =>
            {
                return Ok(String::from(routes::SENT));
            }
            flow => flow?,
        };
        let customer_no = flow.customer_no.clone().ok_or(AppError::FlowExpired)?;
        let hash = pw::hash_async(new_password.expose().to_string()).await;
        let token = random_token();

        let mut tx = state.db.begin().await?;
        // Write first (SQLite: a transaction that reads first cannot write once another
        // writer has committed meanwhile).
        if !flow::hold(RegistrationStep::Credentials).by("id_hash", &flow.id_hash).once(&mut tx).await? {
            drop(tx);
            if mailed_already(&state, &id, new_password.expose(), t).await? {
                // Sent twice at once: the first mailed it; this one's tries go back.
                give_back(&state, &id, &customer_no, reregistration).await?;
                return Ok(String::from(routes::SENT));
            }
            return refuse(routes::START, AppError::FlowExpired);
        }
        let request = credentials_request(&mut tx, &state.settings, id, &customer_no, token, t).await?;
        if !record_request(&mut tx, &flow.id_hash, &request, hash, t).await? {
            return refuse(routes::START, AppError::FlowExpired);
        }
        mail_request(&mut tx, &state.settings, &request, t).await?;
        tx.commit().await?;
        Ok(String::from(routes::SENT))
    })
    .await
}

/// Whether this browser's flow has mailed its link for `id` and `password` already:
/// STEP 3 sent again (a double click, or a retry after its answer was lost) is told
/// where the link went, as the first was, instead of being sent back to STEP 1 to mail
/// a second link (and, for a re-registration, alert the owner again). Another password
/// (typed after going back) is out of order, as before: the link sets the first.
#[cfg(feature = "ssr")]
async fn mailed_already(
    state: &crate::ssr::AppState,
    id: &crate::domain::ItscomId,
    password: &str,
    t: i64,
) -> Result<bool, AppError> {
    let mut conn = state.db.conn().await?;
    let Some((sent, hash)) = store::mailed(&mut conn, t).await? else { return Ok(false) };
    drop(conn);
    if crate::domain::ItscomId::key_of_raw(&sent) != id.key() {
        return Ok(false);
    }
    Ok(crate::ssr::auth::password::verify_async(password.to_string(), hash).await)
}

/// STEP 3's fields, parsed: the ID, and the new password (typed twice).
#[cfg(feature = "ssr")]
fn parse_credentials(
    itscom_id: &str,
    password: &str,
    password_again: &str,
) -> Result<(crate::domain::ItscomId, crate::domain::Password), crate::ssr::Refusal> {
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::{FieldError, ItscomId};
    use crate::ssr::refuse;
    const PAGE: &str = routes::CREDENTIALS;
    let id = match ItscomId::parse(itscom_id) {
        Ok(id) => id,
        Err(e) => return refuse(PAGE, AppError::invalid("itscom_id", e)),
    };
    let new_password = match parse_new(password, password_again, Some(id.as_str())) {
        Ok(p) => p,
        Err(NewPasswordError::Password(e)) => return refuse(PAGE, AppError::invalid("password", e)),
        Err(NewPasswordError::Mismatch) => {
            return refuse(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
        }
    };
    Ok((id, new_password))
}

/// What [`credentials_flow`] reserved, given back: a STEP 3 sent twice at once mails
/// once, and counts once against the hour's mails and the day's re-registrations.
#[cfg(feature = "ssr")]
async fn give_back(
    state: &crate::ssr::AppState,
    id: &crate::domain::ItscomId,
    customer_no: &str,
    reregistration: bool,
) -> Result<(), AppError> {
    use crate::ssr::auth::throttle::{forgive, MAILS_TO_ADDRESS};
    let mut conn = state.db.conn().await?;
    forgive(&mut conn, &store::REGISTRATION_MAILS, customer_no).await?;
    forgive(&mut conn, &MAILS_TO_ADDRESS, &id.key()).await?;
    if reregistration {
        forgive(&mut conn, &store::REREGISTRATIONS_PER_DAY, customer_no).await?;
    }
    Ok(())
}

/// This browser's flow at STEP 3, when its customer may send one now (read outside the
/// transaction), and whether it is a re-registration (the customer has an account).
#[cfg(feature = "ssr")]
async fn credentials_flow(
    state: &crate::ssr::AppState,
    id: &crate::domain::ItscomId,
    t: i64,
) -> Result<(store::Flow, bool), crate::ssr::Refusal> {
    use crate::ssr::auth::throttle::{reserve, MAILS_TO_ADDRESS};
    use crate::ssr::{refuse, BackTo};
    const PAGE: &str = routes::CREDENTIALS;
    let mut conn = state.db.conn().await?;
    let flow = store::current_flow(&mut conn, super::RegistrationStep::Credentials, t)
        .await
        .back_to(routes::START)?;
    let customer_no = flow.customer_no.clone().ok_or(AppError::FlowExpired)?;
    let (account, blocked) = store::existing_account(&mut conn, &customer_no, t).await?;
    if blocked {
        return refuse(PAGE, AppError::SupportNeeded);
    }
    // Each STEP 3 mails the typed address (5 an hour per customer and per
    // address) and, for a re-registration, the owner (3 a day).
    if !(reserve(&mut conn, &store::REGISTRATION_MAILS, &customer_no, t).await?.go()
        && reserve(&mut conn, &MAILS_TO_ADDRESS, &id.key(), t).await?.go()
        && (account.is_none()
            || reserve(&mut conn, &store::REREGISTRATIONS_PER_DAY, &customer_no, t).await?.go()))
    {
        return refuse(PAGE, AppError::TooManyAttempts);
    }
    Ok((flow, account.is_some()))
}

/// A STEP 3 being written: what its flow stores and its mails say.
#[cfg(feature = "ssr")]
struct CredentialsRequest {
    id: crate::domain::ItscomId,
    /// The ID is held by another customer's account.
    taken: bool,
    /// The customer's own account: a re-registration, held until `hold_until`.
    existing: Option<String>,
    hold_until: i64,
    /// The confirmation link's token, and the owner's two (mailed; stored hashed).
    token: String,
    owner_confirm: String,
    owner_cancel: String,
    client: String,
    browser: String,
    locale: crate::i18n::Locale,
}

/// Who holds the typed ID and whether the customer has an account, read inside STEP 3's
/// transaction, with the owner's tokens and where the request comes from.
#[cfg(feature = "ssr")]
async fn credentials_request(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    id: crate::domain::ItscomId,
    customer_no: &str,
    token: String,
    t: i64,
) -> Result<CredentialsRequest, sqlx::Error> {
    use crate::ssr::auth::random_token;
    // An ID held by another customer's account: the screen is the same, the mail says
    // someone tried, and carries no link.
    let holder = store::id_holder(tx, &id.key()).await?;
    let taken = holder.is_some_and(|no| no != customer_no);
    // The customer's own account, if any: this is then a re-registration, held until
    // its contact address confirms or the hold is over.
    let existing = store::customer_account(tx, customer_no).await?;
    let hold_until = t + settings.reregistration_hold_secs;
    let (owner_confirm, owner_cancel) = (random_token(), random_token());
    let client = crate::ssr::auth::client_address();
    let browser = crate::ssr::auth::browser_summary();
    let locale = crate::ssr::auth::request_cookie(crate::i18n::Locale::COOKIE)
        .and_then(|c| crate::i18n::Locale::from_code(&c))
        .unwrap_or_default();
    Ok(CredentialsRequest {
        id,
        taken,
        existing,
        hold_until,
        token,
        owner_confirm,
        owner_cancel,
        client,
        browser,
        locale,
    })
}

/// Moves the flow on to the mail with what STEP 3 asked: false when it was no longer
/// at STEP 3. A taken ID stores nothing that could complete.
#[cfg(feature = "ssr")]
async fn record_request(
    tx: &mut crate::ssr::db::Conn,
    id_hash: &str,
    r: &CredentialsRequest,
    password_hash: String,
    t: i64,
) -> Result<bool, sqlx::Error> {
    use super::RegistrationStep;
    use crate::ssr::auth::sha256_hex;
    crate::ssr::flow::advance(RegistrationStep::Credentials, RegistrationStep::MailSent)
        .set("itscom_id", r.id.as_str())
        // Kept for a taken ID too (it never completes: no link): STEP 3 sent again is
        // compared with it alike.
        .set("password_hash", Some(password_hash))
        .set("confirm_token_hash", if r.taken { None } else { Some(sha256_hex(&r.token)) })
        .set("confirm_expires_at", t + store::LINK_SECS)
        .set("account_id", r.existing.clone())
        .set("hold_until", r.existing.as_ref().map(|_| r.hold_until))
        // The owner's links exist only when they are mailed (a taken ID never completes).
        .set(
            "owner_confirm_hash",
            r.existing.as_ref().filter(|_| !r.taken).map(|_| sha256_hex(&r.owner_confirm)),
        )
        .set(
            "owner_cancel_hash",
            r.existing.as_ref().filter(|_| !r.taken).map(|_| sha256_hex(&r.owner_cancel)),
        )
        .set("requested_from", r.client.clone())
        .by("id_hash", id_hash)
        .once(tx)
        .await
}

/// STEP 3's mails: the typed address gets the confirmation link (for a taken ID, word
/// that someone tried), and the account's owner, for a re-registration, the links to
/// confirm or cancel it.
#[cfg(feature = "ssr")]
async fn mail_request(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    r: &CredentialsRequest,
    t: i64,
) -> Result<(), AppError> {
    use super::mail;
    let mail = if r.taken {
        mail::registration_attempt_on_taken_id(settings, r.locale, r.id.as_str())
    } else {
        let token = &r.token;
        let link = settings.mailed_link(routes::CONFIRM, token)?;
        mail::registration_confirm(settings, r.locale, r.id.as_str(), link.as_str())
    };
    crate::ssr::mail::enqueue(tx, "registration.confirm", &mail, t).await?;
    // (A taken ID can never complete: nothing for the owner to confirm or cancel.)
    if let (Some(account_id), false) = (&r.existing, r.taken) {
        // The account's owner hears of it now, before anything changes.
        notify_owner(tx, settings, account_id, r, t).await?;
    }
    Ok(())
}

/// A re-registration requested: its account's owner gets the links to confirm or
/// cancel it, and the event is recorded.
#[cfg(feature = "ssr")]
async fn notify_owner(
    tx: &mut crate::ssr::db::Conn,
    settings: &crate::ssr::config::Settings,
    account_id: &str,
    r: &CredentialsRequest,
    t: i64,
) -> Result<(), AppError> {
    let link = |token: &str| settings.mailed_link(routes::REVIEW, token);
    let (confirm_link, cancel_link) = (link(&r.owner_confirm)?, link(&r.owner_cancel)?);
    let held = confirm_holds(tx, Some(account_id)).await?;
    crate::ssr::db::customers::notify(
        tx,
        account_id,
        "registration.review",
        |locale, to| {
            super::mail::reregistration_requested(
                settings,
                locale,
                to,
                r.id.as_str(),
                t,
                &r.browser,
                r.hold_until,
                held,
                confirm_link.as_str(),
                cancel_link.as_str(),
            )
        },
        t,
    )
    .await?;
    crate::ssr::events::record(
        tx,
        crate::ssr::events::Event::ReregistrationRequested,
        crate::ssr::events::Subject::Account(account_id),
        &r.client,
        serde_json::json!({ "browser": r.browser, "takes_effect_at": r.hold_until }),
        t,
    )
    .await?;
    Ok(())
}

/// The confirmation page's content for a mailed token (reading never changes state).
/// For a re-registration the account's addresses are shown masked until its contact
/// address has confirmed: the person re-registering may be a stranger.
#[server(endpoint = "register/confirmation")]
pub async fn get_confirmation(token: String) -> Result<Confirmation, AppError> {
    // The link and the addresses on the contract, on one connection.
    let ((link, mut contact_options), _) = crate::ssr::read_link(&token, async |conn, token, t| {
        let Some(link) = store::confirm_link(conn, token, t).await? else { return Ok(None) };
        let options = store::contact_options(conn, &link.customer_no, &link.itscom_id).await?;
        Ok(Some((link, options)))
    })
    .await?;
    let store::ConfirmLink {
        itscom_id,
        name,
        account_id: account,
        hold_until,
        owner_confirmed_at: confirmed,
        ..
    } = link;
    let held = account.is_some() && confirmed.is_none();
    // Whoever opens the link may be a stranger who knew the contract's details: the
    // addresses already on the contract are shown masked, for a first registration as
    // for a re-registration, unless the account's contact address confirmed it.
    if account.is_none() || held {
        for option in contact_options.iter_mut().skip(1) {
            *option = crate::domain::itscom_id::mask_address(option);
        }
    }
    Ok(Confirmation { itscom_id, name, contact_options, takes_effect_at: hold_until.filter(|_| held) })
}

/// Complete the registration from the mailed link (`次へ`): once, even when opened
/// twice at the same moment. A first registration takes effect at once; a
/// re-registration too when the account's contact address has confirmed, else it
/// waits for the hold to end (and never happens if cancelled). `contact` is the index
/// of the chosen address (or, when nothing is masked, the address itself).
#[server(endpoint = "register/complete")]
pub async fn complete_registration(token: String, contact: Option<String>) -> Result<String, AppError> {
    use super::RegistrationStep;
    use crate::ssr::{flow, refuse};
    crate::ssr::link_action(token, routes::CONFIRM, |crate::ssr::Link { token, page, state, t }| async move {
        let mut tx = state.db.begin().await?;
        // Write first, and the customer first: the customer's row lock (PostgreSQL) or the
        // write lock (SQLite) is taken before anything is read, so parallel openings queue
        // instead of failing, and two completions of one customer never deadlock.
        if store::lock_link_customer(&mut tx, &token, t).await? != 1 {
            return refuse(&page, AppError::LinkInvalid);
        }
        let Some(pending) = store::confirm_link(&mut tx, &token, t).await? else {
            return refuse(&page, AppError::LinkInvalid);
        };
        let held = pending.account_id.is_some() && pending.owner_confirmed_at.is_none();
        let options = store::contact_options(&mut tx, &pending.customer_no, &pending.itscom_id).await?;
        let Some(contact) = chosen_contact(contact.as_deref(), &options, held) else {
            return refuse(&page, AppError::invalid("contact", crate::domain::FieldError::Required));
        };
        let id_hash = pending.id_hash;
        let recorded = flow::advance(RegistrationStep::MailSent, RegistrationStep::MailSent)
            .set("contact", &contact)
            .by("id_hash", &id_hash)
            .once(&mut tx)
            .await?;
        if !recorded {
            return refuse(&page, AppError::LinkInvalid);
        }
        if let (true, Some(until)) = (held, pending.hold_until.filter(|u| t < *u)) {
            // The link is used; the change waits for the hold or the owner's confirmation.
            let waiting = flow::advance(RegistrationStep::MailSent, RegistrationStep::Waiting)
                .clear("confirm_token_hash")
                .by("id_hash", &id_hash)
                .once(&mut tx)
                .await?;
            if !waiting {
                return refuse(&page, AppError::LinkInvalid);
            }
            tx.commit().await?;
            return Ok(routes::pending(until));
        }
        apply_confirmed(&state, tx, &id_hash, &page, t).await
    })
    .await
}

/// The address `contact` names among `options`: its index, or (unless the change is
/// `held`) the address itself; none needed when there is only one.
#[cfg(feature = "ssr")]
fn chosen_contact(contact: Option<&str>, options: &[String], held: bool) -> Option<String> {
    match contact.map(str::trim) {
        None | Some("") if options.len() == 1 => Some(options[0].clone()),
        Some(c) => match c.parse::<usize>() {
            Ok(i) => options.get(i).cloned(),
            Err(_) if !held => options.iter().find(|o| o.as_str() == c).cloned(),
            Err(_) => None,
        },
        None => None,
    }
}

/// Puts a confirmed registration into effect and commits; a flow that can never
/// complete ends, and its refusal leads back to STEP 2.
#[cfg(feature = "ssr")]
async fn apply_confirmed(
    state: &crate::ssr::AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    id_hash: &str,
    page: &str,
    t: i64,
) -> crate::ssr::Answer {
    match store::apply(&mut tx, &state.settings, id_hash, super::RegistrationStep::MailSent, t).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(String::from(routes::DONE))
        }
        Err(e) => {
            drop(tx);
            if matches!(e, AppError::AccountUnavailable | AppError::FlowExpired) {
                close_flow(state, id_hash).await?;
            }
            let back = if matches!(
                e,
                AppError::Invalid { .. } | AppError::AccountUnavailable | AppError::FlowExpired
            ) {
                routes::START
            } else {
                page
            };
            crate::ssr::refuse(back, e)
        }
    }
}

/// A flow that can never complete (its account is disabled) ends.
#[cfg(feature = "ssr")]
async fn close_flow(state: &crate::ssr::AppState, id_hash: &str) -> Result<(), AppError> {
    use super::RegistrationStep::*;
    let mut conn = state.db.conn().await?;
    crate::ssr::flow::advance_from(&[MailSent, Waiting], Cancelled)
        .clear("confirm_token_hash")
        .clear("owner_confirm_hash")
        .clear("owner_cancel_hash")
        .by("id_hash", id_hash)
        .rows(&mut conn)
        .await?;
    Ok(())
}

/// The re-registration a link mailed to the account's contact address is about
/// (reading changes nothing).
#[server(endpoint = "register/review")]
pub async fn get_owner_review(token: String) -> Result<OwnerReview, AppError> {
    use crate::ssr::crypto::sha256_hex;
    let hash = sha256_hex(token.trim());
    let ((link, held), state) = crate::ssr::read_link(&token, async |conn, _, _| {
        let Some(link) = store::owner_review_link(conn, &hash).await? else { return Ok(None) };
        let held = confirm_holds(conn, link.account_id.as_deref()).await?;
        Ok(Some((link, held)))
    })
    .await?;
    Ok(OwnerReview {
        confirm: link.owner_confirm_hash.as_deref() == Some(hash.as_str()),
        held,
        new_id: link.itscom_id,
        // STEP 3, as the mail says: the hold runs from it.
        requested_at: link.hold_until - state.settings.reregistration_hold_secs,
        takes_effect_at: link.hold_until,
    })
}

/// Whether the owner's `これは自分です` leaves the hold as it is: the account has a
/// second factor (two-step verification or a passkey), which the replacement removes.
/// Whoever reads the contact mailbox could otherwise confirm a re-registration of their
/// own and hold the account at once, past the factor; the owner keeps the hold to say
/// 心当たりがない.
#[cfg(feature = "ssr")]
async fn confirm_holds(
    conn: &mut crate::ssr::db::Conn,
    account_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    match account_id {
        Some(account_id) => crate::features::security::store::second_factor_on(conn, account_id).await,
        None => Ok(false),
    }
}

/// `これは自分です` or `心当たりがない`, from the link mailed to the account's contact
/// address (single use: either link ends both). Confirming lets the replacement take
/// effect as soon as the new address's link is opened (at once if it already was),
/// unless the account has a second factor ([`confirm_holds`]: then it is noted, the
/// hold stands and 心当たりがない stays open); cancelling ends this request and every
/// pending one of the customer.
#[server(endpoint = "register/review/submit")]
pub async fn review_reregistration(token: String) -> Result<String, AppError> {
    use crate::ssr::auth::{client_address, sha256_hex};
    use crate::ssr::refuse;
    crate::ssr::link_action(token, routes::REVIEW, |crate::ssr::Link { token, page, state, t }| async move {
        let hash = sha256_hex(&token);
        let mut tx = state.db.begin().await?;
        // Write first, the customer first (see complete_registration).
        store::lock_review_customer(&mut tx, &hash).await?;
        let row = store::owner_review_flow(&mut tx, &hash).await?;
        let Some(store::OwnerReviewFlow {
            id_hash,
            customer_no,
            owner_confirm_hash: confirm_hash,
            step,
            account_id: Some(account_id),
        }) = row
        else {
            return refuse(&page, AppError::LinkInvalid);
        };
        let confirm = confirm_hash.as_deref() == Some(hash.as_str());
        let client = client_address();
        if confirm && confirm_holds(&mut tx, Some(&account_id)).await? {
            if !store::set_aside_confirm_link(&mut tx, &id_hash).await? {
                return refuse(&page, AppError::LinkInvalid);
            }
            record_confirmed(&mut tx, &account_id, &client, true, t).await?;
            tx.commit().await?;
            return Ok(routes::reviewed("held"));
        }
        // Single use: whoever clears the links first decides.
        if !store::claim_owner_links(&mut tx, &id_hash, confirm, t).await? {
            return refuse(&page, AppError::LinkInvalid);
        }
        if confirm {
            return owner_confirmed(&state, tx, &id_hash, &account_id, step, &client, t).await;
        }
        owner_cancelled(&mut tx, &customer_no, &account_id, &client, t).await?;
        tx.commit().await?;
        Ok(routes::reviewed("cancelled"))
    })
    .await
}

/// `これは自分です`: recorded and committed; a re-registration already waiting for it
/// takes effect now (one that never can ends).
#[cfg(feature = "ssr")]
async fn owner_confirmed(
    state: &crate::ssr::AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    id_hash: &str,
    account_id: &str,
    step: super::RegistrationStep,
    client: &str,
    t: i64,
) -> crate::ssr::Answer {
    use super::RegistrationStep;
    record_confirmed(&mut tx, account_id, client, false, t).await?;
    if step == RegistrationStep::Waiting {
        if let Err(e) = store::apply(&mut tx, &state.settings, id_hash, RegistrationStep::Waiting, t).await {
            drop(tx);
            if e == AppError::Internal {
                return Err(e.into());
            }
            close_flow(state, id_hash).await?;
            return Ok(routes::reviewed("unavailable"));
        }
        tx.commit().await?;
        return Ok(routes::reviewed("applied"));
    }
    tx.commit().await?;
    Ok(routes::reviewed("confirmed"))
}

#[cfg(feature = "ssr")]
/// The owner's これは自分です, recorded; `held` when it left the hold as it was (a second
/// factor on the account), which support and the history tell apart.
async fn record_confirmed(
    tx: &mut crate::ssr::db::Conn,
    account_id: &str,
    client: &str,
    held: bool,
    t: i64,
) -> Result<(), sqlx::Error> {
    use crate::ssr::events::{record, Event, Subject};
    let detail = if held { serde_json::json!({ "held": true }) } else { serde_json::json!({}) };
    record(tx, Event::ReregistrationConfirmed, Subject::Account(account_id), client, detail, t).await
}

/// `心当たりがない`: every pending registration of the customer ends, and the event is
/// recorded.
#[cfg(feature = "ssr")]
async fn owner_cancelled(
    tx: &mut crate::ssr::db::Conn,
    customer_no: &str,
    account_id: &str,
    client: &str,
    t: i64,
) -> Result<(), sqlx::Error> {
    use crate::ssr::events::{record, Event, Subject};
    store::cancel_registrations(tx, customer_no).await?;
    // No new re-registration for 7 days: whoever tried must call the support centre.
    store::block_reregistration(tx, customer_no, t).await?;
    record(tx, Event::ReregistrationCancelled, Subject::Account(account_id), client, serde_json::json!({}), t)
        .await
}

/// Put into effect every re-registration whose hold is over and that nobody
/// cancelled (run by the server's maintenance task). Returns how many took effect.
#[cfg(feature = "ssr")]
pub async fn apply_due_reregistrations(state: &crate::ssr::AppState, now: i64) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.db.conn().await?;
        store::due_reregistrations(&mut conn, now).await?
    };
    let mut applied = 0;
    for id_hash in due {
        let mut tx = state.db.begin().await?;
        // The customer first (see complete_registration).
        store::lock_flow_customer(&mut tx, &id_hash).await?;
        match store::apply(&mut tx, &state.settings, &id_hash, super::RegistrationStep::Waiting, now).await {
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
pub async fn registration_step() -> Result<Option<super::RegistrationStep>, AppError> {
    // A completed flow is at step 'done', which no page waits for.
    crate::ssr::flow::browser_step(store::FLOW_COOKIE).await
}

/// メール送信完了: the address this browser's registration mailed its link to (None
/// for any other browser, or once the link is used).
#[server(endpoint = "register/sent-to")]
pub async fn registration_sent_to() -> Result<Option<String>, AppError> {
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    Ok(store::sent_to(&mut conn, crate::ssr::now()).await?)
}

/// What a stop link (mailed to the contact address on record when a first
/// registration completed) is about: the account's ID masked, when (reading changes
/// nothing).
#[server(endpoint = "register/stop/link")]
pub async fn get_registration_stop(token: String) -> Result<super::RegistrationStop, AppError> {
    let (stop, _) = crate::ssr::read_link(&token, store::stop_link).await?;
    Ok(super::RegistrationStop {
        itscom_id: crate::domain::itscom_id::mask_address(&stop.itscom_id),
        registered_at: stop.created_at,
    })
}

/// `この登録を停止する`: the account is disabled (the support centre opens it again) and
/// every session of it ends. No login needed: the link mailed to the contract's own
/// address is the proof.
#[server(endpoint = "register/stop")]
pub async fn stop_registration(token: String) -> Result<String, AppError> {
    use crate::ssr::refuse;
    crate::ssr::link_action(token, routes::STOP, |crate::ssr::Link { token, page, state, t }| async move {
            let mut tx = state.db.begin().await?;
            let Some(account_id) = store::stop(&mut tx, &token, t).await? else {
                return refuse(&page, AppError::LinkInvalid);
            };
            crate::ssr::events::account_event(&mut tx, crate::ssr::events::Event::RegistrationStopped, &account_id, t)
                .await?;
            tx.commit().await?;
            tracing::info!(account = %account_id, "a first registration was stopped from the contact address on record");
            Ok(routes::STOP.done())
    })
    .await
}
