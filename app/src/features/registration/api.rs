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
    use super::RegistrationStep;
    use crate::domain::{verification::Factor, KatakanaName, PhoneNumber};
    use crate::ssr::auth::{client_address, random_token, set_cookie, sha256_hex, throttle};
    use crate::ssr::{now, refuse, respond};
    const PAGE: &str = routes::START;
    respond(PAGE, async move {

    let kana = match KatakanaName::parse(&kana) {
        Ok(k) => k,
        Err(e) => return refuse(PAGE, AppError::invalid("kana", e)),
    };
    let phone = match PhoneNumber::parse(&phone) {
        Ok(p) => p,
        Err(e) => return refuse(PAGE, AppError::invalid("phone", e)),
    };
    let factor = match factor_kind.as_deref() {
        None | Some("") => {
            return refuse(PAGE, AppError::invalid("factor", crate::domain::FieldError::Required))
        }
        Some(kind) => match Factor::parse(kind, &factor_value) {
            Ok(f) => f,
            Err(e) => return refuse(PAGE, AppError::invalid("factor", e)),
        },
    };

    let state = crate::ssr::state()?;
    let t = now();
    let subject = format!("{}|{}", kana.match_key(), phone.digits());
    let mut conn = state.db.pool().acquire().await?;
    // Counted per client, per name + phone, and per customer record they name.
    let named = store::named_customers(&mut conn, &kana.match_key(), phone.digits()).await?;
    if !throttle::reserve(&mut conn, &VERIFY_CLIENT, &client_address(), t).await?.go() {
        return refuse(PAGE, AppError::TooManyAttempts);
    }
    // 100 failures in a row (per name + phone, per customer record): the support centre.
    if let Some(e) = store::refused(throttle::reserve(&mut conn, &VERIFY_SUBJECT, &subject, t).await?) {
        return refuse(PAGE, e);
    }
    if let Some(e) = store::refused(store::reserve_customers(&mut conn, &named, t).await?) {
        return refuse(PAGE, e);
    }
    let matches = matching_customers(&mut conn, &kana.match_key(), phone.digits(), &factor).await?;
    if matches.is_empty() {
        store::customers_failed(&mut conn, &state.settings, &named, t).await?;
        return refuse(PAGE, AppError::VerificationFailed);
    }
    let matched: Vec<String> = matches.iter().map(|(n, _)| n.clone()).collect();
    store::settle_customers(&mut conn, &named, &matched).await?;
    // A success does not count against a shared client address (an office, a NAT).
    throttle::forgive(&mut conn, &VERIFY_CLIENT, &client_address()).await?;
    let (step, customer_no, candidates, next) = match matches.as_slice() {
        [] => return refuse(PAGE, AppError::VerificationFailed),
        // Its owner refused a re-registration within the last 7 days: the support centre.
        [(no, false)] if store::existing_account(&mut conn, no, t).await?.1 => {
            return refuse(PAGE, AppError::SupportNeeded)
        }
        [(no, false)] => (RegistrationStep::Credentials, Some(no.clone()), None, routes::CREDENTIALS),
        several => (
            RegistrationStep::Additional,
            None,
            Some(several.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(",")),
            routes::ADDITIONAL,
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
    .bind(t + store::FLOW_SECS)
    .execute(&mut *conn)
    .await?;
    set_cookie(&crate::ssr::auth::cookie(
        &state.settings,
        store::FLOW_COOKIE,
        &token,
        Some(store::FLOW_SECS),
        true,
    ));
    Ok(String::from(next))
    }
    .await)
}

/// 追加認証情報: the customer number or equipment ID not used before singles out one
/// customer among several matches.
#[server(endpoint = "register/additional")]
pub async fn verify_additional(
    factor_kind: Option<String>,
    factor_value: String,
) -> Result<String, AppError> {
    use super::RegistrationStep;
    use crate::domain::verification::Factor;
    use crate::ssr::auth::{client_address, throttle};
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::ADDITIONAL;
    respond(
        PAGE,
        async move {
            let state = crate::ssr::state()?;
            let t = now();
            let mut conn = state.db.pool().acquire().await?;
            let flow = match store::current_flow(&mut conn, RegistrationStep::Additional, t).await {
                Ok(f) => f,
                Err(e) => return refuse(routes::START, e),
            };
            let kind = factor_kind.unwrap_or_default();
            // Only a customer number or an equipment ID, and not the kind already used.
            if !matches!(kind.as_str(), "customer_no" | "equipment") || kind == flow.factor_used {
                return refuse(PAGE, AppError::invalid("factor", crate::domain::FieldError::Required));
            }
            let factor = match Factor::parse(&kind, &factor_value) {
                Ok(f) => f,
                Err(e) => return refuse(PAGE, AppError::invalid("factor", e)),
            };
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
        }
        .await,
    )
}

/// STEP 3: the iTSCOM ID and password; mails the confirmation link.
#[server(endpoint = "register/credentials")]
pub async fn submit_credentials(
    itscom_id: String,
    password: String,
    password_again: String,
) -> Result<String, AppError> {
    use super::mail;
    use super::RegistrationStep;
    use crate::domain::password::{parse_new, NewPasswordError};
    use crate::domain::{FieldError, ItscomId};
    use crate::ssr::auth::{password as pw, random_token, sha256_hex};
    use crate::ssr::mail::enqueue;
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::CREDENTIALS;
    respond(
        PAGE,
        async move {
            let id = match ItscomId::parse(&itscom_id) {
                Ok(id) => id,
                Err(e) => return refuse(PAGE, AppError::invalid("itscom_id", e)),
            };
            let new_password = match parse_new(&password, &password_again, Some(id.as_str())) {
                Ok(p) => p,
                Err(NewPasswordError::Password(e)) => return refuse(PAGE, AppError::invalid("password", e)),
                Err(NewPasswordError::Mismatch) => {
                    return refuse(PAGE, AppError::invalid("password_again", FieldError::Mismatch))
                }
            };
            let state = crate::ssr::state()?;
            let t = now();
            let flow = {
                let mut conn = state.db.pool().acquire().await?;
                let flow = match store::current_flow(&mut conn, RegistrationStep::Credentials, t).await {
                    Ok(f) => f,
                    Err(e) => return refuse(routes::START, e),
                };
                let customer_no = flow.customer_no.clone().ok_or(AppError::FlowExpired)?;
                let (account, blocked) = store::existing_account(&mut conn, &customer_no, t).await?;
                if blocked {
                    return refuse(PAGE, AppError::SupportNeeded);
                }
                // Each STEP 3 mails the typed address (5 an hour per customer and per
                // address) and, for a re-registration, the owner (3 a day).
                use crate::ssr::auth::throttle::{reserve, MAILS_TO_ADDRESS};
                if !(reserve(&mut conn, &store::REGISTRATION_MAILS, &customer_no, t).await?.go()
                    && reserve(&mut conn, &MAILS_TO_ADDRESS, &id.key(), t).await?.go()
                    && (account.is_none()
                        || reserve(&mut conn, &store::REREGISTRATIONS_PER_DAY, &customer_no, t).await?.go()))
                {
                    return refuse(PAGE, AppError::TooManyAttempts);
                }
                flow
            };
            let customer_no = flow.customer_no.clone().ok_or(AppError::FlowExpired)?;
            let hash = pw::hash_async(new_password.expose().to_string()).await;
            let token = random_token();

            let mut tx = state.db.pool().begin().await?;
            // Write first (SQLite: a transaction that reads first cannot write once another
            // writer has committed meanwhile).
            if !flow::hold(RegistrationStep::Credentials).by("id_hash", &flow.id_hash).once(&mut tx).await? {
                return refuse(routes::START, AppError::FlowExpired);
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
            let existing: Option<(String,)> =
                sqlx::query_as("SELECT id FROM accounts WHERE customer_no = $1")
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
            let updated = flow::advance(RegistrationStep::Credentials, RegistrationStep::MailSent)
                .set("itscom_id", id.as_str())
                .set("password_hash", if taken { None } else { Some(hash) })
                .set("confirm_token_hash", if taken { None } else { Some(sha256_hex(&token)) })
                .set("confirm_expires_at", t + store::LINK_SECS)
                .set("account_id", existing.clone())
                .set("hold_until", existing.as_ref().map(|_| hold_until))
                // The owner's links exist only when they are mailed (a taken ID never completes).
                .set(
                    "owner_confirm_hash",
                    existing.as_ref().filter(|_| !taken).map(|_| sha256_hex(&owner_confirm)),
                )
                .set(
                    "owner_cancel_hash",
                    existing.as_ref().filter(|_| !taken).map(|_| sha256_hex(&owner_cancel)),
                )
                .set("requested_from", client.clone())
                .by("id_hash", &flow.id_hash)
                .once(&mut tx)
                .await?;
            if !updated {
                return refuse(routes::START, AppError::FlowExpired);
            }
            let mail = if taken {
                mail::registration_attempt_on_taken_id(&state.settings, locale, id.as_str())
            } else {
                let link = state
                    .settings
                    .public_url
                    .join(&format!("/register/confirm?token={token}"))
                    .map_err(AppError::internal)?;
                mail::registration_confirm(&state.settings, locale, id.as_str(), link.as_str())
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
                let (confirm_link, cancel_link) = (link(&owner_confirm)?, link(&owner_cancel)?);
                crate::ssr::mail::enqueue_each(
                    &mut tx,
                    "registration.review",
                    target.security_recipients(),
                    |to| {
                        mail::reregistration_requested(
                            &state.settings,
                            target.locale,
                            to,
                            id.as_str(),
                            t,
                            &browser,
                            hold_until,
                            confirm_link.as_str(),
                            cancel_link.as_str(),
                        )
                    },
                    t,
                )
                .await?;
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
            Ok(String::from(routes::SENT))
        }
        .await,
    )
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
    step: super::RegistrationStep,
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
    crate::ssr::set_no_store();
    let mut conn = state.db.pool().acquire().await?;
    let row: Option<ConfirmLink> = sqlx::query_as(
        "SELECT f.itscom_id, c.name, c.customer_no, f.account_id, f.hold_until, f.owner_confirmed_at
         FROM registration_flows f JOIN customers c ON c.customer_no = f.customer_no
         WHERE f.confirm_token_hash = $1 AND f.step = $2 AND f.confirm_expires_at > $3",
    )
    .bind(sha256_hex(token.trim()))
    .bind(super::RegistrationStep::MailSent)
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
    // Whoever opens the link may be a stranger who knew the contract's details: the
    // addresses already on the contract are shown masked, for a first registration as
    // for a re-registration, unless the account's contact address confirmed it.
    let mut contact_options = contact_options(&mut conn, &customer_no, &itscom_id).await?;
    if account.is_none() || held {
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
    use super::RegistrationStep;
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{flow, now, refuse, respond};

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/register/confirm?token={token}");
    respond(
        &page.clone(),
        async move {
            let mut tx = state.db.pool().begin().await?;
            // Write first, and the customer first: the customer's row lock (PostgreSQL) or the
            // write lock (SQLite) is taken before anything is read, so parallel openings queue
            // instead of failing, and two completions of one customer never deadlock.
            let locked = sqlx::query(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE confirm_token_hash = $1 AND step = $2 AND confirm_expires_at > $3)",
    )
    .bind(sha256_hex(&token))
    .bind(RegistrationStep::MailSent)
    .bind(t)
    .execute(&mut *tx)
    .await?
    .rows_affected();
            if locked != 1 {
                return refuse(&page, AppError::LinkInvalid);
            }
            let row: Option<ConfirmingFlow> = sqlx::query_as(
                "SELECT id_hash, customer_no, itscom_id, account_id, hold_until, owner_confirmed_at
         FROM registration_flows
         WHERE confirm_token_hash = $1 AND step = $2 AND confirm_expires_at > $3",
            )
            .bind(sha256_hex(&token))
            .bind(RegistrationStep::MailSent)
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
                return refuse(&page, AppError::LinkInvalid);
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
                return refuse(&page, AppError::invalid("contact", crate::domain::FieldError::Required));
            };
            let recorded = flow::advance(RegistrationStep::MailSent, RegistrationStep::MailSent)
                .set("contact", &contact)
                .by("id_hash", &id_hash)
                .once(&mut tx)
                .await?;
            if !recorded {
                return refuse(&page, AppError::LinkInvalid);
            }
            if let (true, Some(until)) = (held, hold_until.filter(|u| t < *u)) {
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
                return Ok(format!("/register/pending?at={until}"));
            }
            match store::apply(&mut tx, &state.settings, &id_hash, RegistrationStep::MailSent, t).await {
                Ok(()) => {
                    tx.commit().await?;
                    Ok(String::from(routes::DONE))
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
                        routes::START
                    } else {
                        &page
                    };
                    refuse(back, e)
                }
            }
        }
        .await,
    )
}

/// A flow that can never complete (its account is disabled) ends.
#[cfg(feature = "ssr")]
async fn close_flow(state: &crate::ssr::AppState, id_hash: &str) -> Result<(), AppError> {
    use super::RegistrationStep::*;
    let mut conn = state.db.pool().acquire().await?;
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
    crate::ssr::set_referrer_policy_no_referrer();
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let hash = sha256_hex(token.trim());
    let row: Option<(Option<String>, String, i64)> = sqlx::query_as(&format!(
        "SELECT owner_confirm_hash, itscom_id, hold_until FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {}",
        crate::ssr::flow::step_in(&[super::RegistrationStep::MailSent, super::RegistrationStep::Waiting])
    ))
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
    use super::RegistrationStep;
    use crate::ssr::auth::{client_address, sha256_hex};
    use crate::ssr::events::{record, Event, Subject};
    use crate::ssr::{flow, now, refuse, respond};

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/register/review?token={token}");
    respond(
        &page.clone(),
        async move {
            let hash = sha256_hex(&token);
            let mut tx = state.db.pool().begin().await?;
            // Write first, the customer first (see complete_registration).
            let pending = flow::step_in(&[RegistrationStep::MailSent, RegistrationStep::Waiting]);
            sqlx::query(&format!(
        "UPDATE customers SET name = name WHERE customer_no IN (SELECT customer_no FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {pending})"
    ))
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            let row: Option<OwnerReviewFlow> = sqlx::query_as(&format!(
                "SELECT id_hash, customer_no, owner_confirm_hash, step, account_id FROM registration_flows
         WHERE (owner_confirm_hash = $1 OR owner_cancel_hash = $1) AND {pending}"
            ))
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
                return refuse(&page, AppError::LinkInvalid);
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
                return refuse(&page, AppError::LinkInvalid);
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
                if step == RegistrationStep::Waiting {
                    if let Err(e) =
                        store::apply(&mut tx, &state.settings, &id_hash, RegistrationStep::Waiting, t).await
                    {
                        drop(tx);
                        if e == AppError::Internal {
                            return Err(e.into());
                        }
                        close_flow(&state, &id_hash).await?;
                        return Ok(String::from("/register/reviewed?result=unavailable"));
                    }
                    tx.commit().await?;
                    return Ok(String::from("/register/reviewed?result=applied"));
                }
                tx.commit().await?;
                return Ok(String::from("/register/reviewed?result=confirmed"));
            }
            store::cancel_registrations(&mut tx, &customer_no).await?;
            // No new re-registration for 7 days: whoever tried must call the support centre.
            store::block_reregistration(&mut tx, &customer_no, t).await?;
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
            Ok(String::from("/register/reviewed?result=cancelled"))
        }
        .await,
    )
}

/// Put into effect every re-registration whose hold is over and that nobody
/// cancelled (run by the server's maintenance task). Returns how many took effect.
#[cfg(feature = "ssr")]
pub async fn apply_due_reregistrations(state: &crate::ssr::AppState, now: i64) -> Result<usize, AppError> {
    let due: Vec<(String,)> =
        sqlx::query_as("SELECT id_hash FROM registration_flows WHERE step = $1 AND hold_until <= $2")
            .bind(super::RegistrationStep::Waiting)
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

/// What a stop link (mailed to the contact address on record when a first
/// registration completed) is about: the account's ID masked, when (reading changes
/// nothing).
#[server(endpoint = "register/stop/link")]
pub async fn get_registration_stop(token: String) -> Result<super::RegistrationStop, AppError> {
    crate::ssr::set_referrer_policy_no_referrer();
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let Some(stop) = store::stop_link(&mut conn, token.trim(), crate::ssr::now()).await? else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    Ok(super::RegistrationStop {
        itscom_id: super::mask_address(&stop.itscom_id),
        registered_at: stop.created_at,
    })
}

/// `この登録を停止する`: the account is disabled (the support centre opens it again) and
/// every session of it ends. No login needed: the link mailed to the contract's own
/// address is the proof.
#[server(endpoint = "register/stop")]
pub async fn stop_registration(token: String) -> Result<String, AppError> {
    use crate::ssr::{refuse, respond};
    let token = token.trim().to_string();
    let page = format!("{}?token={token}", routes::STOP);
    respond(
        &page.clone(),
        async move {
            let state = crate::ssr::state()?;
            let t = crate::ssr::now();
            let mut tx = state.db.pool().begin().await?;
            let Some(account_id) = store::stop(&mut tx, &token, t).await? else {
                return refuse(&page, AppError::LinkInvalid);
            };
            crate::ssr::events::account_event(&mut tx, crate::ssr::events::Event::RegistrationStopped, &account_id, t)
                .await?;
            tx.commit().await?;
            tracing::info!(account = %account_id, "a first registration was stopped from the contact address on record");
            Ok(format!("{}?done=1", routes::STOP))
        }
        .await,
    )
}
