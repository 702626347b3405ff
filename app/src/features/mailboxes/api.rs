#[cfg(feature = "ssr")]
use super::store;
#[cfg(feature = "ssr")]
use super::{routes, MailboxStep};
use super::{MailboxCompletion, MailboxDraftView, MailboxList};
use crate::error::AppError;
use leptos::prelude::*;

/// メールアドレス: the customer's mailboxes (or why there are none).
#[server(endpoint = "mail/list")]
pub async fn get_mailbox_list() -> Result<MailboxList, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let Some(service_id) = store::internet_service(&mut conn, &account.customer_no).await? else {
        return Ok(MailboxList { eligible: false, limit: state.settings.mailbox_limit, mailboxes: vec![] });
    };
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, address, virus_check, created_at FROM mailboxes WHERE service_id = $1
         ORDER BY created_at, address",
    )
    .bind(&service_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(MailboxList {
        eligible: true,
        limit: state.settings.mailbox_limit,
        mailboxes: rows
            .into_iter()
            .map(|(id, address, virus, created_at)| super::MailboxRow {
                id,
                address,
                virus_check: virus != 0,
                created_at,
            })
            .collect(),
    })
}

/// Switch a mailbox's virus check (any time): an event for the mail system and a
/// notice to the customer.
#[server(endpoint = "mail/virus-check")]
pub async fn set_virus_check(mailbox_id: String, virus_check: String) -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{now, respond};
    respond(
        routes::LIST,
        async move {
            let account = crate::ssr::auth::require_login().await?;
            let on = match virus_check.as_str() {
                "on" => true,
                "off" => false,
                _ => return Err(AppError::invalid("virus_check", FieldError::Required).into()),
            };
            let state = crate::ssr::state()?;
            let t = now();
            let mut tx = state.db.pool().begin().await?;
            let changed: Option<(String,)> = sqlx::query_as(
            "UPDATE mailboxes SET virus_check = $3 WHERE id = $1 AND customer_no = $2 AND virus_check <> $3
             RETURNING address",
        )
        .bind(&mailbox_id)
        .bind(&account.customer_no)
        .bind(i64::from(on))
        .fetch_optional(&mut *tx)
        .await?;
            if let Some((address,)) = changed {
                store::report(&mut tx, &state.settings, &account, store::Change::VirusCheck, &address, on, t)
                    .await?;
            } else {
                // Not this customer's mailbox, or already so: nothing changes.
                let (mine,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM mailboxes WHERE id = $1 AND customer_no = $2")
                        .bind(&mailbox_id)
                        .bind(&account.customer_no)
                        .fetch_one(&mut *tx)
                        .await?;
                if mine == 0 {
                    return Err(AppError::NotFound.into());
                }
            }
            tx.commit().await?;
            Ok(routes::LIST.into())
        }
        .await,
    )
}

/// Step 1, `メールアドレス`, `次へ`: starts a draft with the first three candidates.
#[server(endpoint = "mail/new/start")]
pub async fn start_mailbox(local_part: String) -> Result<String, AppError> {
    use crate::domain::mailbox::LocalPart;
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond};
    use MailboxStep::*;
    respond(routes::NEW, async move {
        let account = crate::ssr::auth::require_login().await?;
        let local = LocalPart::parse(&local_part).map_err(|e| AppError::invalid("local_part", e))?;
        let state = crate::ssr::state()?;
        let t = now();
        let mut tx = state.db.pool().begin().await?;
        let Some(service_id) = store::internet_service(&mut tx, &account.customer_no).await? else {
            return Err(AppError::Forbidden.into());
        };
        if store::count(&mut tx, &service_id).await? >= state.settings.mailbox_limit {
            return Err(AppError::LimitReached.into());
        }
        let id = crate::ssr::db::new_id();
        let offered = store::next_candidates(&mut tx, &id, local.as_str(), &[]).await?;
        if offered.is_empty() {
            return Err(AppError::invalid("local_part", FieldError::Exhausted).into());
        }
        // One draft a session: starting again drops this session's unfinished one.
        flow::advance_from(&[Subdomain, Terms, Confirm], Cancelled)
            .by("account_id", &account.account_id)
            .and("session_hash =", &account.session_hash)
            .rows(&mut tx)
            .await?;
        sqlx::query(
            "INSERT INTO mailbox_drafts (id, account_id, session_hash, service_id, step, local_part, offered, shown,
                created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&account.account_id)
        .bind(&account.session_hash)
        .bind(&service_id)
        .bind(Subdomain)
        .bind(local.as_str())
        .bind(offered.join(","))
        .bind(t)
        .bind(t + store::DRAFT_SECS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(routes::SUBDOMAIN.into())
    }
    .await)
}

/// The wizard's state for its screens (steps 2–4).
#[server(endpoint = "mail/new/draft")]
pub async fn get_mailbox_draft() -> Result<Option<MailboxDraftView>, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let draft = store::current_draft(&mut conn, &account, crate::ssr::now()).await?;
    let needs_password = crate::ssr::auth::needs_password(&account, crate::ssr::now());
    Ok(draft.filter(|d| d.step != MailboxStep::Done).map(|d| MailboxDraftView {
        needs_password,
        step: d.step,
        local_part: d.local_part,
        domain: state.settings.mail_domain.clone(),
        offered: d.offered,
        subdomain: d.subdomain,
        virus_check: d.virus_check,
    }))
}

/// `他のサブドメイン候補を表示する`: the next three, none shown before.
#[server(endpoint = "mail/new/more")]
pub async fn more_candidates() -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond, BackTo};
    use MailboxStep::*;
    respond(
        routes::SUBDOMAIN,
        async move {
            let account = crate::ssr::auth::require_login().await?;
            let state = crate::ssr::state()?;
            let mut conn = state.db.pool().acquire().await?;
            let draft = store::draft_at(&mut conn, &account, Subdomain, now()).await.back_to(routes::NEW)?;
            let next = store::next_candidates(&mut conn, &draft.id, &draft.local_part, &draft.shown).await?;
            if next.is_empty() {
                return Err(AppError::invalid("subdomain", FieldError::Exhausted).into());
            }
            let shown = [draft.shown, next.clone()].concat();
            flow::advance(Subdomain, Subdomain)
                .set("offered", next.join(","))
                .set("shown", shown.join(","))
                .by("id", &draft.id)
                .rows(&mut conn)
                .await?;
            Ok(routes::SUBDOMAIN.into())
        }
        .await,
    )
}

/// Step 2, `次へ`: one of the candidates on screen.
#[server(endpoint = "mail/new/subdomain")]
pub async fn choose_subdomain(subdomain: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::Subdomain as Sub;
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond, BackTo};
    use MailboxStep::*;
    respond(
        routes::SUBDOMAIN,
        async move {
            let account = crate::ssr::auth::require_login().await?;
            let sub = Sub::parse(subdomain.as_deref().unwrap_or_default())
                .map_err(|e| AppError::invalid("subdomain", e))?
                .to_string();
            let state = crate::ssr::state()?;
            let mut conn = state.db.pool().acquire().await?;
            let draft = store::draft_at(&mut conn, &account, Subdomain, now()).await.back_to(routes::NEW)?;
            if !draft.offered.contains(&sub) {
                return Err(AppError::invalid("subdomain", FieldError::InvalidFormat).into());
            }
            flow::advance(Subdomain, Terms).set("subdomain", sub).by("id", &draft.id).rows(&mut conn).await?;
            Ok(routes::TERMS.into())
        }
        .await,
    )
}

/// Step 3, `確認`: the terms read, the virus check `ON` or `OFF`.
#[server(endpoint = "mail/new/terms")]
pub async fn choose_virus_check(virus_check: Option<String>) -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond, BackTo};
    use MailboxStep::*;
    respond(
        routes::TERMS,
        async move {
            let account = crate::ssr::auth::require_login().await?;
            let on = match virus_check.as_deref() {
                Some("on") => true,
                Some("off") => false,
                _ => return Err(AppError::invalid("virus_check", FieldError::Required).into()),
            };
            let state = crate::ssr::state()?;
            let mut conn = state.db.pool().acquire().await?;
            let draft = store::draft_at(&mut conn, &account, Terms, now()).await.back_to(routes::NEW)?;
            flow::advance(Terms, Confirm)
                .set("virus_check", i64::from(on))
                .by("id", &draft.id)
                .rows(&mut conn)
                .await?;
            Ok(routes::CONFIRM.into())
        }
        .await,
    )
}

/// Step 4, `登録`: creates the mailbox once, whatever the number of clicks. The
/// database's unique address decides a race: the loser gets fresh candidates.
#[server(endpoint = "mail/new/register")]
pub async fn register_mailbox(password: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::{address, LocalPart, Subdomain as Sub};
    use crate::domain::FieldError;
    use crate::ssr::auth::{cookie, password as pw, set_cookie};
    use crate::ssr::{flow, now, refuse, respond, OnUnique};
    use MailboxStep::*;
    respond(routes::CONFIRM, async move {
        let account = crate::ssr::auth::require_login().await?;
        let state = crate::ssr::state()?;
        let t = now();
        let draft = {
            let mut conn = state.db.pool().acquire().await?;
            let draft = match store::current_draft(&mut conn, &account, t).await? {
                Some(d) if d.step == Done => return Ok(routes::DONE.into()), // a retried 登録
                Some(d) if d.step == Confirm => d,
                _ => return refuse(routes::NEW, AppError::FlowExpired),
            };
            // A mailbox can become the contact address at once: the password again
            // after 5 minutes, like the other changes that matter.
            crate::ssr::auth::confirm_password(&mut conn, &account, password, t).await?;
            draft
        };
        let (Ok(local), Some(Ok(sub)), Some(virus)) = (
            LocalPart::parse(&draft.local_part),
            draft.subdomain.as_deref().map(Sub::parse),
            draft.virus_check,
        ) else {
            return refuse(routes::NEW, AppError::FlowExpired);
        };
        let address = address(&local, sub, &state.settings.mail_domain);
        let password = store::initial_password();
        let hash = pw::hash_async(password.clone()).await;
        let (key, sealed) = crate::ssr::crypto::seal(&password);
        drop(password);

        let mut tx = state.db.pool().begin().await?;
        // Lock the contract: registrations for one contract go one at a time (the limit
        // and the idempotent 登録 hold under parallel clicks).
        sqlx::query("UPDATE services SET plan_code = plan_code WHERE id = $1")
            .bind(&draft.service_id)
            .execute(&mut *tx)
            .await?;
        let (step,): (MailboxStep,) = sqlx::query_as("SELECT step FROM mailbox_drafts WHERE id = $1")
            .bind(&draft.id)
            .fetch_one(&mut *tx)
            .await?;
        match step {
            Done => {
                tx.commit().await?;
                return Ok(routes::DONE.into());
            }
            Confirm => {}
            _ => return refuse(routes::NEW, AppError::FlowExpired),
        }
        if store::count(&mut tx, &draft.service_id).await? >= state.settings.mailbox_limit {
            return Err(AppError::LimitReached.into());
        }
        let mailbox_id = crate::ssr::db::new_id();
        let taken = AppError::invalid("subdomain", FieldError::Taken);
        let inserted = sqlx::query(
            "INSERT INTO mailboxes (id, customer_no, service_id, local_part, subdomain, address, password_hash,
                virus_check, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&mailbox_id)
        .bind(&account.customer_no)
        .bind(&draft.service_id)
        .bind(local.as_str())
        .bind(sub.to_string())
        .bind(&address)
        .bind(&hash)
        .bind(i64::from(virus))
        .bind(t)
        .execute(&mut *tx)
        .await
        .on_unique(taken.clone());
        match inserted {
            Err(e) if e == taken => {
                drop(tx);
                // Someone else registered this address a moment ago: fresh candidates.
                let mut conn = state.db.pool().acquire().await?;
                let shown = [draft.shown.clone(), vec![sub.to_string()]].concat();
                let next = store::next_candidates(&mut conn, &draft.id, local.as_str(), &shown).await?;
                let all_shown = [shown, next.clone()].concat();
                flow::advance(Confirm, Subdomain)
                    .clear("subdomain")
                    .set("offered", next.join(","))
                    .set("shown", all_shown.join(","))
                    .by("id", &draft.id)
                    .rows(&mut conn)
                    .await?;
                return refuse(routes::SUBDOMAIN, taken);
            }
            other => other?,
        };
        flow::advance(Confirm, Done)
            .set("mailbox_id", &mailbox_id)
            .set("sealed_password", &sealed)
            .set("expires_at", t + store::REVEAL_SECS)
            .by("id", &draft.id)
            .rows(&mut tx)
            .await?;
        store::report(&mut tx, &state.settings, &account, store::Change::Created, &address, virus, t).await?;
        tx.commit().await?;
        set_cookie(&cookie(&state.settings, store::REVEAL_COOKIE, &key, Some(store::REVEAL_SECS), true));
        tracing::info!(customer = %account.customer_no, %address, "mailbox registered");
        Ok(routes::DONE.into())
    }
    .await)
}

/// Step 5: the completion, handed out once. The sealed password is opened with the
/// browser's key and removed in the same step; a reload or another tab gets `None`.
#[server(endpoint = "mail/new/done")]
pub async fn take_mailbox_completion() -> Result<Option<MailboxCompletion>, AppError> {
    use crate::ssr::auth::{cookie, request_cookie, set_cookie};
    let account = crate::ssr::auth::require_login().await?;
    // Not kept by the browser's cache: Back must not bring the password back.
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let Some(key) = request_cookie(store::REVEAL_COOKIE) else { return Ok(None) };
    set_cookie(&cookie(&state.settings, store::REVEAL_COOKIE, "", Some(0), true));
    let mut conn = state.db.pool().acquire().await?;
    let found: Option<(String, String, String, i64)> = sqlx::query_as(
        "SELECT id, sealed_password, mailbox_id, virus_check FROM mailbox_drafts
         WHERE account_id = $1 AND session_hash = $2 AND step = $3 AND sealed_password IS NOT NULL
            AND expires_at > $4",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(MailboxStep::Done)
    .bind(t)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((draft_id, sealed, mailbox_id, virus)) = found else { return Ok(None) };
    // Whoever clears it shows it: two tabs at once, one gets it.
    let cleared = sqlx::query(
        "UPDATE mailbox_drafts SET sealed_password = NULL WHERE id = $1 AND sealed_password IS NOT NULL",
    )
    .bind(&draft_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if cleared != 1 {
        return Ok(None);
    }
    let Some(password) = crate::ssr::crypto::open(&key, &sealed) else { return Ok(None) };
    let (address,): (String,) = sqlx::query_as("SELECT address FROM mailboxes WHERE id = $1")
        .bind(&mailbox_id)
        .fetch_one(&mut *conn)
        .await?;
    let domain = &state.settings.mail_domain;
    Ok(Some(MailboxCompletion {
        address,
        password,
        virus_check: virus != 0,
        incoming_server: format!("mail.{domain}"),
        incoming_ports: "POP3 995 (SSL/TLS) / IMAP 993 (SSL/TLS)".into(),
        outgoing_server: format!("smtp.{domain}"),
        outgoing_port: "587 (STARTTLS)".into(),
    }))
}
