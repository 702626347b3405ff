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
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let (name, name_kana, postal_code, address, contact_email): (
        String,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT name, name_kana, postal_code, address, contact_email FROM customers WHERE customer_no = $1",
    )
    .bind(&account.customer_no)
    .fetch_one(&mut *conn)
    .await?;
    let phones: Vec<(String,)> =
        sqlx::query_as("SELECT phone FROM customer_phones WHERE customer_no = $1 ORDER BY phone")
            .bind(&account.customer_no)
            .fetch_all(&mut *conn)
            .await?;
    let mailboxes: Vec<(String,)> =
        sqlx::query_as("SELECT address FROM mailboxes WHERE customer_no = $1 ORDER BY created_at, address")
            .bind(&account.customer_no)
            .fetch_all(&mut *conn)
            .await?;
    let pending_contact: Option<(String,)> = sqlx::query_as(
        "SELECT new_email FROM contact_changes WHERE account_id = $1 AND step = $2 AND expires_at > $3
         ORDER BY created_at DESC",
    )
    .bind(&account.account_id)
    .bind(super::ContactStep::Mailed)
    .bind(crate::ssr::now())
    .fetch_optional(&mut *conn)
    .await?;
    let pending: Option<(String,)> = sqlx::query_as(
        "SELECT new_itscom_id FROM id_changes
         WHERE account_id = $1 AND step = $2 AND expires_at > $3 ORDER BY created_at DESC",
    )
    .bind(&account.account_id)
    .bind(super::IdChangeStep::Mailed)
    .bind(crate::ssr::now())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(AccountOverview {
        needs_password: crate::ssr::auth::needs_password(&account, crate::ssr::now()),
        customer_no: account.customer_no,
        name,
        name_kana,
        postal_code,
        address,
        phones: phones.into_iter().map(|(p,)| crate::domain::PhoneNumber::display(&p)).collect(),
        itscom_id: account.itscom_id,
        contact_email,
        mailboxes: mailboxes.into_iter().map(|(m,)| m).collect(),
        pending_id: pending.map(|(id,)| id),
        pending_contact: pending_contact.map(|(m,)| m),
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
    let id = match ItscomId::parse(&new_itscom_id) {
        Ok(id) => id,
        Err(e) => return refuse(PAGE, AppError::invalid("new_itscom_id", e)),
    };
    if id.key() == ItscomId::key_of_raw(&account.itscom_id) {
        return refuse(PAGE, AppError::invalid("new_itscom_id", FieldError::Unchanged));
    }
    let state = crate::ssr::state()?;
    let t = now();
    let mut tx = state.db.pool().begin().await?;
    // One draft at a time: an earlier unfinished one is dropped.
    flow::advance(Confirm, Cancelled).by("account_id", &account.account_id).rows(&mut tx).await?;
    sqlx::query(
        "INSERT INTO id_changes (id, account_id, session_hash, new_itscom_id, new_id_key, step, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::ssr::db::new_id())
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(id.as_str())
    .bind(id.key())
    .bind(Confirm)
    .bind(t)
    .bind(t + store::DRAFT_SECS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(String::from(routes::ID_CONFIRM))
    }
    .await)
}

/// The confirmation step's content: the IDs, the contact address, whether the
/// password is asked again.
#[server(endpoint = "account/id/draft")]
pub async fn get_id_change_draft() -> Result<Option<IdChangeDraft>, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let mut conn = state.db.pool().acquire().await?;
    let Some(draft) = store::current_draft(&mut conn, &account, t).await? else {
        return Ok(None);
    };
    let (contact_email,): (Option<String>,) =
        sqlx::query_as("SELECT contact_email FROM customers WHERE customer_no = $1")
            .bind(&account.customer_no)
            .fetch_one(&mut *conn)
            .await?;
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
/// held by another account gets the same screens and a mail without a link.
#[server(endpoint = "account/id/submit")]
pub async fn submit_id_change(contact: Option<String>, password: Option<String>) -> Result<String, AppError> {
    use super::mail;
    use super::IdChangeStep::*;
    use crate::domain::FieldError;
    use crate::ssr::auth::{random_token, sha256_hex};
    use crate::ssr::mail::enqueue;
    use crate::ssr::{flow, now, refuse, respond};
    const PAGE: &str = routes::ID_CONFIRM;
    respond(
        PAGE,
        async move {
            let account = crate::ssr::auth::require_login().await?;
            let state = crate::ssr::state()?;
            let t = now();
            let mut conn = state.db.pool().acquire().await?;
            let Some(draft) = store::current_draft(&mut conn, &account, t).await? else {
                return refuse(routes::ID, AppError::FlowExpired);
            };
            let sets_contact = match contact.as_deref() {
                Some("new") => true,
                Some("keep") => false,
                _ => return refuse(PAGE, AppError::invalid("contact", FieldError::Required)),
            };
            crate::ssr::auth::confirm_password(&mut conn, &account, password, t).await?;
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
            let token = random_token();
            let mut tx = state.db.pool().begin().await?;
            // Write first (SQLite: a transaction that reads first cannot write once another
            // writer has committed meanwhile).
            flow::hold(Confirm).by("id", &draft.id).rows(&mut tx).await?;
            let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE itscom_id_key = $1")
                .bind(&draft.new_id_key)
                .fetch_optional(&mut *tx)
                .await?;
            let taken = taken.is_some();
            let updated = flow::advance(Confirm, Mailed)
                .set("sets_contact", i64::from(sets_contact))
                .set("link_hash", (!taken).then(|| sha256_hex(&token)))
                .set("expires_at", t + store::LINK_SECS)
                .by("id", &draft.id)
                .once(&mut tx)
                .await?;
            if !updated {
                return refuse(routes::ID, AppError::FlowExpired);
            }
            // Any earlier change still waiting for its link is superseded.
            flow::advance(Mailed, Cancelled)
                .by("account_id", &account.account_id)
                .and("id <>", &draft.id)
                .rows(&mut tx)
                .await?;
            let locale = crate::ssr::db::customers::notice_target(&mut tx, &account.account_id).await?.locale;
            let mail = if taken {
                mail::id_change_attempt_on_taken_id(&state.settings, locale, &draft.new_id)
            } else {
                let link = state
                    .settings
                    .public_url
                    .join(&format!("/account/id/verify?token={token}"))
                    .map_err(AppError::internal)?;
                mail::id_change_confirm(&state.settings, locale, &draft.new_id, link.as_str())
            };
            enqueue(&mut tx, "account.id_change", &mail, t).await?;
            // The contact address hears of it now, with a link that cancels it.
            let cancel_token = random_token();
            sqlx::query("UPDATE id_changes SET cancel_hash = $2 WHERE id = $1")
                .bind(&draft.id)
                .bind(sha256_hex(&cancel_token))
                .execute(&mut *tx)
                .await?;
            let target = crate::ssr::db::customers::notice_target(&mut tx, &account.account_id).await?;
            let cancel_link = state
                .settings
                .public_url
                .join(&format!("/account/id/cancel?token={cancel_token}"))
                .map_err(AppError::internal)?;
            crate::ssr::mail::enqueue_each(
                &mut tx,
                "account.id_change_requested",
                target.security_recipients(),
                |to| {
                    mail::id_change_requested(
                        &state.settings,
                        locale,
                        to,
                        &draft.new_id,
                        t,
                        cancel_link.as_str(),
                    )
                },
                t,
            )
            .await?;
            crate::ssr::events::account_event(
                &mut tx,
                crate::ssr::events::Event::IdChangeRequested,
                &account.account_id,
                t,
            )
            .await?;
            tx.commit().await?;
            Ok(String::from(routes::ID_SENT))
        }
        .await,
    )
}

/// What a mailed link will change (reading changes nothing).
#[server(endpoint = "account/id/link")]
pub async fn get_id_change_link(token: String) -> Result<IdChangeLink, AppError> {
    use crate::ssr::crypto::sha256_hex;
    crate::ssr::set_referrer_policy_no_referrer();
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT a.itscom_id, x.new_itscom_id, x.sets_contact FROM id_changes x
         JOIN accounts a ON a.id = x.account_id
         WHERE x.link_hash = $1 AND x.step = $2 AND x.expires_at > $3",
    )
    .bind(sha256_hex(token.trim()))
    .bind(super::IdChangeStep::Mailed)
    .bind(crate::ssr::now())
    .fetch_optional(state.db.pool())
    .await?;
    let Some((current_id, new_id, sets_contact)) = row else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    Ok(IdChangeLink { current_id, new_id, sets_contact: sets_contact != 0 })
}

/// The new address confirms: the ID changes (once, even when opened twice at the same
/// moment), the contact address too if chosen, and the contact address before the
/// change is told.
#[server(endpoint = "account/id/confirm")]
pub async fn confirm_id_change(token: String) -> Result<String, AppError> {
    use super::mail;
    use super::IdChangeStep::*;
    use crate::domain::FieldError;
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{flow, now, refuse, respond, BackTo, OnUnique};

    /// The change a link confirms, with the account it changes.
    #[derive(sqlx::FromRow)]
    struct Confirming {
        account_id: String,
        new_id: String,
        new_id_key: String,
        sets_contact: i64,
        customer_no: String,
        old_id: String,
        old_contact: Option<String>,
        locale: String,
    }

    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    let page = format!("/account/id/verify?token={token}");
    respond(
        &page.clone(),
        async move {
            let mut tx = state.db.pool().begin().await?;
            // The single use: whoever flips the step first completes.
            let claimed = flow::advance(Mailed, Done)
                .set("completed_at", t)
                .clear("cancel_hash")
                .by("link_hash", sha256_hex(&token))
                .and("expires_at >", t)
                .once(&mut tx)
                .await?;
            if !claimed {
                return refuse(&page, AppError::LinkInvalid);
            }
            let Confirming {
                account_id,
                new_id,
                new_id_key,
                sets_contact,
                customer_no,
                old_id,
                old_contact,
                locale,
            } = sqlx::query_as(
                "SELECT x.account_id, x.new_itscom_id AS new_id, x.new_id_key, x.sets_contact, a.customer_no,
                a.itscom_id AS old_id, c.contact_email AS old_contact, a.locale
         FROM id_changes x JOIN accounts a ON a.id = x.account_id
         JOIN customers c ON c.customer_no = a.customer_no
         WHERE x.link_hash = $1",
            )
            .bind(sha256_hex(&token))
            .fetch_one(&mut *tx)
            .await?;
            let changed = sqlx::query(
                "UPDATE accounts SET itscom_id = $2, itscom_id_key = $3, updated_at = $4 WHERE id = $1",
            )
            .bind(&account_id)
            .bind(&new_id)
            .bind(&new_id_key)
            .bind(t)
            .execute(&mut *tx)
            .await;
            // Another account took this ID after the mail was sent.
            changed.on_unique(AppError::invalid("new_itscom_id", FieldError::Taken)).back_to(&page)?;
            let locale = crate::i18n::Locale::from_code(&locale).unwrap_or_default();
            if sets_contact != 0 {
                // The address before is mailed a link that takes the contact change back.
                let previous = old_contact.clone().unwrap_or_else(|| old_id.clone());
                store::set_contact(
                    &mut tx,
                    &state.settings,
                    &account_id,
                    &customer_no,
                    &previous,
                    &new_id,
                    locale,
                    t,
                )
                .await?;
            }
            // Recoveries and registrations started for the old ID end with it.
            crate::features::cancel_pending(&mut tx, &account_id, t).await?;
            crate::ssr::events::account_event(&mut tx, crate::ssr::events::Event::IdChanged, &account_id, t)
                .await?;
            // The contact address before the change hears of it (and, for 7 days after a
            // change of the contact address, the ones before that).
            let to = old_contact.unwrap_or(old_id);
            let also = crate::ssr::db::customers::previous_contacts(&mut tx, &customer_no, &to, t).await?;
            crate::ssr::mail::enqueue_each(
                &mut tx,
                "account.id_changed",
                std::iter::once(to.as_str()).chain(also.iter().map(String::as_str)),
                |to| mail::id_changed_notice(&state.settings, locale, to, &new_id, t),
                t,
            )
            .await?;
            tx.commit().await?;
            tracing::info!(customer = %customer_no, "iTSCOM ID changed");
            Ok(String::from(routes::ID_DONE))
        }
        .await,
    )
}

/// The change a cancel link (mailed to the contact address at submit time) is about
/// (reading changes nothing).
#[server(endpoint = "account/id/cancel/link")]
pub async fn get_id_change_cancel(token: String) -> Result<IdChangeLink, AppError> {
    use crate::ssr::crypto::sha256_hex;
    crate::ssr::set_referrer_policy_no_referrer();
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT a.itscom_id, x.new_itscom_id, COALESCE(x.sets_contact, 0) FROM id_changes x
         JOIN accounts a ON a.id = x.account_id
         WHERE x.cancel_hash = $1 AND x.step = $2",
    )
    .bind(sha256_hex(token.trim()))
    .bind(super::IdChangeStep::Mailed)
    .fetch_optional(state.db.pool())
    .await?;
    let Some((current_id, new_id, sets_contact)) = row else {
        crate::ssr::set_status(404);
        return Err(AppError::LinkInvalid);
    };
    Ok(IdChangeLink { current_id, new_id, sets_contact: sets_contact != 0 })
}

/// `変更を取り消す`: the pending change ends (no login needed: the contact address's
/// link is the proof).
#[server(endpoint = "account/id/cancel")]
pub async fn cancel_id_change(token: String) -> Result<String, AppError> {
    use super::IdChangeStep::*;
    use crate::ssr::crypto::sha256_hex;
    use crate::ssr::{flow, now, refuse, respond};
    let state = crate::ssr::state()?;
    let t = now();
    let token = token.trim().to_string();
    respond(
        &format!("/account/id/cancel?token={token}"),
        async move {
            let mut tx = state.db.pool().begin().await?;
            // Write first, so parallel clicks queue (SQLite's write lock, PostgreSQL's row lock).
            flow::hold(Mailed).by("cancel_hash", sha256_hex(&token)).rows(&mut tx).await?;
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT id, account_id FROM id_changes WHERE cancel_hash = $1 AND step = $2")
                    .bind(sha256_hex(&token))
                    .bind(Mailed)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((id, account_id)) = row else {
                return refuse(&format!("/account/id/cancel?token={token}"), AppError::LinkInvalid);
            };
            let cancelled = flow::advance(Mailed, Cancelled)
                .clear("link_hash")
                .clear("cancel_hash")
                .by("id", &id)
                .once(&mut tx)
                .await?;
            if !cancelled {
                return refuse(&format!("/account/id/cancel?token={token}"), AppError::LinkInvalid);
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
        }
        .await,
    )
}
