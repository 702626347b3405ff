//! What stays cheap as the tables grow: the statements every process runs each minute
//! (maintenance's deletes, the mail worker's claim) and on hot pages are served by an
//! index, never a walk of the whole table. Read from the database's own plan: SQLite's
//! `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN` with sequential scans priced out (so a
//! sequential scan in the plan means no index can serve it).

use crate::common::*;

/// The plan's lines for `sql` with `binds`.
async fn plan(app: &TestApp, sql: &str, binds: &[i64]) -> Vec<String> {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let explain = match app.db.backend() {
        app::ssr::db::Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
        app::ssr::db::Backend::Postgres => {
            sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await.unwrap();
            format!("EXPLAIN {sql}")
        }
    };
    let mut q = sqlx::query(&explain);
    for b in binds {
        q = q.bind(*b);
    }
    let rows = q.fetch_all(&mut *conn).await.unwrap();
    if app.db.backend() == app::ssr::db::Backend::Postgres {
        sqlx::query("RESET enable_seqscan").execute(&mut *conn).await.unwrap();
    }
    use sqlx::Row;
    rows.iter()
        .map(|r| match app.db.backend() {
            app::ssr::db::Backend::Sqlite => r.get::<String, _>(3),
            app::ssr::db::Backend::Postgres => r.get::<String, _>(0),
        })
        .collect()
}

/// A line of `plan` that reads a whole table or a whole index, if any: PostgreSQL's
/// sequential scan, SQLite's `SCAN` (but along a partial index, which holds only the
/// rows asked for, as the mail worker's claim walks the mails not sent).
async fn full_scan(app: &TestApp, plan: &[String]) -> Option<String> {
    for line in plan.iter().map(|l| l.trim_start()) {
        if line.contains("Seq Scan on ") {
            return Some(line.to_string());
        }
        if let Some(scan) = line.strip_prefix("SCAN ") {
            let index = scan.split(" USING ").nth(1).and_then(|u| u.split_whitespace().last());
            let partial: Option<String> = match index {
                Some(name) => {
                    sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1")
                        .bind(name)
                        .fetch_optional(app.db.pool())
                        .await
                        .unwrap()
                }
                None => None,
            };
            if !partial.is_some_and(|sql| sql.contains(" WHERE ")) {
                return Some(line.to_string());
            }
        }
    }
    None
}

async fn every_statement_of_a_maintenance_tick_and_the_mail_claim_uses_an_index(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = app::ssr::now();
    let mut statements: Vec<(String, Vec<i64>)> =
        app::ssr::maintenance::deletions(now, 1_800).into_iter().map(|d| (d.sql(), d.binds)).collect();
    statements.push((app::ssr::mail::worker::CLAIM.into(), vec![now + 120, now, 10]));
    // The flows a stranger can start without logging in are purged by their expiry.
    statements.push(("DELETE FROM recovery_flows WHERE expires_at <= $1".into(), vec![now]));
    assert!(statements.len() >= 10);
    for (sql, binds) in &statements {
        let plan = plan(&app, sql, binds).await;
        assert!(!plan.is_empty(), "{sql}");
        assert_eq!(full_scan(&app, &plan).await, None, "{sql}\n{}", plan.join("\n"));
    }
}

async fn the_hot_pages_queries_use_an_index(backend: Backend) {
    let app = spawn_app(backend).await;
    // As contract::store's history, mailboxes::store::{count, mailboxes},
    // help::store::{sent_last_hour, open_inquiries} and speedtest::store's start, with
    // their values.
    for sql in [
        "SELECT kind, detail, created_at FROM account_events
         WHERE account_id = 'acc-1' AND kind IN ('billing.payment_method_changed', 'account.id_changed')",
        "SELECT COUNT(*) FROM mailboxes WHERE service_id = 'svc-1'",
        "SELECT id, address FROM mailboxes WHERE service_id = 'svc-1' ORDER BY created_at, address",
        "SELECT COUNT(*) FROM inquiries WHERE account_id = 'acc-1' AND created_at > 0",
        "SELECT reference_no FROM inquiries WHERE step = 'received' ORDER BY created_ms, reference_no",
        "SELECT id FROM speed_tests WHERE account_id = 'acc-1' AND step = 'running' AND expires_at > 0",
        // speedtest::store::cluster_full, at each start: the running tests only.
        "SELECT COUNT(*) FROM speed_tests WHERE step = 'running' AND expires_at > 0 AND session_hash <> 'x'",
    ] {
        let plan = plan(&app, sql, &[]).await;
        assert_eq!(full_scan(&app, &plan).await, None, "{sql}\n{}", plan.join("\n"));
    }
    // The check can fail: a column no index holds is a whole-table read.
    let sql = "SELECT COUNT(*) FROM inquiries WHERE message = 'x'";
    let plan = plan(&app, sql, &[]).await;
    assert!(full_scan(&app, &plan).await.is_some(), "{sql}\n{}", plan.join("\n"));
}

/// How a plan reads `table` (as `alias`): each line that names it, with the index
/// condition under it (PostgreSQL's `Index Cond` is a line of its own; SQLite's
/// `SEARCH` says its condition in the line, and names the alias only).
fn reads_of(plan: &[String], table: &str, alias: &str) -> Vec<String> {
    let mut reads = Vec::new();
    for (i, line) in plan.iter().enumerate() {
        let line = line.trim_start();
        if line.contains(&format!(" on {table} {alias} ")) {
            let cond = plan[i + 1..]
                .iter()
                .map(|l| l.trim_start())
                .take_while(|l| !l.starts_with("->"))
                .find(|l| l.starts_with("Index Cond:"));
            reads.push(format!("{line} {}", cond.unwrap_or("")));
        } else if line.starts_with(&format!("SEARCH {alias} ")) || line.starts_with(&format!("SCAN {alias} "))
        {
            reads.push(line.to_string());
        }
    }
    reads
}

/// The billing run's claim asks, for each customer of its window, whether their
/// invoice of the month exists: through the unique (customer_no, billing_month) index,
/// by the customer. Read by the month alone, each window would walk every invoice the
/// run had written so far, and the run would grow quadratic (d39dbe3: an index on
/// `invoices (billing_month)` led PostgreSQL there, 106 s for a month of 100,000
/// customers where the first took 15).
async fn the_billing_runs_claim_looks_up_each_customers_invoice(backend: Backend) {
    let app = spawn_app(backend).await;
    let claim = |lock: &str| {
        app::features::billing::store::claim_sql(lock)
            .replace("$1", "'2027-01-01'")
            .replace("$2", "'2027-01-31'")
            .replace("$3", "'2027-01'")
            .replace("$4", "''")
            .replace("$5", "'99999999'")
    };
    let locks: &[&str] = match app.db.backend() {
        app::ssr::db::Backend::Sqlite => &[""],
        app::ssr::db::Backend::Postgres => &[" FOR NO KEY UPDATE SKIP LOCKED", " FOR NO KEY UPDATE"],
    };
    for lock in locks {
        let sql = claim(lock);
        let plan = plan(&app, &sql, &[]).await;
        let reads = reads_of(&plan, "invoices", "i");
        assert!(!reads.is_empty(), "{}", plan.join("\n"));
        for read in &reads {
            assert!(read.contains("customer_no"), "{read}\n{}", plan.join("\n"));
        }
        assert_eq!(full_scan(&app, &plan).await, None, "{sql}\n{}", plan.join("\n"));
    }
    // The check can fail: with migration 42's index back, PostgreSQL reads the month's
    // invoices for the window (SQLite keeps to the customer's).
    if app.db.backend() == app::ssr::db::Backend::Postgres {
        sqlx::query("CREATE INDEX invoices_month_idx ON invoices (billing_month)")
            .execute(app.db.pool())
            .await
            .unwrap();
        let plan = plan(&app, &claim(locks[0]), &[]).await;
        let reads = reads_of(&plan, "invoices", "i");
        assert!(reads.iter().any(|r| !r.contains("customer_no")), "{}", plan.join("\n"));
    }
}

/// The add-on job's statement, each minute, starts from the services that have ended
/// (a partial index, migration 45): no walk of every service or every subscription,
/// which at 100,000 customers took 180–220 ms a run (32 ms this way).
async fn the_addon_jobs_search_starts_from_the_services_that_have_ended(backend: Backend) {
    let app = spawn_app(backend).await;
    for only in [false, true] {
        let sql = app::features::addons::store::outliving_sql(only)
            .replace("$1", "'2027-01-01'")
            .replace("$2", "'sub-1'")
            .replace("$3", "'00000001'");
        let plan = plan(&app, &sql, &[]).await;
        // The ended services are read through their index (one customer's, again
        // under the lock, may be read by the customer).
        if !only {
            assert!(plan.iter().any(|l| l.contains("services_ended_idx")), "{}", plan.join("\n"));
        }
        // The six add-ons' catalogue may be read whole, and SQLite's grouped rows (`e`).
        for line in plan.iter().filter(|l| !l.contains("addons a") && l.trim() != "SCAN e") {
            assert_eq!(full_scan(&app, std::slice::from_ref(line)).await, None, "{sql}\n{}", plan.join("\n"));
        }
    }
}

/// A tick deletes what its statements name and nothing else: a mail sent a month ago
/// goes, a newer one and one not sent yet stay; of the events, the noise goes after 30
/// days (unknown IDs' failures, throttled attempts, split in two deletes now) and an
/// account's own events stay.
async fn a_tick_lets_sent_mail_and_noise_go_after_a_month_and_keeps_the_rest(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let t = app::ssr::now();
    let day = 86_400;
    let account = account_of(&app, "100000002").await;
    let outbox =
        "INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts, sent_at) VALUES";
    let events = "INSERT INTO account_events (id, account_id, kind, client, detail, created_at) VALUES";
    for row in [
        format!("{outbox} ('sent-old', 'mail', 'test', '{{}}', {t}, {t}, 0, {t})"),
        format!("{outbox} ('unsent', 'mail', 'test', '{{}}', {t}, {t}, 0, NULL)"),
        format!("{outbox} ('ev', 'event', 'test', '{{}}', {t}, {t}, 0, NULL)"),
        format!("{events} ('e-unknown', NULL, 'login.failed', '192.0.2.1', '{{}}', {t})"),
        format!("{events} ('e-throttled', '{account}', 'login.throttled', '192.0.2.1', '{{}}', {t})"),
        format!("{events} ('e-own', '{account}', 'login.succeeded', '192.0.2.1', '{{}}', {t})"),
    ] {
        sqlx::query(&row).execute(app.db.pool()).await.unwrap();
    }
    let ids = |table: &'static str| {
        let app = &app;
        async move {
            let ids: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT id FROM {table} WHERE id IN ('sent-old', 'unsent', 'ev', 'e-unknown', 'e-throttled', 'e-own') ORDER BY id"
            ))
            .fetch_all(app.db.pool())
            .await
            .unwrap();
            ids
        }
    };
    maintenance_at(&app, t + 29 * day).await;
    assert_eq!(ids("outbox").await, ["ev", "sent-old", "unsent"]);
    assert_eq!(ids("account_events").await, ["e-own", "e-throttled", "e-unknown"]);
    maintenance_at(&app, t + 31 * day).await;
    assert_eq!(ids("outbox").await, ["ev", "unsent"], "sent a month ago: gone");
    assert_eq!(ids("account_events").await, ["e-own"], "the noise: gone");
}

/// An account's events go after 400 days, with their client addresses, but for the two
/// kinds ご契約内容の変更履歴 lists (kept for good); a failed contract check of a
/// customer's (a stranger's guess, with the guesser's address) after 30 days, and the
/// customer's registration (no account on its row) after 400 days. Each edge both ways.
async fn an_accounts_events_go_after_400_days_but_the_contract_historys(backend: Backend) {
    const DAY: i64 = 86_400;
    let app = spawn_app_with_demo_data(backend).await;
    let (t, account) = (app::ssr::now(), account_of(&app, "100000002").await);
    let events =
        "INSERT INTO account_events (id, account_id, customer_no, kind, client, detail, created_at) VALUES";
    for row in [
        format!("{events} ('e-login', '{account}', '100000002', 'login.succeeded', '192.0.2.1', '{{}}', {t})"),
        format!("{events} ('e-plan', '{account}', '100000002', 'contract.plan_changed', '192.0.2.1', '{{}}', {t})"),
        format!(
            "{events} ('e-pay', '{account}', '100000002', 'billing.payment_method_changed', '192.0.2.1', '{{}}', {t})"
        ),
        format!("{events} ('e-id', '{account}', '100000002', 'account.id_changed', '192.0.2.1', '{{}}', {t})"),
        format!(
            "{events} ('e-check', NULL, '100000004', 'registration.verification_failed', '192.0.2.9', '{{}}', {t})"
        ),
        format!("{events} ('e-reg', NULL, '100000002', 'registration.registered', '192.0.2.1', '{{}}', {t})"),
    ] {
        sqlx::query(&row).execute(app.db.pool()).await.unwrap();
    }
    let ids = || {
        let app = &app;
        async move {
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM account_events WHERE id IN ('e-login', 'e-plan', 'e-pay', 'e-id', 'e-check', 'e-reg')
                 ORDER BY id",
            )
            .fetch_all(app.db.pool())
            .await
            .unwrap();
            ids
        }
    };
    maintenance_at(&app, t + 29 * DAY).await;
    assert_eq!(ids().await, ["e-check", "e-id", "e-login", "e-pay", "e-plan", "e-reg"]);
    maintenance_at(&app, t + 31 * DAY).await;
    assert_eq!(ids().await, ["e-id", "e-login", "e-pay", "e-plan", "e-reg"], "the guess: gone after 30 days");
    maintenance_at(&app, t + 399 * DAY).await;
    assert_eq!(ids().await, ["e-id", "e-login", "e-pay", "e-plan", "e-reg"]);
    maintenance_at(&app, t + 401 * DAY).await;
    assert_eq!(ids().await, ["e-id", "e-pay"], "after 400 days, the contract history's only");
    // Along the index of the rows that can go (migration 29), on both databases: the
    // rows kept for good are never read again, tick after tick.
    let delete = app::ssr::maintenance::deletions(t, 1_800)
        .into_iter()
        .find(|d| d.table == "account_events" && d.binds == [t - app::ssr::maintenance::KEEP_EVENTS_SECS])
        .expect("the 400-day delete");
    let lines = plan(&app, &delete.sql(), &delete.binds).await;
    assert!(lines.iter().any(|l| l.contains("account_events_expiring_idx")), "{}", lines.join("\n"));
}

/// A backlog larger than a statement's batch (the first tick after a long stop, or the
/// year of sent mail there was when this retention began) goes in batches: one tick
/// deletes it all here, each statement at most BATCH rows, and what is not due stays.
async fn a_backlog_goes_in_batches_and_what_is_not_due_stays(backend: Backend) {
    let app = spawn_app(backend).await;
    let t = app::ssr::now();
    let n = 2 * app::ssr::maintenance::BATCH + 500;
    sqlx::query(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts, sent_at)
         SELECT 'old-' || i, 'mail', 'test', '{{}}', {t}, {t}, 1, {t} FROM n"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts, sent_at)
         VALUES ('recent', 'mail', 'test', '{{}}', {t}, {t}, 1, {t} + 2 * 86400)"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    // A month on (the app's own tick, now, finds nothing due).
    let report = maintenance_at(&app, t + 31 * 86_400).await;
    assert_eq!(report.rows_deleted, n as u64, "{report:?}");
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM outbox").fetch_all(app.db.pool()).await.unwrap();
    assert_eq!(left, ["recent"]);
    // Each statement names its batch.
    for d in app::ssr::maintenance::deletions(t, 1_800) {
        assert!(d.sql().ends_with(&format!("LIMIT {})", app::ssr::maintenance::BATCH)), "{}", d.sql());
    }
}

on_both_databases!(
    every_statement_of_a_maintenance_tick_and_the_mail_claim_uses_an_index,
    the_hot_pages_queries_use_an_index,
    a_tick_lets_sent_mail_and_noise_go_after_a_month_and_keeps_the_rest,
    an_accounts_events_go_after_400_days_but_the_contract_historys,
    a_backlog_goes_in_batches_and_what_is_not_due_stays,
    the_billing_runs_claim_looks_up_each_customers_invoice,
    the_addon_jobs_search_starts_from_the_services_that_have_ended,
);
