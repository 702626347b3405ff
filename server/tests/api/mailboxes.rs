//! Mailboxes (SPEC §3): the list, the registration wizard, race-safe addresses.

use crate::common::*;

async fn browser_of(app: &TestApp, id: &str, password: &str) -> reqwest::Client {
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, id, password).await), "/", "login {id}");
    c
}

async fn hanako(app: &TestApp) -> reqwest::Client {
    browser_of(app, "hanako@example.com", "Hanako_2024").await
}

/// The candidates on this browser's draft.
async fn offered(app: &TestApp, c: &reqwest::Client) -> Vec<String> {
    let (status, body) = app.get_text_with(c, "/mail/new/subdomain").await;
    assert_eq!(status, 200);
    body.split("name=\"subdomain\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// Steps 1–4 for `local` on the first candidate; returns the chosen sub-domain.
async fn up_to_confirm(app: &TestApp, c: &reqwest::Client, local: &str, virus: &str) -> String {
    assert_eq!(
        post_from(app, c, "/api/mail/new/start", &[("local_part", local)]).await,
        "/mail/new/subdomain"
    );
    let sub = offered(app, c).await.remove(0);
    assert_eq!(post_from(app, c, "/api/mail/new/subdomain", &[("subdomain", &sub)]).await, "/mail/new/terms");
    assert_eq!(
        post_from(app, c, "/api/mail/new/terms", &[("virus_check", virus)]).await,
        "/mail/new/confirm"
    );
    sub
}

/// The completion screen's password, if it is shown.
fn password_on(body: &str) -> Option<String> {
    let rest = body.split("data-testid=\"done-password\"").nth(1)?;
    Some(rest.split_once('>')?.1.split('<').next()?.to_string())
}

async fn the_list_shows_the_mailboxes_and_their_virus_check(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (status, body) = app.get_text_with(&c, "/mail").await;
    assert_eq!(status, 200);
    assert!(body.contains("hanako@a01.itscom.net") && body.contains("sato-family@b03.itscom.net"));
    assert!(body.contains("登録数: 2 / 5") && body.contains("href=\"/mail/new\""));
    assert_eq!(body.matches("data-testid=\"virus-state\"").count(), 2);
    let res = app.get("/mail").await;
    assert_eq!(res.status(), 302, "the list needs a login");
}

/// SPEC §3: the list shows the mailboxes' settings: the servers a mail app is set up
/// with (the completion showed them once, with the password; a new phone comes later).
async fn the_list_gives_the_mail_app_settings(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (_, body) = app.get_text_with(&c, "/mail").await;
    let at = body.find("data-testid=\"mail-servers\"").expect("the settings are on the list");
    let section = &body[at..at + body[at..].find("</section>").unwrap()];
    assert!(section.contains("メールソフトの設定"), "{section}");
    for words in ["受信メールサーバー", "mail.itscom.net", "POP3 995 (SSL/TLS)", "IMAP 993 (SSL/TLS)"]
    {
        assert!(section.contains(words), "{words}: {section}");
    }
    for words in ["送信メールサーバー", "smtp.itscom.net", "587 (STARTTLS)"] {
        assert!(section.contains(words), "{words}: {section}");
    }
}

async fn customers_without_internet_are_told_why(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = tv_only_customer(&app).await;
    let (status, body) = app.get_text_with(&c, "/mail").await;
    assert_eq!(status, 200);
    assert!(body.contains("インターネットサービスをご契約のお客さまのみ"));
    assert!(!body.contains("href=\"/mail/new\""));
    assert!(!body.contains("mail-servers"), "no mail app settings without a mailbox to set up");
    let res = app.post_with(&c, "/api/mail/new/start", &[JSON], &[("local_part", "misaki")]).await;
    assert_eq!(res.status(), 403);
}

async fn local_parts_are_checked_at_both_edges(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let twenty = "a".repeat(20);
    let twenty_one = "a".repeat(21);
    for (local, expected) in [
        ("", "/mail/new?error=local_part.required"),
        ("ab", "/mail/new?error=local_part.too_short_3"),
        (twenty_one.as_str(), "/mail/new?error=local_part.too_long_20"),
        ("-abc", "/mail/new?error=local_part.invalid_format"),
        ("abc_", "/mail/new?error=local_part.invalid_format"),
        ("ab.c", "/mail/new?error=local_part.invalid_characters"),
        ("たろう", "/mail/new?error=local_part.invalid_characters"),
        ("postmaster", "/mail/new?error=local_part.reserved"),
        ("Abuse", "/mail/new?error=local_part.reserved"),
        ("ｗｅｂｍａｓｔｅｒ", "/mail/new?error=local_part.reserved"),
        ("Sales", "/mail/new?error=local_part.reserved"),
        ("www", "/mail/new?error=local_part.reserved"),
        ("sales-team", "/mail/new/subdomain"),
        ("postmasters", "/mail/new/subdomain"),
        ("abc", "/mail/new/subdomain"),
        (twenty.as_str(), "/mail/new/subdomain"),
        ("A-b_C", "/mail/new/subdomain"),
    ] {
        assert_eq!(
            post_from(&app, &c, "/api/mail/new/start", &[("local_part", local)]).await,
            expected,
            "{local}"
        );
    }
    let (local,): (String,) =
        sqlx::query_as("SELECT local_part FROM mailbox_drafts WHERE step = 'subdomain'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(local, "a-b_c", "stored in lower case; earlier drafts were replaced");
    let (_, body) = app.get_text_with(&c, "/mail/new?error=local_part.invalid_format").await;
    assert!(body.contains("「-」「_」は先頭と末尾には使えません。"));
    let (_, body) = app.get_text_with(&c, "/mail/new?error=local_part.reserved").await;
    assert!(body.contains("このメールアドレスは当社の管理用のため登録できません。"));
}

async fn candidates_come_three_at_a_time_free_and_never_repeated(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // "hanako" is taken under a01: never offered.
    let c = hanako(&app).await;
    post_from(&app, &c, "/api/mail/new/start", &[("local_part", "hanako")]).await;
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..10 {
        let now = offered(&app, &c).await;
        assert_eq!(now.len(), 3);
        for s in &now {
            assert!(app::domain::mailbox::Subdomain::parse(s).is_ok(), "{s}");
            assert!(s != "a01", "a taken sub-domain is never offered");
            assert!(!seen.contains(s), "{s} offered twice");
        }
        seen.extend(now);
        assert_eq!(post_from(&app, &c, "/api/mail/new/more", &[]).await, "/mail/new/subdomain");
    }
    // Only what is on screen can be chosen.
    let current = offered(&app, &c).await;
    let stale = &seen[0];
    assert!(!current.contains(stale));
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/subdomain", &[("subdomain", stale)]).await,
        "/mail/new/subdomain?error=subdomain.invalid_format"
    );
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/subdomain", &[]).await,
        "/mail/new/subdomain?error=subdomain.required"
    );
}

/// Takes `local` under every sub-domain but `keep` (as ichiro's mailboxes).
async fn take_all_but(app: &TestApp, local: &str, keep: usize) {
    let (service,): (String,) =
        sqlx::query_as("SELECT id FROM services WHERE customer_no = '100000003' AND kind = 'internet'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    for (i, sub) in app::domain::mailbox::Subdomain::all().enumerate().skip(keep) {
        sqlx::query(
            "INSERT INTO mailboxes (id, customer_no, service_id, local_part, subdomain, address, password_hash, created_at)
             VALUES ($1, '100000003', $2, $3, $4, $5, '!', 0)",
        )
        .bind(format!("fill-{local}-{i}"))
        .bind(&service)
        .bind(local)
        .bind(sub.to_string())
        .bind(format!("{local}@{sub}.itscom.net"))
        .execute(app.db.pool())
        .await
        .unwrap();
    }
}

async fn when_candidates_run_out_the_customer_is_told(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    take_all_but(&app, "popular", 4).await;
    let c = hanako(&app).await;
    post_from(&app, &c, "/api/mail/new/start", &[("local_part", "popular")]).await;
    let first = offered(&app, &c).await;
    assert_eq!(first.len(), 3);
    post_from(&app, &c, "/api/mail/new/more", &[]).await;
    let last = offered(&app, &c).await;
    assert_eq!(last.len(), 1, "the one free sub-domain left");
    assert!(!first.contains(&last[0]));
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/more", &[]).await,
        "/mail/new/subdomain?error=subdomain.exhausted"
    );
    let (_, body) = app.get_text_with(&c, "/mail/new/subdomain?error=subdomain.exhausted").await;
    assert!(body.contains("他に表示できるサブドメイン候補はありません。"));
    // Taken everywhere: refused at step 1.
    take_all_but(&app, "everywhere", 0).await;
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "everywhere")]).await,
        "/mail/new?error=local_part.exhausted"
    );
}

/// The completion page answered in error (its table away a moment, as a database is)
/// keeps the browser's key: a reload shows the password once. Before, the key was taken
/// back first, and the password, which no other page or mail gives, was lost.
async fn a_completion_page_answered_in_error_leaves_the_password_for_a_reload(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    up_to_confirm(&app, &c, "blip", "on").await;
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    let (status, body) =
        with_table_away(&app, "mailbox_drafts", app.get_text_with(&c, "/mail/new/done")).await;
    assert!(password_on(&body).is_none(), "{status}: not shown while its table is away");
    let (status, body) = app.get_text_with(&c, "/mail/new/done").await;
    assert_eq!(status, 200);
    assert!(password_on(&body).is_some(), "shown on the reload");
    assert!(password_on(&app.get_text_with(&c, "/mail/new/done").await.1).is_none(), "and then never again");
}

/// 登録 in one tab while step 1 starts again in another (which drops the draft): the
/// mailbox is registered with its password to show, or not at all. The restart is held
/// open while 登録 runs; 登録 waits for it, then finds its draft gone. Before, on
/// PostgreSQL, it registered the mailbox (one of the five) with no password ever shown
/// (SQLite's 登録 waited at its start and read the draft gone).
async fn a_draft_dropped_while_its_registration_runs_registers_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    up_to_confirm(&app, &c, "racing", "on").await;
    let mut restart = app.db.begin().await.unwrap();
    sqlx::query("UPDATE mailbox_drafts SET step = 'cancelled' WHERE step = 'confirm'")
        .execute(&mut *restart)
        .await
        .unwrap();
    let register = post_later(&app, &c, "/api/mail/new/register", &[HTML], &[]);
    assert_eq!(location(&across(restart, register).await), "/mail/new?error=expired");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE local_part = 'racing'").await, 0);
}

async fn the_wizard_registers_once_and_shows_the_password_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    // Steps cannot be skipped.
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new?error=expired");
    let sub = up_to_confirm(&app, &c, "Sato-Papa", "off").await;
    let address = format!("sato-papa@{sub}.itscom.net");
    let (_, body) = app.get_text_with(&c, "/mail/new/confirm").await;
    assert!(body.contains(&address) && body.contains(">OFF<"));
    // A double click, or a retried 登録: four at once, one mailbox.
    let same_browser = vec![c.clone(); 4];
    let answers = at_once(&app, &same_browser, "/api/mail/new/register", &[]).await;
    assert!(answers.iter().all(|a| a == "/mail/new/done"), "{answers:?}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE local_part = 'sato-papa'").await, 1);

    let res = get_page(&c, &app.url("/mail/new/done")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store", "Back must not show it again");
    let body = res.text().await.unwrap();
    assert!(body.contains("この内容は今後確認ができません。印刷をするか、メモなどに控えてください。"));
    assert!(body.contains(&address) && body.contains("mail.itscom.net") && body.contains("smtp.itscom.net"));
    assert!(body.contains("印刷画面へ"));
    let password = password_on(&body).expect("the password is shown");
    assert_eq!(password.len(), 12);
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM mailboxes WHERE address = $1")
        .bind(&address)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && app::ssr::auth::password::verify(&password, &hash));

    // Never again: not on reload, not in the list, not in any mail, event or draft.
    let (_, again) = app.get_text_with(&c, "/mail/new/done").await;
    assert!(password_on(&again).is_none() && !again.contains(&password));
    assert!(again.contains("登録内容の表示は一度だけです。"));
    let (_, list) = app.get_text_with(&c, "/mail").await;
    assert!(list.contains(&address) && !list.contains(&password));
    assert!(list.contains("登録数: 3 / 5"));
    let payloads: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM outbox").fetch_all(app.db.pool()).await.unwrap();
    assert!(payloads.iter().all(|(p,)| !p.contains(&password)));
    let drafts: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT sealed_password FROM mailbox_drafts").fetch_all(app.db.pool()).await.unwrap();
    assert!(drafts.iter().all(|(s,)| s.is_none()), "the sealed copy is gone once shown");
    assert!(!logs().contains(&password), "never in the logs");

    // The event for the mail system, and the notice without the password.
    let (event,): (String,) =
        sqlx::query_as("SELECT payload FROM outbox WHERE kind = 'event' AND topic = 'mailbox.provision'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let event: serde_json::Value = serde_json::from_str(&event).unwrap();
    assert_eq!(event["event"], "mailbox.created");
    assert_eq!(event["address"], address.as_str());
    assert_eq!(event["customer_no"], "100000002");
    assert_eq!(event["virus_check"], false);
    assert!(event["at"].as_i64().unwrap() > 0);
    // セキュリティ履歴's entry names the browser, not the address (the mailbox's own row
    // has it): neither the events nor the security log copy it.
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM account_events WHERE kind = 'mailbox.created'")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(details.len(), 1);
    assert!(details[0].contains("\"browser\"") && !details[0].contains(&address), "{}", details[0]);
    let logged: Vec<String> =
        logs().lines().filter(|l| l.contains("mailbox.created")).map(str::to_owned).collect();
    assert!(!logged.is_empty() && logged.iter().all(|l| !l.contains(&address)), "{logged:?}");
    let notices = outbox_mails_to(&app, "mailbox.notice", "hanako@example.com").await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].text.contains(&address) && notices[0].text.contains("OFF"));
}

async fn the_completion_is_only_for_the_browser_that_registered(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    up_to_confirm(&app, &c, "only-here", "on").await;
    post_from(&app, &c, "/api/mail/new/register", &[]).await;
    let other = hanako(&app).await;
    let (_, body) = app.get_text_with(&other, "/mail/new/done").await;
    assert!(password_on(&body).is_none(), "another session of the same account sees nothing");
    let (_, body) = app.get_text_with(&c, "/mail/new/done").await;
    assert!(password_on(&body).is_some());
}

/// 登録's answer is lost (a double click without the script: the browser drops the
/// first answer; or the process died after writing it) and 登録 is sent again: the
/// mailbox was made once, and the browser is still shown its password, as it holds
/// the key from the step before.
async fn a_registration_whose_answer_was_lost_still_shows_its_password(backend: Backend) {
    use reqwest::cookie::CookieStore;
    let app = spawn_app_with_demo_data(backend).await;
    let (c, jar) = logged_in_with_jar(&app, "hanako@example.com", "Hanako_2024").await;
    let sub = up_to_confirm(&app, &c, "lost-answer", "on").await;
    // The first 登録, sent with the browser's cookies; its answer (and its cookies) lost.
    let cookies = jar.cookies(&url::Url::parse(&app.url("/")).unwrap()).expect("the browser's cookies");
    let sent = [HTML, SAME_ORIGIN, ("Cookie", cookies.to_str().unwrap())];
    let lost = app.post_with(&app.new_browser(), "/api/mail/new/register", &sent, &[("", ""); 0]).await;
    assert_eq!(location(&lost), "/mail/new/done");
    // 登録 again from the browser: made already, made once.
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    let address = format!("lost-answer@{sub}.itscom.net");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE local_part = 'lost-answer'").await, 1);
    let (_, body) = app.get_text_with(&c, "/mail/new/done").await;
    let password = password_on(&body).expect("the password is shown to the browser that registered");
    assert!(is_its_password(&app, &address, &password).await, "the mailbox's own password");
}

/// The browser's key to the password is SameSite=Strict: a navigation from another site
/// (a link or a pop-up it opens) comes with the session but without the key, and so
/// cannot use the one showing up; the portal's own next visit shows it.
async fn a_navigation_from_another_site_cannot_use_up_the_password_showing(backend: Backend) {
    use reqwest::cookie::CookieStore;
    let app = spawn_app_with_demo_data(backend).await;
    let (c, jar) = logged_in_with_jar(&app, "hanako@example.com", "Hanako_2024").await;
    up_to_confirm(&app, &c, "cross-site", "on").await;
    let res = app.post_with(&c, "/api/mail/new/register", &[HTML], &[("", ""); 0]).await;
    assert_eq!(location(&res), "/mail/new/done");
    let key =
        set_cookies(&res).into_iter().find(|v| v.starts_with("mypage_mailbox_reveal=")).expect("the key");
    assert!(key.contains("SameSite=Strict") && key.contains("HttpOnly"), "{key}");
    // What a browser sends on a navigation from another site: every cookie but the key.
    let cookies = jar.cookies(&url::Url::parse(&app.url("/")).unwrap()).expect("the browser's cookies");
    let lax: Vec<&str> =
        cookies.to_str().unwrap().split("; ").filter(|c| !c.starts_with("mypage_mailbox_reveal=")).collect();
    assert!(lax.iter().any(|c| c.starts_with("mypage_session=")), "{lax:?}");
    let res = app
        .new_browser()
        .get(app.url("/mail/new/done"))
        .header("Cookie", lax.join("; "))
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(password_on(&res.text().await.unwrap()).is_none());
    let (_, body) = app.get_text_with(&c, "/mail/new/done").await;
    assert!(password_on(&body).is_some(), "still shown to the browser's own next visit");
}

/// A key that does not open the sealed password (a stale cookie) does not clear it: it is
/// opened first, so the browser holding the right key can still be shown it.
async fn a_key_that_does_not_open_the_completion_leaves_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    up_to_confirm(&app, &c, "stale-key", "on").await;
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    let sealed = "SELECT COUNT(*) FROM mailbox_drafts WHERE sealed_password IS NOT NULL";
    assert_eq!(scalar(&app, sealed).await, 1);
    // Sealed under another key than this browser's cookie holds.
    let (_, other) = app::ssr::crypto::seal("Another-pass1");
    sqlx::query("UPDATE mailbox_drafts SET sealed_password = $1 WHERE sealed_password IS NOT NULL")
        .bind(&other)
        .execute(app.db.pool())
        .await
        .unwrap();
    let (_, body) = app.get_text_with(&c, "/mail/new/done").await;
    assert!(password_on(&body).is_none());
    assert_eq!(scalar(&app, sealed).await, 1, "kept for the browser with the right key");
}

/// Whether `password` is the one of mailbox `address` (checked against its hash).
async fn is_its_password(app: &TestApp, address: &str, password: &str) -> bool {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM mailboxes WHERE address = $1")
        .bind(address)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    app::ssr::auth::password::verify(password, &hash)
}

/// The mailbox's password from the completion screen, checked against its hash: the
/// address shown, and whether another waits.
async fn shown_completion(app: &TestApp, c: &reqwest::Client) -> Option<(String, bool)> {
    let (status, body) = app.get_text_with(c, "/mail/new/done").await;
    assert_eq!(status, 200);
    let password = password_on(&body)?;
    let address =
        body.split("data-testid=\"done-address\"").nth(1)?.split_once('>')?.1.split('<').next()?.to_string();
    assert!(is_its_password(app, &address, &password).await, "{address}'s own password");
    Some((address, body.contains("data-testid=\"done-more\"")))
}

/// A completion screen never seen (its answer lost, the tab closed) before the next
/// mailbox: both passwords are still shown, the last one first, each once.
async fn a_completion_not_seen_before_the_next_mailbox_is_shown_after_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let first = up_to_confirm(&app, &c, "unseen-first", "on").await;
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    // Registered a minute before the next (the order is by the second).
    sqlx::query("UPDATE mailboxes SET created_at = created_at - 60 WHERE local_part = 'unseen-first'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let second = up_to_confirm(&app, &c, "unseen-second", "off").await;
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    assert_eq!(
        shown_completion(&app, &c).await,
        Some((format!("unseen-second@{second}.itscom.net"), true)),
        "the last one, and another waits"
    );
    assert_eq!(
        shown_completion(&app, &c).await,
        Some((format!("unseen-first@{first}.itscom.net"), false)),
        "then the one not seen"
    );
    assert_eq!(shown_completion(&app, &c).await, None, "each once");
    let sealed = "SELECT COUNT(*) FROM mailbox_drafts WHERE sealed_password IS NOT NULL";
    assert_eq!(scalar(&app, sealed).await, 0);
}

async fn five_is_the_limit(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    for local in ["third", "fourth", "fifth"] {
        up_to_confirm(&app, &c, local, "on").await;
        assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE customer_no = '100000002'").await, 5);
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "sixth")]).await,
        "/mail/new?error=limit"
    );
    let (_, body) = app.get_text_with(&c, "/mail").await;
    assert!(body.contains("登録数: 5 / 5") && body.contains("data-testid=\"mailbox-limit\""));
    assert!(!body.contains("href=\"/mail/new\""));
}

async fn the_limit_holds_when_two_tabs_register_at_once(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("MAILBOX_LIMIT", "3")]).await;
    // Two sessions of hanako (2 mailboxes, limit 3), each at 登録 for a different address.
    let a = hanako(&app).await;
    let b = hanako(&app).await;
    up_to_confirm(&app, &a, "tab-one", "on").await;
    up_to_confirm(&app, &b, "tab-two", "on").await;
    let answers = at_once(&app, &[a, b], "/api/mail/new/register", &[]).await;
    assert_eq!(answers.iter().filter(|a| *a == "/mail/new/done").count(), 1, "{answers:?}");
    assert!(answers.contains(&"/mail/new/confirm?error=limit".to_string()), "{answers:?}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE customer_no = '100000002'").await, 3);
}

async fn fifty_customers_racing_for_one_address_get_it_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let mut browsers = Vec::new();
    for i in 0..50 {
        let c = if i % 2 == 0 {
            hanako(&app).await
        } else {
            browser_of(&app, "ichiro@example.net", "Ichiro_2020").await
        };
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "race")]).await;
        browsers.push(c);
    }
    // Every draft offers k07 (candidates are shuffled per draft).
    exec(&app, "UPDATE mailbox_drafts SET offered = 'k07', shown = 'k07'").await;
    for c in &browsers {
        assert_eq!(
            post_from(&app, c, "/api/mail/new/subdomain", &[("subdomain", "k07")]).await,
            "/mail/new/terms"
        );
        post_from(&app, c, "/api/mail/new/terms", &[("virus_check", "on")]).await;
    }
    let answers = at_once(&app, &browsers, "/api/mail/new/register", &[]).await;
    let won = answers.iter().filter(|a| *a == "/mail/new/done").count();
    let lost = answers.iter().filter(|a| *a == "/mail/new/subdomain?error=subdomain.taken").count();
    assert_eq!((won, lost), (1, 49), "{answers:?}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE address = 'race@k07.itscom.net'").await, 1);
    // The losers are back at step 2 with fresh candidates, k07 not among them.
    let loser = browsers
        .iter()
        .zip(&answers)
        .find(|(_, a)| a.ends_with("subdomain.taken"))
        .map(|(c, _)| c.clone())
        .unwrap();
    let fresh = offered(&app, &loser).await;
    assert_eq!(fresh.len(), 3);
    assert!(!fresh.contains(&"k07".to_string()));
    let (_, body) = app.get_text_with(&loser, "/mail/new/subdomain?error=subdomain.taken").await;
    assert!(body.contains("たった今ほかのお客さまが登録しました"));
}

async fn the_virus_check_can_be_switched_and_is_reported(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let id = "mbx-hanako-a01";
    assert_eq!(
        post_from(&app, &c, "/api/mail/virus-check", &[("mailbox_id", id), ("virus_check", "off")]).await,
        "/mail"
    );
    assert_eq!(scalar(&app, "SELECT virus_check FROM mailboxes WHERE id = 'mbx-hanako-a01'").await, 0);
    let (event,): (String,) = sqlx::query_as("SELECT payload FROM outbox WHERE kind = 'event'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let event: serde_json::Value = serde_json::from_str(&event).unwrap();
    assert_eq!(event["event"], "mailbox.virus_check_changed");
    assert_eq!(event["address"], "hanako@a01.itscom.net");
    assert_eq!(event["virus_check"], false);
    assert_eq!(outbox_mails_to(&app, "mailbox.notice", "hanako@example.com").await.len(), 1);
    // Setting it to what it is changes nothing and reports nothing.
    post_from(&app, &c, "/api/mail/virus-check", &[("mailbox_id", id), ("virus_check", "off")]).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE kind = 'event'").await, 1);
    // Someone else's mailbox: not found, unchanged.
    let i = browser_of(&app, "ichiro@example.net", "Ichiro_2020").await;
    let res = app
        .post_with(&i, "/api/mail/virus-check", &[JSON], &[("mailbox_id", id), ("virus_check", "on")])
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(scalar(&app, "SELECT virus_check FROM mailboxes WHERE id = 'mbx-hanako-a01'").await, 0);
    assert_eq!(
        post_from(&app, &c, "/api/mail/virus-check", &[("mailbox_id", id), ("virus_check", "maybe")]).await,
        "/mail?error=virus_check.required"
    );
}

/// 登録 registers the address its page showed: a new draft started in another tab since
/// (the session has one draft) is not registered for it. Before, the other tab's
/// address was registered, one the customer had not confirmed and can neither delete
/// nor take back, of her five.
async fn register_takes_the_address_its_page_showed(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    up_to_confirm(&app, &c, "first", "on").await;
    let (_, first) = app.get_text_with(&c, "/mail/new/confirm").await;
    let shown = hidden(&first, "address");
    assert!(shown.starts_with("first@") && shown.ends_with(".itscom.net"), "{shown}");
    // Another tab: a new draft, to its confirmation.
    up_to_confirm(&app, &c, "second", "off").await;
    let (_, second) = app.get_text_with(&c, "/mail/new/confirm").await;
    let registered = "SELECT COUNT(*) FROM mailboxes WHERE local_part IN ('first', 'second')";
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/register", &[("address", shown.as_str())]).await,
        "/mail/new/confirm?error=address.mismatch"
    );
    assert_eq!(scalar(&app, registered).await, 0, "nothing registered");
    let (_, told) = app.get_text_with(&c, "/mail/new/confirm?error=address.mismatch").await;
    assert!(
        told.contains("別の画面でお申し込みの内容が変わりました。表示中のメールアドレスをご確認のうえ"),
        "{told}"
    );
    let other = hidden(&second, "address");
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/register", &[("address", other.as_str())]).await,
        "/mail/new/done"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE local_part = 'second'").await, 1);
}

/// Each switch of a virus check mails the contact address: 20 an hour per session, with
/// the other changes that mail a notice (a phone number), then refused (throttled) and
/// nothing changed or mailed. Unbounded, a session (a stolen one, a script) buried the
/// owner's real notices and delayed every customer's codes and links in the outbox.
/// Another session of the account (the owner's, when a stolen one spent its budget) has
/// its own.
async fn changes_that_mail_a_notice_are_twenty_an_hour(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let id = "mbx-hanako-a01";
    let switch = |on: bool| {
        let (app, c) = (&app, c.clone());
        let to = if on { "on" } else { "off" };
        async move {
            post_from(app, &c, "/api/mail/virus-check", &[("mailbox_id", id), ("virus_check", to)]).await
        }
    };
    let free = app::ssr::auth::throttle::NOTICED_CHANGES.free_attempts;
    assert_eq!(
        post_from(&app, &c, "/api/account/phone/add", &[("phone", "090-1234-0001")]).await,
        "/account?done=phone_added#phones"
    );
    for i in 1..free {
        assert_eq!(switch(i % 2 == 0).await, "/mail", "{i}");
    }
    let mails = || outbox_mails_to(&app, "mailbox.notice", "hanako@example.com");
    assert_eq!(mails().await.len() as i64, free - 1);
    let state = "SELECT virus_check FROM mailboxes WHERE id = 'mbx-hanako-a01'";
    let before = scalar(&app, state).await;
    assert_eq!(switch(before == 0).await, "/mail?error=throttled");
    assert_eq!(scalar(&app, state).await, before, "unchanged");
    assert_eq!(mails().await.len() as i64, free - 1, "not mailed");
    let (_, body) = app.get_text_with(&c, "/mail?error=throttled").await;
    assert!(body.contains("試行回数が上限を超えました。しばらく時間をおいてから"), "said on the list");
    assert_eq!(
        post_from(&app, &c, "/api/account/phone/add", &[("phone", "090-1234-0002")]).await,
        "/account?error=throttled"
    );
    let owner = hanako(&app).await;
    let to = post_from(&app, &owner, "/api/account/phone/remove", &[("phone", "090-1234-0001")]).await;
    assert_eq!(to, "/account?done=phone_removed#phones", "another session's own budget");
}

/// SPEC §3: up to 5 mailboxes per internet contract. A customer with a second internet
/// contract sees each contract's mailboxes apart and adds to either, 5 each; another
/// customer's contract, or one that has ended, is not found.
async fn each_internet_contract_has_its_own_five(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let first: String =
        sqlx::query_scalar("SELECT id FROM services WHERE customer_no = '100000002' AND kind = 'internet'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    for (id, customer, ended) in
        [("svc-second", "100000002", None), ("svc-ended", "100000002", Some("2026-01-31"))]
    {
        sqlx::query(
            "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee,
                installation_address, started_on, ended_on)
             VALUES ($1, $2, 'internet', 'net-1g', 'インターネット 1Gコース', 5280, '東京都世田谷区1-2-3', '2026-02-01', $3)",
        )
        .bind(id)
        .bind(customer)
        .bind(ended)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let other: String =
        sqlx::query_scalar("SELECT id FROM services WHERE customer_no = '100000001' AND kind = 'internet'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let c = hanako(&app).await;
    let (_, body) = app.get_text_with(&c, "/mail").await;
    assert_eq!(body.matches("data-testid=\"mailbox-contract\"").count(), 2, "the ended one is not listed");
    assert!(body.contains("（設置場所: 東京都世田谷区1-2-3）"));
    assert!(body.contains("登録数: 2 / 5") && body.contains("登録数: 0 / 5"));
    assert!(body.contains(&format!("href=\"/mail/new?service={first}\"")));
    assert!(body.contains("href=\"/mail/new?service=svc-second\""));

    for service in [other.as_str(), "svc-ended"] {
        let res = app
            .post_with(&c, "/api/mail/new/start", &[JSON], &[("local_part", "second"), ("service", service)])
            .await;
        assert_eq!(res.status(), 404, "{service}");
    }
    // Without a contract chosen (the page's empty field, or none), back to the list to
    // choose one: not the first contract unasked.
    for form in [&[("local_part", "second"), ("service", "")][..], &[("local_part", "second")][..]] {
        assert_eq!(post_from(&app, &c, "/api/mail/new/start", form).await, "/mail?error=expired", "{form:?}");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailbox_drafts").await, 0);
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "second"), ("service", "svc-second")])
            .await,
        "/mail/new/subdomain"
    );
    let (_, page) = app.get_text_with(&c, "/mail/new?service=svc-second").await;
    assert!(page.contains("name=\"service\" value=\"svc-second\""), "step 1 carries the contract");
    // Five on the second contract, while the first keeps its two.
    for local in ["second-1", "second-2", "second-3", "second-4", "second-5"] {
        assert_eq!(
            post_from(&app, &c, "/api/mail/new/start", &[("local_part", local), ("service", "svc-second")])
                .await,
            "/mail/new/subdomain"
        );
        let sub = offered(&app, &c).await.remove(0);
        post_from(&app, &c, "/api/mail/new/subdomain", &[("subdomain", &sub)]).await;
        post_from(&app, &c, "/api/mail/new/terms", &[("virus_check", "on")]).await;
        let (_, confirm) = app.get_text_with(&c, "/mail/new/confirm").await;
        assert!(confirm.contains("data-testid=\"summary-contract\""), "確認 names the contract");
        assert!(confirm.contains("インターネット 1Gコース（設置場所: 東京都世田谷区1-2-3）"));
        assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done", "{local}");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE service_id = 'svc-second'").await, 5);
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "sixth"), ("service", "svc-second")])
            .await,
        "/mail/new?service=svc-second&error=limit"
    );
    // The first contract still takes its third.
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/start", &[("local_part", "third"), ("service", &first)]).await,
        "/mail/new/subdomain"
    );
    let (_, body) = app.get_text_with(&c, "/mail").await;
    assert!(body.contains("登録数: 2 / 5") && body.contains("登録数: 5 / 5"));
    assert_eq!(body.matches("data-testid=\"mailbox-limit\"").count(), 1);
}

/// The password of mailbox `id`, as stored.
async fn hash_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT password_hash FROM mailboxes WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// メールパスワードの再発行: from the list, a confirmation, and a new password shown once
/// on its completion screen (the one that works; the old one does not). The page sent
/// several times at once (a double click, an answer lost) issues one password. The mail
/// system gets an event, the owner a notice and a セキュリティ履歴 entry, none with it.
async fn a_mailbox_password_is_issued_again_once_and_shown_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (id, address) = ("mbx-hanako-a01", "hanako@a01.itscom.net");
    let (_, list) = app.get_text_with(&c, "/mail").await;
    assert!(
        list.contains("href=\"/mail/password?mailbox=mbx-hanako-a01\"") && list.contains("パスワード再発行")
    );
    let res = get_page(&c, &app.url("/mail/password?mailbox=mbx-hanako-a01")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store", "the page holds its key");
    let page = res.text().await.unwrap();
    assert!(page.contains("メールパスワードの再発行") && page.contains(address));
    assert!(page.contains("これまでのパスワードは使えなくなります"));
    let key = hidden(&page, "key");
    let before = hash_of(&app, id).await;
    // The account's password, however fresh the login: the mailbox may be the contact
    // address, where the account's recovery mails go.
    assert!(page.contains("現在のパスワード"));
    assert_eq!(
        post_from(&app, &c, "/api/mail/password", &[("mailbox", id), ("key", key.as_str())]).await,
        "/mail/password?mailbox=mbx-hanako-a01&error=current_password.required"
    );
    let form = [("mailbox", id), ("key", key.as_str()), ("password", "Hanako_2024")];
    let answers = at_once(&app, &vec![c.clone(); 3], "/api/mail/password", &form).await;
    assert!(answers.iter().all(|a| a == "/mail/password/done"), "{answers:?}");
    let after = hash_of(&app, id).await;
    assert_ne!(after, before, "a new password");

    let res = get_page(&c, &app.url("/mail/password/done")).await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = res.text().await.unwrap();
    assert!(body.contains("パスワード再発行完了") && body.contains("新しいパスワード"), "not 登録完了");
    assert!(body.contains("この内容は今後確認ができません。"));
    let password = password_on(&body).expect("the new password is shown");
    assert!(is_its_password(&app, address, &password).await, "the password shown is the one set");
    let (_, again) = app.get_text_with(&c, "/mail/password/done").await;
    assert!(password_on(&again).is_none() && !again.contains(&password), "shown once");

    let events: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM outbox WHERE kind = 'event' AND topic = 'mailbox.provision'")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let event: serde_json::Value = serde_json::from_str(&events[0]).unwrap();
    assert_eq!(event["event"], "mailbox.password_reissued");
    assert_eq!(event["address"], address);
    let notices = outbox_mails_to(&app, "mailbox.notice", "hanako@example.com").await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].subject.contains("メールパスワードを再発行しました"), "{}", notices[0].subject);
    assert!(notices[0].text.contains(address) && !notices[0].text.contains(&password));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'mailbox.password_reissued'").await,
        1
    );
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM outbox").fetch_all(app.db.pool()).await.unwrap();
    assert!(payloads.iter().all(|p| !p.contains(&password)) && !logs().contains(&password));
    // The same page sent once more, after: nothing issued again.
    assert_eq!(post_from(&app, &c, "/api/mail/password", &form).await, "/mail/password/done");
    assert_eq!(hash_of(&app, id).await, after);
    // The registration wizard does not take the reissue for its draft.
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new?error=expired");
}

/// Only its owner issues a mailbox's password again: another customer's mailbox is the
/// 404, and its password is left as it is; so is a mailbox of a contract that has
/// ended; a page's key that is not one is refused; a wrong password is said at its
/// field.
async fn only_its_owner_issues_a_mailbox_password_again(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let id = "mbx-hanako-a01";
    let before = hash_of(&app, id).await;
    let i = browser_of(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (status, page) = app.get_text_with(&i, "/mail/password?mailbox=mbx-hanako-a01").await;
    assert_eq!(status, 404);
    assert!(!page.contains("hanako@a01.itscom.net"));
    let key = app::ssr::crypto::random_token();
    let res =
        app.post_with(&i, "/api/mail/password", &[JSON], &[("mailbox", id), ("key", key.as_str())]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(hash_of(&app, id).await, before);
    let c = hanako(&app).await;
    assert_eq!(
        post_from(&app, &c, "/api/mail/password", &[("mailbox", id), ("key", "not-a-key")]).await,
        "/mail?error=expired"
    );
    let (_, page) = app.get_text_with(&c, "/mail/password?mailbox=mbx-hanako-a01").await;
    let key = hidden(&page, "key");
    let form = |password: &'static str| [("mailbox", id), ("key", key.as_str()), ("password", password)];
    assert_eq!(
        post_from(&app, &c, "/api/mail/password", &form("Wrong_pass1")).await,
        "/mail/password?mailbox=mbx-hanako-a01&error=current_password.mismatch"
    );
    assert_eq!(hash_of(&app, id).await, before, "nothing issued");
    assert_eq!(post_from(&app, &c, "/api/mail/password", &form("Hanako_2024")).await, "/mail/password/done");
    assert_ne!(hash_of(&app, id).await, before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE kind = 'event'").await, 1);
    // The internet contract ended: its mailboxes are not listed, nor issued again.
    exec(&app, "UPDATE services SET ended_on = '2020-01-31' WHERE id = 'svc-100000002-internet'").await;
    let (status, page) = app.get_text_with(&c, "/mail/password?mailbox=mbx-hanako-a01").await;
    assert_eq!(status, 404);
    assert!(!page.contains("hanako@a01.itscom.net"));
}

/// The new password's answer lost (a double click without the script, a connection
/// dropped): the same page sent again shows the password the first one set, as the
/// browser holds the key from the page. And a password of the mailbox still waiting
/// to be shown (its registration's completion never seen) is not shown after the
/// reissue: the one shown is the one that works. Before, the first was sealed with a
/// key the browser never received, and the second showed the dead initial password.
async fn a_reissue_whose_answer_was_lost_shows_the_password_that_works(backend: Backend) {
    use reqwest::cookie::CookieStore;
    let app = spawn_app_with_demo_data(backend).await;
    let (c, jar) = logged_in_with_jar(&app, "hanako@example.com", "Hanako_2024").await;
    let site = url::Url::parse(&app.url("/")).unwrap();
    let reissue = |id: String| {
        let (app, c, jar, site) = (&app, &c, &jar, &site);
        async move {
            let (_, page) = app.get_text_with(c, &format!("/mail/password?mailbox={id}")).await;
            let key = hidden(&page, "key");
            let form = [("mailbox", id.as_str()), ("key", key.as_str()), ("password", "Hanako_2024")];
            // The first answer goes to a copy of the browser, and is lost with it.
            let (lost, lost_jar) = browser_with_jar();
            for cookie in jar.cookies(site).unwrap().to_str().unwrap().split("; ") {
                lost_jar.add_cookie_str(&format!("{cookie}; Path=/"), site);
            }
            assert_eq!(post_from(app, &lost, "/api/mail/password", &form).await, "/mail/password/done");
            assert_eq!(post_from(app, c, "/api/mail/password", &form).await, "/mail/password/done");
            let (_, body) = app.get_text_with(c, "/mail/password/done").await;
            assert!(
                body.contains("パスワード再発行完了") && !body.contains("data-testid=\"done-more\""),
                "{body}"
            );
            password_on(&body).expect("the new password is shown")
        }
    };
    let password = reissue("mbx-hanako-a01".into()).await;
    assert!(is_its_password(&app, "hanako@a01.itscom.net", &password).await, "the password shown works");
    // A mailbox registered, its completion never seen, then its password issued again.
    let sub = up_to_confirm(&app, &c, "lost-page", "on").await;
    assert_eq!(post_from(&app, &c, "/api/mail/new/register", &[]).await, "/mail/new/done");
    let address = format!("lost-page@{sub}.itscom.net");
    let id: String = sqlx::query_scalar("SELECT id FROM mailboxes WHERE address = $1")
        .bind(&address)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let password = reissue(id).await;
    assert!(is_its_password(&app, &address, &password).await, "the password shown works");
    let (_, again) = app.get_text_with(&c, "/mail/new/done").await;
    assert!(password_on(&again).is_none(), "the initial password is not shown after it");
}

on_both_databases!(
    a_mailbox_password_is_issued_again_once_and_shown_once,
    only_its_owner_issues_a_mailbox_password_again,
    a_reissue_whose_answer_was_lost_shows_the_password_that_works,
    register_takes_the_address_its_page_showed,
    changes_that_mail_a_notice_are_twenty_an_hour,
    a_completion_page_answered_in_error_leaves_the_password_for_a_reload,
    a_draft_dropped_while_its_registration_runs_registers_nothing,
    each_internet_contract_has_its_own_five,
    the_list_shows_the_mailboxes_and_their_virus_check,
    the_list_gives_the_mail_app_settings,
    customers_without_internet_are_told_why,
    local_parts_are_checked_at_both_edges,
    candidates_come_three_at_a_time_free_and_never_repeated,
    when_candidates_run_out_the_customer_is_told,
    the_wizard_registers_once_and_shows_the_password_once,
    the_completion_is_only_for_the_browser_that_registered,
    a_key_that_does_not_open_the_completion_leaves_it,
    a_navigation_from_another_site_cannot_use_up_the_password_showing,
    a_completion_not_seen_before_the_next_mailbox_is_shown_after_it,
    a_registration_whose_answer_was_lost_still_shows_its_password,
    five_is_the_limit,
    the_limit_holds_when_two_tabs_register_at_once,
    fifty_customers_racing_for_one_address_get_it_once,
    the_virus_check_can_be_switched_and_is_reported,
);
