#[cfg(feature = "ssr")]
use super::routes;
use super::{AccountOverview, IdChangeDraft, IdChangeLink};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::store;

/// お客さま情報: name, customer number, iTSCOM ID, contact address, a pending change.
#[server(endpoint = "account/overview")]
pub async fn get_account_overview() -> Result<AccountOverview, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let customer = store::customer(&mut conn, &account.customer_no).await?;
    let phones = store::phones(&mut conn, &account.customer_no).await?;
    let mailboxes = store::mailboxes(&mut conn, &account.customer_no).await?;
    let pending_contact = store::pending_contact(&mut conn, &account.account_id, crate::ssr::now()).await?;
    let pending_id = store::pending_id(&mut conn, &account.account_id, crate::ssr::now()).await?;
    Ok(AccountOverview {
        needs_password: crate::ssr::auth::needs_password(&account, crate::ssr::now()),
        customer_no: account.customer_no,
        name: customer.name,
        name_kana: customer.name_kana,
        postal_code: customer.postal_code,
        address: customer.address,
        phones: phones.into_iter().map(|p| crate::domain::PhoneNumber::display(&p)).collect(),
        itscom_id: account.itscom_id,
        contact_email: customer.contact_email,
        mailboxes,
        pending_id,
        pending_contact,
    })
}

/// `新しいiTSCOM ID`, `次へ`: drafts the change for this session.
#[server(endpoint = "account/id/start")]
pub async fn start_id_change(new_itscom_id: String) -> Result<String, AppError> {
    use super::IdChangeStep::*;
    use crate::domain::{FieldError, ItscomId};
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::ID;
    respond(PAGE, async move {
        let account = crate::ssr::auth::require_login().await?;
        let id = ItscomId::parse(&new_itscom_id).map_err(|e| AppError::invalid("new_itscom_id", e))?;
        if id.key() == ItscomId::key_of_raw(&account.itscom_id) {
            return refuse(PAGE, AppError::invalid("new_itscom_id", FieldError::Unchanged));
        }
        let state = crate::ssr::state()?;
        let t = now();
        let mut tx = state.db.begin().await?;
        // One draft at a time: an earlier unfinished one is dropped. The customer's row
        // first, so two starts at once (two sessions) are taken one after the other and
        // the second drops the first's (else each dropped none and both stood).
        crate::ssr::db::customers::lock(&mut tx, &account.customer_no).await?;
        flow::advance(Confirm, Cancelled).by("account_id", &account.account_id).rows(&mut tx).await?;
        store::insert_draft(&mut tx, &account, &id, t).await?;
        tx.commit().await?;
        Ok(String::from(routes::ID_CONFIRM))
    })
    .await
}

/// The confirmation step's content: the IDs, the contact address, whether the
/// password is asked again.
#[server(endpoint = "account/id/draft")]
pub async fn get_id_change_draft() -> Result<Option<IdChangeDraft>, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let mut conn = state.db.conn().await?;
    let Some(draft) = store::current_draft(&mut conn, &account, t).await? else {
        return Ok(None);
    };
    let contact_email = store::contact_email(&mut conn, &account.customer_no).await?;
    Ok(Some(IdChangeDraft {
        step: draft.step,
        current_id: account.itscom_id.clone(),
        new_id: draft.new_id,
        contact_email,
        needs_password: crate::ssr::auth::needs_password(&account, t),
    }))
}

/// `登録`: the contact-address choice (and the current password when the login is
/// older than 5 minutes); mails the confirmation link to the new address. A new ID
/// held by another account gets the same screens and a mail without a link. `new_id` is
/// the new ID the page showed: the draft changed since (another tab, or someone else
/// holding the session, started another) is refused, so the password typed for one ID
/// never sends the link for another.
#[server(endpoint = "account/id/submit")]
pub async fn submit_id_change(
    contact: Option<String>,
    new_id: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    crate::ssr::respond(routes::ID_CONFIRM, submit_id(contact, new_id, password)).await
}

/// The submit's checks (the draft, the choice, the password, the mail budget), then
/// its mails.
#[cfg(feature = "ssr")]
async fn submit_id(
    contact: Option<String>,
    shown: Option<String>,
    password: Option<String>,
) -> crate::ssr::Answer {
    use crate::domain::FieldError;
    use crate::ssr::{now, refuse};
    const PAGE: &str = routes::ID_CONFIRM;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = now();
    let mut conn = state.db.conn().await?;
    let Some(draft) = store::current_draft(&mut conn, &account, t).await? else {
        if store::mailed_already(&mut conn, &account, t).await? {
            return Ok(routes::ID_SENT.into()); // sent again: mailed once
        }
        return refuse(routes::ID, AppError::FlowExpired);
    };
    if shown.as_deref().is_some_and(|shown| shown != draft.new_id) {
        return refuse(routes::ID, AppError::FlowExpired);
    }
    let sets_contact = match contact.as_deref() {
        Some("new") => true,
        Some("keep") => false,
        _ => return refuse(PAGE, AppError::invalid("contact", FieldError::Required)),
    };
    drop(conn);
    crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
    let mut conn = state.db.conn().await?;
    // A mail goes to the typed address: 5 an hour per account and per address.
    {
        use crate::ssr::auth::throttle::{reserve, MAILS_TO_ADDRESS};
        if !(reserve(&mut conn, &store::ID_CHANGE_MAILS, &account.account_id, t).await?.go()
            && reserve(&mut conn, &MAILS_TO_ADDRESS, &draft.new_id_key, t).await?.go())
        {
            return refuse(PAGE, AppError::TooManyAttempts);
        }
    }
    drop(conn);
    mail_id_change(&state, &account, &draft, sets_contact, t).await
}

/// The draft goes to `Mailed` (once) and supersedes any earlier one; the new address is
/// mailed the link (or, when the ID is taken, a mail without one), the contact address
/// the notice; all in one transaction.
#[cfg(feature = "ssr")]
async fn mail_id_change(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    draft: &store::Draft,
    sets_contact: bool,
    t: i64,
) -> crate::ssr::Answer {
    use super::IdChangeStep::*;
    use crate::ssr::auth::{random_token, sha256_hex};
    use crate::ssr::{flow, refuse};
    let token = random_token();
    let mut tx = state.db.begin().await?;
    // Write first (SQLite: a transaction that reads first cannot write once another
    // writer has committed meanwhile).
    flow::hold(Confirm).by("id", &draft.id).rows(&mut tx).await?;
    let taken = store::id_taken(&mut tx, &draft.new_id_key).await?;
    let updated = flow::advance(Confirm, Mailed)
        .set("sets_contact", i64::from(sets_contact))
        .set("link_hash", (!taken).then(|| sha256_hex(&token)))
        .set("expires_at", t + store::LINK_SECS)
        .by("id", &draft.id)
        .once(&mut tx)
        .await?;
    if !updated {
        // The same submit at once from this session (a double click) mailed it first.
        if store::mailed_already(&mut tx, account, t).await? {
            return Ok(routes::ID_SENT.into());
        }
        return refuse(routes::ID, AppError::FlowExpired);
    }
    // Any earlier change still waiting for its link is superseded.
    flow::advance(Mailed, Cancelled)
        .by("account_id", &account.account_id)
        .and("id <>", &draft.id)
        .rows(&mut tx)
        .await?;
    // Where the account's notices go, looked up once: its language for the mail to the
    // new address, its recipients for the notice below.
    let target = crate::ssr::db::customers::notice_target(&mut tx, &account.account_id).await?;
    let locale = target.locale;
    let mail = if taken {
        super::mail::id_change_attempt_on_taken_id(&state.settings, locale, &draft.new_id)
    } else {
        let link = state.settings.mailed_link(routes::ID_VERIFY, &token)?;
        super::mail::id_change_confirm(&state.settings, locale, &draft.new_id, link.as_str())
    };
    crate::ssr::mail::enqueue(&mut tx, "account.id_change", &mail, t).await?;
    tell_of_id_change(&mut tx, state, &account.account_id, &target, draft, t).await?;
    tx.commit().await?;
    Ok(String::from(routes::ID_SENT))
}

/// The contact address hears of the change now, with a link that cancels it; and the
/// event, in `tx`.
#[cfg(feature = "ssr")]
async fn tell_of_id_change(
    tx: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    account_id: &str,
    target: &crate::ssr::db::customers::NoticeTarget,
    draft: &store::Draft,
    t: i64,
) -> Result<(), AppError> {
    use crate::ssr::events::{account_event, Event};
    let cancel_token = crate::ssr::auth::random_token();
    store::set_cancel_link(tx, &draft.id, &cancel_token).await?;
    let cancel_link = state.settings.mailed_link(routes::ID_CANCEL, &cancel_token)?;
    let mail = |to: &str| {
        super::mail::id_change_requested(
            &state.settings,
            target.locale,
            to,
            &draft.new_id,
            t,
            cancel_link.as_str(),
        )
    };
    target.notify(tx, Event::IdChangeRequested.name(), mail, t).await?;
    Ok(account_event(tx, Event::IdChangeRequested, account_id, t).await?)
}

/// What a mailed link will change (reading changes nothing).
#[server(endpoint = "account/id/link")]
pub async fn get_id_change_link(token: String) -> Result<IdChangeLink, AppError> {
    let (link, _) = crate::ssr::read_link(&token, store::confirm_link).await?;
    // Whoever holds the link (a mistyped new address is a stranger's) sees the ID in
    // force masked, as a contact-address link shows the address.
    let mut link: IdChangeLink = link.into();
    link.current_id = crate::domain::itscom_id::mask_address(&link.current_id);
    Ok(link)
}

/// The new address confirms: the ID changes (once, even when opened twice at the same
/// moment), the contact address too if chosen, and the contact address before the
/// change is told.
#[server(endpoint = "account/id/confirm")]
pub async fn confirm_id_change(token: String) -> Result<String, AppError> {
    crate::ssr::link_action(token, routes::ID_VERIFY, |l| async move {
        confirm_id(&l.state, &l.token, &l.page, l.t).await
    })
    .await
}

/// Claims the link `token` and makes its change, in one transaction.
#[cfg(feature = "ssr")]
async fn confirm_id(state: &crate::ssr::AppState, token: &str, page: &str, t: i64) -> crate::ssr::Answer {
    use super::IdChangeStep::*;
    use crate::domain::FieldError;
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{flow, refuse, BackTo, OnUnique};
    let mut tx = state.db.begin().await?;
    store::lock_owner_of_link(&mut tx, token).await?;
    // The single use: whoever flips the step first completes.
    let claimed = flow::advance(Mailed, Done)
        .set("completed_at", t)
        .clear("cancel_hash")
        .by("link_hash", sha256_hex(token))
        .and("expires_at >", t)
        .once(&mut tx)
        .await?;
    if !claimed {
        return refuse(page, AppError::LinkInvalid);
    }
    let c = store::confirming(&mut tx, token).await?;
    let changed = store::change_id(&mut tx, &c.account_id, &c.new_id, &c.new_id_key, t).await;
    // Another account took this ID after the mail was sent.
    changed.on_unique(AppError::invalid("new_itscom_id", FieldError::Taken)).back_to(page)?;
    // The login's count follows the account to its new ID (a lock stays a lock), and
    // strangers' failures typed at the new address while it was nobody's ID go.
    let old_key = crate::domain::ItscomId::key_of_raw(&c.old_id);
    let login = &crate::ssr::auth::throttle::LOGIN_ACCOUNT;
    crate::ssr::auth::throttle::move_subject(&mut tx, login, &old_key, &c.new_id_key).await?;
    let locale = crate::i18n::Locale::from_code(&c.locale).unwrap_or_default();
    if c.sets_contact != 0 {
        // The address before is mailed a link that takes the contact change back.
        let previous = c.old_contact.clone().unwrap_or_else(|| c.old_id.clone());
        store::set_contact(
            &mut tx,
            &state.settings,
            &c.account_id,
            &c.customer_no,
            &previous,
            &c.new_id,
            locale,
            t,
        )
        .await?;
    }
    // Recoveries and registrations started for the old ID end with it.
    crate::features::cancel_pending(&mut tx, &c.account_id, t).await?;
    crate::ssr::events::account_event(&mut tx, crate::ssr::events::Event::IdChanged, &c.account_id, t)
        .await?;
    tell_of_id_changed(&mut tx, state, &c, locale, t).await?;
    tx.commit().await?;
    tracing::info!(customer = %c.customer_no, "iTSCOM ID changed");
    Ok(String::from(routes::ID_DONE))
}

/// The contact address before the change hears of it (and, for 7 days after a change
/// of the contact address, the ones before that), in `tx`.
#[cfg(feature = "ssr")]
async fn tell_of_id_changed(
    tx: &mut crate::ssr::db::Conn,
    state: &crate::ssr::AppState,
    c: &store::Confirming,
    locale: crate::i18n::Locale,
    t: i64,
) -> Result<(), sqlx::Error> {
    let to = c.old_contact.clone().unwrap_or_else(|| c.old_id.clone());
    let also = crate::ssr::db::customers::previous_contacts(tx, &c.customer_no, &to, t).await?;
    crate::ssr::mail::enqueue_each(
        tx,
        "account.id_changed",
        std::iter::once(to.as_str()).chain(also.iter().map(String::as_str)),
        |to| super::mail::id_changed_notice(&state.settings, locale, to, &c.new_id, t),
        t,
    )
    .await
}

/// The change a cancel link (mailed to the contact address at submit time) is about
/// (reading changes nothing).
#[server(endpoint = "account/id/cancel/link")]
pub async fn get_id_change_cancel(token: String) -> Result<IdChangeLink, AppError> {
    let (link, _) =
        crate::ssr::read_link(&token, async |conn, token, _| store::cancel_link(conn, token).await).await?;
    Ok(link.into())
}

/// `変更を取り消す`: the pending change ends (no login needed: the contact address's
/// link is the proof).
#[server(endpoint = "account/id/cancel")]
pub async fn cancel_id_change(token: String) -> Result<String, AppError> {
    use super::IdChangeStep::*;
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{flow, refuse};
    crate::ssr::link_action(
        token,
        routes::ID_CANCEL,
        |crate::ssr::Link { token, page, state, t }| async move {
            let mut tx = state.db.begin().await?;
            // Write first, so parallel clicks queue (SQLite's write lock, PostgreSQL's row lock).
            flow::hold(Mailed).by("cancel_hash", sha256_hex(&token)).rows(&mut tx).await?;
            let Some((id, account_id)) = store::change_of_cancel_link(&mut tx, &token).await? else {
                return refuse(&page, AppError::LinkInvalid);
            };
            let cancelled = flow::advance(Mailed, Cancelled)
                .clear("link_hash")
                .clear("cancel_hash")
                .by("id", &id)
                .once(&mut tx)
                .await?;
            if !cancelled {
                return refuse(&page, AppError::LinkInvalid);
            }
            crate::ssr::events::account_event(
                &mut tx,
                crate::ssr::events::Event::IdChangeCancelled,
                &account_id,
                t,
            )
            .await?;
            tx.commit().await?;
            Ok(String::from(routes::ID_CANCELLED))
        },
    )
    .await
}
