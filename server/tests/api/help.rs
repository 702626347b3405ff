//! お問い合わせ・サポート (issue 14): the contacts from configuration, the inquiry form's
//! rules, the receipt mail, the list, the hour's limit and attached speed tests.

use crate::common::*;

/// The reference number a redirect after an inquiry names.
fn sent_reference(to: &str) -> String {
    let reference = to.strip_prefix("/help?sent=").unwrap_or_else(|| panic!("sent: {to}"));
    assert!(app::domain::inquiry::is_reference_number(reference), "{reference}");
    reference.to_string()
}

async fn the_contacts_are_tel_links_from_configuration(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (status, page) = app.get_text_with(&c, "/help").await;
    assert_eq!(status, 200);
    for part in [
        "href=\"tel:0120125607\"",
        ">0120-125607<",
        "href=\"tel:0427169617\"",
        "href=\"tel:0120109199\"",
        "受付時間 9:30～18:00",
        "href=\"mailto:support@itscom.jp\"",
        "インターネット・サポートセンター",
    ] {
        assert!(page.contains(part), "{part}");
    }
    // The menu leads here and to the speed test (no longer 準備中).
    assert!(page.contains("href=\"/help/speedtest\"") && page.contains("href=\"/help\""));
    let app = spawn_app_with_demo_data_and(
        backend,
        &[("SUPPORT_INTERNET_PHONE", "0120-000-111"), ("SUPPORT_MAIL", "help@example.jp")],
    )
    .await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, page) = app.get_text_with(&c, "/help").await;
    assert!(page.contains("href=\"tel:0120000111\"") && page.contains(">0120-000-111<"));
    assert!(page.contains("mailto:help@example.jp") && !page.contains("0120-125607"));
    // Not logged in: the login page first.
    let res = app.get("/help").await;
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/login?next="));
}

/// The message's limit counts characters, as the server does: the form no longer stops
/// a message of characters outside the BMP (𠮷 in a name, an emoji) at half the limit
/// (a browser counts them as two), and the server keeps the edge: 2,000 go, 2,001 not.
async fn a_message_of_characters_outside_the_bmp_has_its_whole_limit(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, page) = app.get_text_with(&c, "/help").await;
    let textarea = &page[page.find("<textarea id=\"message\"").expect("the message field")..];
    let max: usize =
        textarea.split("maxlength=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!(max >= "𠮷".repeat(2_000).encode_utf16().count(), "maxlength {max}");
    let send = |message: String| {
        let (app, c) = (&app, c.clone());
        async move {
            post_from(app, &c, "/api/help/inquiry", &[("category", "other"), ("message", &message)]).await
        }
    };
    assert_eq!(send("𠮷".repeat(2_001)).await, "/help?error=message.too_long_2000");
    assert!(send("𠮷".repeat(2_000)).await.starts_with("/help?sent="));
}

async fn an_inquiry_is_checked_stored_with_a_reference_number_mailed_and_listed_for_its_owner_only(
    backend: Backend,
) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let send = |category: &'static str, message: String| {
        let c = c.clone();
        let app = &app;
        async move {
            post_from(app, &c, "/api/help/inquiry", &[("category", category), ("message", &message)]).await
        }
    };
    // Each rule, both sides of its edge.
    assert_eq!(send("", "回線が遅いです".into()).await, "/help?error=category.required");
    assert_eq!(send("admin", "回線が遅いです".into()).await, "/help?error=category.required");
    assert_eq!(send("internet", " \n ".into()).await, "/help?error=message.required");
    assert_eq!(send("internet", "あ".repeat(2_001)).await, "/help?error=message.too_long_2000");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
    let full = sent_reference(&send("billing", "あ".repeat(2_000)).await);
    let to = send("internet", "夜になると回線が遅くなります。\n確認をお願いします。".into()).await;
    let reference = sent_reference(&to);
    assert_ne!(full, reference);
    // The receipt names the number, category and message; the support system gets
    // its event.
    let mails = outbox_mails_to(&app, "help.inquiry_receipt", "hanako@example.com").await;
    assert_eq!(mails.len(), 2);
    let receipt = mails.iter().find(|m| m.text.contains(&reference)).expect("the receipt");
    assert!(receipt.subject.contains("お問い合わせ受付のお知らせ"));
    assert!(receipt.text.contains("お問い合わせの種類: インターネット"));
    assert!(receipt.text.contains("夜になると回線が遅くなります。"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'help.inquiry_received'").await, 2);
    // Listed, newest first, with the confirmation.
    let (_, page) = app.get_text_with(&c, &to).await;
    assert!(page.contains(&format!("受付番号は {reference} です")));
    let (_, page) = app.get_text_with(&c, "/help").await;
    assert_eq!(page.matches("data-testid=\"inquiry\"").count(), 2);
    assert!(page.find(&reference).unwrap() < page.find(&full).unwrap());
    // Another customer sees none of them, and no confirmation for a made-up number.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (status, theirs) = app.get_text_with(&ichiro, &to).await;
    // His own page, shown (so what it lacks is not an error page's lack).
    assert!(status == 200 && theirs.contains("data-testid=\"inquiry-form\""), "{status}");
    assert!(!theirs.contains("夜になると") && !theirs.contains("data-testid=\"inquiry\""));
    // Only her own numbers are confirmed: not a made-up one, not malformed input, not
    // another customer's (his own page confirms nothing of hers).
    for fake in ["<script>", "Q000000-000000"] {
        let (_, page) = app.get_text_with(&c, &format!("/help?sent={fake}")).await;
        assert!(!page.contains("data-testid=\"inquiry-sent\""), "{fake}");
    }
    assert!(!theirs.contains("data-testid=\"inquiry-sent\""));
}

async fn five_inquiries_an_hour_and_the_sixth_is_refused_before_it_is_typed(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    for n in 0..5 {
        let to = post_from(
            &app,
            &c,
            "/api/help/inquiry",
            &[("category", "other"), ("message", &format!("質問 {n}"))],
        )
        .await;
        sent_reference(&to);
    }
    let (_, page) = app.get_text_with(&c, "/help").await;
    assert!(page.contains("data-testid=\"inquiry-limit\"") && !page.contains("data-testid=\"inquiry-form\""));
    let to = post_from(&app, &c, "/api/help/inquiry", &[("category", "other"), ("message", "6件目")]).await;
    assert_eq!(to, "/help?error=throttled");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 5);
    // Another account has its own five.
    let hanako = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    sent_reference(
        &post_from(&app, &hanako, "/api/help/inquiry", &[("category", "tv"), ("message", "録画")]).await,
    );
    // Inside the hour they still count; an hour later the budget is back.
    exec(&app, "UPDATE inquiries SET created_at = created_at - 3500").await;
    let to = post_from(&app, &c, "/api/help/inquiry", &[("category", "other"), ("message", "まだ")]).await;
    assert_eq!(to, "/help?error=throttled");
    exec(&app, "UPDATE inquiries SET created_at = created_at - 100").await;
    sent_reference(
        &post_from(&app, &c, "/api/help/inquiry", &[("category", "other"), ("message", "翌時間")]).await,
    );
}

/// A finished speed test of the customer logged in on `c` (87.65 / 43.21 Mbps): its id.
async fn finished_speed_test(app: &TestApp, c: &reqwest::Client) -> String {
    let res = app.post_with(c, "/api/speedtest/start", &[JSON], &[] as &[(&str, &str)]).await;
    let ticket = res.json::<serde_json::Value>().await.unwrap()["ticket"].as_str().unwrap().to_string();
    speed_counted(app, &ticket, 88, 44).await;
    let figures = [
        ("ticket", ticket.as_str()),
        ("download_kbps", "87650"),
        ("upload_kbps", "43210"),
        ("ping_us", "5000"),
        ("jitter_us", "700"),
    ];
    let res = app.post_with(c, "/api/speedtest/finish", &[JSON], &figures).await;
    assert_eq!(res.status(), 200);
    res.json::<String>().await.unwrap()
}

/// Each verified result the speed test page lists (its 20 newest) can be attached from
/// its link: the 11th newest was left out of the form (it offered 10), and the inquiry
/// went without it, unsaid.
async fn an_older_result_listed_on_the_speed_test_page_is_attached_from_its_link(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let oldest = finished_speed_test(&app, &c).await;
    // Ten newer ones (as the hour's budget would allow over the days).
    for n in 1..=10 {
        exec(
            &app,
            &format!(
                "INSERT INTO speed_tests (id, account_id, customer_no, session_hash, ticket_hash, step, started_at,
                    expires_at, finished_at, finished_ms, plan_name, plan_mbps, download_kbps, upload_kbps, ping_us,
                    jitter_us, verified)
                 SELECT id || '{n}', account_id, customer_no, session_hash, ticket_hash || '{n}', step, started_at,
                    expires_at, finished_at + {n}, finished_ms + {n}000, plan_name, plan_mbps, download_kbps,
                    upload_kbps, ping_us, jitter_us, verified
                 FROM speed_tests WHERE id = '{oldest}'"
            ),
        )
        .await;
    }
    let (_, speed) = app.get_text_with(&c, &format!("/help/speedtest?result={oldest}")).await;
    assert!(speed.contains(&format!("/help?result={oldest}#inquiry")), "the speed test page offers it");
    let (_, page) = app.get_text_with(&c, &format!("/help?result={oldest}")).await;
    assert!(page.contains(&format!("value=\"{oldest}\" selected")), "preselected");
    let form = [("category", "internet"), ("message", "遅い"), ("result", oldest.as_str())];
    sent_reference(&post_from(&app, &c, "/api/help/inquiry", &form).await);
    let attached: Vec<(Option<String>,)> = rows(&app, "SELECT speed_test_id FROM inquiries").await;
    assert_eq!(attached, [(Some(oldest),)]);
}

/// The support centre sees the speed test a customer attached (the page tells customers
/// it speeds the answer up): in the listing and its JSON. It saw neither before.
async fn the_operator_sees_the_attached_speed_test(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let id = finished_speed_test(&app, &c).await;
    let with = [("category", "internet"), ("message", "遅い"), ("result", id.as_str())];
    let attached = sent_reference(&post_from(&app, &c, "/api/help/inquiry", &with).await);
    let without = [("category", "other"), ("message", "その他")];
    sent_reference(&post_from(&app, &c, "/api/help/inquiry", &without).await);
    let (ok, out) = operator(&app, "inquiries", &["--json"]);
    assert!(ok, "{out}");
    let list: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(list[0]["reference_no"], attached.as_str());
    assert_eq!(list[0]["speed_test"]["download_kbps"], 87650);
    assert_eq!(list[0]["speed_test"]["upload_kbps"], 43210);
    assert!(list[1]["speed_test"].is_null(), "{out}");
    let (ok, out) = operator(&app, "inquiries", &[]);
    assert!(ok, "{out}");
    let line = out.lines().find(|l| l.starts_with(attached.as_str())).expect("its line");
    assert!(line.contains("\t87.6/43.2\t"), "{line}");
}

async fn a_speed_test_of_ones_own_is_attached_and_anothers_is_refused(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let id = finished_speed_test(&app, &c).await;
    // Opened from the result: chosen in the form.
    let (_, page) = app.get_text_with(&c, &format!("/help?result={id}")).await;
    assert!(page.contains(&format!("value=\"{id}\" selected")), "preselected");
    // Another customer cannot attach it (nor learn that it exists).
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let form = [("category", "internet"), ("message", "遅い"), ("result", id.as_str())];
    assert_eq!(
        post_from(&app, &ichiro, "/api/help/inquiry", &form).await,
        "/help?error=result.invalid_format"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
    // Its owner can: in the list and in the receipt.
    let reference = sent_reference(&post_from(&app, &c, "/api/help/inquiry", &form).await);
    let (_, page) = app.get_text_with(&c, "/help").await;
    assert!(
        page.contains("data-testid=\"inquiry-attached\"") && page.contains("下り 87.6 Mbps／上り 43.2 Mbps")
    );
    let mails = outbox_mails_to(&app, "help.inquiry_receipt", "hanako@example.com").await;
    assert!(mails[0].text.contains(&reference) && mails[0].text.contains("下り 87.6 Mbps"));
}

async fn the_support_centre_lists_the_waiting_inquiries_and_marks_one_answered(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (ok, out) = operator(&app, "inquiries", &[]);
    assert!(ok && out.contains("no inquiries waiting"), "{out}");
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let form = [("category", "tv"), ("message", "録画予約ができません。\n詳しくは…")];
    let reference = sent_reference(&post_from(&app, &c, "/api/help/inquiry", &form).await);
    let (ok, out) = operator(&app, "inquiries", &[]);
    assert!(ok, "{out}");
    assert!(out.contains(&reference) && out.contains("100000002") && out.contains("録画予約ができません。"));
    assert!(!out.contains("詳しくは"), "the first line only");
    let (ok, out) = operator(&app, "inquiries", &["--answered", &reference]);
    assert!(ok && out.contains("answered"), "{out}");
    let (_, page) = app.get_text_with(&c, "/help").await;
    assert!(page.contains("回答済み"));
    // Not twice, not an unknown number.
    assert!(!operator(&app, "inquiries", &["--answered", &reference]).0);
    assert!(!operator(&app, "inquiries", &["--answered", "Q000000-000000"]).0);
    assert!(operator(&app, "inquiries", &[]).1.contains("no inquiries waiting"));
}

/// The form sent again (a double click without the page's script, a retry after no
/// answer came) is one inquiry: the same reference, one receipt, one of the hour's five.
async fn the_same_form_sent_again_is_one_inquiry(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, page) = app.get_text_with(&c, "/help").await;
    let at = page.find("name=\"key\" value=\"").expect("the form's key") + 18;
    let key = page[at..at + page[at..].find('"').unwrap()].to_string();
    assert_eq!(key.len(), 64, "{key}");
    let form = [("category", "internet"), ("message", "つながりません"), ("key", key.as_str())];
    let answers = at_once(&app, &vec![c.clone(); 3], "/api/help/inquiry", &form).await;
    let reference = sent_reference(&answers[0]);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(post_from(&app, &c, "/api/help/inquiry", &form).await, answers[0], "a retry later");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 1);
    let receipts = outbox_mails_to(&app, "help.inquiry_receipt", "hanako@example.com").await;
    assert_eq!(receipts.len(), 1);
    assert!(receipts[0].text.contains(&reference));
    // A new page is a new form; another account's form is its own, whatever its key.
    let (_, again) = app.get_text_with(&c, "/help").await;
    assert!(!again.contains(&key), "a fresh key");
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    assert_ne!(sent_reference(&post_from(&app, &ichiro, "/api/help/inquiry", &form).await), reference);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 2);
}

/// A form sent after the session ended: a plain post goes to the login screen, which
/// says why, and leads back to the form's page; the page's script gets 401 and says
/// so above the form (what was typed stays in it). Before, a plain post went to a bare
/// login screen that said nothing, and the page after it was the top page.
async fn a_form_sent_after_the_session_ended_says_so_and_leads_back(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    sqlx::query("DELETE FROM sessions").execute(app.db.pool()).await.unwrap();
    let form = [("category", "other"), ("message", "長いお問い合わせ")];
    assert_eq!(post_from(&app, &c, "/api/help/inquiry", &form).await, "/login?error=session&next=/help");
    let (status, page) = app.get_text_with(&c, "/login?error=session&next=/help").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("ログインの有効期限が切れたため、送信できませんでした。"),
        "the login screen says why"
    );
    assert!(!page.contains("aria-invalid"), "without marking the fields, which are not at fault");
    let res = app.fetch_from(&c, "/api/help/inquiry", &form).await;
    assert_eq!(res.status(), 401);
    let login = app
        .post_with(
            &c,
            "/api/login",
            &[HTML, SAME_ORIGIN],
            &[("itscom_id", "hanako@example.com"), ("password", "Hanako_2024"), ("next", "/help")],
        )
        .await;
    assert_eq!(location(&login), "/help", "back to the form's page");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 0, "nothing was sent");
}

/// A card's whole number is kept out of an inquiry (SPEC §2: the portal never takes
/// one): refused at the field with its message, nothing stored or mailed; one digit off
/// (Luhn fails) or the last 4 alone, sent.
async fn an_inquiry_with_a_cards_whole_number_is_refused_and_its_last_4_are_sent(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let send = |message: &'static str| {
        let (app, c) = (&app, c.clone());
        async move {
            post_from(app, &c, "/api/help/inquiry", &[("category", "billing"), ("message", message)]).await
        }
    };
    let to = send("先月の請求について。カード ４１１１－１１１１－１１１１－１１１１ で払いました").await;
    assert_eq!(to, "/help?error=message.card_number");
    let (_, page) = app.get_text_with(&c, &to).await;
    assert!(page.contains("カード番号は送信できません。カードについては下4桁のみご記入ください。"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
    assert!(outbox_mails_to(&app, "help.inquiry_receipt", "hanako@example.com").await.is_empty());
    // As a script sends it: the field and its error.
    let res = app
        .fetch_from(&c, "/api/help/inquiry", &[("category", "billing"), ("message", "3530111333300000")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("CardNumber"));
    for message in ["カード 4111 1111 1111 1112 の件", "下4桁1111のカードで払いました"] {
        sent_reference(&send(message).await);
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 2);
}

on_both_databases!(
    a_message_of_characters_outside_the_bmp_has_its_whole_limit,
    an_older_result_listed_on_the_speed_test_page_is_attached_from_its_link,
    a_form_sent_after_the_session_ended_says_so_and_leads_back,
    the_same_form_sent_again_is_one_inquiry,
    the_support_centre_lists_the_waiting_inquiries_and_marks_one_answered,
    the_contacts_are_tel_links_from_configuration,
    an_inquiry_is_checked_stored_with_a_reference_number_mailed_and_listed_for_its_owner_only,
    five_inquiries_an_hour_and_the_sixth_is_refused_before_it_is_typed,
    a_speed_test_of_ones_own_is_attached_and_anothers_is_refused,
    the_operator_sees_the_attached_speed_test,
    an_inquiry_with_a_cards_whole_number_is_refused_and_its_last_4_are_sent,
);
