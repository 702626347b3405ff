//! お客さま情報の変更 (issue 13): phone numbers and the contact address.

use crate::common::*;

async fn phones_of(app: &TestApp, customer_no: &str) -> Vec<String> {
    let sql = "SELECT phone FROM customer_phones WHERE customer_no = $1 ORDER BY phone";
    let rows: Vec<(String,)> = rows_for(app, sql, customer_no).await;
    rows.into_iter().map(|(p,)| p).collect()
}

/// 削除 of a phone number asks about that number before it removes it (the disclosure
/// showed a second 削除 button with no question and no number).
async fn removing_a_phone_asks_about_that_number(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/account").await;
    assert_eq!(phones_of(&app, "100000002").await.len(), 2);
    for phone in ["045-987-6543", "090-1111-2222"] {
        assert!(body.contains(&format!("{phone} を削除しますか？")), "{phone}");
    }
}

async fn phones_are_added_and_removed_within_one_to_three_with_a_notice_each(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (status, body) = app.get_text_with(&c, "/account").await;
    assert_eq!(status, 200);
    for want in [
        "サトウ ハナコ",
        "〒225-0002",
        "045-987-6543",
        "090-1111-2222",
        "お名前・ご住所の変更",
        "本人確認書類",
    ] {
        assert!(body.contains(want), "{want}");
    }
    let add = |p: &'static str| {
        let (app, c) = (&app, c.clone());
        async move { post_from(app, &c, "/api/account/phone/add", &[("phone", p)]).await }
    };
    for (bad, code) in [
        ("12345", "invalid_format"),
        ("", "required"),
        ("045-987-6543", "taken"),
        ("０４５９８７６５４３", "taken"),
    ] {
        assert_eq!(add(bad).await, format!("/account?error=phone.{code}"), "{bad:?}");
    }
    // Full-width digits and hyphens of any kind are the PhoneNumber rules' business.
    assert_eq!(add("０９０ー３３３３ー４４４４").await, "/account?done=phone_added#phones");
    assert_eq!(phones_of(&app, "100000002").await, ["0459876543", "09011112222", "09033334444"]);
    let notices = outbox_mails_to(&app, "account.phone_added", "hanako@example.com").await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].text.contains("090-3333-4444"));
    // A fourth: refused, nothing written.
    assert_eq!(add("03-5555-6666").await, "/account?error=phone.exhausted");
    assert_eq!(phones_of(&app, "100000002").await.len(), 3);
    let (_, body) = app.get_text_with(&c, "/account").await;
    assert!(body.contains("登録できる電話番号は3件までです"));
    // Removing one: done, with its notice.
    let to = post_from(&app, &c, "/api/account/phone/remove", &[("phone", "090-3333-4444")]).await;
    assert_eq!(to, "/account?done=phone_removed#phones");
    assert_eq!(outbox_mails_to(&app, "account.phone_removed", "hanako@example.com").await.len(), 1);
    // 鈴木 一郎 has one: it stays; hanako's numbers are not his to remove.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let to = post_from(&app, &ichiro, "/api/account/phone/remove", &[("phone", "044-555-0101")]).await;
    assert_eq!(to, "/account?error=remove_phone.required");
    assert_eq!(phones_of(&app, "100000003").await, ["0445550101"]);
    let (_, body) = app.get_text_with(&ichiro, "/account?error=remove_phone.required").await;
    assert!(body.contains("電話番号は1件以上必要です"));
    post_from(&app, &ichiro, "/api/account/phone/remove", &[("phone", "090-1111-2222")]).await;
    assert_eq!(phones_of(&app, "100000002").await, ["0459876543", "09011112222"]);
    // Past 5 minutes the password is asked again.
    age_logins(&app).await;
    assert_eq!(add("090-7777-8888").await, "/account?error=current_password.required");
    let to = post_from(
        &app,
        &c,
        "/api/account/phone/add",
        &[("phone", "090-7777-8888"), ("password", "Hanako_2024")],
    )
    .await;
    assert_eq!(to, "/account?done=phone_added#phones");
    // Not logged in: the login page, nothing written.
    let res = app
        .post_with(&app.new_browser(), "/api/account/phone/add", &[HTML], &[("phone", "090-1234-0000")])
        .await;
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
    assert_eq!(phones_of(&app, "100000002").await.len(), 3);
}

/// A contact or phone change under way while a password reset elsewhere ends the
/// session it came from (a stolen one) is not written after the reset: it waits for
/// the reset, then finds its session ended. Before, it wrote the change and mailed its
/// link to the address it named after the reset had ended everything pending.
async fn a_change_from_a_session_a_reset_ends_meanwhile_is_not_written(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let account = account_of(&app, "100000002").await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let form = [("contact", "other"), ("email", "thief@example.jp")];
    let change = post_later(&app, &c, "/api/account/contact", &[HTML], &form);
    let to = location(&across(reset_held(&app, &account).await, change).await);
    assert!(to.starts_with("/login"), "{to}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM contact_changes WHERE step = 'mailed'").await, 0);
    assert!(outbox_mails_to(&app, "account.contact_confirm", "thief@example.jp").await.is_empty());
    // A phone number the same way (the password as it was, to log in again).
    sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
        .bind(app::ssr::auth::password::hash("Hanako_2024"))
        .bind(&account)
        .execute(app.db.pool())
        .await
        .unwrap();
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let before = phones_of(&app, "100000002").await;
    let add = post_later(&app, &c, "/api/account/phone/add", &[HTML], &[("phone", "090-1234-0000")]);
    let to = location(&across(reset_held(&app, &account).await, add).await);
    assert!(to.starts_with("/login"), "{to}");
    assert_eq!(phones_of(&app, "100000002").await, before);
}

async fn the_contact_address_changes_to_a_mailbox_at_once_and_to_another_address_by_its_link(
    backend: Backend,
) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let change = |form: Vec<(&'static str, &'static str)>| {
        let (app, c) = (&app, c.clone());
        async move { post_from(app, &c, "/api/account/contact", &form).await }
    };
    // Not a choice, another customer's mailbox, a malformed or the same address.
    assert_eq!(change(vec![]).await, "/account?error=contact.required");
    assert_eq!(change(vec![("contact", "somebody@c01.itscom.net")]).await, "/account?error=contact.required");
    assert_eq!(
        change(vec![("contact", "other"), ("email", "not-an-address")]).await,
        "/account?error=contact_email.invalid_format"
    );
    assert_eq!(
        change(vec![("contact", "other"), ("email", "HANAKO@example.com")]).await,
        "/account?error=contact_email.unchanged"
    );
    assert_eq!(contact_of(&app, "100000002").await, "hanako@example.com");
    // One of her mailboxes: at once; the notice goes to the address before.
    assert_eq!(
        change(vec![("contact", "hanako@a01.itscom.net")]).await,
        "/account?done=contact_changed#contact"
    );
    assert_eq!(contact_of(&app, "100000002").await, "hanako@a01.itscom.net");
    let told = outbox_mails_to(&app, "account.contact_changed", "hanako@example.com").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].text.contains("hanako@a01.itscom.net"));
    // Another address: a link to it, a notice to the address in force; nothing changes yet.
    assert_eq!(
        change(vec![("contact", "other"), ("email", "hanako.new@example.org")]).await,
        "/account?done=contact_mailed#contact"
    );
    assert_eq!(contact_of(&app, "100000002").await, "hanako@a01.itscom.net");
    assert_eq!(
        outbox_mails_to(&app, "account.contact_change_requested", "hanako@a01.itscom.net").await.len(),
        1
    );
    let (_, body) = app.get_text_with(&c, "/account").await;
    assert!(body.contains("hanako.new@example.org への変更を確認中です"));
    let mail = outbox_mails_to(&app, "account.contact_confirm", "hanako.new@example.org").await;
    assert_eq!(mail.len(), 1);
    let link = link_path(&mail[0], "/account/contact/verify?token=").expect("the link");
    // The link works in any browser (the mail may be read on another device), once.
    let other = app.new_browser();
    let (status, body) = app.get_text_with(&other, &link).await;
    assert_eq!(status, 200);
    // The current address masked: whoever holds the link may be a stranger.
    assert!(body.contains("hanako.new@example.org") && body.contains("ha****@a01.itscom.net"));
    assert!(!body.contains("hanako@a01.itscom.net"));
    let token = link.split("token=").nth(1).unwrap().to_string();
    let answers =
        at_once(&app, &[other.clone(), other.clone()], "/api/account/contact/confirm", &[("token", &token)])
            .await;
    assert!(answers.contains(&"/account/contact/verify?done=1".to_string()), "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.contains("error=link")).count(), 1, "{answers:?}");
    assert_eq!(contact_of(&app, "100000002").await, "hanako.new@example.org");
    assert_eq!(outbox_mails_to(&app, "account.contact_changed", "hanako@a01.itscom.net").await.len(), 1);
    let (status, _) = app.get_text_with(&other, &link).await;
    assert_eq!(status, 404, "used");
    // A newer request supersedes an older link.
    change(vec![("contact", "other"), ("email", "first@example.org")]).await;
    change(vec![("contact", "other"), ("email", "second@example.org")]).await;
    let first = link_path(
        &outbox_mails_to(&app, "account.contact_confirm", "first@example.org").await[0],
        "/account/contact/verify?token=",
    )
    .unwrap();
    assert_eq!(app.get_text_with(&other, &first).await.0, 404);
    // Confirmation mails to other addresses: 5 an hour (3 sent so far).
    for (i, to) in ["c4@example.org", "c5@example.org"].into_iter().enumerate() {
        assert_eq!(
            change(vec![("contact", "other"), ("email", to)]).await,
            "/account?done=contact_mailed#contact",
            "{i}"
        );
    }
    assert_eq!(
        change(vec![("contact", "other"), ("email", "c6@example.org")]).await,
        "/account?error=throttled"
    );
    assert!(outbox_mails_to(&app, "account.contact_confirm", "c6@example.org").await.is_empty());
}

/// A change to another address sent again (four at once from one browser, as a
/// double click without the script; then a retry) is mailed once: its link is not
/// made invalid by a second.
async fn a_contact_change_sent_again_is_mailed_once_and_its_link_works(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let form = [("contact", "other"), ("email", "hanako.twice@example.org")];
    let answers = at_once(&app, &vec![c.clone(); 4], "/api/account/contact", &form).await;
    assert_eq!(answers, vec!["/account?done=contact_mailed#contact"; 4]);
    let form = [("contact", "other"), ("email", "Hanako.Twice@example.org")];
    assert_eq!(
        post_from(&app, &c, "/api/account/contact", &form).await,
        "/account?done=contact_mailed#contact"
    );
    let mails = outbox_mails_to(&app, "account.contact_confirm", "hanako.twice@example.org").await;
    assert_eq!(mails.len(), 1, "one link mailed");
    assert_eq!(
        outbox_mails_to(&app, "account.contact_change_requested", "hanako@example.com").await.len(),
        1
    );
    let link = link_path(&mails[0], "/account/contact/verify?token=").expect("the link");
    assert_eq!(app.get_text_with(&c, &link).await.0, 200, "the link mailed works");
    // A minute later, the same address again is a new request: a new link.
    exec_at(&app, "UPDATE contact_changes SET created_at = $1", app::ssr::now() - 61).await;
    let form = [("contact", "other"), ("email", "hanako.twice@example.org")];
    assert_eq!(
        post_from(&app, &c, "/api/account/contact", &form).await,
        "/account?done=contact_mailed#contact"
    );
    assert_eq!(outbox_mails_to(&app, "account.contact_confirm", "hanako.twice@example.org").await.len(), 2);
}

on_both_databases!(
    a_change_from_a_session_a_reset_ends_meanwhile_is_not_written,
    a_contact_change_sent_again_is_mailed_once_and_its_link_works,
    phones_are_added_and_removed_within_one_to_three_with_a_notice_each,
    removing_a_phone_asks_about_that_number,
    the_contact_address_changes_to_a_mailbox_at_once_and_to_another_address_by_its_link,
);
