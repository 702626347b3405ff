//! お客さま情報の変更 (issue 13): phone numbers (the PhoneNumber rules; 1 to
//! [`MAX_PHONES`](super::MAX_PHONES) kept) and the contact address (one of the
//! customer's own mailboxes at once; another address once it confirms by a mailed
//! single-use link). Each change asks for the password again after 5 minutes and mails a
//! notice to the contact address in force before it. Name and address are not edited
//! here: they need documents (the page says which).

use super::ContactLink;
use crate::error::AppError;
use leptos::prelude::*;

/// The page a change returns to, with what happened (`?done=…`).
#[cfg(feature = "ssr")]
fn back(what: &str) -> String {
    let section = if what.starts_with("phone") { "phones" } else { "contact" };
    format!("{}?done={what}#{section}", super::routes::OVERVIEW)
}

/// The notice of `what` (in the customer's words) to the contact address in force now,
/// and the event, in `tx`.
#[cfg(feature = "ssr")]
async fn notice(
    tx: &mut crate::ssr::db::Conn,
    account_id: &str,
    event: crate::ssr::events::Event,
    what: impl Fn(&'static super::texts::AccountTexts) -> String,
    t: i64,
) -> Result<(), sqlx::Error> {
    let state = crate::ssr::state().map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let mail = |locale, to: &str| {
        super::mail::profile_changed(&state.settings, locale, to, &what(super::texts::of(locale)), t)
    };
    crate::ssr::events::notify_account(tx, event, account_id, mail, t).await
}

/// `追加する`: a phone number on the contract (the PhoneNumber rules; not one it has;
/// at most [`super::MAX_PHONES`]).
#[server(endpoint = "account/phone/add")]
pub async fn add_phone(phone: String, password: Option<String>) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::OVERVIEW, change_phones(phone, password, true)).await
}

/// `削除`: one of the contract's phone numbers, never the last.
#[server(endpoint = "account/phone/remove")]
pub async fn remove_phone(phone: String, password: Option<String>) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::OVERVIEW, change_phones(phone, password, false)).await
}

/// Adds (`adding`) or removes `phone`, keeping 1 to [`super::MAX_PHONES`], with the
/// notice; the password again after 5 minutes.
#[cfg(feature = "ssr")]
async fn change_phones(phone: String, password: Option<String>, adding: bool) -> crate::ssr::Answer {
    use crate::domain::{FieldError, PhoneNumber};
    use crate::ssr::events::Event;
    use crate::ssr::refuse;
    let page = super::routes::OVERVIEW;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let number = PhoneNumber::parse(&phone).map_err(|e| AppError::invalid("phone", e))?;
    crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
    let mut conn = state.db.conn().await?;
    crate::ssr::auth::throttle::noticed_change(&mut conn, &account.session_hash, t).await?;
    drop(conn);
    let mut tx = state.db.begin().await?;
    // The customer's row locked first: two changes at once are taken one after the
    // other, so the count below sees the other's row (PostgreSQL would otherwise let two
    // different numbers pass the limit together).
    crate::ssr::db::customers::lock(&mut tx, &account.customer_no).await?;
    crate::ssr::auth::hold_session(&mut tx, &account).await?;
    let changed = if adding {
        super::store::insert_phone(&mut tx, &account.customer_no, number.digits()).await?
    } else {
        super::store::delete_phone(&mut tx, &account.customer_no, number.digits()).await?
    };
    if !changed {
        // Adding one it has; removing one it has not.
        let error = if adding { AppError::invalid("phone", FieldError::Taken) } else { AppError::NotFound };
        return refuse(page, error);
    }
    let count = super::store::phone_count(&mut tx, &account.customer_no).await?;
    if count > super::MAX_PHONES as i64 || count == 0 {
        tx.rollback().await?;
        let error = if adding {
            AppError::invalid("phone", FieldError::Exhausted)
        } else {
            AppError::invalid("remove_phone", FieldError::Required)
        };
        return refuse(page, error);
    }
    let shown = PhoneNumber::display(number.digits());
    let (event, done) =
        if adding { (Event::PhoneAdded, "phone_added") } else { (Event::PhoneRemoved, "phone_removed") };
    let what = |w: &'static super::texts::AccountTexts| {
        if adding {
            (w.what_phone_added)(&shown)
        } else {
            (w.what_phone_removed)(&shown)
        }
    };
    notice(&mut tx, &account.account_id, event, what, t).await?;
    tx.commit().await?;
    Ok(back(done))
}

/// Confirmation mails to other addresses: 5 an hour per account, so no one uses My
/// Page to flood a stranger's mailbox.
#[cfg(feature = "ssr")]
pub const CONTACT_MAILS: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("contact-mail", 3600).free(5).then_wait(300, 3600);

/// `連絡先を変更する`: `contact` is one of the customer's mailboxes (changed at once) or
/// `other` with `email` (a link mailed there; changed when it is opened).
#[server(endpoint = "account/contact")]
pub async fn change_contact(
    contact: Option<String>,
    email: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    crate::ssr::respond(super::routes::OVERVIEW, change_contact_to(contact, email, password)).await
}

/// The change's checks (the address, the password, the mail budget), then the change.
#[cfg(feature = "ssr")]
async fn change_contact_to(
    contact: Option<String>,
    email: Option<String>,
    password: Option<String>,
) -> crate::ssr::Answer {
    use crate::domain::FieldError;
    use crate::ssr::auth::throttle;
    use crate::ssr::refuse;
    let page = super::routes::OVERVIEW;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let current = super::store::contact_email(&mut conn, &account.customer_no).await?;
    let (to, own) = chosen_contact(&mut conn, &account.customer_no, contact, email).await?;
    if current.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&to)) {
        return refuse(page, AppError::invalid("contact_email", FieldError::Unchanged));
    }
    drop(conn);
    crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
    let mut conn = state.db.conn().await?;
    if !own && super::store::mailed_just_now(&mut conn, &account.account_id, &to, t).await? {
        return Ok(back("contact_mailed")); // sent again: mailed once
    }
    // Mails to a typed address: 5 an hour per account and per address. A switch to an
    // own mailbox, at once, mails the address before it.
    if own {
        throttle::noticed_change(&mut conn, &account.session_hash, t).await?;
    }
    let mails_allowed = own
        || (throttle::reserve(&mut conn, &CONTACT_MAILS, &account.account_id, t).await?.go()
            && throttle::reserve(&mut conn, &throttle::MAILS_TO_ADDRESS, &to.to_ascii_lowercase(), t)
                .await?
                .go());
    if !mails_allowed {
        return refuse(page, AppError::TooManyAttempts);
    }
    drop(conn);
    write_contact_change(&state, &account, &to, own, t).await
}

/// The change to `to`, superseding any waiting one: at once to an own mailbox (`own`),
/// by a mailed link to another address; in one transaction.
#[cfg(feature = "ssr")]
async fn write_contact_change(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    to: &str,
    own: bool,
    t: i64,
) -> crate::ssr::Answer {
    use super::ContactStep;
    let mut tx = state.db.begin().await?;
    // One change of the customer's at a time: the same change sent twice at once is
    // mailed once (the second finds the first), and two links never both wait.
    crate::ssr::db::customers::lock(&mut tx, &account.customer_no).await?;
    crate::ssr::auth::hold_session(&mut tx, account).await?;
    if !own && super::store::mailed_just_now(&mut tx, &account.account_id, to, t).await? {
        return Ok(back("contact_mailed"));
    }
    // Any change still waiting for its link is superseded by this one.
    crate::ssr::flow::advance(ContactStep::Mailed, ContactStep::Cancelled)
        .clear("link_hash")
        .by("account_id", &account.account_id)
        .rows(&mut tx)
        .await?;
    if own {
        // The address in force before the change is mailed a link that takes it back.
        let target = crate::ssr::db::customers::notice_target(&mut tx, &account.account_id).await?;
        super::store::set_contact(
            &mut tx,
            &state.settings,
            &account.account_id,
            &account.customer_no,
            &target.to,
            to,
            target.locale,
            t,
        )
        .await?;
        tx.commit().await?;
        return Ok(back("contact_changed"));
    }
    mail_contact_link(&mut tx, state, account, to, t).await?;
    tx.commit().await?;
    Ok(back("contact_mailed"))
}

/// The address `contact` chooses: (one of the customer's mailboxes, true), or (the
/// typed `email` when `contact` is `other`, false).
#[cfg(feature = "ssr")]
async fn chosen_contact(
    conn: &mut crate::ssr::db::Conn,
    customer_no: &str,
    contact: Option<String>,
    email: Option<String>,
) -> Result<(String, bool), crate::ssr::Refusal> {
    use crate::domain::{FieldError, ItscomId};
    use crate::ssr::refuse;
    let page = super::routes::OVERVIEW;
    let choice = contact.unwrap_or_default();
    if choice == "other" {
        let typed = ItscomId::parse(email.as_deref().unwrap_or_default())
            .map_err(|e| AppError::invalid("contact_email", e))?;
        return Ok((typed.as_str().to_string(), false));
    }
    if choice.is_empty() {
        return refuse(page, AppError::invalid("contact", FieldError::Required));
    }
    match super::store::own_mailbox(conn, customer_no, &choice).await? {
        Some(address) => Ok((address, true)),
        None => refuse(page, AppError::invalid("contact", FieldError::Required)),
    }
}

/// The change to `to` waits for the link mailed there; the contact address in force is
/// told, in `tx`.
#[cfg(feature = "ssr")]
async fn mail_contact_link(
    tx: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    to: &str,
    t: i64,
) -> Result<(), AppError> {
    let token = crate::ssr::auth::random_token();
    super::store::insert_contact_change(tx, account, to, &token, t).await?;
    let target = crate::ssr::db::customers::notice_target(tx, &account.account_id).await?;
    let link = state.settings.mailed_link(super::routes::CONTACT_VERIFY, &token)?;
    let mail = super::mail::contact_confirm(&state.settings, target.locale, to, link.as_str());
    crate::ssr::mail::enqueue(tx, "account.contact_confirm", &mail, t).await?;
    notice(
        tx,
        &account.account_id,
        crate::ssr::events::Event::ContactChangeRequested,
        |w| (w.what_contact_requested)(to),
        t,
    )
    .await?;
    Ok(())
}

/// What a contact-address link will change (reading changes nothing).
#[server(endpoint = "account/contact/link")]
pub async fn get_contact_link(token: String) -> Result<ContactLink, AppError> {
    let ((current, new_email), _) = crate::ssr::read_link(&token, super::store::contact_link).await?;
    // Whoever holds the link (a mistyped address is a stranger's) sees the current
    // address masked.
    Ok(ContactLink { current: current.map(|c| crate::domain::itscom_id::mask_address(&c)), new_email })
}

/// `変更を確定する`: the new address confirms, once (the link's hash is cleared as it is
/// claimed); the notice goes to the address in force before.
#[server(endpoint = "account/contact/confirm")]
pub async fn confirm_contact_change(token: String) -> Result<String, AppError> {
    use super::ContactStep;
    use crate::ssr::auth::sha256_hex;
    use crate::ssr::{flow, refuse};
    crate::ssr::link_action(
        token,
        super::routes::CONTACT_VERIFY,
        |crate::ssr::Link { token, page, state, t }| async move {
            let hash = sha256_hex(&token);
            let mut tx = state.db.begin().await?;
            // Read the change before its hash is cleared by the claim below; the claim
            // (write) decides whether it is used, and the read is repeated under it.
            let claimed = flow::advance(ContactStep::Mailed, ContactStep::Done)
                .set("link_hash", format!("used:{hash}"))
                .by("link_hash", hash.clone())
                .and("expires_at >", t)
                .once(&mut tx)
                .await?;
            if !claimed {
                return refuse(&page, AppError::LinkInvalid);
            }
            let change = super::store::claimed_contact_change(&mut tx, format!("used:{hash}")).await?;
            // The address in force before is mailed a link that takes the change back.
            let target = crate::ssr::db::customers::notice_target(&mut tx, &change.account_id).await?;
            super::store::set_contact(
                &mut tx,
                &state.settings,
                &change.account_id,
                &change.customer_no,
                &target.to,
                &change.new_email,
                target.locale,
                t,
            )
            .await?;
            tx.commit().await?;
            Ok(super::routes::CONTACT_VERIFY.done())
        },
    )
    .await
}

/// What a revert link (mailed to the contact address a change replaced) will restore;
/// the current address masked (reading changes nothing).
#[server(endpoint = "account/contact/revert/link")]
pub async fn get_contact_revert(token: String) -> Result<super::ContactRevertLink, AppError> {
    let (r, _) = crate::ssr::read_link(&token, super::store::revert_link).await?;
    Ok(super::ContactRevertLink {
        restore: r.previous_email,
        current: r.current.map(|c| crate::domain::itscom_id::mask_address(&c)),
    })
}

/// `変更を取り消す`: the contact address is the one the change replaced again, every
/// session of the account ends (and every pending change), the restored address is
/// told. No login needed: the link mailed to that address is the proof.
#[server(endpoint = "account/contact/revert")]
pub async fn revert_contact_change(token: String) -> Result<String, AppError> {
    use crate::ssr::refuse;
    crate::ssr::link_action(
        token,
        super::routes::CONTACT_REVERT,
        |crate::ssr::Link { token, page, state, t }| async move {
            let mut tx = state.db.begin().await?;
            let Some(r) = super::store::revert(&mut tx, &token, t).await? else {
                return refuse(&page, AppError::LinkInvalid);
            };
            crate::ssr::events::account_event(
                &mut tx,
                crate::ssr::events::Event::ContactReverted,
                &r.account_id,
                t,
            )
            .await?;
            let locale = crate::i18n::Locale::from_code(&r.locale).unwrap_or_default();
            let mail = super::mail::contact_reverted(&state.settings, locale, &r.previous_email, t);
            crate::ssr::mail::enqueue(&mut tx, "account.contact_reverted", &mail, t).await?;
            // The address it replaced is told too (without a link): it is no longer the
            // contact address.
            if let Some(replaced) =
                r.current.as_deref().filter(|c| !c.eq_ignore_ascii_case(&r.previous_email))
            {
                let words = (super::texts::of(locale).what_contact_changed)(&r.previous_email);
                let mail = super::mail::profile_changed(&state.settings, locale, replaced, &words, t);
                crate::ssr::mail::enqueue(&mut tx, "account.contact_reverted", &mail, t).await?;
            }
            tx.commit().await?;
            tracing::info!(customer = %r.customer_no, "contact address change taken back");
            Ok(super::routes::CONTACT_REVERT.done())
        },
    )
    .await
}
