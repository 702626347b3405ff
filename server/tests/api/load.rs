//! Issue 26: synthetic customers (`server seed-load`) and the billing run at a
//! provider's scale: several runs at once, a run killed mid-way. The real binary runs
//! on the test's database, as an operator runs it.

use crate::common::*;
use app::domain::billing::{Date, Month};
use app::domain::{KatakanaName, PhoneNumber};
use app::synthetic::PASSWORD;
use std::process::{Child, Command, Stdio};

fn server_command(app: &TestApp, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("MYPAGE_ENV", "development")
        .env("RUST_LOG", "error")
        .args(args);
    command
}

/// `server ARGS…` on the test's database, waited for: exit status, stdout, stderr.
fn server_on(app: &TestApp, args: &[&str]) -> (Option<i32>, String, String) {
    let out = server_command(app, args).output().expect("run server");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `server ARGS…` started on the test's database, not waited for.
fn start_server(app: &TestApp, args: &[&str]) -> Child {
    server_command(app, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start server")
}

/// The month after this one (the synthetic invoices end with this one).
fn next_month() -> String {
    Month::of(Date::of_unix_jst(app::ssr::now())).next().to_string()
}

/// `N` of a bill run's "YYYY-MM: N invoices issued, M already issued".
fn issued(stdout: &str) -> i64 {
    let after = stdout.split(": ").nth(1).unwrap_or_else(|| panic!("a summary line: {stdout}"));
    after.split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{stdout}"))
}

/// `n` synthetic customers, by the command.
fn seed_load(app: &TestApp, n: u64) {
    let (code, out, err) = server_on(app, &["seed-load", "--customers", &n.to_string(), "--seed", "7"]);
    assert_eq!(code, Some(0), "{out}{err}");
}

/// Each customer with a service in force in `month` has exactly one invoice for it, and
/// every invoice of the month has its lines.
async fn one_whole_invoice_each(app: &TestApp, month: &str, customers: i64) {
    let count = |sql: &str| {
        let sql = sql.replace("{m}", month);
        async move { scalar(app, &sql).await }
    };
    assert_eq!(count("SELECT COUNT(*) FROM invoices WHERE billing_month = '{m}'").await, customers);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM customers c WHERE
             (SELECT COUNT(*) FROM invoices i WHERE i.customer_no = c.customer_no AND i.billing_month = '{m}') <> 1"
        )
        .await,
        0,
        "no customer without an invoice, none with two"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM invoices i WHERE i.billing_month = '{m}'
             AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)"
        )
        .await,
        0,
        "no invoice without its lines"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE topic = 'billing.issued'").await,
        customers,
        "one mail an account holder"
    );
}

async fn synthetic_customers_are_valid_billed_by_the_engine_log_in_and_are_refused_beside_the_demo_data(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (code, out, err) = server_on(&app, &["seed-load", "--customers", "200", "--seed", "7"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("800000001–800000200") && out.contains("200 written, 0 already there"), "{out}");
    assert!(
        out.contains("load000001@example.com … load000200@example.com") && out.contains(PASSWORD),
        "{out}"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM customers WHERE synthetic = 1").await, 200);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM customers WHERE customer_no BETWEEN '800000001' AND '800000200'")
            .await,
        200
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts").await, 200);
    // Valid names and phones, 1–3 services each.
    let names: Vec<(String, String)> = rows(&app, "SELECT name_kana, kana_key FROM customers").await;
    for (kana, key) in &names {
        assert_eq!(KatakanaName::parse(kana).expect(kana).match_key(), *key);
    }
    let phones: Vec<(String,)> = rows(&app, "SELECT phone FROM customer_phones").await;
    assert!(phones.len() >= 200);
    for (phone,) in &phones {
        assert_eq!(PhoneNumber::parse(phone).expect(phone).digits(), phone);
    }
    let services: Vec<(String, i64)> =
        rows(&app, "SELECT customer_no, COUNT(*) FROM services GROUP BY customer_no").await;
    assert_eq!(services.len(), 200);
    assert!(services.iter().all(|(_, n)| (1..=3).contains(n)), "{services:?}");
    // Up to 12 months of invoices each, and each as the billing engine computes it from
    // what was stored (services, plan changes, equipment, 通話料).
    let per_customer: Vec<(String, i64)> =
        rows(&app, "SELECT customer_no, COUNT(*) FROM invoices GROUP BY customer_no").await;
    assert_eq!(per_customer.len(), 200);
    assert!(per_customer.iter().all(|(_, n)| (1..=12).contains(n)), "{per_customer:?}");
    let invoices: Vec<(String, String, i64, i64)> = rows(
        &app,
        "SELECT customer_no, billing_month, total, tax FROM invoices WHERE customer_no <= '800000040'
         ORDER BY customer_no, billing_month",
    )
    .await;
    assert!(invoices.len() > 40);
    let mut conn = app.db.pool().acquire().await.unwrap();
    for (customer_no, month, total, tax) in &invoices {
        let stored: Vec<(String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT description, amount, days, of_days FROM invoice_lines WHERE invoice_id = $1 ORDER BY line_no",
        )
        .bind(format!("inv-{customer_no}-{month}"))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let lines = app::features::billing::store::compute_lines(
            &mut conn,
            customer_no,
            Month::parse(month).unwrap(),
        )
        .await
        .unwrap();
        let computed: Vec<(String, i64, Option<i64>, Option<i64>)> = lines
            .iter()
            .map(|l| {
                (
                    l.line.description.clone(),
                    l.line.amount.0,
                    l.days.map(|d| i64::from(d.0)),
                    l.days.map(|d| i64::from(d.1)),
                )
            })
            .collect();
        assert_eq!(stored, computed, "{customer_no} {month}");
        let (t, x) = app::features::billing::engine::total_and_tax(&lines);
        assert_eq!((*total, *tax), (t.0, x.0), "{customer_no} {month}");
    }
    drop(conn);
    // The shared password logs a synthetic account in through the portal.
    let c = logged_in(&app, "load000001@example.com", PASSWORD).await;
    let (status, page) = app.get_text_with(&c, "/billing").await;
    assert_eq!(status, 200);
    assert!(page.contains("円"), "the invoices are listed");
    // A mailbox on each internet service, whose virus check the load test switches.
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM mailboxes").await,
        scalar(&app, "SELECT COUNT(*) FROM services WHERE kind = 'internet'").await
    );
    let with: Vec<(String, String)> =
        rows(&app, "SELECT customer_no, id FROM mailboxes ORDER BY customer_no LIMIT 1").await;
    let (no, mailbox) = &with[0];
    let n: u64 = no.parse::<u64>().unwrap() - app::synthetic::NUMBER_BASE;
    let c = logged_in(&app, &app::synthetic::login_id(n), PASSWORD).await;
    let (_, list) = app.get_text_with(&c, "/mail").await;
    assert!(list.contains(&format!("load{n:06}@l01.itscom.net")), "listed");
    let form = [("mailbox_id", mailbox.as_str()), ("virus_check", "off")];
    assert_eq!(post_from(&app, &c, "/api/mail/virus-check", &form).await, "/mail");
    assert_eq!(scalar(&app, &format!("SELECT virus_check FROM mailboxes WHERE id = '{mailbox}'")).await, 0);
    // Again: nothing added.
    let (code, out, err) = server_on(&app, &["seed-load", "--customers", "200", "--seed", "7"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("0 written, 200 already there, 0 invoices"), "{out}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM customers").await, 200);
    // Refused where real customers are (the demo data): exit status 1, nothing written.
    let demo = spawn_app_with_demo_data(backend).await;
    let (code, out, err) = server_on(&demo, &["seed-load", "--customers", "10"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("seed-load failed") && err.contains("not synthetic"), "{err}");
    assert_eq!(scalar(&demo, "SELECT COUNT(*) FROM customers WHERE synthetic = 1").await, 0);
    assert_eq!(scalar(&demo, "SELECT COUNT(*) FROM customers").await, 5);
}

async fn two_bill_runs_at_once_issue_each_invoice_once_and_share_the_work(backend: Backend) {
    let app = spawn_app(backend).await;
    seed_load(&app, 200);
    let month = next_month();
    // 40 windows, 100 ms apart: 4 s and more, so the second process has started well
    // before the first is done, even on a loaded machine (20 ms apart, one process
    // once did all 200 while the other was still starting).
    let args = ["bill", "--ahead", "--month", &month, "--batch-size", "5", "--pause-ms", "100"];
    let (a, b) = (start_server(&app, &args), start_server(&app, &args));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (out_a, out_b) = (String::from_utf8_lossy(&a.stdout), String::from_utf8_lossy(&b.stdout));
    assert!(a.status.success() && b.status.success(), "{out_a}{out_b}{}", String::from_utf8_lossy(&b.stderr));
    let (n_a, n_b) = (issued(&out_a), issued(&out_b));
    assert_eq!(n_a + n_b, 200, "{out_a}{out_b}");
    assert!(n_a > 0 && n_b > 0, "both did some of the work: {out_a}{out_b}");
    one_whole_invoice_each(&app, &month, 200).await;
}

async fn a_bill_run_killed_mid_way_is_finished_by_the_next_without_a_duplicate_or_a_gap(backend: Backend) {
    let app = spawn_app(backend).await;
    seed_load(&app, 200);
    let month = next_month();
    let mut run =
        start_server(&app, &["bill", "--ahead", "--month", &month, "--batch-size", "5", "--pause-ms", "40"]);
    let count = format!("SELECT COUNT(*) FROM invoices WHERE billing_month = '{month}'");
    let started = std::time::Instant::now();
    while scalar(&app, &count).await == 0 {
        assert!(started.elapsed().as_secs() < 60, "the run wrote nothing in a minute");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    run.kill().expect("SIGKILL");
    run.wait().unwrap();
    let before = scalar(&app, &count).await;
    assert!(before > 0 && before < 200, "killed mid-way: {before}");
    // The next run issues the rest: each customer once.
    let (code, out, err) = server_on(&app, &["bill", "--ahead", "--month", &month]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains(&format!("{month}: {} invoices issued, {before} already issued", 200 - before)),
        "{out}"
    );
    one_whole_invoice_each(&app, &month, 200).await;
}

/// What cannot be taken back is refused: the demo and synthetic data in production (they
/// publish their passwords and issue invoices without mail), a month not begun without
/// `--ahead`. Each exits 1 with the reason and writes nothing; this month is billed.
async fn seed_data_in_production_and_a_month_not_begun_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    for args in [&["seed-demo"][..], &["seed-load", "--customers", "10"]] {
        let out = server_command(&app, args).env("MYPAGE_ENV", "production").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(&format!("{} failed: refused with MYPAGE_ENV=production", args[0])), "{err}");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM customers").await, 0, "{args:?}");
    }
    seed_load(&app, 20);
    let next = next_month();
    let (code, out, err) = server_on(&app, &["bill", "--month", &next]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains(&format!("bill failed: {next} has not begun")) && err.contains("--ahead"), "{err}");
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM invoices WHERE billing_month = '{next}'")).await,
        0
    );
    let this = Month::of(Date::of_unix_jst(app::ssr::now())).to_string();
    let (code, out, err) = server_on(&app, &["bill", "--month", &this]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(&format!("{this}: 0 invoices issued, 20 already issued")), "{out}");
}

/// In production, invoices naming the demo's issuer and registration number are not
/// issued: `bill` exits 1 saying why, and writes nothing; with the provider's set, it
/// issues them.
async fn production_issues_no_invoice_naming_the_demo_issuer(backend: Backend) {
    let app = spawn_app(backend).await;
    seed_load(&app, 5);
    exec(&app, "DELETE FROM invoice_lines").await;
    exec(&app, "DELETE FROM invoices").await;
    let this = Month::of(Date::of_unix_jst(app::ssr::now())).to_string();
    let bill = |issuer: &[(&str, &str)]| {
        let mut command = server_command(&app, &["bill", "--month", &this]);
        command.env("MYPAGE_ENV", "production");
        for (var, value) in issuer {
            command.env(var, value);
        }
        command.output().unwrap()
    };
    let out = bill(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bill failed: INVOICE_ISSUER_NAME / INVOICE_REGISTRATION_NO are the demo's"),
        "{err}"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM invoices").await, 0);
    let out =
        bill(&[("INVOICE_ISSUER_NAME", "テスト株式会社"), ("INVOICE_REGISTRATION_NO", "T8700110005901")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM invoices").await, 5);
}

on_both_databases!(
    production_issues_no_invoice_naming_the_demo_issuer,
    synthetic_customers_are_valid_billed_by_the_engine_log_in_and_are_refused_beside_the_demo_data,
    two_bill_runs_at_once_issue_each_invoice_once_and_share_the_work,
    a_bill_run_killed_mid_way_is_finished_by_the_next_without_a_duplicate_or_a_gap,
    seed_data_in_production_and_a_month_not_begun_are_refused,
);
