//! ご契約情報確認・変更, サービス加入・変更履歴 and the contract document (issue 13).

use crate::common::*;
use app::domain::billing::{Date, Month};
use app::domain::contract::next_renewal;

async fn hanako(app: &TestApp) -> reqwest::Client {
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, "hanako@example.com", "Hanako_2024").await), "/");
    c
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

on_both_databases!(
    the_contract_lists_each_service_with_its_term_and_renewal_month,
    the_history_is_newest_first_and_filters_by_the_customers_own_services,
    the_contract_document_names_the_customer_each_plan_and_the_renewal_month,
);
