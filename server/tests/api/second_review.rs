//! What issue 24's review of the landed code asked (besides the payment gateway, in
//! `gateway.rs`): no takeover through the contact address, bounded re-registration
//! and mail, and the smaller holes. Each test failed before its fix.

use crate::common::*;
use app::features::registration::{VERIFY_CUSTOMER, VERIFY_SUBJECT};
use app::ssr::auth::throttle::LOGIN_ACCOUNT;

/// Walks the mailbox wizard to its 確認 step for `local` (the first candidate).
async fn mailbox_to_confirm(app: &TestApp, c: &reqwest::Client, local: &str) {
    assert_eq!(
        post_from(app, c, "/api/mail/new/start", &[("local_part", local)]).await,
        "/mail/new/subdomain"
    );
    let (_, body) = app.get_text_with(c, "/mail/new/subdomain").await;
    let sub =
        body.split("name=\"subdomain\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_eq!(post_from(app, c, "/api/mail/new/subdomain", &[("subdomain", &sub)]).await, "/mail/new/terms");
    assert_eq!(post_from(app, c, "/api/mail/new/terms", &[("virus_check", "on")]).await, "/mail/new/confirm");
}

async fn creating_a_mailbox_asks_for_the_password_after_five_minutes(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    mailbox_to_confirm(&app, &c, "takeover1").await;
    age_logins(&app).await;
    let (_, body) = app.get_text_with(&c, "/mail/new/confirm").await;
    assert!(body.contains("現在のパスワード"), "the confirm step asks for it");
    let count = || scalar(&app, "SELECT COUNT(*) FROM mailboxes WHERE local_part = 'takeover1'");
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/register", &[]).await,
        "/mail/new/confirm?error=current_password.required"
    );
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/register", &[("password", "Wrong_pass1")]).await,
        "/mail/new/confirm?error=current_password.mismatch"
    );
    assert_eq!(count().await, 0, "no mailbox, no password shown");
    assert_eq!(
        post_from(&app, &c, "/api/mail/new/register", &[("password", "Hanako_2024")]).await,
        "/mail/new/done"
    );
    assert_eq!(count().await, 1);
}

/// The `変更を取り消す` link of the newest contact-change mail to `to`.
async fn revert_link(app: &TestApp, to: &str) -> String {
    let mails = outbox_mails_to(app, "account.contact_changed", to).await;
    link_path(mails.first().expect("the address before is told"), "/account/contact/revert?token=")
        .expect("with a link that takes the change back")
}

async fn a_contact_change_mails_the_previous_address_a_link_that_restores_it_and_ends_every_session(
    backend: Backend,
) {
    let app = spawn_app_with_demo_data(backend).await;
    let victim = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let attacker = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    // The attacker makes one of her mailboxes the contact address (at once), then another.
    assert_eq!(
        post_from(&app, &attacker, "/api/account/contact", &[("contact", "hanako@a01.itscom.net")]).await,
        "/account?done=contact_changed#contact"
    );
    assert_eq!(
        post_from(&app, &attacker, "/api/account/contact", &[("contact", "sato-family@b03.itscom.net")])
            .await,
        "/account?done=contact_changed#contact"
    );
    let link = revert_link(&app, "hanako@example.com").await;
    let second = revert_link(&app, "hanako@a01.itscom.net").await;
    // The page says what it restores, asks first, and is not kept by any cache.
    let res = app.new_browser().get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = res.text().await.unwrap();
    assert!(body.contains("hanako@example.com") && body.contains("変更を取り消す"), "{body}");
    assert!(!body.contains("sato-family@b03.itscom.net"), "the current address masked");
    assert_eq!(contact_of(&app, "100000002").await, "sato-family@b03.itscom.net", "reading changes nothing");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let stranger = app.new_browser();
    assert_eq!(
        post_from(&app, &stranger, "/api/account/contact/revert", &[("token", &token)]).await,
        "/account/contact/revert?done=1"
    );
    assert_eq!(contact_of(&app, "100000002").await, "hanako@example.com");
    // Every session ended: the attacker's and the victim's.
    for c in [&attacker, &victim] {
        assert_eq!(location(&c.get(app.url("/account")).send().await.unwrap()), "/login?next=/account");
    }
    // The link works once, and the later change's link (to the attacker's address) no
    // longer takes the restore back.
    assert!(post_from(&app, &stranger, "/api/account/contact/revert", &[("token", &token)])
        .await
        .contains("error=link"));
    let second = second.split("token=").nth(1).unwrap().to_string();
    assert!(post_from(&app, &stranger, "/api/account/contact/revert", &[("token", &second)])
        .await
        .contains("error=link"));
    assert_eq!(contact_of(&app, "100000002").await, "hanako@example.com");
    assert_eq!(outbox_mails_to(&app, "account.contact_reverted", "hanako@example.com").await.len(), 1);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'account.contact_reverted'").await,
        1
    );
}

async fn a_later_change_cannot_take_the_owners_revert_away(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let attacker = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    // A → a01 (the owner's link R1 to A), a01 → b03 (R2 to a01, which the attacker reads).
    post_from(&app, &attacker, "/api/account/contact", &[("contact", "hanako@a01.itscom.net")]).await;
    post_from(&app, &attacker, "/api/account/contact", &[("contact", "sato-family@b03.itscom.net")]).await;
    let r1 = revert_link(&app, "hanako@example.com").await;
    let r2 = revert_link(&app, "hanako@a01.itscom.net").await;
    // The owner heard of the second change too.
    assert_eq!(outbox_mails_to(&app, "account.contact_changed_notice", "hanako@example.com").await.len(), 1);
    // The attacker takes the second change back: the contact is a01 again, but the
    // owner's older link stays, and she still gets the account's codes.
    let token = |l: &str| l.split("token=").nth(1).unwrap().to_string();
    let revert = |t: String| {
        let app = &app;
        async move { post_from(app, &app.new_browser(), "/api/account/contact/revert", &[("token", &t)]).await }
    };
    assert_eq!(revert(token(&r2)).await, "/account/contact/revert?done=1");
    assert_eq!(contact_of(&app, "100000002").await, "hanako@a01.itscom.net");
    recovery_started(&app, "hanako@example.com").await;
    assert_eq!(outbox_mails_to(&app, "recovery.code", "hanako@example.com").await.len(), 1, "the copy");
    assert_eq!(revert(token(&r1)).await, "/account/contact/revert?done=1");
    assert_eq!(contact_of(&app, "100000002").await, "hanako@example.com");
    // The address the owner's revert replaced is told (after the mail of its own restore).
    let told = outbox_mails_to(&app, "account.contact_reverted", "hanako@a01.itscom.net").await;
    assert_eq!(told.len(), 2);
    assert!(told
        .iter()
        .any(|m| m.text.contains("hanako@example.com") && !m.text.contains("/account/contact/revert")));
}

async fn for_seven_days_codes_owner_links_and_notices_also_go_to_the_previous_address(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let attacker = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    post_from(&app, &attacker, "/api/account/contact", &[("contact", "hanako@a01.itscom.net")]).await;
    // A recovery code: to the new contact address and to the one before.
    recovery_started(&app, "hanako@example.com").await;
    for to in ["hanako@a01.itscom.net", "hanako@example.com"] {
        assert_eq!(outbox_mails_to(&app, "recovery.code", to).await.len(), 1, "{to}");
    }
    // A re-registration's owner links: to both.
    let c = app.new_browser();
    let verified = hanako_verifies(&app, &c).await;
    assert_eq!(verified, "/register/credentials");
    let form = credentials_form("hanako.back@example.jp", "Sato-hana-99");
    assert_eq!(post_from(&app, &c, "/api/register/credentials", &form).await, "/register/sent");
    for to in ["hanako@a01.itscom.net", "hanako@example.com"] {
        let mails = outbox_mails_to(&app, "registration.review", to).await;
        assert_eq!(mails.len(), 1, "{to}");
        assert!(mails[0].text.contains("/register/review?token="));
    }
    // A security notice (a phone added): to both.
    post_from(&app, &attacker, "/api/account/phone/add", &[("phone", "03-9999-0000")]).await;
    for to in ["hanako@a01.itscom.net", "hanako@example.com"] {
        assert_eq!(outbox_mails_to(&app, "account.phone_added", to).await.len(), 1, "{to}");
    }
    // Seven days on, only the contact address in force.
    exec_at(&app, "UPDATE contact_reverts SET expires_at = $1", app::ssr::now() - 1).await;
    recovery_started(&app, "hanako@example.com").await;
    assert_eq!(outbox_mails_to(&app, "recovery.code", "hanako@a01.itscom.net").await.len(), 2);
    assert_eq!(outbox_mails_to(&app, "recovery.code", "hanako@example.com").await.len(), 1);
}

/// STEP 3 of Hanako's re-registration to `id`.
async fn step3(app: &TestApp, c: &reqwest::Client, id: &str) -> String {
    credentials(app, c, id, "Sato-hana-99").await
}

async fn after_not_me_the_customer_cannot_re_register_for_seven_days(backend: Backend) {
    let (app, c) = demo_app_and_browser(backend).await;
    assert_eq!(hanako_verifies(&app, &c).await, "/register/credentials");
    assert_eq!(step3(&app, &c, "stranger@example.jp").await, "/register/sent");
    let mails = outbox_mails_to(&app, "registration.review", "hanako@example.com").await;
    let cancel = mails[0]
        .text
        .lines()
        .filter_map(|l| l.find("/register/review?token=").map(|i| l[i..].trim().to_string()))
        .nth(1)
        .unwrap();
    let token = cancel.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &app.new_browser(), "/api/register/review/submit", &[("token", &token)]).await,
        "/register/reviewed?result=cancelled"
    );
    let again = app.new_browser();
    let refused = hanako_verifies(&app, &again).await;
    assert_eq!(refused, "/register?error=support");
    let (_, body) = app.get_text_with(&again, &refused).await;
    assert!(
        body.contains("サポートセンターへお電話ください") && body.contains("data-testid=\"support-line\"")
    );
    assert!(body.contains("0120-109199"), "the support centre's number");
    // A flow that reached STEP 3 before is refused there too.
    exec(&app, "UPDATE customers SET reregistration_blocked_until = NULL").await;
    let before = app.new_browser();
    assert_eq!(hanako_verifies(&app, &before).await, "/register/credentials");
    let hanako_blocked =
        "UPDATE customers SET reregistration_blocked_until = $1 WHERE customer_no = '100000002'";
    exec_at(&app, hanako_blocked, app::ssr::now() + 3600).await;
    assert_eq!(step3(&app, &before, "stranger2@example.jp").await, "/register/credentials?error=support");
    // Seven days on, it may start again.
    exec_at(&app, "UPDATE customers SET reregistration_blocked_until = $1", app::ssr::now() - 1).await;
    assert_eq!(hanako_verifies(&app, &app.new_browser()).await, "/register/credentials");
    // A customer without an account is not held by it.
    exec_at(&app, "UPDATE customers SET reregistration_blocked_until = $1", app::ssr::now() + 3600).await;
    let taro = taro_verifies(&app, &app.new_browser()).await;
    assert_eq!(taro, "/register/credentials");
}

async fn a_re_registration_step_3_is_limited_to_three_a_day_per_customer(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for i in 0..3 {
        let c = app.new_browser();
        assert_eq!(hanako_verifies(&app, &c).await, "/register/credentials");
        assert_eq!(step3(&app, &c, &format!("again{i}@example.jp")).await, "/register/sent", "{i}");
    }
    let c = app.new_browser();
    assert_eq!(hanako_verifies(&app, &c).await, "/register/credentials");
    assert_eq!(step3(&app, &c, "again3@example.jp").await, "/register/credentials?error=throttled");
    assert_eq!(outbox_mails_to(&app, "registration.review", "hanako@example.com").await.len(), 3);
}

async fn mails_to_a_typed_address_are_capped_per_asker_and_per_address(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // The ID change: 5 an hour per account.
    let hanako = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let change_id = |c: reqwest::Client, to: String| {
        let app = &app;
        async move {
            assert_eq!(
                post_from(app, &c, "/api/account/id/start", &[("new_itscom_id", &to)]).await,
                "/account/id/confirm"
            );
            post_from(app, &c, "/api/account/id/submit", &[("contact", "keep")]).await
        }
    };
    for i in 0..5 {
        assert_eq!(
            change_id(hanako.clone(), format!("flood{i}@example.org")).await,
            "/account/id/sent",
            "{i}"
        );
    }
    assert_eq!(
        change_id(hanako.clone(), "flood5@example.org".into()).await,
        "/account/id/confirm?error=throttled"
    );
    // And 5 an hour per address, whoever asks: a registration's STEP 3 for 山田 太郎 to
    // the address ichiro's ID changes have already used 5 times.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    for _ in 0..5 {
        assert_eq!(change_id(ichiro.clone(), "victim@example.org".into()).await, "/account/id/sent");
    }
    let c = app.new_browser();
    let taro = taro_verifies(&app, &c).await;
    assert_eq!(taro, "/register/credentials");
    let form = credentials_form("victim@example.org", "Yamada-taro-1");
    assert_eq!(
        post_from(&app, &c, "/api/register/credentials", &form).await,
        "/register/credentials?error=throttled"
    );
    // STEP 3 itself: 5 an hour per customer, whatever the address.
    for i in 0..5 {
        let id = format!("taro{i}@example.org");
        let form = credentials_form(&id, "Yamada-taro-1");
        let c = app.new_browser();
        taro_verifies(&app, &c).await;
        let l = post_from(&app, &c, "/api/register/credentials", &form).await;
        assert_eq!(l, if i < 4 { "/register/sent" } else { "/register/credentials?error=throttled" }, "{i}");
    }
}

async fn a_first_registration_masks_the_contract_addresses_and_tells_the_address_on_record(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    exec(
        &app,
        "UPDATE customers SET contact_email = 'taro.yamada@example.org' WHERE customer_no = '100000001'",
    )
    .await;
    let c = app.new_browser();
    taro_verifies(&app, &c).await;
    let form = credentials_form("impostor@example.jp", "Yamada-taro-1");
    assert_eq!(post_from(&app, &c, "/api/register/credentials", &form).await, "/register/sent");
    let mail = outbox_mails_to(&app, "registration.confirm", "impostor@example.jp").await;
    let link = link_path(&mail[0], "/register/confirm?token=").unwrap();
    let res = c.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = res.text().await.unwrap();
    assert!(body.contains("ta****@example.org"), "masked");
    assert!(!body.contains("taro.yamada@example.org"), "not in the clear to whoever holds the link");
    let token = link.split("token=").nth(1).unwrap().to_string();
    assert_eq!(
        post_from(&app, &c, "/api/register/complete", &[("token", &token), ("contact", "0")]).await,
        "/register/done"
    );
    // The address on record hears of the new account, with the way to stop it.
    let told = outbox_mails_to(&app, "registration.created", "taro.yamada@example.org").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].text.contains("im****@example.jp") && !told[0].text.contains("impostor@example.jp"));
    let stop = link_path(&told[0], "/register/stop?token=").expect("a stop link");
    let impostor = logged_in(&app, "impostor@example.jp", "Yamada-taro-1").await;
    let res = app.new_browser().get(app.url(&stop)).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.text().await.unwrap().contains("im****@example.jp"));
    let token = stop.split("token=").nth(1).unwrap().to_string();
    let owner = app.new_browser();
    assert_eq!(
        post_from(&app, &owner, "/api/register/stop", &[("token", &token)]).await,
        "/register/stop?done=1"
    );
    let (_, body) = app.get_text_with(&owner, "/register/stop?done=1").await;
    assert!(body.contains("data-testid=\"support-line\""), "names the support centre");
    // Disabled: its session ended, no login; the link works once.
    assert_eq!(location(&impostor.get(app.url("/account")).send().await.unwrap()), "/login?next=/account");
    assert!(location(&app.login("impostor@example.jp", "Yamada-taro-1").await).contains("error=credentials"));
    assert!(post_from(&app, &owner, "/api/register/stop", &[("token", &token)]).await.contains("error=link"));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'registration.stopped'").await,
        1
    );
}

async fn a_locked_login_stays_locked_after_the_maintenance_task_runs(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let now = app::ssr::now();
    spend_budget(
        &app,
        &LOGIN_ACCOUNT,
        "hanako@example.com",
        (0..100).map(|i| now - 100 * 86_400 + i * 3_600),
    )
    .await;
    assert_eq!(location(&app.login("hanako@example.com", "Hanako_2024").await), "/login?error=locked&next=/");
    // The last attempt was long ago: an idle row of failures would be deleted by now.
    maintenance_at(&app, app::ssr::now() + 91 * 86_400).await;
    assert_eq!(location(&app.login("hanako@example.com", "Hanako_2024").await), "/login?error=locked&next=/");
}

/// Hanako's recovery started from `browser` behind one proxy, which names the client
/// `forwarded`.
async fn hanako_recovery_behind_a_proxy(
    app: &TestApp,
    browser: &reqwest::Client,
    forwarded: &str,
) -> reqwest::Response {
    let form = [("itscom_id", "hanako@example.com")];
    app.post_with(browser, "/api/recovery/start", &[HTML, ("X-Forwarded-For", forwarded)], &form).await
}

async fn recovery_budgets_are_per_id_and_client_so_a_stranger_cannot_starve_the_owner(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("TRUSTED_PROXY_HOPS", "1")]).await;
    let start = |client: &'static str| {
        let app = &app;
        async move { hanako_recovery_behind_a_proxy(app, &app.new_browser(), client).await }
    };
    let codes = || scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'recovery.code'");
    for _ in 0..8 {
        start("198.51.100.66").await;
    }
    assert_eq!(codes().await, 5, "the stranger's own 5 an hour");
    start("203.0.113.9").await;
    assert_eq!(codes().await, 6, "the owner, from her address, still gets a code");
    // Past the cap per ID (20 an hour, whoever asks), nobody gets one.
    for i in 0..6 {
        for _ in 0..5 {
            start(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"][i]).await;
        }
    }
    assert_eq!(codes().await, 20);
    start("203.0.113.10").await;
    assert_eq!(codes().await, 20, "past the cap per ID, a browser the account never used gets none");
    // The owner, from a browser she has logged in from before, is not held by it.
    let owner = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let res = hanako_recovery_behind_a_proxy(&app, &owner, "203.0.113.11").await;
    assert_eq!(location(&res), "/recovery/code");
    assert_eq!(codes().await, 21, "the owner still gets her code");
}

async fn the_verification_budgets_lock_at_one_hundred_and_a_login_does_not_open_them(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    spend_budget(&app, &VERIFY_CUSTOMER, "100000002", (0..100).map(|i| i * 100_000)).await;
    // The owner's login is no proof that the guesses stopped: still locked.
    logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let c = app.new_browser();
    assert_eq!(hanako_verifies(&app, &c).await, "/register?error=support");
    // An operator opens it again.
    let (ok, said) = operator(&app, "registration-unlock", &["--customer", "100000002"]);
    assert!(ok, "{said}");
    assert!(said.contains("opened again"), "{said}");
    assert_eq!(hanako_verifies(&app, &c).await, "/register/credentials");
    // Per name and phone likewise (a name+phone that matches nobody locks alike).
    spend_budget(&app, &VERIFY_SUBJECT, "サトウハナコ|09011112222", (0..100).map(|i| i * 100_000)).await;
    assert_eq!(hanako_verifies(&app, &c).await, "/register?error=support");
    let (ok, said) =
        operator(&app, "registration-unlock", &["--name", "サトウ ハナコ", "--phone", "090-1111-2222"]);
    assert!(ok, "{said}");
    assert_eq!(hanako_verifies(&app, &app.new_browser()).await, "/register/credentials");
}

/// The lock at 100 failures in a row, at its edge the other way: after 99 (their
/// waits long over), per customer and per name and phone, the right details still
/// verify.
async fn ninety_nine_failures_in_a_row_do_not_lock_verification(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    spend_budget(&app, &VERIFY_CUSTOMER, "100000002", (0..99).map(|i| i * 100_000)).await;
    spend_budget(&app, &VERIFY_SUBJECT, "サトウハナコ|09011112222", (0..99).map(|i| i * 100_000)).await;
    assert_eq!(hanako_verifies(&app, &app.new_browser()).await, "/register/credentials");
}

async fn pages_for_visitors_with_personal_data_are_not_stored(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // The ID change's links (verify, cancel) and the contact address's.
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    post_from(&app, &c, "/api/account/id/start", &[("new_itscom_id", "ichiro.new@example.org")]).await;
    post_from(&app, &c, "/api/account/id/submit", &[("contact", "keep")]).await;
    post_from(&app, &c, "/api/account/contact", &[("contact", "other"), ("email", "ichiro.c@example.org")])
        .await;
    let links = [
        link_path(
            &outbox_mails_to(&app, "account.id_change", "ichiro.new@example.org").await[0],
            "/account/id/verify?token=",
        )
        .unwrap(),
        link_path(
            &outbox_mails_to(&app, "account.id_change_requested", "ichiro@example.net").await[0],
            "/account/id/cancel?token=",
        )
        .unwrap(),
        link_path(
            &outbox_mails_to(&app, "account.contact_confirm", "ichiro.c@example.org").await[0],
            "/account/contact/verify?token=",
        )
        .unwrap(),
    ];
    for link in links {
        let res = app.new_browser().get(app.url(&link)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{link}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{link}");
    }
}

async fn a_recovery_start_writes_the_same_rows_for_an_unknown_id_as_for_a_known_one(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let rows = || async {
        (
            scalar(&app, "SELECT COUNT(*) FROM account_events").await,
            scalar(&app, "SELECT COUNT(*) FROM outbox").await,
            scalar(&app, "SELECT COUNT(*) FROM recovery_flows").await,
        )
    };
    let before = rows().await;
    recovery_started(&app, "hanako@example.com").await;
    let known = rows().await;
    let unknown_id = unknown_id_taking(&app, "code").await;
    recovery_started(&app, &unknown_id).await;
    let unknown = rows().await;
    let grew = |a: (i64, i64, i64), b: (i64, i64, i64)| (b.0 - a.0, b.1 - a.1, b.2 - a.2);
    assert_eq!(grew(before, known), (1, 1, 1), "an event, a mail, a flow");
    assert_eq!(grew(known, unknown), grew(before, known), "the same for an unknown ID");
    // The stand-in row is never sent, never shown, and deleted by the maintenance task.
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'decoy' AND sent_at IS NOT NULL").await,
        1
    );
    let (_, dev) = app.get_text("/dev/mailbox").await;
    assert!(!dev.contains("decoy"));
    maintenance_at(&app, app::ssr::now() + 2 * 86_400).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'decoy'").await, 0);
}

/// Path A (the secret question, then a link mailed) writes the same rows for an unknown
/// ID as for a known one: a stand-in row where there is no one to mail. Before, a known
/// ID's answer queued a mail and an unknown one's nothing (a difference in time).
async fn a_question_answered_writes_the_same_rows_for_an_unknown_id_as_for_a_known_one(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let outbox = || scalar(&app, "SELECT COUNT(*) FROM outbox");
    let answered = |id: String| {
        let app = &app;
        async move {
            let c = app.new_browser();
            assert_eq!(
                post_from(app, &c, "/api/recovery/start", &[("itscom_id", &id)]).await,
                "/recovery/question"
            );
            let form = [("question", "birth_town"), ("answer", "Setagaya")];
            assert_eq!(post_from(app, &c, "/api/recovery/question", &form).await, "/recovery/sent");
        }
    };
    let before = outbox().await;
    answered("ichiro@example.net".into()).await;
    let known = outbox().await;
    answered(unknown_id_taking(&app, "question").await).await;
    let unknown = outbox().await;
    assert_eq!(known - before, 1, "the link's mail");
    assert_eq!(unknown - known, known - before, "the same for an unknown ID");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'decoy' AND sent_at IS NOT NULL").await,
        1
    );
}

async fn a_forwarded_address_with_a_port_is_the_client(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("TRUSTED_PROXY_HOPS", "1")]).await;
    let fail =
        |forwarded: &'static str| login_behind_a_proxy(&app, "nobody@example.com", "Wrong_pass1", forwarded);
    fail("203.0.113.7:40001").await;
    fail("[2001:db8::7]:443").await;
    let named = |client: &'static str| {
        let app = &app;
        async move {
            scalar(
                app,
                &format!(
                    "SELECT COUNT(*) FROM account_events WHERE kind = 'login.failed' AND client = '{client}'"
                ),
            )
            .await
        }
    };
    assert_eq!(named("203.0.113.7").await, 1);
    assert_eq!(named("2001:db8::/64").await, 1);
}

async fn an_account_may_have_thirty_pdfs_made_in_ten_minutes(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (account,): (String,) = sqlx::query_as("SELECT id FROM accounts WHERE customer_no = '100000002'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // 29 made already in this window.
    spend_budget(&app, &app::ssr::pdf::PER_ACCOUNT, &account, (0..29).map(|_| app::ssr::now())).await;
    let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 200, "the 30th");
    let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 429, "the 31st");
    assert!(res.headers().contains_key("retry-after"));
    let body = res.text().await.unwrap();
    assert!(body.contains("数分後") && body.contains("few minutes"), "{body}");
    // Another account is not held by it.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    assert_eq!(ichiro.get(app.url("/contract/document.pdf")).send().await.unwrap().status(), 200);
}

on_both_databases!(
    a_question_answered_writes_the_same_rows_for_an_unknown_id_as_for_a_known_one,
    ninety_nine_failures_in_a_row_do_not_lock_verification,
    creating_a_mailbox_asks_for_the_password_after_five_minutes,
    a_contact_change_mails_the_previous_address_a_link_that_restores_it_and_ends_every_session,
    a_later_change_cannot_take_the_owners_revert_away,
    for_seven_days_codes_owner_links_and_notices_also_go_to_the_previous_address,
    after_not_me_the_customer_cannot_re_register_for_seven_days,
    a_re_registration_step_3_is_limited_to_three_a_day_per_customer,
    mails_to_a_typed_address_are_capped_per_asker_and_per_address,
    a_first_registration_masks_the_contract_addresses_and_tells_the_address_on_record,
    a_locked_login_stays_locked_after_the_maintenance_task_runs,
    recovery_budgets_are_per_id_and_client_so_a_stranger_cannot_starve_the_owner,
    the_verification_budgets_lock_at_one_hundred_and_a_login_does_not_open_them,
    pages_for_visitors_with_personal_data_are_not_stored,
    a_recovery_start_writes_the_same_rows_for_an_unknown_id_as_for_a_known_one,
    a_forwarded_address_with_a_port_is_the_client,
    an_account_may_have_thirty_pdfs_made_in_ten_minutes,
);
