use super::{MailboxCompletion, MailboxDraftView, MailboxList};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::domain::mailbox::{Subdomain, CANDIDATES};
    use crate::error::AppError;
    use crate::ssr::auth::{sha256_hex, CurrentAccount};
    use crate::ssr::db::Conn;

    pub const DRAFT_SECS: i64 = 30 * 60;
    /// The sealed password waits this long for the completion screen.
    pub const REVEAL_SECS: i64 = 10 * 60;
    pub const REVEAL_COOKIE: &str = "mypage_mailbox_reveal";

    /// The customer's internet service (the contract mailboxes belong to), if any.
    pub async fn internet_service(conn: &mut Conn, customer_no: &str) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM services WHERE customer_no = $1 AND kind = 'internet' AND ended_on IS NULL
             ORDER BY started_on LIMIT 1",
        )
        .bind(customer_no)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(|(id,)| id))
    }

    pub async fn count(conn: &mut Conn, service_id: &str) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mailboxes WHERE service_id = $1")
            .bind(service_id)
            .fetch_one(conn)
            .await?;
        Ok(n)
    }

    /// The next candidates for `local` in this draft's own order (a shuffle keyed by
    /// the draft id, so customers asking for the same name are offered different
    /// sub-domains), skipping those `shown` already and those taken.
    pub async fn next_candidates(
        conn: &mut Conn,
        draft_id: &str,
        local: &str,
        shown: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        let taken: Vec<(String,)> = sqlx::query_as("SELECT subdomain FROM mailboxes WHERE local_part = $1")
            .bind(local)
            .fetch_all(conn)
            .await?;
        let mut order: Vec<(String, String)> = Subdomain::all()
            .map(|s| s.to_string())
            .map(|s| (sha256_hex(&format!("{draft_id}\u{0}{s}")), s))
            .collect();
        order.sort();
        Ok(order
            .into_iter()
            .map(|(_, s)| s)
            .filter(|s| !shown.contains(s) && !taken.iter().any(|(t,)| t == s))
            .take(CANDIDATES)
            .collect())
    }

    pub enum Change {
        Created,
        VirusCheck,
    }

    /// Tell the mail system (an outbox event, the format in the module docs) and the
    /// customer (a notice to the contact address, never with the password).
    pub async fn report(
        conn: &mut Conn,
        settings: &crate::ssr::config::Settings,
        account: &CurrentAccount,
        change: Change,
        address: &str,
        virus_check: bool,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        use crate::ssr::mail::{enqueue, enqueue_event, templates};
        let event = serde_json::json!({
            "event": match change {
                Change::Created => "mailbox.created",
                Change::VirusCheck => "mailbox.virus_check_changed",
            },
            "address": address,
            "customer_no": account.customer_no,
            "virus_check": virus_check,
            "at": now,
        });
        enqueue_event(conn, super::super::EVENT_TOPIC, &event, now).await?;
        let target = crate::ssr::db::customers::notice_target(conn, &account.account_id).await?;
        let (locale, to) = (target.locale, target.to.as_str());
        let mail = match change {
            Change::Created => templates::mailbox_created(settings, locale, to, address, virus_check),
            Change::VirusCheck => templates::mailbox_virus_check(settings, locale, to, address, virus_check),
        };
        enqueue(conn, "mailbox.notice", &mail, now).await
    }

    pub fn split(list: &str) -> Vec<String> {
        list.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    pub struct Draft {
        pub id: String,
        pub service_id: String,
        pub step: String,
        pub local_part: String,
        pub offered: Vec<String>,
        pub shown: Vec<String>,
        pub subdomain: Option<String>,
        pub virus_check: Option<bool>,
    }

    /// This session's newest live draft.
    pub async fn current_draft(
        conn: &mut Conn,
        account: &CurrentAccount,
        now: i64,
    ) -> Result<Option<Draft>, AppError> {
        type Row = (String, String, String, String, String, String, Option<String>, Option<i64>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, service_id, step, local_part, offered, shown, subdomain, virus_check
             FROM mailbox_drafts
             WHERE account_id = $1 AND session_hash = $2 AND step <> 'cancelled' AND expires_at > $3
             ORDER BY CASE WHEN step = 'done' THEN 1 ELSE 0 END, created_at DESC LIMIT 1",
        )
        .bind(&account.account_id)
        .bind(&account.session_hash)
        .bind(now)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(|(id, service_id, step, local_part, offered, shown, subdomain, virus_check)| Draft {
            id,
            service_id,
            step,
            local_part,
            offered: split(&offered),
            shown: split(&shown),
            subdomain,
            virus_check: virus_check.map(|v| v != 0),
        }))
    }

    /// This session's draft at `step`, else the "out of order" error.
    pub async fn draft_at(
        conn: &mut Conn,
        account: &CurrentAccount,
        step: &str,
        now: i64,
    ) -> Result<Draft, AppError> {
        current_draft(conn, account, now).await?.filter(|d| d.step == step).ok_or(AppError::FlowExpired)
    }

    /// A strong initial password: 12 characters without look-alikes (0/O, 1/l/I),
    /// at least one upper-case letter, one lower-case letter and one digit.
    pub fn initial_password() -> String {
        use rand::seq::SliceRandom;
        use rand::Rng;
        const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
        const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
        const DIGIT: &[u8] = b"23456789";
        let mut rng = rand::rngs::OsRng;
        let all: Vec<u8> = [UPPER, LOWER, DIGIT].concat();
        let mut chars: Vec<u8> = vec![
            UPPER[rng.gen_range(0..UPPER.len())],
            LOWER[rng.gen_range(0..LOWER.len())],
            DIGIT[rng.gen_range(0..DIGIT.len())],
        ];
        chars.extend((0..9).map(|_| all[rng.gen_range(0..all.len())]));
        chars.shuffle(&mut rng);
        String::from_utf8(chars).expect("ASCII")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn initial_passwords_are_12_mixed_characters_without_look_alikes() {
            for _ in 0..200 {
                let p = initial_password();
                assert_eq!(p.len(), 12);
                assert!(p.chars().any(|c| c.is_ascii_uppercase()));
                assert!(p.chars().any(|c| c.is_ascii_lowercase()));
                assert!(p.chars().any(|c| c.is_ascii_digit()));
                assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
            }
            assert_ne!(initial_password(), initial_password());
        }
    }
}

/// メールアドレス: the customer's mailboxes (or why there are none).
#[server(endpoint = "mail/list")]
pub async fn get_mailbox_list() -> Result<MailboxList, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let Some(service_id) = server::internet_service(&mut conn, &account.customer_no).await? else {
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
    use crate::ssr::{fail_form, now, proceed};
    let account = crate::ssr::auth::require_login().await?;
    let on = match virus_check.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return fail_form("/mail", AppError::invalid("virus_check", crate::domain::FieldError::Required))
        }
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
        server::report(&mut tx, &state.settings, &account, server::Change::VirusCheck, &address, on, t)
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
            crate::ssr::set_status(404);
            return Err(AppError::NotFound);
        }
    }
    tx.commit().await?;
    proceed("/mail")
}

/// Step 1, `メールアドレス`, `次へ`: starts a draft with the first three candidates.
#[server(endpoint = "mail/new/start")]
pub async fn start_mailbox(local_part: String) -> Result<String, AppError> {
    use crate::domain::mailbox::LocalPart;
    use crate::domain::FieldError;
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/mail/new";

    let account = crate::ssr::auth::require_login().await?;
    let local = match LocalPart::parse(&local_part) {
        Ok(l) => l,
        Err(e) => return fail_form(PAGE, AppError::invalid("local_part", e)),
    };
    let state = crate::ssr::state()?;
    let t = now();
    let mut tx = state.db.pool().begin().await?;
    let Some(service_id) = server::internet_service(&mut tx, &account.customer_no).await? else {
        crate::ssr::set_status(403);
        return Err(AppError::Forbidden);
    };
    if server::count(&mut tx, &service_id).await? >= state.settings.mailbox_limit {
        return fail_form(PAGE, AppError::LimitReached);
    }
    let id = crate::ssr::db::new_id();
    let offered = server::next_candidates(&mut tx, &id, local.as_str(), &[]).await?;
    if offered.is_empty() {
        return fail_form(PAGE, AppError::invalid("local_part", FieldError::Exhausted));
    }
    // One draft a session: starting again drops this session's unfinished one.
    sqlx::query(
        "UPDATE mailbox_drafts SET step = 'cancelled'
         WHERE account_id = $1 AND session_hash = $2 AND step IN ('subdomain', 'terms', 'confirm')",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO mailbox_drafts (id, account_id, session_hash, service_id, step, local_part, offered, shown,
            created_at, expires_at)
         VALUES ($1, $2, $3, $4, 'subdomain', $5, $6, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(&service_id)
    .bind(local.as_str())
    .bind(offered.join(","))
    .bind(t)
    .bind(t + server::DRAFT_SECS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    proceed("/mail/new/subdomain")
}

/// The wizard's state for its screens (steps 2–4).
#[server(endpoint = "mail/new/draft")]
pub async fn get_mailbox_draft() -> Result<Option<MailboxDraftView>, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let draft = server::current_draft(&mut conn, &account, crate::ssr::now()).await?;
    Ok(draft.filter(|d| d.step != "done").map(|d| MailboxDraftView {
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
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/mail/new/subdomain";
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let draft = match server::draft_at(&mut conn, &account, "subdomain", now()).await {
        Ok(d) => d,
        Err(e) => return fail_form("/mail/new", e),
    };
    let next = server::next_candidates(&mut conn, &draft.id, &draft.local_part, &draft.shown).await?;
    if next.is_empty() {
        return fail_form(PAGE, AppError::invalid("subdomain", FieldError::Exhausted));
    }
    let shown = [draft.shown, next.clone()].concat();
    sqlx::query("UPDATE mailbox_drafts SET offered = $2, shown = $3 WHERE id = $1 AND step = 'subdomain'")
        .bind(&draft.id)
        .bind(next.join(","))
        .bind(shown.join(","))
        .execute(&mut *conn)
        .await?;
    proceed(PAGE)
}

/// Step 2, `次へ`: one of the candidates on screen.
#[server(endpoint = "mail/new/subdomain")]
pub async fn choose_subdomain(subdomain: Option<String>) -> Result<String, AppError> {
    use crate::domain::mailbox::Subdomain;
    use crate::domain::FieldError;
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/mail/new/subdomain";
    let account = crate::ssr::auth::require_login().await?;
    let sub = match Subdomain::parse(subdomain.as_deref().unwrap_or_default()) {
        Ok(s) => s.to_string(),
        Err(e) => return fail_form(PAGE, AppError::invalid("subdomain", e)),
    };
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let draft = match server::draft_at(&mut conn, &account, "subdomain", now()).await {
        Ok(d) => d,
        Err(e) => return fail_form("/mail/new", e),
    };
    if !draft.offered.contains(&sub) {
        return fail_form(PAGE, AppError::invalid("subdomain", FieldError::InvalidFormat));
    }
    sqlx::query(
        "UPDATE mailbox_drafts SET step = 'terms', subdomain = $2 WHERE id = $1 AND step = 'subdomain'",
    )
    .bind(&draft.id)
    .bind(&sub)
    .execute(&mut *conn)
    .await?;
    proceed("/mail/new/terms")
}

/// Step 3, `確認`: the terms read, the virus check `ON` or `OFF`.
#[server(endpoint = "mail/new/terms")]
pub async fn choose_virus_check(virus_check: Option<String>) -> Result<String, AppError> {
    use crate::domain::FieldError;
    use crate::ssr::{fail_form, now, proceed};
    const PAGE: &str = "/mail/new/terms";
    let account = crate::ssr::auth::require_login().await?;
    let on = match virus_check.as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => return fail_form(PAGE, AppError::invalid("virus_check", FieldError::Required)),
    };
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let draft = match server::draft_at(&mut conn, &account, "terms", now()).await {
        Ok(d) => d,
        Err(e) => return fail_form("/mail/new", e),
    };
    sqlx::query(
        "UPDATE mailbox_drafts SET step = 'confirm', virus_check = $2 WHERE id = $1 AND step = 'terms'",
    )
    .bind(&draft.id)
    .bind(i64::from(on))
    .execute(&mut *conn)
    .await?;
    proceed("/mail/new/confirm")
}

/// Step 4, `登録`: creates the mailbox once, whatever the number of clicks. The
/// database's unique address decides a race: the loser gets fresh candidates.
#[server(endpoint = "mail/new/register")]
pub async fn register_mailbox() -> Result<String, AppError> {
    use crate::domain::mailbox::{address, LocalPart, Subdomain};
    use crate::domain::FieldError;
    use crate::ssr::auth::{cookie, password as pw, set_cookie};
    use crate::ssr::{fail_form, now, proceed};
    const DONE: &str = "/mail/new/done";

    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let t = now();
    let draft = {
        let mut conn = state.db.pool().acquire().await?;
        match server::current_draft(&mut conn, &account, t).await? {
            Some(d) if d.step == "done" => return proceed(DONE), // a retried 登録
            Some(d) if d.step == "confirm" => d,
            _ => return fail_form("/mail/new", AppError::FlowExpired),
        }
    };
    let (Ok(local), Some(Ok(sub)), Some(virus)) = (
        LocalPart::parse(&draft.local_part),
        draft.subdomain.as_deref().map(Subdomain::parse),
        draft.virus_check,
    ) else {
        return fail_form("/mail/new", AppError::FlowExpired);
    };
    let address = address(&local, sub, &state.settings.mail_domain);
    let password = server::initial_password();
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
    let (step,): (String,) = sqlx::query_as("SELECT step FROM mailbox_drafts WHERE id = $1")
        .bind(&draft.id)
        .fetch_one(&mut *tx)
        .await?;
    if step == "done" {
        tx.commit().await?;
        return proceed(DONE);
    }
    if step != "confirm" {
        return fail_form("/mail/new", AppError::FlowExpired);
    }
    if server::count(&mut tx, &draft.service_id).await? >= state.settings.mailbox_limit {
        return fail_form("/mail/new/confirm", AppError::LimitReached);
    }
    let mailbox_id = crate::ssr::db::new_id();
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
    .await;
    if let Err(e) = inserted {
        drop(tx);
        if !crate::ssr::db::is_unique_violation(&e) {
            return Err(AppError::internal(e));
        }
        // Someone else registered this address a moment ago: fresh candidates.
        let mut conn = state.db.pool().acquire().await?;
        let shown = [draft.shown.clone(), vec![sub.to_string()]].concat();
        let next = server::next_candidates(&mut conn, &draft.id, local.as_str(), &shown).await?;
        let all_shown = [shown, next.clone()].concat();
        sqlx::query(
            "UPDATE mailbox_drafts SET step = 'subdomain', subdomain = NULL, offered = $2, shown = $3
             WHERE id = $1 AND step = 'confirm'",
        )
        .bind(&draft.id)
        .bind(next.join(","))
        .bind(all_shown.join(","))
        .execute(&mut *conn)
        .await?;
        return fail_form("/mail/new/subdomain", AppError::invalid("subdomain", FieldError::Taken));
    }
    sqlx::query(
        "UPDATE mailbox_drafts SET step = 'done', mailbox_id = $2, sealed_password = $3, expires_at = $4
         WHERE id = $1",
    )
    .bind(&draft.id)
    .bind(&mailbox_id)
    .bind(&sealed)
    .bind(t + server::REVEAL_SECS)
    .execute(&mut *tx)
    .await?;
    server::report(&mut tx, &state.settings, &account, server::Change::Created, &address, virus, t).await?;
    tx.commit().await?;
    set_cookie(&cookie(&state.settings, server::REVEAL_COOKIE, &key, Some(server::REVEAL_SECS), true));
    tracing::info!(customer = %account.customer_no, %address, "mailbox registered");
    proceed(DONE)
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
    let Some(key) = request_cookie(server::REVEAL_COOKIE) else { return Ok(None) };
    set_cookie(&cookie(&state.settings, server::REVEAL_COOKIE, "", Some(0), true));
    let mut conn = state.db.pool().acquire().await?;
    let found: Option<(String, String, String, i64)> = sqlx::query_as(
        "SELECT id, sealed_password, mailbox_id, virus_check FROM mailbox_drafts
         WHERE account_id = $1 AND session_hash = $2 AND step = 'done' AND sealed_password IS NOT NULL
            AND expires_at > $3",
    )
    .bind(&account.account_id)
    .bind(&account.session_hash)
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
