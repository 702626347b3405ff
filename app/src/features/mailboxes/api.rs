#[cfg(feature = "ssr")]
use super::store;
#[cfg(feature = "ssr")]
use super::{routes, MailboxStep};
use super::{MailboxCompletion, MailboxDraftView, MailboxList, MailboxReissueView};
use crate::error::AppError;
use leptos::prelude::*;

/// メールアドレス: the customer's mailboxes (or why there are none).
#[server(endpoint = "mail/list")]
pub async fn get_mailbox_list() -> Result<MailboxList, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let mut contracts = Vec::new();
    for contract in store::internet_services(&mut conn, &account.customer_no).await? {
        let mailboxes = store::mailboxes(&mut conn, &contract.service_id).await?;
        contracts.push((contract, mailboxes));
    }
    let servers = super::MailServers::of(&state.settings.mail_domain);
    Ok(MailboxList { limit: state.settings.mailbox_limit, contracts, servers })
}

/// Switch a mailbox's virus check (any time): an event for the mail system and a
/// notice to the customer.
#[server(endpoint = "mail/virus-check")]
pub async fn set_virus_check(mailbox_id: String, virus_check: String) -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{now, respond};
    respond(routes::LIST, async move {
        let account = crate::ssr::auth::require_login().await?;
        let on = match virus_check.as_str() {
            "on" => true,
            "off" => false,
            _ => return Err(AppError::invalid("virus_check", FieldError::Required).into()),
        };
        let state = crate::ssr::state()?;
        let t = now();
        let mut conn = state.db.conn().await?;
        crate::ssr::auth::throttle::noticed_change(&mut conn, &account.session_hash, t).await?;
        drop(conn);
        let mut tx = state.db.begin().await?;
        let changed = store::switch_virus_check(&mut tx, &mailbox_id, &account.customer_no, on).await?;
        if let Some(address) = changed {
            store::report(&mut tx, &state.settings, &account, store::Change::VirusCheck, &address, on, t)
                .await?;
        } else {
            // Not this customer's mailbox, or already so: nothing changes.
            if !store::belongs_to(&mut tx, &mailbox_id, &account.customer_no).await? {
                return Err(AppError::NotFound.into());
            }
        }
        tx.commit().await?;
        Ok(routes::LIST.into())
    })
    .await
}

/// Step 1, `メールアドレス`, `次へ`: starts a draft with the first three candidates,
/// for internet contract `service` (none: the customer's first).
#[server(endpoint = "mail/new/start")]
pub async fn start_mailbox(local_part: String, service: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::LocalPart;
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond};
    use MailboxStep::*;
    let service = service.filter(|s| !s.is_empty());
    respond(&routes::new_for(service.as_deref()), async move {
        let account = crate::ssr::auth::require_login().await?;
        let local = LocalPart::parse(&local_part).map_err(|e| AppError::invalid("local_part", e))?;
        let state = crate::ssr::state()?;
        let t = now();
        let mut tx = state.db.begin().await?;
        let contracts = store::internet_services(&mut tx, &account.customer_no).await?;
        if contracts.is_empty() {
            return Err(AppError::Forbidden.into());
        }
        // With several contracts, one is chosen on the list (its 新規登録): a step 1
        // reached without it (a restart, an expired draft, the path typed) would
        // otherwise put the mailbox on the first contract unasked.
        if service.is_none() && contracts.len() > 1 {
            return crate::ssr::refuse(routes::LIST, AppError::FlowExpired);
        }
        // Another customer's contract, or one that has ended: not found, as any id not
        // the customer's.
        let Some(service_id) = contracts
            .into_iter()
            .map(|c| c.service_id)
            .find(|id| service.as_deref().is_none_or(|wanted| wanted == id))
        else {
            return Err(AppError::NotFound.into());
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
        store::create_draft(&mut tx, &id, &account, &service_id, local.as_str(), &offered, t).await?;
        tx.commit().await?;
        Ok(routes::SUBDOMAIN.into())
    })
    .await
}

/// The wizard's state for its screens (steps 2–4).
#[server(endpoint = "mail/new/draft")]
pub async fn get_mailbox_draft() -> Result<Option<MailboxDraftView>, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let draft = store::current_draft(&mut conn, &account, crate::ssr::now()).await?;
    let needs_password = crate::ssr::auth::needs_password(&account, crate::ssr::now());
    let Some(d) = draft.filter(|d| d.step != MailboxStep::Done) else { return Ok(None) };
    let contracts = store::internet_services(&mut conn, &account.customer_no).await?;
    let contract = (contracts.len() > 1)
        .then(|| contracts.into_iter().find(|c| c.service_id == d.service_id))
        .flatten()
        .map(|c| (c.plan_name, c.installation_address));
    Ok(Some(MailboxDraftView {
        needs_password,
        contract,
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
    respond(routes::SUBDOMAIN, async move {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let mut conn = state.db.conn().await?;
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
    })
    .await
}

/// Step 2, `次へ`: one of the candidates on screen.
#[server(endpoint = "mail/new/subdomain")]
pub async fn choose_subdomain(subdomain: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::Subdomain as Sub;
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond, BackTo};
    use MailboxStep::*;
    respond(routes::SUBDOMAIN, async move {
        let account = crate::ssr::auth::require_login().await?;
        let sub = Sub::parse(subdomain.as_deref().unwrap_or_default())
            .map_err(|e| AppError::invalid("subdomain", e))?
            .to_string();
        let state = crate::ssr::state()?;
        let mut conn = state.db.conn().await?;
        let draft = store::draft_at(&mut conn, &account, Subdomain, now()).await.back_to(routes::NEW)?;
        if !draft.offered.contains(&sub) {
            return Err(AppError::invalid("subdomain", FieldError::InvalidFormat).into());
        }
        flow::advance(Subdomain, Terms).set("subdomain", sub).by("id", &draft.id).rows(&mut conn).await?;
        Ok(routes::TERMS.into())
    })
    .await
}

/// Step 3, `確認`: the terms read, the virus check `ON` or `OFF`.
#[server(endpoint = "mail/new/terms")]
pub async fn choose_virus_check(virus_check: Option<String>) -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{flow, now, respond, BackTo};
    use MailboxStep::*;
    respond(routes::TERMS, async move {
        let account = crate::ssr::auth::require_login().await?;
        let on = match virus_check.as_deref() {
            Some("on") => true,
            Some("off") => false,
            _ => return Err(AppError::invalid("virus_check", FieldError::Required).into()),
        };
        let state = crate::ssr::state()?;
        let mut conn = state.db.conn().await?;
        let draft = store::draft_at(&mut conn, &account, Terms, now()).await.back_to(routes::NEW)?;
        flow::advance(Terms, Confirm)
            .set("virus_check", i64::from(on))
            .by("id", &draft.id)
            .rows(&mut conn)
            .await?;
        // The key 登録 will seal the password with, in this browser before 登録 is
        // sent: a 登録 whose answer never arrived (a double click, a retry after a
        // dead process) is still opened by the key the browser already holds. A key it
        // holds already is kept: a password sealed with it and not shown yet (a
        // completion never seen, a second tab) still opens after this one.
        let key = reveal_key().unwrap_or_else(crate::ssr::crypto::random_token);
        give_reveal_key(&state.settings, &key, store::DRAFT_SECS);
        Ok(routes::CONFIRM.into())
    })
    .await
}

/// Step 4, `登録`: creates the mailbox once, whatever the number of clicks. The
/// database's unique address decides a race: the loser gets fresh candidates. The page
/// sends the `address` it shows: the session's draft is another (a new one started in
/// another tab since) and nothing is registered, rather than a mailbox the customer
/// did not see (one she can neither delete nor take back, of her five).
#[server(endpoint = "mail/new/register")]
pub async fn register_mailbox(password: Option<String>, address: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::{address as address_of, LocalPart, Subdomain as Sub};
    use crate::ssr::auth::password as pw;
    use crate::ssr::{now, refuse, respond};
    respond(routes::CONFIRM, async move {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = now();
        let Some(draft) = draft_to_register(&state, &account, password, t).await? else {
            return Ok(routes::DONE.into()); // a retried 登録
        };
        let (Ok(local), Some(Ok(sub)), Some(virus)) = (
            LocalPart::parse(&draft.local_part),
            draft.subdomain.as_deref().map(Sub::parse),
            draft.virus_check,
        ) else {
            return refuse(routes::NEW, AppError::FlowExpired);
        };
        let shown = address;
        let address = address_of(&local, sub, &state.settings.mail_domain);
        if shown.is_some_and(|shown| !shown.trim().eq_ignore_ascii_case(&address)) {
            let changed = AppError::invalid("address", crate::domain::FieldError::Mismatch);
            return refuse(routes::CONFIRM, changed);
        }
        let password = store::initial_password();
        let hash = pw::hash_async(password.clone()).await;
        // Sealed with the browser's key from step 3 (a fresh one if it has none): every
        // 登録 of this draft, answered or not, is opened by the key the browser holds.
        let key = reveal_key().unwrap_or_else(crate::ssr::crypto::random_token);
        let sealed = crate::ssr::crypto::seal_with(&key, &password);
        drop(password);
        let (mailbox_id, sub) = (crate::ssr::db::new_id(), sub.to_string());
        let mailbox = store::NewMailbox {
            id: &mailbox_id,
            customer_no: &account.customer_no,
            service_id: &draft.service_id,
            local_part: local.as_str(),
            subdomain: &sub,
            address: &address,
            password_hash: &hash,
            virus_check: virus,
        };
        if write_mailbox(&state, &account, &draft, &mailbox, &sealed, t).await? {
            give_reveal_key(&state.settings, &key, store::REVEAL_SECS);
            // The address stays out of the log (it names a person); the event records it.
            tracing::info!(customer = %account.customer_no, "mailbox registered");
        }
        Ok(routes::DONE.into())
    })
    .await
}

/// This session's draft at `Confirm`, the password given again (after 5 minutes); None
/// when it was registered already.
#[cfg(feature = "ssr")]
async fn draft_to_register(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    password: Option<String>,
    t: i64,
) -> Result<Option<store::Draft>, crate::ssr::Refusal> {
    use crate::ssr::refuse;
    use MailboxStep::*;
    let mut conn = state.db.conn().await?;
    let draft = match store::current_draft(&mut conn, account, t).await? {
        Some(d) if d.step == Done => return Ok(None),
        Some(d) if d.step == Confirm => d,
        _ => return refuse(routes::NEW, AppError::FlowExpired),
    };
    // A mailbox can become the contact address at once: the password again
    // after 5 minutes, like the other changes that matter.
    drop(conn);
    crate::ssr::auth::confirm_password(&state.db, account, password, t).await?;
    Ok(Some(draft))
}

/// 登録's transaction: `mailbox` written (the limit checked), the draft at `Done` with
/// the sealed password, the event and the notice. True when this call wrote it, false
/// when an earlier 登録 had; an address taken meanwhile goes back to fresh candidates.
#[cfg(feature = "ssr")]
async fn write_mailbox(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    draft: &store::Draft,
    mailbox: &store::NewMailbox<'_>,
    sealed: &str,
    t: i64,
) -> Result<bool, crate::ssr::Refusal> {
    use crate::domain::FieldError;
    use crate::ssr::{flow, refuse, OnUnique};
    use MailboxStep::*;
    let mut tx = state.db.begin().await?;
    // Lock the contract: registrations for one contract go one at a time (the limit
    // and the idempotent 登録 hold under parallel clicks).
    store::lock_service(&mut tx, &draft.service_id).await?;
    match store::draft_step(&mut tx, &draft.id).await? {
        Done => {
            tx.commit().await?;
            return Ok(false);
        }
        Confirm => {}
        _ => return refuse(routes::NEW, AppError::FlowExpired),
    }
    if store::count(&mut tx, &draft.service_id).await? >= state.settings.mailbox_limit {
        return Err(AppError::LimitReached.into());
    }
    let taken = AppError::invalid("subdomain", FieldError::Taken);
    let inserted = store::insert_mailbox(&mut tx, mailbox, t).await.on_unique(taken.clone());
    match inserted {
        Err(e) if e == taken => {
            drop(tx);
            // Someone else registered this address a moment ago: fresh candidates.
            offer_again(state, draft, mailbox).await?;
            return refuse(routes::SUBDOMAIN, taken);
        }
        other => other?,
    };
    // The draft read at 確認 a moment ago may have been dropped since (step 1 started
    // again in another tab): then nothing is registered (the transaction is dropped),
    // rather than a mailbox whose password no page will ever show.
    if !flow::advance(Confirm, Done)
        .set("mailbox_id", mailbox.id)
        .set("sealed_password", sealed)
        .set("expires_at", t + store::REVEAL_SECS)
        .by("id", &draft.id)
        .once(&mut tx)
        .await?
    {
        return refuse(routes::NEW, AppError::FlowExpired);
    }
    let (address, virus) = (mailbox.address, mailbox.virus_check);
    store::report(&mut tx, &state.settings, account, store::Change::Created, address, virus, t).await?;
    tx.commit().await?;
    Ok(true)
}

/// Back to step 2 with the next candidates, `mailbox`'s sub-domain counted as shown.
#[cfg(feature = "ssr")]
async fn offer_again(
    state: &crate::ssr::AppState,
    draft: &store::Draft,
    mailbox: &store::NewMailbox<'_>,
) -> Result<(), sqlx::Error> {
    use crate::ssr::flow;
    use MailboxStep::*;
    let mut conn = state.db.conn().await?;
    let shown = [draft.shown.clone(), vec![mailbox.subdomain.to_string()]].concat();
    let next = store::next_candidates(&mut conn, &draft.id, mailbox.local_part, &shown).await?;
    let all_shown = [shown, next.clone()].concat();
    flow::advance(Confirm, Subdomain)
        .clear("subdomain")
        .set("offered", next.join(","))
        .set("shown", all_shown.join(","))
        .by("id", &draft.id)
        .rows(&mut conn)
        .await?;
    Ok(())
}

/// メールパスワードの再発行's confirmation for the customer's mailbox `mailbox` of a
/// contract in force (another's, or none: not found). A browser without a key to the
/// sealed password is given one here, before 再発行する: every send of the page, its
/// answer received or lost, is opened by the key the browser holds.
#[server(endpoint = "mail/password/get")]
pub async fn get_mailbox_reissue(mailbox: String) -> Result<MailboxReissueView, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    // The page's key is in it: not kept by the browser's cache.
    crate::ssr::set_no_store();
    let mut conn = state.db.conn().await?;
    let owned = store::owned(&mut conn, &mailbox, &account.customer_no).await?.ok_or(AppError::NotFound)?;
    if reveal_key().is_none() {
        give_reveal_key(&state.settings, &crate::ssr::crypto::random_token(), store::REVEAL_SECS);
    }
    Ok(MailboxReissueView {
        mailbox_id: owned.id,
        address: owned.address,
        key: crate::ssr::crypto::random_token(),
    })
}

/// `再発行する`: the customer's mailbox `mailbox` takes a new password, shown once on
/// the completion screen (sealed with the key the browser holds, else this page's
/// `key`, which the browser is then given). The same page sent twice (a double click,
/// an answer lost) issues one password: the second goes to the completion. The old
/// password stops working, and a password of the mailbox still waiting to be shown (a
/// completion never seen, another tab's reissue) is not shown any more; the mail system
/// is told by an event, the customer by a notice, and it counts in the session's budget
/// of noticed changes. The account's password is asked every time (or a passkey), not
/// only after 5 minutes: the mailbox may be the contact address, where the account's
/// own recovery mails go.
#[server(endpoint = "mail/password")]
pub async fn reissue_mailbox_password(
    mailbox: String,
    key: String,
    password: Option<String>,
) -> Result<String, AppError> {
    use crate::ssr::auth::{password as pw, sha256_hex};
    use crate::ssr::{now, refuse, respond};
    let page = routes::reissue(&mailbox);
    respond(&page, async move {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = now();
        if !crate::ssr::crypto::is_token(&key) {
            return refuse(routes::LIST, AppError::FlowExpired);
        }
        let mut conn = state.db.conn().await?;
        let owned =
            store::owned(&mut conn, &mailbox, &account.customer_no).await?.ok_or(AppError::NotFound)?;
        let id = format!("reissue-{}", sha256_hex(&format!("{}\u{0}{key}", account.session_hash)));
        if store::reissue_written(&mut conn, &id).await? {
            // This page's 再発行する, sent again: the browser holds the key it was sealed
            // with (given with the page), else this page's, given again.
            if reveal_key().is_none() {
                give_reveal_key(&state.settings, &key, store::REVEAL_SECS);
            }
            return Ok(routes::REISSUE_DONE.into());
        }
        crate::ssr::auth::throttle::noticed_change(&mut conn, &account.session_hash, t).await?;
        drop(conn);
        crate::ssr::auth::check_password(&state.db, &account, password, t).await?;
        let key = reveal_key().unwrap_or(key);
        let password = store::initial_password();
        let hash = pw::hash_async(password.clone()).await;
        let sealed = crate::ssr::crypto::seal_with(&key, &password);
        drop(password);
        let mut tx = state.db.begin().await?;
        // The reissue first: of two sent at once, one writes it, and one password is set.
        if store::insert_reissue(&mut tx, &id, &account, &owned, &sealed, t).await? {
            if !store::set_password(&mut tx, &owned.id, &account.customer_no, &hash).await? {
                return Err(AppError::NotFound.into()); // removed meanwhile: nothing written
            }
            // After the mailbox's row is taken: of two reissues at once, the last sets
            // the password and leaves no other waiting.
            store::supersede_sealed(&mut tx, &owned.id, &id).await?;
            let (address, virus) = (&owned.address, owned.virus_check != 0);
            store::report(
                &mut tx,
                &state.settings,
                &account,
                store::Change::PasswordReissued,
                address,
                virus,
                t,
            )
            .await?;
        }
        tx.commit().await?;
        give_reveal_key(&state.settings, &key, store::REVEAL_SECS);
        tracing::info!(customer = %account.customer_no, "mailbox password issued again");
        Ok(routes::REISSUE_DONE.into())
    })
    .await
}

/// Step 5: the completion, handed out once. The sealed password is opened with the
/// browser's key, then removed; a reload or another tab gets `None`.
#[server(endpoint = "mail/new/done")]
pub async fn take_mailbox_completion() -> Result<Option<MailboxCompletion>, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    // Not kept by the browser's cache: Back must not bring the password back.
    crate::ssr::set_no_store();
    let state = crate::ssr::state()?;
    let t = crate::ssr::now();
    let Some(key) = reveal_key() else { return Ok(None) };
    let mut conn = state.db.conn().await?;
    let found = store::sealed_completions(&mut conn, &account, t).await?;
    // Opened before it is cleared: a key that does not open one (a stale cookie) leaves
    // it for the browser holding the right one, until it expires.
    let mut opened = found
        .into_iter()
        .filter_map(|f| crate::ssr::crypto::open_with(&key, &f.sealed_password).map(|p| (f, p)));
    // Whoever clears it shows it: two tabs at once, one gets it. The last registered
    // first; another still sealed with this key is shown by the next visit.
    let mut shown = None;
    for (found, password) in opened.by_ref() {
        if store::clear_sealed(&mut conn, &found.id).await? {
            shown = Some((found, password));
            break;
        }
    }
    let more = opened.next().is_some();
    // The key goes once the database has answered (with the database away a moment, an
    // error above, the browser keeps it and a reload shows the password), and once no
    // other password it opens waits.
    if !more {
        give_reveal_key(&state.settings, "", 0);
    }
    let Some((found, password)) = shown else { return Ok(None) };
    Ok(Some(MailboxCompletion {
        address: found.address,
        password,
        virus_check: found.virus_check != 0,
        more,
        servers: super::MailServers::of(&state.settings.mail_domain),
        reissued: found.reissue != 0,
    }))
}

/// The browser's key to the sealed initial password, if it holds a well-formed one.
#[cfg(feature = "ssr")]
fn reveal_key() -> Option<String> {
    crate::ssr::auth::request_cookie(store::REVEAL_COOKIE).filter(|k| crate::ssr::crypto::is_token(k))
}

/// Gives the browser `key` for `secs` (`""` and 0: takes it back).
#[cfg(feature = "ssr")]
fn give_reveal_key(settings: &crate::ssr::config::Settings, key: &str, secs: i64) {
    use crate::ssr::auth::{one_time_key_cookie, set_cookie};
    set_cookie(&one_time_key_cookie(settings, store::REVEAL_COOKIE, key, secs));
}
