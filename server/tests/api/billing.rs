//! The billing engine (issue 12): invoices computed from the contracts, prorated by
//! days, tax once per rate, idempotent, never rewritten.

use crate::common::*;
use app::domain::billing::Month;
use app::features::billing::store::{issue_month, RunReport};

/// A credit larger than the month's charges (its total below ¥0, お支払いなし) is
/// carried to the next invoice as a line of its own, 不課税, where it was lost; once a
/// customer has no service left, it is owed back and the back office is told by an
/// event, and no invoice follows.
async fn a_credit_larger_than_the_months_charges_is_carried_over_or_owed_back(backend: Backend) {
    use app::domain::billing::Date;
    let app = spawn_app_with_demo_data(backend).await;
    let m = Month::of(Date::of_unix_jst(app::ssr::now())).plus(1);
    let credit = |id: &str, month: Month| {
        format!(
            "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount)
             VALUES ('{id}', '100000003', '{month}', 'adjustment', 'お友だち紹介特典', -10000)"
        )
    };
    exec(&app, &credit("r1", m)).await;
    for month in [m, m.plus(1), m.plus(2)] {
        issue_month(&app.db, month, None).await.unwrap();
    }
    let total = |month: Month| {
        let sql = format!(
            "SELECT total FROM invoices WHERE customer_no = '100000003' AND billing_month = '{month}'"
        );
        let app = &app;
        async move { scalar(app, &sql).await }
    };
    let (credited, carried, plain) = (total(m).await, total(m.plus(1)).await, total(m.plus(2)).await);
    assert!(credited < 0, "{credited}");
    assert_eq!(carried, plain + credited, "the credit is taken off the next invoice");
    let label = app::i18n::format_month(app::i18n::Locale::Ja, &m.to_string());
    let next = invoiced_lines(&app, "100000003", m.plus(1)).await;
    assert!(next.contains(&(format!("繰越金額（{label}分）"), credited, 0)), "{next:?}");
    assert!(!invoiced_lines(&app, "100000003", m.plus(2)).await.iter().any(|l| l.0.starts_with("繰越")));
    // The statement says where the credit goes.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (_, page) = app.get_text_with(&ichiro, &format!("/billing?month={m}")).await;
    let amount = app::domain::Yen(-credited).grouped();
    assert!(page.contains(&format!("{amount}円は翌月のご請求から差し引きます")), "{page}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.refund_due'").await, 0);
    // The last month of the last service: the credit is owed back, and no invoice follows.
    let last = m.plus(3);
    exec(&app, &credit("r2", last)).await;
    exec(&app, &format!("UPDATE services SET ended_on = '{}' WHERE customer_no = '100000003'", last.last()))
        .await;
    issue_month(&app.db, last, None).await.unwrap();
    issue_month(&app.db, last.plus(1), None).await.unwrap();
    let owed = total(last).await;
    assert!(owed < 0, "{owed}");
    let events: Vec<(String,)> =
        rows(&app, "SELECT payload FROM outbox WHERE topic = 'billing.refund_due'").await;
    assert_eq!(events.len(), 1, "{events:?}");
    let event: serde_json::Value = serde_json::from_str(&events[0].0).unwrap();
    assert_eq!(event["customer_no"], "100000003");
    assert_eq!(event["month"], last.to_string());
    assert_eq!(event["amount"], -owed);
    let after = format!(
        "SELECT COUNT(*) FROM invoices WHERE customer_no = '100000003' AND billing_month = '{}'",
        last.plus(1)
    );
    assert_eq!(scalar(&app, &after).await, 0);
}

/// Customer 900000001: internet (300M → 1G on 2026-10-16), TV from 2026-11-16 with a
/// rented STB, phone until 2026-11-10, a call charge and a correction in November.
async fn a_customer(app: &TestApp) {
    exec(
        app,
        "INSERT INTO plans (code, kind, name, monthly_fee) VALUES
        ('net-300m', 'internet', 'インターネット 300Mコース', 5280),
        ('net-1g', 'internet', 'インターネット 1Gコース', 6380)",
    )
    .await;
    exec(
        app,
        "INSERT INTO customers (customer_no, name, name_kana, kana_key, postal_code, address, created_at)
        VALUES ('900000001', '試験 花子', 'シケン ハナコ', 'シケンハナコ', '100-0001', '東京都千代田区', 0)",
    )
    .await;
    exec(app, "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee, installation_address, started_on, ended_on) VALUES
        ('s-net', '900000001', 'internet', 'net-1g', 'インターネット 1Gコース', 6380, 'x', '2019-04-01', NULL),
        ('s-tv', '900000001', 'tv', 'tv-standard', 'テレビ スタンダードプラン', 5478, 'x', '2026-11-16', NULL),
        ('s-tel', '900000001', 'phone', 'phone-basic', 'ケーブルプラス電話', 1463, 'x', '2019-04-01', '2026-11-10')").await;
    exec(app, "INSERT INTO service_changes (id, customer_no, service_id, changed_on, change_kind, from_plan, to_plan)
        VALUES ('c1', '900000001', 's-net', '2026-10-16', 'plan_change', 'net-300m', 'net-1g')").await;
    exec(
        app,
        "INSERT INTO equipment (equipment_id, customer_no, service_id, kind, model, monthly_fee)
        VALUES ('STB9000001', '900000001', 's-tv', 'stb', 'STB-4K', 550)",
    )
    .await;
    exec(
        app,
        "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount) VALUES
        ('u1', '900000001', '2026-11', 'usage', '通話料', 320),
        ('a1', '900000001', '2026-11', 'adjustment', '調整（10月分の誤り）', -100)",
    )
    .await;
}

async fn lines(app: &TestApp, month: &str) -> Vec<(String, i64, Option<i64>, Option<i64>)> {
    sqlx::query_as(
        "SELECT l.description, l.amount, l.days, l.of_days FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = '900000001' AND i.billing_month = $1 ORDER BY l.line_no",
    )
    .bind(month)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

async fn a_month_is_billed_from_what_the_customer_had_each_day(backend: Backend) {
    let app = spawn_app(backend).await;
    a_customer(&app).await;
    assert_eq!(
        issue_month(&app.db, month("2026-11"), None).await.unwrap(),
        RunReport { issued: 1, already_issued: 0 }
    );
    let nov = lines(&app, "2026-11").await;
    let expect: Vec<(String, i64, Option<i64>, Option<i64>)> = vec![
        ("インターネット 1Gコース".into(), 6380, None, None),
        // 16th to 30th: 15 of 30 days; 5,478 × 15 / 30.
        ("テレビ スタンダードプラン".into(), 2739, Some(15), Some(30)),
        // 1st to 10th: 1,463 × 10 / 30 = 487.67, rounded down.
        ("ケーブルプラス電話".into(), 487, Some(10), Some(30)),
        ("STBレンタル料".into(), 275, Some(15), Some(30)),
        ("通話料".into(), 320, None, None),
        ("調整（10月分の誤り）".into(), -100, None, None),
    ];
    assert_eq!(nov, expect);
    let (total, tax): (i64, i64) = sqlx::query_as(
        "SELECT total, tax FROM invoices WHERE customer_no = '900000001' AND billing_month = '2026-11'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(total, 10_101);
    assert_eq!(tax, 918, "floor(10,101 × 10 / 110), once on the total");
}

async fn a_plan_change_is_two_prorated_lines(backend: Backend) {
    let app = spawn_app(backend).await;
    a_customer(&app).await;
    issue_month(&app.db, month("2026-10"), None).await.unwrap();
    let oct = lines(&app, "2026-10").await;
    assert_eq!(
        oct[..2],
        [
            // 1st to 15th of 31 days at 5,280; 16th to 31st at 6,380.
            ("インターネット 300Mコース".to_string(), 2554, Some(15), Some(31)),
            ("インターネット 1Gコース".to_string(), 3292, Some(16), Some(31)),
        ]
    );
    assert_eq!(oct.len(), 3, "and the phone, all month; no TV yet: {oct:?}");
    issue_month(&app.db, month("2026-09"), None).await.unwrap();
    assert_eq!(lines(&app, "2026-09").await[0], ("インターネット 300Mコース".to_string(), 5280, None, None));
}

async fn a_second_run_changes_nothing_and_an_issued_month_is_never_rewritten(backend: Backend) {
    let app = spawn_app(backend).await;
    a_customer(&app).await;
    issue_month(&app.db, month("2026-11"), None).await.unwrap();
    let before = lines(&app, "2026-11").await;
    // The contract changes afterwards; the month stays as issued.
    exec(&app, "UPDATE services SET monthly_fee = 9999 WHERE id = 's-net'").await;
    exec(
        &app,
        "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount)
        VALUES ('a2', '900000001', '2026-11', 'adjustment', '後からの調整', -500)",
    )
    .await;
    assert_eq!(
        issue_month(&app.db, month("2026-11"), None).await.unwrap(),
        RunReport { issued: 0, already_issued: 1 }
    );
    assert_eq!(lines(&app, "2026-11").await, before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM invoices").await, 1);
    // Two runs at once: one invoice.
    let (a, b) = tokio::join!(
        issue_month(&app.db, month("2026-12"), None),
        issue_month(&app.db, month("2026-12"), None)
    );
    assert_eq!(a.unwrap().issued + b.unwrap().issued, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM invoices WHERE billing_month = '2026-12'").await, 1);
}

async fn only_customers_with_a_service_that_month_are_billed(backend: Backend) {
    let app = spawn_app(backend).await;
    a_customer(&app).await;
    // Everything ended before December 2030.
    exec(&app, "UPDATE services SET ended_on = '2030-11-30'").await;
    assert_eq!(issue_month(&app.db, month("2030-12"), None).await.unwrap(), RunReport::default());
    // A plan missing from the catalogue fails the run loudly instead of billing a guess.
    exec(&app, "DELETE FROM plans WHERE code = 'net-300m'").await;
    let e = issue_month(&app.db, month("2026-10"), None).await.unwrap_err();
    assert!(e.to_string().contains("net-300m"), "{e}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM invoices").await, 0, "nothing half-written");
}

async fn each_account_holder_is_mailed_the_issued_total_with_a_link(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // The month after the demo's twelve.
    let (latest,): (String,) =
        sqlx::query_as("SELECT MAX(billing_month) FROM invoices").fetch_one(app.db.pool()).await.unwrap();
    let next = Month::parse(&latest).unwrap().next();
    let settings = test_settings("sqlite::memory:", &[]);
    let report = issue_month(&app.db, next, Some(&settings)).await.unwrap();
    assert_eq!(report.issued, 5);
    let (total,): (i64,) =
        sqlx::query_as("SELECT total FROM invoices WHERE customer_no = '100000002' AND billing_month = $1")
            .bind(next.to_string())
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let mails = outbox_mails_to(&app, "billing.issued", "hanako@example.com").await;
    assert_eq!(mails.len(), 1, "one mail to 佐藤 花子's contact address");
    let mail = &mails[0];
    assert!(mail.subject.contains("ご請求金額確定のお知らせ"), "{}", mail.subject);
    assert!(mail.text.contains(&format!("{}円", app::domain::Yen(total).grouped())), "{}", mail.text);
    assert!(mail.text.contains(&format!("/billing?month={next}")), "{}", mail.text);
    assert!(!mail.text.contains("4242"), "no card data");
    // Only account holders are mailed (2 of the 5 customers); a second run mails nothing.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.issued'").await, 2);
    issue_month(&app.db, next, Some(&settings)).await.unwrap();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.issued'").await, 2);
}

on_both_databases!(
    a_credit_larger_than_the_months_charges_is_carried_over_or_owed_back,
    each_account_holder_is_mailed_the_issued_total_with_a_link,
    a_month_is_billed_from_what_the_customer_had_each_day,
    a_plan_change_is_two_prorated_lines,
    a_second_run_changes_nothing_and_an_issued_month_is_never_rewritten,
    only_customers_with_a_service_that_month_are_billed,
);
