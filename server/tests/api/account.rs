//! お客さま情報確認・変更 and the change of the iTSCOM ID (SPEC §1.5).

use crate::common::*;

const NEW_ID: &str = "hanako.new@example.jp";

/// Logged in as hanako (a fresh login): draft a change to `new_id`, choose `contact`.
async fn hanako_changes_id(app: &TestApp, new_id: &str, contact: &str) -> reqwest::Client {
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, "hanako@example.com", "Hanako_2024").await), "/");
    assert_eq!(
        post_from(app, &c, "/api/account/id/start", &[("new_itscom_id", new_id)]).await,
        "/account/id/confirm"
    );
    assert_eq!(
        post_from(app, &c, "/api/account/id/submit", &[("contact", contact)]).await,
        "/account/id/sent"
    );
    c
}

async fn confirm_link(app: &TestApp, to: &str) -> String {
    let mails = outbox_mails_to(app, "account.id_change", to).await;
    link_path(mails.first().expect("a mail to the new address"), "/account/id/verify?token=").expect("a link")
}

async fn the_account_pages_need_a_login_and_show_the_account(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for path in ["/account", "/account/edit", "/account/id", "/account/id/confirm"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 302, "{path}");
        assert!(location(&res).starts_with("/login?next="), "{path}");
    }
    assert_eq!(app.post_fetch("/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await.status(), 401);
    assert_eq!(
        location(&app.post_form("/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await),
        "/login"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM id_changes").await, 0);
    app.login("hanako@example.com", "Hanako_2024").await;
    let (status, body) = app.get_text("/account").await;
    assert_eq!(status, 200);
    for text in
        ["お客さま情報確認・変更", "佐藤 花子", "100000002", "hanako@example.com", "アカウント情報を変更する"]
    {
        assert!(body.contains(text), "/account shows {text}");
    }
    let (status, body) = app.get_text("/account/edit").await;
    assert_eq!(status, 200);
    assert!(body.contains("href=\"/account/id\"") && body.contains(">変更<"));
    let (_, top) = app.get_text("/").await;
    assert!(top.contains("href=\"/account\""), "the top page links お客さま情報を変更");
}

async fn the_new_id_takes_effect_only_when_the_new_address_confirms(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako_changes_id(&app, NEW_ID, "new").await;
    let link = confirm_link(&app, NEW_ID).await;
    // Not yet: the old ID still logs in, the new one does not, the page shows it pending.
    assert_eq!(location(&app.login_from(&app.new_browser(), "hanako@example.com", "Hanako_2024").await), "/");
    assert!(location(&app.login_from(&app.new_browser(), NEW_ID, "Hanako_2024").await).contains("error="));
    let (_, body) = app.get_text_with(&c, "/account").await;
    assert!(body.contains("data-testid=\"pending-id\"") && body.contains(NEW_ID));
    // The link opens in the mail app's browser, not logged in; reading changes nothing.
    // Whoever holds it (a mistyped new address is a stranger's) sees the ID in force
    // masked, as a contact-address link shows the address.
    let phone = app.new_browser();
    for _ in 0..2 {
        let (status, body) = app.get_text_with(&phone, &link).await;
        assert_eq!(status, 200);
        assert!(
            body.contains(NEW_ID) && body.contains("ha****@example.com") && body.contains("変更を確定する")
        );
        assert!(!body.contains("hanako@example.com"), "the ID in force is not shown");
    }
    let token = link.split("token=").nth(1).unwrap();
    assert_eq!(
        post_from(&app, &phone, "/api/account/id/confirm", &[("token", token)]).await,
        "/account/id/done"
    );
    assert_eq!(location(&app.login_from(&app.new_browser(), NEW_ID, "Hanako_2024").await), "/");
    assert!(location(&app.login_from(&app.new_browser(), "hanako@example.com", "Hanako_2024").await)
        .contains("error=credentials"));
    let contact = contact_email(&app, "100000002").await;
    assert_eq!(contact.as_deref(), Some(NEW_ID), "the contact address changed too, as chosen");
    let notices = outbox_mails_to(&app, "account.id_changed", "hanako@example.com").await;
    assert_eq!(notices.len(), 1, "the old contact address is told");
    assert!(notices[0].text.contains(NEW_ID));
    // Single use.
    assert_eq!(app.get_text_with(&phone, &link).await.0, 404);
    assert_eq!(
        post_from(&app, &phone, "/api/account/id/confirm", &[("token", token)]).await,
        format!("{link}&error=link")
    );
    // The session that asked keeps working, under the new ID.
    let (_, body) = app.get_text_with(&c, "/account").await;
    assert!(body.contains(NEW_ID) && !body.contains("pending-id"));
}

/// The login's count is the account's, under whatever ID: failures strangers typed at
/// an address while it was nobody's ID (up to the lock at 100) are not the account's
/// when it takes that ID; the account's own failures go with it.
async fn a_new_id_takes_the_accounts_login_count_not_strangers(backend: Backend) {
    use app::ssr::auth::throttle;
    let app = spawn_app_with_demo_data(backend).await;
    let set = |id: &str, failures: i64| {
        let row = throttle::row_of(&throttle::LOGIN_ACCOUNT, &app::domain::ItscomId::key_of_raw(id));
        let db = app.db.clone();
        async move {
            sqlx::query(
                "INSERT INTO throttle (key, failures, window_start, blocked_until, purge_after)
                 VALUES ($1, $2, 0, 0, $3)",
            )
            .bind(row)
            .bind(failures)
            .bind(1_000_000_000_000_i64)
            .execute(db.pool())
            .await
            .unwrap();
        }
    };
    // Locked by strangers while nobody's.
    set(NEW_ID, 100).await;
    let c = hanako_changes_id(&app, NEW_ID, "keep").await;
    let token = confirm_link(&app, NEW_ID).await.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &c, "/api/account/id/confirm", &[("token", &token)]).await,
        "/account/id/done"
    );
    assert_eq!(location(&app.login(NEW_ID, "Hanako_2024").await), "/", "not locked");
    // A lock of the account's own follows it to the new ID.
    let c = {
        let c = app.new_browser();
        assert_eq!(location(&app.login_from(&c, NEW_ID, "Hanako_2024").await), "/");
        c
    };
    assert_eq!(
        post_from(&app, &c, "/api/account/id/start", &[("new_itscom_id", "hanako.third@example.jp")]).await,
        "/account/id/confirm"
    );
    assert_eq!(
        post_from(&app, &c, "/api/account/id/submit", &[("contact", "keep")]).await,
        "/account/id/sent"
    );
    set(NEW_ID, 100).await;
    let token =
        confirm_link(&app, "hanako.third@example.jp").await.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &c, "/api/account/id/confirm", &[("token", &token)]).await,
        "/account/id/done"
    );
    // (From a browser the account never used: one it did has its own count.)
    let fresh = app.new_browser();
    let to = location(&app.login_from(&fresh, "hanako.third@example.jp", "Hanako_2024").await);
    assert!(to.contains("error=locked"), "{to}");
}

async fn keeping_the_contact_address_keeps_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako_changes_id(&app, NEW_ID, "keep").await;
    let link = confirm_link(&app, NEW_ID).await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &c, "/api/account/id/confirm", &[("token", &token)]).await,
        "/account/id/done"
    );
    let contact = contact_email(&app, "100000002").await;
    assert_eq!(contact.as_deref(), Some("hanako@example.com"));
    assert_eq!(outbox_mails_to(&app, "account.id_changed", "hanako@example.com").await.len(), 1);
}

async fn bad_input_gets_field_messages(backend: Backend) {
    let (app, c) = demo_app_and_browser(backend).await;
    app.login_from(&c, "hanako@example.com", "Hanako_2024").await;
    let long = format!("{}@example.jp", "a".repeat(89)); // 100 characters
    let too_long = format!("{}@example.jp", "a".repeat(90)); // 101
    for (id, expected) in [
        ("", "/account/id?error=new_itscom_id.required"),
        ("not-an-address", "/account/id?error=new_itscom_id.invalid_format"),
        ("a@b", "/account/id?error=new_itscom_id.too_short_4"),
        (too_long.as_str(), "/account/id?error=new_itscom_id.too_long_100"),
        ("HANAKO@example.com", "/account/id?error=new_itscom_id.unchanged"),
        (long.as_str(), "/account/id/confirm"),
    ] {
        assert_eq!(
            post_from(&app, &c, "/api/account/id/start", &[("new_itscom_id", id)]).await,
            expected,
            "{id}"
        );
    }
    assert_eq!(
        post_from(&app, &c, "/api/account/id/submit", &[]).await,
        "/account/id/confirm?error=contact.required"
    );
    assert_eq!(
        post_from(&app, &c, "/api/account/id/submit", &[("contact", "both")]).await,
        "/account/id/confirm?error=contact.required"
    );
    let (status, body) = app.get_text_with(&c, "/account/id?error=new_itscom_id.unchanged").await;
    assert_eq!(status, 200);
    assert!(body.contains("現在のiTSCOM IDと同じです。"));
}

async fn a_login_older_than_five_minutes_asks_for_the_password(backend: Backend) {
    let (app, c) = demo_app_and_browser(backend).await;
    app.login_from(&c, "hanako@example.com", "Hanako_2024").await;
    post_from(&app, &c, "/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await;
    let age = |secs: i64| {
        let app = &app;
        async move { exec_at(app, "UPDATE sessions SET created_at = $1", app::ssr::now() - secs).await }
    };
    // 4 minutes: not asked.
    age(240).await;
    let (_, body) = app.get_text_with(&c, "/account/id/confirm").await;
    assert!(body.contains(NEW_ID) && !body.contains("現在のパスワード"));
    // Past 5 minutes: asked, and checked.
    age(310).await;
    let (_, body) = app.get_text_with(&c, "/account/id/confirm").await;
    assert!(body.contains("現在のパスワード"));
    let submit = |form: Vec<(&'static str, &'static str)>| {
        let c = c.clone();
        let app = &app;
        async move { post_from(app, &c, "/api/account/id/submit", &form).await }
    };
    assert_eq!(submit(vec![("contact", "new")]).await, "/account/id/confirm?error=current_password.required");
    assert_eq!(
        submit(vec![("contact", "new"), ("password", "Wrong_pass1")]).await,
        "/account/id/confirm?error=current_password.mismatch"
    );
    assert!(outbox_mails_to(&app, "account.id_change", NEW_ID).await.is_empty());
    assert_eq!(submit(vec![("contact", "new"), ("password", "Hanako_2024")]).await, "/account/id/sent");
    assert_eq!(outbox_mails_to(&app, "account.id_change", NEW_ID).await.len(), 1);
}

async fn an_id_held_by_another_account_gets_the_same_screens_and_a_mail_without_link(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako_changes_id(&app, "ichiro@example.net", "new").await;
    let (status, _) = app.get_text_with(&c, "/account/id/sent").await;
    assert_eq!(status, 200);
    let mails = outbox_mails_to(&app, "account.id_change", "ichiro@example.net").await;
    assert_eq!(mails.len(), 1);
    assert!(link_path(&mails[0], "/account/id/verify").is_none(), "no link when the ID is taken");
    assert!(mails[0].text.contains("すでにiTSCOM IDとして登録されている"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM id_changes WHERE link_hash IS NOT NULL").await, 0);
}

/// An ID is taken whatever the case it is typed in (SPEC §1.1: IDs are unique without
/// regard to case): a change to ICHIRO@Example.NET is told the ID is taken, as one to
/// ichiro@example.net is, and carries no link.
async fn an_id_held_by_another_account_is_taken_in_any_case(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, "ICHIRO@Example.NET", "new").await;
    let sql = "SELECT payload FROM outbox WHERE topic = $1";
    let mails: Vec<(String,)> = rows_for(&app, sql, "account.id_change").await;
    assert_eq!(mails.len(), 1);
    let mail: app::ssr::mail::Mail = serde_json::from_str(&mails[0].0).unwrap();
    assert!(mail.to.eq_ignore_ascii_case("ichiro@example.net"), "{}", mail.to);
    assert!(link_path(&mail, "/account/id/verify").is_none(), "no link when the ID is taken");
    assert!(mail.text.contains("すでにiTSCOM IDとして登録されている"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM id_changes WHERE link_hash IS NOT NULL").await, 0);
}

async fn an_id_taken_before_the_link_is_opened_is_refused_clearly(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, "shared@example.jp", "new").await;
    let hanako_link = confirm_link(&app, "shared@example.jp").await;
    // ichiro asks for the same new ID, and confirms first.
    let i = app.new_browser();
    app.login_from(&i, "ichiro@example.net", "Ichiro_2020").await;
    post_from(&app, &i, "/api/account/id/start", &[("new_itscom_id", "shared@example.jp")]).await;
    post_from(&app, &i, "/api/account/id/submit", &[("contact", "keep")]).await;
    let links: Vec<String> = outbox_mails_to(&app, "account.id_change", "shared@example.jp")
        .await
        .iter()
        .filter_map(|m| link_path(m, "/account/id/verify?token="))
        .collect();
    assert_eq!(links.len(), 2, "both changes mailed a link: the ID was free both times");
    let ichiro_link = links.into_iter().find(|l| *l != hanako_link).unwrap();
    let token = |l: &str| l.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &app.new_browser(), "/api/account/id/confirm", &[("token", &token(&ichiro_link))])
            .await,
        "/account/id/done"
    );
    assert_eq!(
        post_from(&app, &app.new_browser(), "/api/account/id/confirm", &[("token", &token(&hanako_link))])
            .await,
        format!("{hanako_link}&error=new_itscom_id.taken")
    );
    assert_eq!(location(&app.login_from(&app.new_browser(), "hanako@example.com", "Hanako_2024").await), "/");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM id_changes WHERE step = 'mailed'").await,
        1,
        "hanako's link stays unused"
    );
}

async fn a_link_opened_twice_at_once_changes_the_id_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, NEW_ID, "new").await;
    let link = confirm_link(&app, NEW_ID).await;
    let browsers: Vec<_> = (0..8).map(|_| app.new_browser()).collect();
    let token = link.split("token=").nth(1).unwrap();
    let answers = at_once(&app, &browsers, "/api/account/id/confirm", &[("token", token)]).await;
    let done = answers.iter().filter(|a| *a == "/account/id/done").count();
    assert_eq!(done, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'account.id_changed'").await, 1);
}

async fn a_draft_belongs_to_the_session_that_made_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let a = app.new_browser();
    app.login_from(&a, "hanako@example.com", "Hanako_2024").await;
    post_from(&app, &a, "/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await;
    let b = app.new_browser();
    app.login_from(&b, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(
        post_from(&app, &b, "/api/account/id/submit", &[("contact", "new")]).await,
        "/account/id?error=expired"
    );
    let (_, body) = app.get_text_with(&b, "/account/id/confirm").await;
    assert!(body.contains("最初からやり直す"));
    // An expired link is refused.
    assert_eq!(
        post_from(&app, &a, "/api/account/id/submit", &[("contact", "new")]).await,
        "/account/id/sent"
    );
    exec_at(&app, "UPDATE id_changes SET expires_at = $1", app::ssr::now() - 1).await;
    let link = confirm_link(&app, NEW_ID).await;
    assert_eq!(app.get_text_with(&b, &link).await.0, 404);
}

/// The ID change's mailed link lasts 24 hours (SPEC §1.3), and confirms to its last
/// moment: its expiry is set a day from the mail, and a link half a minute from its end
/// still confirms.
async fn the_id_change_link_confirms_until_24_hours_are_up(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let before = app::ssr::now();
    hanako_changes_id(&app, NEW_ID, "new").await;
    let after = app::ssr::now();
    let expires = scalar(&app, "SELECT expires_at FROM id_changes").await;
    assert!((before + 86_400..=after + 86_400).contains(&expires), "{expires} a day after {before}..{after}");
    exec_at(&app, "UPDATE id_changes SET expires_at = $1", app::ssr::now() + 30).await;
    let link = confirm_link(&app, NEW_ID).await;
    let token = link.split("token=").nth(1).unwrap();
    assert_eq!(
        post_from(&app, &app.new_browser(), "/api/account/id/confirm", &[("token", token)]).await,
        "/account/id/done"
    );
}

/// Someone else holding the session (a stolen cookie) starts a change to their own
/// address while the owner is at the confirmation of hers: her password, typed for the
/// ID her page shows, does not send the link for theirs.
async fn a_draft_swapped_under_the_owners_password_is_refused(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let owner = app.new_browser();
    assert_eq!(location(&app.login_from(&owner, "hanako@example.com", "Hanako_2024").await), "/");
    age_logins(&app).await;
    post_from(&app, &owner, "/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await;
    let (_, page) = app.get_text_with(&owner, "/account/id/confirm").await;
    assert_eq!(hidden(&page, "new_id"), NEW_ID, "the page names the ID its 登録 is for");
    // The same session, elsewhere.
    let thief = owner.clone();
    post_from(&app, &thief, "/api/account/id/start", &[("new_itscom_id", "thief@example.jp")]).await;
    let form = [("contact", "new"), ("new_id", NEW_ID), ("password", "Hanako_2024")];
    assert_eq!(post_from(&app, &owner, "/api/account/id/submit", &form).await, "/account/id?error=expired");
    assert!(outbox_mails_to(&app, "account.id_change", "thief@example.jp").await.is_empty());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM id_changes WHERE step = 'mailed'").await, 0);
    // Started again, her own goes.
    post_from(&app, &owner, "/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await;
    assert_eq!(post_from(&app, &owner, "/api/account/id/submit", &form).await, "/account/id/sent");
    assert_eq!(outbox_mails_to(&app, "account.id_change", NEW_ID).await.len(), 1);
}

/// Two sessions starting an ID change at once leave one draft (the later), so two
/// confirmations never both wait to mail their links.
async fn two_starts_at_once_leave_one_draft(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let a = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let b = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let start = |c: &reqwest::Client, id: &str| {
        post_later(&app, c, "/api/account/id/start", &[HTML], &[("new_itscom_id", id)])
    };
    let (one, two) = (start(&a, NEW_ID), start(&b, "hanako.other@example.jp"));
    let both = async move { tokio::join!(one, two) };
    // Both wait behind a transaction holding the customer's row, then go at once.
    let mut held = app.db.begin().await.unwrap();
    app::ssr::db::customers::lock(&mut held, "100000002").await.unwrap();
    let (one, two) = across(held, both).await;
    assert_eq!(
        (location(&one), location(&two)),
        ("/account/id/confirm".into(), "/account/id/confirm".into())
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM id_changes WHERE step = 'confirm'").await, 1);
}

/// The ID change's link takes the customer's row, then the account's, before it claims
/// the change: the order a password reset or a sign-out that ends the change takes
/// them in, so each waits for the other. Before, it claimed the change first and took
/// the account's row after, while those held the account's and waited for the change's
/// (on PostgreSQL a deadlock, one of the two refused as busy).
async fn the_id_links_confirmation_takes_the_customers_row_first(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, NEW_ID, "keep").await;
    let link = confirm_link(&app, NEW_ID).await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    let phone = app.new_browser();
    let confirm = post_later(&app, &phone, "/api/account/id/confirm", &[HTML], &[("token", &token)]);
    let mut held = app.db.begin().await.unwrap();
    app::ssr::db::customers::lock(&mut held, "100000002").await.unwrap();
    assert_eq!(location(&across(held, confirm).await), "/account/id/done");
}

/// 登録 sent again (four at once from one browser, as a double click without the
/// script; then once more, as a retry after no answer) is answered as the first was:
/// one link mailed, one notice.
async fn a_submit_sent_again_is_answered_as_the_first_and_mailed_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, "hanako@example.com", "Hanako_2024").await), "/");
    post_from(&app, &c, "/api/account/id/start", &[("new_itscom_id", NEW_ID)]).await;
    let answers = at_once(&app, &vec![c.clone(); 4], "/api/account/id/submit", &[("contact", "new")]).await;
    assert_eq!(answers, vec!["/account/id/sent"; 4]);
    assert_eq!(
        post_from(&app, &c, "/api/account/id/submit", &[("contact", "new")]).await,
        "/account/id/sent"
    );
    assert_eq!(outbox_mails_to(&app, "account.id_change", NEW_ID).await.len(), 1);
    assert_eq!(outbox_mails_to(&app, "account.id_change_requested", "hanako@example.com").await.len(), 1);
    let link = confirm_link(&app, NEW_ID).await;
    assert_eq!(app.get_text_with(&c, &link).await.0, 200, "the one link is live");
}

async fn the_contact_address_is_told_at_submit_and_can_cancel(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, NEW_ID, "new").await;
    let mails = outbox_mails_to(&app, "account.id_change_requested", "hanako@example.com").await;
    assert_eq!(mails.len(), 1, "told at submit, before the new address confirms");
    let cancel = link_path(&mails[0], "/account/id/cancel?token=").expect("a cancel link");
    let (status, body) = app.get_text_with(&app.new_browser(), &cancel).await;
    assert_eq!(status, 200);
    assert!(body.contains(NEW_ID) && body.contains("変更を取り消す"));
    let token = cancel.split("token=").nth(1).unwrap();
    let b = app.new_browser();
    assert_eq!(
        post_from(&app, &b, "/api/account/id/cancel", &[("token", token)]).await,
        "/account/id/cancelled"
    );
    assert!(post_from(&app, &b, "/api/account/id/cancel", &[("token", token)]).await.ends_with("error=link"));
    // The new address's link does nothing now.
    let link = confirm_link(&app, NEW_ID).await;
    let l =
        post_from(&app, &b, "/api/account/id/confirm", &[("token", link.split("token=").nth(1).unwrap())])
            .await;
    assert!(l.ends_with("error=link"), "{l}");
    assert!(event_kinds(&app).await.contains(&"account.id_change_cancelled".to_string()));
    assert!(location(&app.login("hanako@example.com", "Hanako_2024").await) == "/");
}

async fn a_password_reset_cancels_a_pending_id_change(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    hanako_changes_id(&app, NEW_ID, "new").await;
    let link = confirm_link(&app, NEW_ID).await;
    // The owner resets the password (path B): everything pending ends with the sessions.
    let (c, code) = hanako_gets_a_code(&app).await;
    assert_eq!(post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await, "/recovery/password");
    let pw = [("password", "New-hanako-77"), ("password_again", "New-hanako-77")];
    assert_eq!(post_from(&app, &c, "/api/recovery/password", &pw).await, "/recovery/done");
    let l = post_from(
        &app,
        &app.new_browser(),
        "/api/account/id/confirm",
        &[("token", link.split("token=").nth(1).unwrap())],
    )
    .await;
    assert!(l.ends_with("error=link"), "{l}");
    let (id,): (String,) = sqlx::query_as("SELECT itscom_id FROM accounts WHERE customer_no = '100000002'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(id, "hanako@example.com");
}

on_both_databases!(
    a_new_id_takes_the_accounts_login_count_not_strangers,
    two_starts_at_once_leave_one_draft,
    the_id_links_confirmation_takes_the_customers_row_first,
    a_draft_swapped_under_the_owners_password_is_refused,
    a_submit_sent_again_is_answered_as_the_first_and_mailed_once,
    the_contact_address_is_told_at_submit_and_can_cancel,
    a_password_reset_cancels_a_pending_id_change,
    the_account_pages_need_a_login_and_show_the_account,
    the_new_id_takes_effect_only_when_the_new_address_confirms,
    keeping_the_contact_address_keeps_it,
    bad_input_gets_field_messages,
    a_login_older_than_five_minutes_asks_for_the_password,
    an_id_held_by_another_account_gets_the_same_screens_and_a_mail_without_link,
    an_id_held_by_another_account_is_taken_in_any_case,
    the_id_change_link_confirms_until_24_hours_are_up,
    an_id_taken_before_the_link_is_opened_is_refused_clearly,
    a_link_opened_twice_at_once_changes_the_id_once,
    a_draft_belongs_to_the_session_that_made_it,
);
