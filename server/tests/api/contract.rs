//! ご契約情報確認・変更, サービス加入・変更履歴 and the contract document (issue 13).

use crate::common::*;
use app::domain::billing::{Date, Month};
use app::domain::contract::next_renewal;

async fn hanako(app: &TestApp) -> reqwest::Client {
    logged_in(app, "hanako@example.com", "Hanako_2024").await
}

/// 佐藤 花子's internet and TV started 2019-04 on 24-month terms: the next 更新月 from today.
fn expected_renewal() -> String {
    let today = Month::of(Date::of_unix_jst(app::ssr::now()));
    let m = next_renewal(Month::parse("2019-04").unwrap(), 24, today).unwrap();
    format!("{}年{}月", m.year, m.month)
}

async fn the_contract_lists_each_service_with_its_term_and_renewal_month(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (status, body) = app.get_text_with(&c, "/contract").await;
    assert_eq!(status, 200);
    for want in [
        "ご契約情報確認・変更",
        "インターネット 1Gコース",
        "テレビ スタンダードプラン",
        "6,380円",
        "5,478円",
        "2019年4月1日",
        "24か月（自動更新）",
        "HP00000002",
        "クレジットカード（Visa ****4242",
        "11,000円",
    ] {
        assert!(body.contains(want), "{want}");
    }
    assert_eq!(body.matches("data-testid=\"contract-service\"").count(), 2, "internet and TV");
    let renewal = &body[body.find("data-testid=\"renewal-month\"").unwrap()..];
    assert!(
        renewal[..renewal.find("</span>").unwrap()].contains(&expected_renewal()),
        "更新月 {}",
        expected_renewal()
    );
    // Another customer's services never show.
    assert!(!body.contains("インターネット 300Mコース") && !body.contains("STB0000003"));
    let stranger = app.new_browser();
    let res = stranger.get(app.url("/contract")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/login"));
}

async fn the_history_is_newest_first_and_filters_by_the_customers_own_services(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    sqlx::query(
        "INSERT INTO account_events (id, account_id, customer_no, kind, client, detail, created_at)
         SELECT 'ev-x', id, customer_no, 'billing.payment_method_changed', '127.0.0.1',
                '{\"kind\":\"card\",\"brand\":\"Mastercard\",\"last4\":\"4444\"}', $1
         FROM accounts WHERE itscom_id = 'hanako@example.com'",
    )
    .bind(app::ssr::now())
    .execute(app.db.pool())
    .await
    .unwrap();
    let (status, body) = app.get_text_with(&c, "/contract/history").await;
    assert_eq!(status, 200);
    assert!(body.contains("インターネット コース変更（インターネット 300Mコース → インターネット 1Gコース）"));
    assert!(body.contains("テレビ ご利用開始（テレビ スタンダードプラン）"));
    // The internet started on the plan its change left.
    assert!(body.contains("インターネット ご利用開始（インターネット 300Mコース）"));
    assert!(body.contains("メールアドレスの登録（hanako@a01.itscom.net）"));
    assert!(body.contains("お支払い方法の変更（クレジットカード Mastercard ****4444）"));
    // Newest first: the payment change (today) before the plan change, before the starts.
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("お支払い方法の変更") < at("コース変更"));
    assert!(at("コース変更") < at("ご利用開始"));
    // Only the internet service: its entries, not the TV's or the account's.
    let (status, body) = app.get_text_with(&c, "/contract/history?service=svc-100000002-internet").await;
    assert_eq!(status, 200);
    assert!(body.contains("コース変更") && body.contains("インターネット ご利用開始"));
    assert!(!body.contains("テレビ ご利用開始") && !body.contains("お支払い方法の変更"));
    // Another customer's service, or none: the same 404.
    let (s1, b1) = app.get_text_with(&c, "/contract/history?service=svc-100000003-internet").await;
    let (s2, b2) = app.get_text_with(&c, "/contract/history?service=nothing").await;
    assert_eq!((s1, s2), (404, 404));
    let main = |page: &str| page[page.find("<main").unwrap()..page.find("</main>").unwrap()].to_string();
    assert_eq!(main(&b1), main(&b2));
}

/// A customer who moved (her internet ended, another started) finds each mailbox under
/// the contract it was made on, and an add-on under the contract of its kind in force
/// the day it started. Before, every mailbox and add-on was filed under the first
/// contract of the kind, ended or not.
async fn the_history_files_mailboxes_and_add_ons_under_their_own_contract(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    exec(&app, "UPDATE services SET ended_on = '2026-01-31' WHERE id = 'svc-100000002-internet'").await;
    exec(
        &app,
        "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee, installation_address, started_on)
         VALUES ('svc-moved', '100000002', 'internet', 'net-1g', 'インターネット 1Gコース', 5280, '東京都世田谷区1-2-3', '2026-02-01')",
    )
    .await;
    exec(
        &app,
        "INSERT INTO mailboxes (id, customer_no, service_id, local_part, subdomain, address, password_hash, created_at)
         VALUES ('mb-moved', '100000002', 'svc-moved', 'moved', 'k01', 'moved@k01.itscom.net', 'x', 1772400000)",
    )
    .await;
    exec(
        &app,
        "INSERT INTO addon_subscriptions (id, customer_no, addon_code, step, started_on, submit_key, created_at)
         VALUES ('sub-moved', '100000002', 'norton', 'active', '2026-03-01', 'key-moved-0000000', 1772400000)",
    )
    .await;
    let history = |service: &'static str| {
        let (app, c) = (&app, c.clone());
        async move { app.get_text_with(&c, &format!("/contract/history?service={service}")).await.1 }
    };
    let (old, moved) = (history("svc-100000002-internet").await, history("svc-moved").await);
    let mailbox = "メールアドレスの登録（moved@k01.itscom.net）";
    let addon = "オプションサービスのお申し込み（マルチデバイスセキュリティ with Norton Security）";
    assert!(moved.contains(mailbox) && moved.contains(addon), "under the contract they belong to");
    assert!(!old.contains(mailbox) && !old.contains(addon), "not under the ended one");
    assert!(old.contains("メールアドレスの登録（hanako@a01.itscom.net）") && !moved.contains("hanako@a01"));
}

/// A service or an add-on ending today is still in force today (its last day), as the
/// contract page says (ご解約の予定): the history says its end is to come (予定), and
/// done (完了) only from the day after. Before, it said 完了 on the last day.
async fn an_end_on_its_last_day_is_still_to_come_in_the_history(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let today = Date::of_unix_jst(app::ssr::now());
    exec(
        &app,
        "INSERT INTO addon_subscriptions (id, customer_no, addon_code, step, started_on, submit_key, created_at)
         VALUES ('sub-ending', '100000002', 'norton', 'active', '2026-03-01', 'key-ending-000000', 1772400000)",
    )
    .await;
    fn state<'a>(page: &'a str, entry: &str) -> &'a str {
        let at = page.find(entry).unwrap_or_else(|| panic!("{entry} in\n{page}"));
        let row = &page[at..at + page[at..].find("</tr>").unwrap()];
        ["予定", "完了"].into_iter().find(|s| row.contains(&format!(">{s}<"))).unwrap_or(row)
    }
    let tv_ended = "テレビ ご解約";
    let addon_ended = "オプションサービスの解約（マルチデバイスセキュリティ with Norton Security）";
    for (ends, want) in [(today, "予定"), (today.previous_day(), "完了")] {
        for sql in [
            "UPDATE services SET ended_on = $1 WHERE id = 'svc-100000002-tv'",
            "UPDATE addon_subscriptions SET ended_on = $1 WHERE id = 'sub-ending'",
        ] {
            sqlx::query(sql).bind(ends.to_string()).execute(app.db.pool()).await.unwrap();
        }
        let (status, page) = app.get_text_with(&c, "/contract/history").await;
        assert_eq!(status, 200);
        assert_eq!(state(&page, tv_ended), want, "the TV ending {ends}");
        assert_eq!(state(&page, addon_ended), want, "the add-on ending {ends}");
    }
}

/// A service the provider set to start later (the internet at a new address, arranged
/// ahead of a move) is not in force before its first day: not among the services of
/// the top page, the contract page or its document, and takes no plan change; the
/// history lists its start as 予定. From its first day it is in force. Before, it was
/// shown and offered as in force, and its start as 完了.
async fn a_service_starting_later_is_in_force_from_its_first_day(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let today = Date::of_unix_jst(app::ssr::now());
    exec(
        &app,
        "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee, installation_address, started_on)
         VALUES ('svc-moving', '100000002', 'internet', 'net-1g', 'インターネット 1Gコース', 5280, '東京都世田谷区新町9-9-9', '2099-01-01')",
    )
    .await;
    let address = "東京都世田谷区新町9-9-9";
    let started = "インターネット ご利用開始（インターネット 1Gコース）";
    let history_state = |page: &str| {
        let rows: Vec<&str> = page.split("<tr").filter(|r| r.contains(started)).collect();
        rows.iter()
            .map(|r| {
                if r.contains(">予定<") {
                    "予定"
                } else if r.contains(">完了<") {
                    "完了"
                } else {
                    "?"
                }
            })
            .collect::<Vec<_>>()
    };
    for (starts, in_force) in [(today.next_day(), false), (today, true)] {
        sqlx::query("UPDATE services SET started_on = $1 WHERE id = 'svc-moving'")
            .bind(starts.to_string())
            .execute(app.db.pool())
            .await
            .unwrap();
        let (_, top) = app.get_text_with(&c, "/").await;
        let services = &top[top.find("data-testid=\"services\"").unwrap()..];
        let services = &services[..services.find("</ul>").unwrap()];
        assert_eq!(
            services.matches("インターネット 1Gコース").count(),
            1 + usize::from(in_force),
            "top, from {starts}"
        );
        let (_, contract) = app.get_text_with(&c, "/contract").await;
        assert_eq!(contract.contains(address), in_force, "contract page, from {starts}");
        let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
        assert_eq!(
            pdf_text(&res.bytes().await.unwrap()).contains("新町"),
            in_force,
            "document, from {starts}"
        );
        let (_, change) = app.get_text_with(&c, "/contract/change?service=svc-moving").await;
        assert_eq!(change.contains("net-300m"), in_force, "plans offered, from {starts}");
        let (_, history) = app.get_text_with(&c, "/contract/history?service=svc-moving").await;
        assert_eq!(
            history_state(&history),
            [if in_force { "完了" } else { "予定" }],
            "history, from {starts}"
        );
    }
}

async fn the_contract_document_names_the_customer_each_plan_and_the_renewal_month(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("filename*=UTF-8''%E5%A5%91%E7%B4%84"), "契約内容確認書.pdf: {disposition}");
    let text = pdf_text(&res.bytes().await.unwrap());
    for want in [
        "契約内容確認書",
        "佐藤 花子",
        "100000002",
        "インターネット 1Gコース",
        "テレビ スタンダードプラン",
        "次回の更新月",
        &expected_renewal(),
        "HP00000002",
        "****4242",
        "主なご契約条件",
    ] {
        assert!(text.contains(want), "{want} in\n{text}");
    }
    assert!(!text.contains("4242 4242"), "never more than the last 4");
    assert_eq!(app.new_browser().get(app.url("/contract/document.pdf")).send().await.unwrap().status(), 401);
}

/// The document says what the page says below a service: its end when one is set (解約
/// 予定), and a plan change completed but not yet in force; neither when there is none.
async fn the_contract_document_says_a_services_end_and_a_plan_change_to_come(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let document = || async {
        let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        pdf_text(&res.bytes().await.unwrap())
    };
    let text = document().await;
    assert!(!text.contains("ご解約の予定") && !text.contains("に変更されます"), "{text}");
    let id = request(&app, &c, NET, "net-10g").await;
    completed(&app, &id).await;
    let ends = Month::of(Date::of_unix_jst(app::ssr::now())).plus(3).last();
    exec(&app, &format!("UPDATE services SET ended_on = '{ends}' WHERE id = '{TV}'")).await;
    let text = document().await;
    let (first, _) = next_first();
    let ends = format!("{}年{}月{}日をもってご解約の予定です。", ends.year, ends.month, ends.day);
    assert!(text.contains(&ends), "{ends} in\n{text}");
    let change = format!("{first}から インターネット 10Gコース に変更されます。");
    assert!(text.contains(&change), "{change} in\n{text}");
}

/// The add-ons in force are part of the contract: on its page, in its document and on the
/// top page's summary, with their monthly fees (a cancelled one until its last day); one
/// that ended, or another customer's, is not. They were on the history alone before.
async fn the_contract_and_its_document_list_the_add_ons_in_force(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let later = Month::of(Date::of_unix_jst(app::ssr::now())).plus(2).first().to_string();
    for (id, customer, code, ended) in [
        ("sub-1", "100000002", "norton", None),
        ("sub-2", "100000002", "ch-docs", Some(later.as_str())),
        ("sub-3", "100000002", "ch-jazz", Some("2026-01-31")),
        ("sub-4", "100000001", "ch-kids", None),
    ] {
        sqlx::query(
            "INSERT INTO addon_subscriptions (id, customer_no, addon_code, step, started_on, ended_on, submit_key, created_at)
             VALUES ($1, $2, $3, $4, '2026-01-01', $5, $1, 0)",
        )
        .bind(id)
        .bind(customer)
        .bind(code)
        .bind(if ended.is_some() { "cancelled" } else { "active" })
        .bind(ended)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let (_, body) = app.get_text_with(&c, "/contract").await;
    assert_eq!(
        body.matches("data-testid=\"contract-addon\"").count(),
        2,
        "in force: Norton and the cancelled channel"
    );
    let m = Month::parse(&later[..7]).unwrap();
    for want in [
        "マルチデバイスセキュリティ with Norton Security",
        "627円",
        "ドキュメンタリーワールド",
        "770円",
        &format!("{}年{}月1日で解約予定", m.year, m.month),
    ] {
        assert!(body.contains(want), "{want}");
    }
    assert!(!body.contains("ジャズ＆クラシック") && !body.contains("キッズアニメチャンネル"));
    let res = c.get(app.url("/contract/document.pdf")).send().await.unwrap();
    let text = pdf_text(&res.bytes().await.unwrap());
    for want in ["マルチデバイスセキュリティ", "627円", "ドキュメンタリーワールド", "770円", "解約日"]
    {
        assert!(text.contains(want), "{want} in\n{text}");
    }
    assert!(!text.contains("ジャズ") && !text.contains("キッズ"));
    // And the top page's ご契約中のサービス, after the services they need.
    let (_, top) = app.get_text_with(&c, "/").await;
    let services = &top[top.find("data-testid=\"services\"").unwrap()..];
    let services = &services[..services.find("</ul>").unwrap()];
    assert!(services.contains("オプション") && services.contains("ドキュメンタリーワールド"), "{services}");
    assert!(services.find("テレビ").unwrap() < services.find("マルチデバイスセキュリティ").unwrap());
    assert!(!services.contains("ジャズ"));
}

/// A request under way is one of the top page's お知らせ, with the way to it, until it
/// is cancelled.
async fn a_plan_request_under_way_is_a_notice_on_the_top_page(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(!top.contains("notice-plan-request"));
    let id = request(&app, &c, NET, "net-10g").await;
    let (_, top) = app.get_text_with(&c, "/").await;
    let at = top.find("data-testid=\"notice-plan-request\"").expect("a notice of the request");
    let notice = &top[at..at + top[at..].find("</li>").unwrap()];
    assert!(notice.contains("インターネットのプラン変更（インターネット 10Gコース、"), "{notice}");
    assert!(notice.contains("から）のお申し込みを受け付けています。"), "{notice}");
    assert!(notice.contains("href=\"/contract\""), "{notice}");
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await.split('?').next(),
        Some("/contract")
    );
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(!top.contains("notice-plan-request") && top.contains("新しいお知らせはありません。"));
}

/// A confirmation posted again after its request was cancelled (Back to it, 申し込む
/// again) has expired: it does not say 受け付けました of the cancelled request, and it
/// writes nothing.
async fn a_confirmation_sent_again_after_its_request_was_cancelled_has_expired(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (_, key) = confirmation(&app, &c, NET, "net-10g").await;
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    let id = to.strip_prefix("/contract?requested=").expect("requested").to_string();
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await,
        to,
        "a double submit"
    );
    assert!(post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await.starts_with("/contract"));
    let again = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    assert_eq!(again, format!("/contract/change?service={NET}&error=expired"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 1);
    assert_eq!(step_of(&app, &id).await, "cancelled");
}

/// The choice sent with no plan chosen (a browser that does not stop it) is told so at
/// the choice; the choice's first showing, and a chosen plan, say nothing of it.
async fn a_plan_change_sent_with_no_plan_chosen_says_so_at_the_choice(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (_, first) = app.get_text_with(&c, &format!("/contract/change?service={NET}")).await;
    assert!(!first.contains("plan-error"), "nothing chosen yet is no error");
    // The form sends an empty plan before the chosen one, so the chosen one is read.
    assert!(first.contains("<input type=\"hidden\" name=\"plan\" value=\"\">"), "{first}");
    let (_, none) = app.get_text_with(&c, &format!("/contract/change?service={NET}&plan=")).await;
    let at = none.find("id=\"plan-error\"").expect("said at the choice");
    let message = &none[at..at + none[at..].find("</p>").unwrap()];
    assert!(message.contains("role=\"alert\"") && message.ends_with(">選択してください。<!>"), "{message}");
    assert!(!none.contains("name=\"key\""));
    let (_, chosen) =
        app.get_text_with(&c, &format!("/contract/change?service={NET}&plan=&plan=net-10g")).await;
    assert!(chosen.contains("data-testid=\"plan-quote\"") && !chosen.contains("plan-error"));
}

const NET: &str = "svc-100000002-internet";
const TV: &str = "svc-100000002-tv";

/// The first of next month in Japan, as the pages print it, and as stored.
fn next_first() -> (String, String) {
    let m = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    (format!("{}年{}月1日", m.year, m.month), m.first().to_string())
}

/// The confirmation page of `service` → `plan`: its body and its one-time key and quote
/// (`key|quoted`, as the form sends them).
async fn confirmation(app: &TestApp, c: &reqwest::Client, service: &str, plan: &str) -> (String, String) {
    let (status, body) =
        app.get_text_with(c, &format!("/contract/change?service={service}&plan={plan}")).await;
    assert_eq!(status, 200);
    let (key, quoted) = (hidden(&body, "key"), hidden(&body, "quoted"));
    (body, format!("{key}|{quoted}"))
}

/// The request form of a confirmation (`key|quoted` from [`confirmation`]).
fn form<'a>(service: &'a str, plan: &'a str, confirmed: &'a str) -> [(&'a str, &'a str); 4] {
    let (key, quoted) = confirmed.split_once('|').unwrap();
    [("service", service), ("plan", plan), ("key", key), ("quoted", quoted)]
}

/// Requests `service` → `plan` as the customer would; the 受付番号.
async fn request(app: &TestApp, c: &reqwest::Client, service: &str, plan: &str) -> String {
    let (_, key) = confirmation(app, c, service, plan).await;
    let to = post_from(app, c, "/api/contract/plan/request", &form(service, plan, &key)).await;
    to.strip_prefix("/contract?requested=").unwrap_or_else(|| panic!("{to}")).to_string()
}

/// A service whose end is set (解約予定, from the provider's records) says so and takes
/// no plan change: the change, from the first of next month, could outlive it, and its
/// fee or its 契約解除料 be billed for a plan never in force. A confirmation opened
/// before the end was set is refused too. A request made before is not completed by the
/// operator when the service ends before the change starts, and is when it ends after.
async fn a_service_due_to_end_takes_no_plan_change(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let this_month = Month::of(Date::of_unix_jst(app::ssr::now()));
    let last_day = format!("{}-{:02}-{:02}", this_month.year, this_month.month, this_month.days());
    let ends = |on: Option<String>| {
        let app = &app;
        async move {
            sqlx::query("UPDATE services SET ended_on = $1 WHERE id = $2")
                .bind(on)
                .bind(NET)
                .execute(app.db.pool())
                .await
                .unwrap();
        }
    };
    let (_, key) = confirmation(&app, &c, NET, "net-300m").await;
    ends(Some(last_day.clone())).await;
    let (_, body) = app.get_text_with(&c, "/contract").await;
    let date = format!("{}年{}月{}日", this_month.year, this_month.month, this_month.days());
    assert!(
        body.contains("data-testid=\"service-ends\"")
            && body.contains(&format!("{date}をもってご解約の予定です。"))
    );
    assert_eq!(body.matches("data-testid=\"plan-change-link\"").count(), 1, "the TV's only");
    let (_, page) = app.get_text_with(&c, &format!("/contract/change?service={NET}")).await;
    assert!(page.contains("このサービスはご解約の予定のため、プランを変更できません。"), "{page}");
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-300m", &key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&error=pending"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 0);

    // Requested before the end was set: the operator cannot complete it while the service
    // ends before the change starts (the first of next month); it can once it ends after.
    ends(None).await;
    let id = request(&app, &c, NET, "net-300m").await;
    let changes = "SELECT COUNT(*) FROM service_changes WHERE change_kind = 'plan_change'";
    let before = scalar(&app, changes).await;
    ends(Some(last_day.clone())).await;
    let (ok, out) = operator(&app, "plan-requests", &["--complete", &id]);
    assert!(!ok && out.contains(&format!("cancelled: its service ends on {last_day}")), "{out}");
    assert_eq!(step_of(&app, &id).await, "cancelled", "not left open for good");
    assert_eq!(scalar(&app, changes).await, before, "no change written");
    let told = "SELECT COUNT(*) FROM outbox WHERE topic = 'contract.plan_request.cancelled'";
    assert_eq!(scalar(&app, told).await, 1, "the customer is mailed");
    ends(None).await;
    let id = request(&app, &c, NET, "net-300m").await;
    let (_, first) = next_first();
    ends(Some(first)).await;
    let (ok, out) = operator(&app, "plan-requests", &["--complete", &id]);
    assert!(ok, "{out}");
    assert_eq!(step_of(&app, &id).await, "done");
    assert_eq!(scalar(&app, changes).await, before + 1);
}

async fn step_of(app: &TestApp, id: &str) -> String {
    let (step,): (String,) = sqlx::query_as("SELECT step FROM plan_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    step
}

async fn a_plan_change_is_quoted_requested_once_and_cancelled_by_its_owner_only(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (_, body) = app.get_text_with(&c, "/contract").await;
    assert_eq!(body.matches("data-testid=\"plan-change-link\"").count(), 2, "internet and TV");
    // The plans of the service's kind, not its own.
    let (status, body) = app.get_text_with(&c, &format!("/contract/change?service={NET}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("インターネット 300Mコース") && body.contains("インターネット 10Gコース"));
    assert!(body.contains("7,480円") && !body.contains("テレビ ライトプラン"));
    assert_eq!(body.matches("data-testid=\"plan-option\"").count(), 2, "not 1G, the plan it has");
    // The quote: 10G from the 1st of next month, a full first month, no fee (dearer).
    let (first, first_iso) = next_first();
    let (body, key) = confirmation(&app, &c, NET, "net-10g").await;
    let quote = &body[body.find("data-testid=\"plan-quote\"").unwrap()..];
    for want in ["インターネット 10Gコース", "7,480円", first.as_str(), "かかりません"] {
        assert!(quote.contains(want), "{want}");
    }
    // A plan of another kind, or none such: the choice again with the message; no key.
    for bad in ["tv-premium", "net-1g", "nothing"] {
        let (_, body) = app.get_text_with(&c, &format!("/contract/change?service={NET}&plan={bad}")).await;
        assert!(body.contains("このサービスでは選択できないプランです"), "{bad}");
        assert!(!body.contains("name=\"key\""), "{bad}");
    }
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "tv-premium", &key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&error=plan.invalid_format"));
    // Another customer's service: its page is the 404; a request for it is refused.
    let (status, _) = app.get_text_with(&c, "/contract/change?service=svc-100000003-internet").await;
    assert_eq!(status, 404);
    let to =
        post_from(&app, &c, "/api/contract/plan/request", &form("svc-100000003-internet", "net-1g", &key))
            .await;
    assert!(to.starts_with("/contract?error="), "{to}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 0);
    // A second tab's confirmation, opened before the request below is made.
    let (_, again) = confirmation(&app, &c, NET, "net-300m").await;
    // A double submit of the confirmation: one request, both sent to it.
    // A quote that changed since it was shown (or none) is refused, nothing written.
    let (bare_key, _) = key.split_once('|').unwrap();
    let stale = [("service", NET), ("plan", "net-10g"), ("key", bare_key), ("quoted", "2000-01-01:0")];
    let to = post_from(&app, &c, "/api/contract/plan/request", &stale).await;
    assert_eq!(to, format!("/contract/change?service={NET}&plan=net-10g&error=expired"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 0);
    let answers =
        at_once(&app, &[c.clone(), c.clone()], "/api/contract/plan/request", &form(NET, "net-10g", &key))
            .await;
    assert_eq!(answers[0], answers[1], "{answers:?}");
    let id = answers[0].strip_prefix("/contract?requested=").expect("requested").to_string();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 1);
    let (effective, fee, step): (String, i64, String) =
        sqlx::query_as("SELECT effective_on, termination_fee, step FROM plan_requests WHERE id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((effective.as_str(), fee, step.as_str()), (first_iso.as_str(), 0, "received"));
    let mails = outbox_mails_to(&app, "contract.plan_request.received", "hanako@example.com").await;
    assert_eq!(mails.len(), 1, "one notice");
    assert!(mails[0].text.contains(&id) && mails[0].text.contains("インターネット 10Gコース"));
    assert!(event_kinds(&app).await.contains(&"contract.plan_change_requested".to_string()));
    // One open request a service: the other tab's confirmation is refused.
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-300m", &again)).await;
    assert_eq!(to, "/contract?error=pending");
    let (_, body) = app.get_text_with(&c, &format!("/contract/change?service={NET}")).await;
    assert!(body.contains("手続き中のプラン変更のお申し込みがあります"));
    // The contract shows it, 受付, with its number.
    let (_, body) = app.get_text_with(&c, "/contract").await;
    let open = &body[body.find("data-testid=\"plan-request\"").unwrap()..];
    assert!(open.contains("受付") && open.contains(&id));
    // Another customer cannot cancel it.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    assert_eq!(
        post_from(&app, &ichiro, "/api/contract/plan/cancel", &[("id", &id)]).await,
        "/contract?error=expired"
    );
    assert_eq!(step_of(&app, &id).await, "received");
    // Its owner can, once.
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await,
        "/contract?cancelled=1"
    );
    assert_eq!(step_of(&app, &id).await, "cancelled");
    // A second click answers as the first (one mail, below).
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await,
        "/contract?cancelled=1"
    );
    assert_eq!(outbox_mails_to(&app, "contract.plan_request.cancelled", "hanako@example.com").await.len(), 1);
    let (_, body) = app.get_text_with(&c, "/contract/history").await;
    assert!(body.contains(&format!("インターネット 1Gコース → インターネット 10Gコース、受付番号 {id}")));
    assert!(body.contains("取消"));
    // Cancelled, the service can be changed again.
    request(&app, &c, NET, "net-300m").await;
}

async fn the_operator_completes_a_request_and_the_billing_run_bills_the_new_plan_from_its_date(
    backend: Backend,
) {
    use app::features::billing::store::compute_lines;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (first, _) = next_first();
    // A tab left open on another change's confirmation (used after the completion).
    let (_, stale_key) = confirmation(&app, &c, NET, "net-300m").await;
    let up = request(&app, &c, NET, "net-10g").await;
    // A cheaper TV plan outside the 更新月: the quote says the fee, and it is kept.
    // (Judged by the month of the request: today's.)
    let today = Month::of(Date::of_unix_jst(app::ssr::now()));
    let renewal = next_renewal(Month::parse("2019-04").unwrap(), 24, today);
    let (body, _) = confirmation(&app, &c, TV, "tv-light").await;
    let down = request(&app, &c, TV, "tv-light").await;
    let inside = renewal != Some(today);
    if inside {
        assert!(body[body.find("data-testid=\"quote-termination\"").unwrap()..].contains("5,500円"));
    }
    let (ok, out) = operator(&app, "plan-requests", &[]);
    assert!(ok, "{out}");
    assert!(out.contains(&up) && out.contains(&down) && out.contains("received"), "{out}");
    // The same two for scripts, a JSON object each.
    let (ok, out) = operator(&app, "plan-requests", &["--json"]);
    assert!(ok, "{out}");
    let list: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let listed = list.as_array().expect("an array");
    assert_eq!(listed.len(), 2, "{out}");
    let upgrade = listed.iter().find(|r| r["id"] == up.as_str()).expect("the upgrade");
    assert_eq!(upgrade["step"], "received");
    assert_eq!(upgrade["customer_no"], "100000002");
    assert!(upgrade["monthly_fee"].as_i64().is_some_and(|fee| fee > 0), "{upgrade}");
    // 処理中: the customer can no longer cancel it.
    let (ok, out) = operator(&app, "plan-requests", &["--process", &up]);
    assert!(ok && out.contains("processing"), "{out}");
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &up)]).await,
        "/contract?error=expired"
    );
    let (ok, out) = operator(&app, "plan-requests", &["--complete", &up]);
    assert!(ok && out.contains("done"), "{out}");
    let (ok, out) = operator(&app, "plan-requests", &["--complete", &down]);
    assert!(ok, "{out}");
    // Completed twice, or unknown: refused.
    let (ok, _) = operator(&app, "plan-requests", &["--complete", &up]);
    assert!(!ok);
    let (ok, _) = operator(&app, "plan-requests", &["--process", "P0000000000"]);
    assert!(!ok);
    assert_eq!(step_of(&app, &up).await, "done");
    for topic in ["contract.plan_request.processing", "contract.plan_request.done"] {
        assert_eq!(
            outbox_mails_to(&app, topic, "hanako@example.com").await.len(),
            if topic.ends_with("done") { 2 } else { 1 },
            "{topic}"
        );
    }
    // Today the old plans are in force; the page says what changes and when.
    let (_, body) = app.get_text_with(&c, "/contract").await;
    assert!(body.contains("インターネット 1Gコース") && body.contains("6,380円"));
    assert!(body.contains(&format!("{first}から インターネット 10Gコース に変更されます。")), "scheduled");
    assert!(!body.contains("data-testid=\"plan-request\""), "no open request");
    let (_, history) = app.get_text_with(&c, "/contract/history").await;
    assert!(history.contains("予定"));
    // Until it is in force, no other change: it would start from the plan the service
    // is leaving.
    let (_, page) = app.get_text_with(&c, &format!("/contract/change?service={NET}&plan=net-300m")).await;
    assert!(page.contains("変更済みのプランの適用開始前のため") && !page.contains("name=\"key\""));
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-300m", &stale_key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&error=pending"));
    let (_, page) = app.get_text_with(&c, &to).await;
    assert!(page.contains("変更済みのプランの適用開始前のため") && !page.contains("手続き中のプラン変更"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 2);
    // The billing engine: this month the old plan, from the effective month the new one.
    let mut conn = app.db.pool().acquire().await.unwrap();
    let this = Month::of(Date::of_unix_jst(app::ssr::now()));
    let lines = compute_lines(&mut conn, "100000002", this).await.unwrap();
    let names: Vec<_> = lines.iter().map(|l| (l.line.description.as_str(), l.line.amount.0)).collect();
    assert!(
        names.contains(&("インターネット 1Gコース", 6_380))
            && names.contains(&("テレビ スタンダードプラン", 5_478)),
        "{names:?}"
    );
    let lines = compute_lines(&mut conn, "100000002", this.plus(1)).await.unwrap();
    let names: Vec<_> =
        lines.iter().map(|l| (l.line.description.as_str(), l.line.amount.0, l.line.rate)).collect();
    assert!(names.contains(&("インターネット 10Gコース", 7_480, 10)), "{names:?}");
    assert!(names.contains(&("テレビ ライトプラン", 3_278, 10)), "{names:?}");
    assert!(!names.iter().any(|n| n.0.contains("1Gコース") || n.0.contains("スタンダード")), "{names:?}");
    assert_eq!(names.iter().any(|n| n == &("契約解除料（不課税）", 5_500, 0)), inside, "{names:?}");
}

/// Plan changes completed after their month was invoiced: that invoice stays as issued;
/// the difference of each plan (up and down) and 契約解除料 are on the next invoice, and
/// the new plans bill in full from then on.
async fn plan_changes_completed_after_their_month_was_invoiced_are_settled_on_the_next(backend: Backend) {
    use app::features::billing::store::issue_month;
    use app::features::contract::plan_change::complete;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let today = Month::of(Date::of_unix_jst(app::ssr::now()));
    let (effective, after) = (today.plus(1), today.plus(2));
    let up = request(&app, &c, NET, "net-10g").await;
    let (body, _) = confirmation(&app, &c, TV, "tv-light").await;
    let inside = body[body.find("data-testid=\"quote-termination\"").unwrap()..].contains("5,500円");
    // The page's quote as the 更新月 rule says (the domain's next_renewal from the demo
    // contract's start, judged by the month of the request), so the invoice is not held
    // to what the page drew alone.
    let renewal = next_renewal(Month::parse("2019-04").unwrap(), 24, today);
    assert_eq!(inside, renewal != Some(today), "契約解除料 outside the 更新月 only");
    let down = request(&app, &c, TV, "tv-light").await;
    // The effective month is invoiced (the old plans) before the back office completes.
    issue_month(&app.db, effective, None).await.unwrap();
    let stored = |month: Month| invoiced_lines(&app, "100000002", month);
    let issued = stored(effective).await;
    assert!(issued.contains(&("インターネット 1Gコース".to_string(), 6_380, 10)), "{issued:?}");
    for id in [&up, &down] {
        let done = complete(&app.db, &app.state.settings, id, app::ssr::now()).await.unwrap();
        assert_eq!(done, app::features::contract::plan_change::Operated::Moved);
    }
    assert_eq!(stored(effective).await, issued, "an issued month is never rewritten");
    issue_month(&app.db, after, None).await.unwrap();
    let next = stored(after).await;
    let label = app::i18n::format_month(app::i18n::Locale::Ja, &effective.to_string());
    let difference = format!("ご契約変更による差額（{label}分）");
    let settled: i64 = next.iter().filter(|l| l.0 == difference && l.2 == 10).map(|l| l.1).sum();
    // 1G 6,380 → 10G 7,480 (+1,100); スタンダード 5,478 → ライト 3,278 (−2,200).
    assert_eq!(settled, 1_100 - 2_200, "{next:?}");
    assert_eq!(next.iter().any(|l| l == &("契約解除料（不課税）".to_string(), 5_500, 0)), inside, "{next:?}");
    assert!(next.contains(&("インターネット 10Gコース".to_string(), 7_480, 10)), "{next:?}");
    assert!(next.contains(&("テレビ ライトプラン".to_string(), 3_278, 10)), "{next:?}");
}

/// A completed change bills the fee the customer was quoted, which every notice of the
/// request and its 完了 mail print, not the catalogue's fee on the day the back office
/// completes it.
async fn a_completed_change_bills_the_fee_the_customer_was_quoted(backend: Backend) {
    use app::features::billing::store::compute_lines;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let id = request(&app, &c, NET, "net-300m").await;
    let quoted = scalar(&app, &format!("SELECT monthly_fee FROM plan_requests WHERE id = '{id}'")).await;
    assert_eq!(quoted, 5_280);
    exec(&app, "UPDATE plans SET monthly_fee = 5500 WHERE code = 'net-300m'").await;
    completed(&app, &id).await;
    let mailed = outbox_mails_to(&app, "contract.plan_request.done", "hanako@example.com").await;
    assert!(mailed[0].text.contains("5,280円"), "{}", mailed[0].text);
    let next = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    let mut conn = app.db.pool().acquire().await.unwrap();
    let lines = compute_lines(&mut conn, "100000002", next).await.unwrap();
    let billed: Vec<_> = lines
        .iter()
        .filter(|l| l.line.description == "インターネット 300Mコース")
        .map(|l| l.line.amount.0)
        .collect();
    assert_eq!(billed, [5_280], "{lines:?}");
}

/// A plan's fee changed in the catalogue after its confirmation was shown: the request
/// is refused and the confirmation shown again with the new fee, which the next
/// request is made at. Before, the confirmation took the new fee unseen (its quote
/// held only the date and the 契約解除料).
async fn a_fee_changed_after_the_confirmation_is_confirmed_again(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (body, key) = confirmation(&app, &c, NET, "net-10g").await;
    assert!(body.contains("7,480円"));
    exec(&app, "UPDATE plans SET monthly_fee = 7700 WHERE code = 'net-10g'").await;
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&plan=net-10g&error=expired"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 0);
    let (body, key) = confirmation(&app, &c, NET, "net-10g").await;
    let quote = &body[body.find("data-testid=\"plan-quote\"").unwrap()..];
    assert!(quote.contains("7,700円") && !quote.contains("7,480円"));
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    let id = to.strip_prefix("/contract?requested=").unwrap_or_else(|| panic!("{to}"));
    let fee = scalar(&app, &format!("SELECT monthly_fee FROM plan_requests WHERE id = '{id}'")).await;
    assert_eq!(fee, 7_700);
}

/// The fee quoted stays the plan's fee once a later change moves the service on: the
/// months before the later change bill the plan at what was quoted, not at the
/// catalogue's fee of the day (changed meanwhile).
async fn a_plan_keeps_its_quoted_fee_after_a_later_change(backend: Backend) {
    use app::features::billing::store::compute_lines;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let next = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    let first = request(&app, &c, NET, "net-300m").await;
    completed(&app, &first).await;
    exec(&app, "UPDATE plans SET monthly_fee = 5500 WHERE code = 'net-300m'").await;
    // The next change, from the month after (requested once the first was in force).
    exec(
        &app,
        &format!(
            "INSERT INTO plan_requests (id, customer_no, account_id, service_id, from_plan, to_plan, monthly_fee,
                effective_on, termination_fee, step, submit_key, created_at, updated_at)
             SELECT 'P-LATER', '100000002', id, '{NET}', 'net-300m', 'net-10g', 7480, '{}', 0, 'received', 'k-later', 0, 0
             FROM accounts WHERE customer_no = '100000002'",
            next.plus(1).first()
        ),
    )
    .await;
    completed(&app, "P-LATER").await;
    let mut conn = app.db.pool().acquire().await.unwrap();
    let billed = |lines: Vec<app::features::billing::engine::ComputedLine>| {
        lines.into_iter().map(|l| (l.line.description, l.line.amount.0)).collect::<Vec<_>>()
    };
    let between = billed(compute_lines(&mut conn, "100000002", next).await.unwrap());
    assert!(between.contains(&("インターネット 300Mコース".to_string(), 5_280)), "{between:?}");
    let after = billed(compute_lines(&mut conn, "100000002", next.plus(1)).await.unwrap());
    assert!(after.contains(&("インターネット 10Gコース".to_string(), 7_480)), "{after:?}");
}

/// 佐藤 花子's 1G → 300M requested, her services then ended on the last day of the
/// change's month, and that month invoiced: the request and its 契約解除料, and the month.
async fn a_downgrade_then_the_services_end(app: &TestApp, c: &reqwest::Client) -> (String, i64, Month) {
    let effective = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    let id = request(app, c, NET, "net-300m").await;
    let fee = scalar(app, &format!("SELECT termination_fee FROM plan_requests WHERE id = '{id}'")).await;
    let ends =
        format!("UPDATE services SET ended_on = '{}' WHERE customer_no = '100000002'", effective.last());
    exec(app, &ends).await;
    app::features::billing::store::issue_month(&app.db, effective, None).await.unwrap();
    (id, fee, effective)
}

/// Completes request `id` as the back office does, and checks it moved.
async fn completed(app: &TestApp, id: &str) {
    use app::features::contract::plan_change::{complete, Operated};
    assert_eq!(complete(&app.db, &app.state.settings, id, app::ssr::now()).await.unwrap(), Operated::Moved);
}

/// The invoice of `month` carries the downgrade's correction of `effective` (1G 6,380 →
/// 300M 5,280) and its 契約解除料 `fee` (when there is one), and nothing else.
async fn carries_the_downgrade(app: &TestApp, month: Month, effective: Month, fee: i64) {
    let lines = invoiced_lines(app, "100000002", month).await;
    let label = app::i18n::format_month(app::i18n::Locale::Ja, &effective.to_string());
    assert!(lines.contains(&(format!("ご契約変更による差額（{label}分）"), -1_100, 10)), "{lines:?}");
    assert_eq!(
        lines.iter().any(|l| l == &("契約解除料（不課税）".to_string(), fee, 0)),
        fee > 0,
        "{lines:?}"
    );
    assert_eq!(lines.len(), 1 + usize::from(fee > 0), "nothing else: {lines:?}");
}

/// A correction and a 契約解除料 put on a month after the customer's services ended (the
/// back office ended them after the change's month was issued) are invoiced all the
/// same: that month gets an invoice of them alone, where it got none and they were never
/// billed. The month after, with nothing on it, gets no invoice.
async fn what_is_put_on_a_month_after_the_services_ended_is_invoiced(backend: Backend) {
    use app::features::billing::store::issue_month;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (id, fee, effective) = a_downgrade_then_the_services_end(&app, &c).await;
    let after = effective.next();
    completed(&app, &id).await;
    issue_month(&app.db, after, None).await.unwrap();
    carries_the_downgrade(&app, after, effective, fee).await;
    issue_month(&app.db, after.plus(1), None).await.unwrap();
    let later = format!(
        "SELECT COUNT(*) FROM invoices WHERE customer_no = '100000002' AND billing_month = '{}'",
        after.plus(1)
    );
    assert_eq!(scalar(&app, &later).await, 0);
}

/// A change completed after the run of the month after its last invoice passed the
/// customer over (no service then, nothing on it yet) puts its correction and 契約解除料
/// on the next month whose run has not begun, which invoices them: put on the month
/// passed over, they were never billed.
async fn a_charge_for_a_customer_a_run_passed_over_goes_to_the_next_run(backend: Backend) {
    use app::features::billing::store::issue_month;
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let (id, fee, effective) = a_downgrade_then_the_services_end(&app, &c).await;
    let passed_over = effective.next();
    issue_month(&app.db, passed_over, None).await.unwrap();
    assert!(invoiced_lines(&app, "100000002", passed_over).await.is_empty(), "passed over");
    assert!(!invoiced_lines(&app, "100000003", passed_over).await.is_empty(), "the run has begun");
    completed(&app, &id).await;
    issue_month(&app.db, passed_over.plus(1), None).await.unwrap();
    carries_the_downgrade(&app, passed_over.plus(1), effective, fee).await;
    let unbilled = "SELECT COUNT(*) FROM billing_items b WHERE b.customer_no = '100000002' AND NOT EXISTS
        (SELECT 1 FROM invoices i WHERE i.customer_no = b.customer_no AND i.billing_month = b.billing_month)";
    assert_eq!(scalar(&app, unbilled).await, 0);
}

/// While a month's run is under way (another customer's invoice of it written), a charge
/// for a customer in force that month goes on that month (the run invoices them, before
/// or after); for one with no service then, it goes on the next, as the run may have
/// passed them over.
async fn a_run_under_way_takes_the_charges_of_a_customer_in_force_that_month(backend: Backend) {
    use app::features::billing::store::open_month;
    let app = spawn_app_with_demo_data(backend).await;
    let month = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    let open = |customer_no: &'static str| {
        let app = &app;
        async move {
            let mut conn = app.db.pool().acquire().await.unwrap();
            open_month(&mut conn, customer_no, month).await.unwrap()
        }
    };
    assert_eq!(open("100000002").await, month, "no run yet");
    exec(
        &app,
        &format!(
            "INSERT INTO invoices (id, customer_no, billing_month, issued_on, due_on, total, tax, status)
             VALUES ('inv-begun', '100000003', '{month}', '{}', '{}', 0, 0, 'unpaid')",
            month.first(),
            month.last()
        ),
    )
    .await;
    assert_eq!(open("100000002").await, month, "in force: the run invoices her");
    let ends =
        format!("UPDATE services SET ended_on = '{}' WHERE customer_no = '100000002'", month.plus(-1).last());
    exec(&app, &ends).await;
    assert_eq!(open("100000002").await, month.next(), "no service: perhaps passed over");
}

/// The 更新月 rule through the server, its edge both ways: a cheaper plan asked for in
/// the 更新月 costs no 契約解除料; the month before it and the month after it (a new
/// term) cost the fee. And the fee agreed to goes with the request: on the contract
/// page, in its mail and in the back office's listing (it was shown on the
/// confirmation alone, and next met on an invoice).
async fn the_termination_fee_follows_the_renewal_month_and_stays_with_the_request(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    let today = Month::of(Date::of_unix_jst(app::ssr::now()));
    // The TV's 24-month term started `ago` months back (its 更新月 is today's month at 24).
    let quoted_fee = |ago: i32| {
        let (app, c) = (&app, c.clone());
        async move {
            let started = today.plus(-ago).first();
            exec(app, &format!("UPDATE services SET started_on = '{started}' WHERE id = '{TV}'")).await;
            let (body, _) = confirmation(app, &c, TV, "tv-light").await;
            let quote = &body[body.find("data-testid=\"quote-termination\"").unwrap()..];
            quote[quote.find('>').unwrap() + 1..quote.find("<span").unwrap()].to_string()
        }
    };
    assert_eq!(quoted_fee(23).await, "5,500円", "the month before the 更新月");
    assert_eq!(quoted_fee(25).await, "5,500円", "the month after it");
    assert_eq!(quoted_fee(24).await, "かかりません", "the 更新月");
    // A change starts on a 1st: its first month is a whole one, not called 日割り.
    let (body, _) = confirmation(&app, &c, TV, "tv-light").await;
    assert!(body.contains("data-testid=\"plan-quote\"") && !body.contains("日割り"));
    // Requested inside the term: the fee is kept with the request.
    quoted_fee(23).await;
    let id = request(&app, &c, TV, "tv-light").await;
    let (_, page) = app.get_text_with(&c, "/contract").await;
    let kept = &page[page.find("data-testid=\"plan-request-termination\"").unwrap()..];
    assert!(kept[..kept.find("</dd>").unwrap()].contains("5,500円"), "on the contract page");
    let mails = outbox_mails_to(&app, "contract.plan_request.received", "hanako@example.com").await;
    assert!(mails[0].text.contains("契約解除料: 5,500円"), "{}", mails[0].text);
    let (ok, out) = operator(&app, "plan-requests", &["--json"]);
    assert!(ok, "{out}");
    let listed: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["termination_fee"], 5500);
    let (_, out) = operator(&app, "plan-requests", &[]);
    assert!(out.contains("termination fee 5,500"), "{out}");
    // Cancelled, and asked again in the 更新月: none.
    assert_eq!(
        post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await,
        "/contract?cancelled=1"
    );
    quoted_fee(24).await;
    let again = request(&app, &c, TV, "tv-light").await;
    let mails = outbox_mails_to(&app, "contract.plan_request.received", "hanako@example.com").await;
    let mail = mails.iter().find(|m| m.text.contains(&again)).expect("its mail");
    assert!(mail.text.contains("契約解除料: かかりません"), "{}", mail.text);
    let (_, out) = operator(&app, "plan-requests", &["--json"]);
    let listed: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(listed[0]["termination_fee"], 0);
}

/// The plans a service may change to come with none chosen: the first (the cheapest,
/// which may cost a 契約解除料) was ticked for the customer before.
async fn no_plan_is_chosen_for_the_customer(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    for service in [NET, TV] {
        let (status, body) = app.get_text_with(&c, &format!("/contract/change?service={service}")).await;
        assert_eq!(status, 200);
        let options: Vec<&str> =
            body.split("<input").filter(|i| i.contains("data-testid=\"plan-option\"")).collect();
        assert!(options.len() >= 2, "{service}");
        assert!(options.iter().all(|i| !i[..i.find('>').unwrap()].contains("checked")), "{service}");
    }
}

/// Ten requests a day: request and cancel in a loop (a session's holder burying the
/// owner's mail under notices) stops at the eleventh, which writes and mails nothing.
/// Before, every round wrote two rows and queued two mails, without end.
async fn requests_and_their_cancels_stop_at_ten_a_day(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    for _ in 0..10 {
        let id = request(&app, &c, NET, "net-10g").await;
        assert_eq!(
            post_from(&app, &c, "/api/contract/plan/cancel", &[("id", &id)]).await,
            "/contract?cancelled=1"
        );
    }
    let (_, key) = confirmation(&app, &c, NET, "net-10g").await;
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&plan=net-10g&error=throttled"));
    // Still so six hours later, within the day.
    exec(
        &app,
        "UPDATE throttle SET window_start = window_start - 21600, blocked_until = blocked_until - 21600",
    )
    .await;
    let (_, key) = confirmation(&app, &c, NET, "net-10g").await;
    let to = post_from(&app, &c, "/api/contract/plan/request", &form(NET, "net-10g", &key)).await;
    assert_eq!(to, format!("/contract/change?service={NET}&plan=net-10g&error=throttled"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 10);
    let mails = outbox_mails_to(&app, "contract.plan_request.received", "hanako@example.com").await;
    assert_eq!(mails.len(), 10);
}

/// A request submitted while another of the service's is being completed waits for the
/// completion and is then refused as the page would have refused it (a change completed
/// and not yet in force), instead of starting from the plan the service is leaving:
/// two changes from one plan, each with its 契約解除料. The completion is held open while
/// the request runs.
async fn a_request_submitted_while_another_completes_waits_and_is_refused(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = hanako(&app).await;
    // The second confirmation is read before the first request: then the page has a form.
    let (_, key) = confirmation(&app, &c, NET, "net-300m").await;
    let first = request(&app, &c, NET, "net-10g").await;
    let mut completion = app.db.begin().await.unwrap();
    let settings = &app.state.settings;
    let completed =
        app::features::contract::plan_change::complete_in(&mut completion, settings, &first, app::ssr::now())
            .await
            .unwrap();
    assert_eq!(completed, app::features::contract::plan_change::Operated::Moved);
    let second = post_later(&app, &c, "/api/contract/plan/request", &[HTML], &form(NET, "net-300m", &key));
    assert_eq!(
        location(&across(completion, second).await),
        format!("/contract/change?service={NET}&error=pending")
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM plan_requests").await, 1);
    assert_eq!(step_of(&app, &first).await, "done");
}

/// On PostgreSQL, which locks row by row: a completion takes the customer's row before
/// its request's, the order in which a new request (and the billing run's window) takes
/// them, so a completion and a request cannot lock each other out (a deadlock, one of
/// them failing). The customer's row is held here: the completion waits for it with
/// its request's row not locked yet. (SQLite has one writer at a time: no order.)
#[tokio::test]
async fn a_completion_takes_the_customers_row_before_its_requests() {
    use app::features::contract::plan_change::{complete, Operated};
    let _timing = crate::common::TIMING.read().await;
    let app = spawn_app_with_demo_data(Backend::Postgres).await;
    let c = hanako(&app).await;
    let id = request(&app, &c, NET, "net-10g").await;
    let mut customer = app.db.begin().await.unwrap();
    app::ssr::db::customers::lock(&mut customer, "100000002").await.unwrap();
    let (db, settings, completing) = (app.db.clone(), app.state.settings.clone(), id.clone());
    let completion =
        tokio::spawn(async move { complete(&db, &settings, &completing, app::ssr::now()).await });
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(!completion.is_finished(), "the completion waits for the customer's row");
    let mut other = app.db.begin().await.unwrap();
    let request_row = sqlx::query("SELECT id FROM plan_requests WHERE id = $1 FOR UPDATE NOWAIT")
        .bind(&id)
        .fetch_all(&mut *other)
        .await;
    assert!(request_row.is_ok(), "the request's row is not locked meanwhile: {:?}", request_row.err());
    other.rollback().await.unwrap();
    customer.commit().await.unwrap();
    assert_eq!(completion.await.unwrap().unwrap(), Operated::Moved);
    assert_eq!(step_of(&app, &id).await, "done");
}

on_both_databases!(
    a_run_under_way_takes_the_charges_of_a_customer_in_force_that_month,
    a_plan_keeps_its_quoted_fee_after_a_later_change,
    a_charge_for_a_customer_a_run_passed_over_goes_to_the_next_run,
    the_contract_document_says_a_services_end_and_a_plan_change_to_come,
    a_service_due_to_end_takes_no_plan_change,
    a_completed_change_bills_the_fee_the_customer_was_quoted,
    a_fee_changed_after_the_confirmation_is_confirmed_again,
    what_is_put_on_a_month_after_the_services_ended_is_invoiced,
    a_confirmation_sent_again_after_its_request_was_cancelled_has_expired,
    a_plan_change_sent_with_no_plan_chosen_says_so_at_the_choice,
    a_plan_request_under_way_is_a_notice_on_the_top_page,
    a_request_submitted_while_another_completes_waits_and_is_refused,
    plan_changes_completed_after_their_month_was_invoiced_are_settled_on_the_next,
    a_plan_change_is_quoted_requested_once_and_cancelled_by_its_owner_only,
    the_operator_completes_a_request_and_the_billing_run_bills_the_new_plan_from_its_date,
    the_contract_lists_each_service_with_its_term_and_renewal_month,
    the_history_is_newest_first_and_filters_by_the_customers_own_services,
    the_history_files_mailboxes_and_add_ons_under_their_own_contract,
    an_end_on_its_last_day_is_still_to_come_in_the_history,
    a_service_starting_later_is_in_force_from_its_first_day,
    the_contract_and_its_document_list_the_add_ons_in_force,
    the_termination_fee_follows_the_renewal_month_and_stays_with_the_request,
    requests_and_their_cancels_stop_at_ten_a_day,
    no_plan_is_chosen_for_the_customer,
    the_contract_document_names_the_customer_each_plan_and_the_renewal_month,
);
