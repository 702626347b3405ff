//! `seed-demo`: SPEC §7 exactly, idempotently, on both databases.

use crate::common::*;
use app::seed;

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(app.db.pool()).await.unwrap();
    n
}

async fn the_demo_data_of_spec_section_7_is_loaded(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM customers").await, 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM invoices").await, 5 * 12);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mailboxes WHERE customer_no = '100000002'").await, 2);
    // Every invoice has line items and its total is their sum.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM invoices i WHERE total <> (SELECT SUM(amount) FROM invoice_lines l WHERE l.invoice_id = i.id)").await,
        0
    );
    // 佐藤 花子 has a plan change in her history, and its month bills each plan for its
    // days (the invoices come from the billing engine).
    assert!(count(&app, "SELECT COUNT(*) FROM service_changes WHERE customer_no = '100000002' AND change_kind = 'plan_change'").await >= 1);
    let prorated: Vec<(String, String, i64, i64)> = rows(
        &app,
        "SELECT i.billing_month, l.description, l.days, l.of_days FROM invoice_lines l
         JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = '100000002' AND l.days IS NOT NULL ORDER BY l.line_no",
    )
    .await;
    assert_eq!(prorated.len(), 2, "{prorated:?}");
    assert_eq!(prorated[0].0, prorated[1].0, "one month");
    assert_eq!(prorated[0].1, "インターネット 300Mコース");
    assert_eq!(prorated[1].1, "インターネット 1Gコース");
    assert_eq!(prorated[0].2 + prorated[1].2, prorated[0].3, "the month's days, split");
    // Every month whose payment date (the 27th of the next month, or the next day the
    // banks open) has come is paid, but 鈴木 一郎's one month after a failed bank debit
    // (未払い); the latest is お支払い予定.
    let today = app::domain::billing::Date::of_unix_jst(app::ssr::now()).to_string();
    let past_due = "SELECT customer_no, billing_month FROM invoices WHERE status = 'unpaid' AND due_on < $1";
    let unpaid_past_due: Vec<(String, String)> = rows_for(&app, past_due, &today).await;
    assert_eq!(unpaid_past_due.len(), 1, "{unpaid_past_due:?}");
    assert_eq!(unpaid_past_due[0].0, "100000003");
    let paid_early: Vec<(String,)> =
        rows_for(&app, "SELECT id FROM invoices WHERE status = 'paid' AND due_on > $1", &today).await;
    assert!(paid_early.is_empty(), "{paid_early:?}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM invoices WHERE status = 'unpaid' AND billing_month = (SELECT MAX(billing_month) FROM invoices)"
        )
        .await,
        5
    );
    // Each invoice states its tax once: floor(total × 10 / 110).
    assert_eq!(count(&app, "SELECT COUNT(*) FROM invoices WHERE tax <> total * 10 / 110").await, 0);

    let mailboxes: Vec<(String,)> =
        rows(&app, "SELECT address FROM mailboxes WHERE customer_no = '100000002' ORDER BY address").await;
    assert_eq!(
        mailboxes,
        vec![("hanako@a01.itscom.net".to_string(),), ("sato-family@b03.itscom.net".to_string(),)]
    );

    // Phones are stored without hyphens; 佐藤 花子 has two.
    let phones: Vec<(String,)> =
        rows(&app, "SELECT phone FROM customer_phones WHERE customer_no = '100000002' ORDER BY phone").await;
    assert_eq!(phones, vec![("0459876543".to_string(),), ("09011112222".to_string(),)]);
}

async fn demo_passwords_are_stored_only_as_argon2id_hashes(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let rows: Vec<(String, String, String, String)> = rows(
        &app,
        "SELECT a.itscom_id, a.password_hash, a.recovery_method, c.contact_email
         FROM accounts a JOIN customers c ON c.customer_no = a.customer_no ORDER BY a.customer_no",
    )
    .await;
    let expected = [
        ("hanako@example.com", "Hanako_2024", "code"),
        ("ichiro@example.net", "Ichiro_2020", "legacy_question"),
    ];
    assert_eq!(rows.len(), 2);
    for ((id, hash, recovery, contact), (want_id, password, want_recovery)) in rows.iter().zip(expected) {
        assert_eq!(id, want_id);
        assert_eq!(contact, want_id, "the contact address is the iTSCOM ID");
        assert_eq!(recovery, want_recovery);
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains(password));
        assert!(app::ssr::auth::password::verify(password, hash));
    }
}

async fn the_duplicate_customer_records_share_name_phone_and_card(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT c.customer_no FROM customers c
         JOIN customer_phones p ON p.customer_no = c.customer_no
         JOIN payment_methods m ON m.customer_no = c.customer_no
         WHERE c.kana_key = $1 AND p.phone = $2 AND m.card_last4 = $3 ORDER BY c.customer_no",
    )
    .bind("タナカミサキ")
    .bind("0322223333")
    .bind("1881")
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows, vec![("100000004".to_string(),), ("100000005".to_string(),)]);
}

async fn seeding_twice_adds_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let before = count(&app, "SELECT COUNT(*) FROM invoice_lines").await;
    let report = seed::seed_demo(&app.db, "itscom.net").await.unwrap();
    assert_eq!(report, seed::SeedReport::default());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM invoice_lines").await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM customers").await, 5);
    assert!(!seed::is_empty(&app.db).await.unwrap());
}

async fn an_empty_database_is_reported_empty(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(seed::is_empty(&app.db).await.unwrap());
}

on_both_databases!(
    the_demo_data_of_spec_section_7_is_loaded,
    demo_passwords_are_stored_only_as_argon2id_hashes,
    the_duplicate_customer_records_share_name_phone_and_card,
    seeding_twice_adds_nothing,
    an_empty_database_is_reported_empty,
);
