//! Faults an operator meets (issue 26 §5, in process): the database away and back, the
//! maintenance tick once per cluster, a stopping mail worker handing its mails back, a
//! customer whose requests alternate between two processes of one database.
//! The multi-process faults (kill -9 behind haproxy, PostgreSQL restarted, SMTP down
//! under load) are in `npm run loadtest -- --faults`.

use crate::common::proxy::TcpProxy;
use crate::common::smtp::SmtpSink;
use crate::common::*;
use std::time::{Duration, Instant};

const SITE_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");

/// PostgreSQL behind a proxy that can take it away: the app waits the production 2 s
/// for a connection.
async fn app_behind_a_proxy() -> (TestApp, TcpProxy) {
    let (url, _) = fresh_database(Backend::Postgres).await;
    let target = url::Url::parse(&url).unwrap();
    let proxy = TcpProxy::start(format!("{}:{}", target.host_str().unwrap(), target.port().unwrap())).await;
    let app = spawn_app_on(&proxy.in_front_of(&url), None, &[("DATABASE_WAIT_SECS", "2")], SITE_ROOT).await;
    app::seed::seed_demo(&app.db, "itscom.net").await.expect("seed demo data");
    (app, proxy)
}

#[tokio::test]
async fn with_the_database_away_pages_answer_a_branded_503_within_3_seconds_and_recover_without_a_restart() {
    let _timing = crate::common::TIMING.write().await;
    let (app, proxy) = app_behind_a_proxy().await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(app.get_text_with(&c, "/account").await.0, 200);

    proxy.cut();
    let started = Instant::now();
    let res = c.get(app.url("/account")).send().await.unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), 503, "a page that needs the database");
    assert!(took < Duration::from_secs(3), "answered in {took:?}");
    assert_eq!(res.headers()["retry-after"], "5");
    let body = res.text().await.unwrap();
    assert!(
        body.contains("ただいま混み合っているか、メンテナンス中です"),
        "the portal's own page, in Japanese"
    );
    // English for a visitor who chose it.
    let en = app.new_browser();
    let res = en.get(app.url("/login")).header("Cookie", "lang=en").send().await.unwrap();
    assert_eq!(res.status(), 200, "the login page needs no database to show");
    // A form post: sent back to its page with the message, not a 500.
    let post = app.post_with(&c, "/api/account/phone/add", &[HTML], &[("phone", "03-1234-5678")]).await;
    assert!(post.status().is_redirection(), "{}", post.status());
    assert!(location(&post).ends_with("error=busy"), "{}", location(&post));
    // The same call from the page's script: the error as JSON, 503 and Retry-After.
    let res = app.fetch_from(&c, "/api/account/phone/add", &[("phone", "03-1234-5678")]).await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "5");
    assert_eq!(res.json::<app::error::AppError>().await.unwrap(), app::error::AppError::Busy);
    // A logout that cannot end the session says so (it is not a silent return to the
    // top page, still logged in).
    let out = app.post_with(&c, "/api/logout", &[HTML, SAME_ORIGIN], &[("", ""); 0]).await;
    assert_eq!(location(&out), "/?error=busy");
    // The balancer's check fails fast; the process is alive.
    let started = Instant::now();
    let (status, _) = app.get_text("/readyz").await;
    assert_eq!(status, 503);
    assert!(started.elapsed() < Duration::from_millis(1500), "readyz took {:?}", started.elapsed());
    assert_eq!(app.get_text("/healthz").await, (200, "ok".into()));

    proxy.restore();
    let back = Instant::now();
    loop {
        let (status, _) = app.get_text_with(&c, "/account").await;
        if status == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(5), "still {status} 5 s after the database returned");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.get_text("/readyz").await.0, 200);
    assert_eq!(app.get_text_with(&c, "/account").await.0, 200, "the session survived");
    let (status, top) = app.get_text_with(&c, "/?error=busy").await;
    assert_eq!(status, 200);
    assert!(
        top.contains("ただいま混み合っているか、メンテナンス中です"),
        "the logout's message on the top page"
    );
}

async fn one_process_takes_the_maintenance_tick_and_another_takes_it_once_the_lease_ends(backend: Backend) {
    let app = spawn_app(backend).await;
    // An hour on: the app's own maintenance loop took the lease at start-up, for now.
    let t = app::ssr::now() + 3600;
    let tick = |holder: &'static str, at: i64| {
        let state = app.state.clone();
        async move { app::ssr::maintenance::tick_once_per_cluster(&state, holder, at).await.unwrap() }
    };
    assert!(tick("a", t).await.is_some(), "the first process does the tick");
    assert!(tick("b", t).await.is_none(), "the second one, the same minute, does not");
    assert!(tick("b", t + 30).await.is_none(), "nor half a minute later");
    // Process a died with the lease: it ends before the next period.
    assert!(tick("b", t + 60).await.is_some(), "the next tick is b's");
    assert!(tick("a", t + 61).await.is_none());
}

/// A step of the maintenance run that fails (a job, a flow's deletes: here their table
/// is away) is named and logged, and the others still run: an expired session is
/// deleted. Before, the first failure ended the run, and every later step waited for a
/// run without it.
async fn a_failing_maintenance_step_leaves_the_others_to_run(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    exec_at(&app, "UPDATE sessions SET expires_at = $1", app::ssr::now() - 1).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 1);
    let report =
        with_table_away(&app, "payment_setups", app::ssr::maintenance::tick(&app.state, app::ssr::now()))
            .await;
    assert!(report.failed.contains(&"card results received"), "{:?}", report.failed);
    assert!(report.failed.contains(&"payment_setups"), "its flow's deletes: {:?}", report.failed);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0, "the sessions' delete ran");
    assert!(logs().contains("maintenance: a step failed; the others go on"));
    // With the table back, nothing fails.
    assert!(maintenance_at(&app, app::ssr::now()).await.failed.is_empty());
}

/// Mails "mail 0" to "mail 2" queued, each at the time `at` gives its number.
async fn queue_three(app: &TestApp, at: impl Fn(i64) -> i64) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    for n in 0..3 {
        let mail = app::ssr::mail::Mail {
            to: format!("m{n}@example.com"),
            subject: format!("mail {n}"),
            text: "text".into(),
            html: "<p>html</p>".into(),
        };
        app::ssr::mail::enqueue(&mut conn, "test", &mail, at(n)).await.unwrap();
    }
}

/// The subjects the sink received once three came (and a moment for a fourth), sorted.
async fn three_received(sink: &SmtpSink) -> Vec<String> {
    let received = sink.wait_for(3, 10).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = if received.len() == 3 { sink.messages() } else { received };
    let mut subjects: Vec<String> = received
        .iter()
        .filter_map(|m| m.lines().find_map(|l| l.strip_prefix("Subject: ")).map(str::to_owned))
        .collect();
    subjects.sort();
    subjects
}

/// The three queued mails arrived, each once, and none is left unsent.
async fn each_sent_once(app: &TestApp, sink: &SmtpSink) {
    assert_eq!(three_received(sink).await, ["mail 0", "mail 1", "mail 2"], "each once");
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
}

/// A mail worker of `app` sending through the SMTP server at `smtp` (`host:port`).
fn worker_via(app: &TestApp, smtp: impl std::fmt::Display) -> app::ssr::mail::worker::Worker {
    let url = url::Url::parse(&format!("smtp://{smtp}")).unwrap();
    app::ssr::mail::worker::Worker::new(app.db.clone(), &url, "noreply@itscom.net", Duration::from_millis(10))
        .unwrap()
}

/// A slow way to `sink`: its connections wait, unanswered, until released.
async fn held_way_to(sink: &SmtpSink) -> TcpProxy {
    let proxy = TcpProxy::start(format!("127.0.0.1:{}", sink.port)).await;
    proxy.hold();
    proxy
}

/// Until a worker is sending through `proxy` (and waits there).
async fn sending_through(proxy: &TcpProxy) {
    while proxy.accepted() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A process told to stop while its mail worker waits on a silent SMTP server does not
/// wait for the send's own limit (60 s): after the grace the worker has WIND_DOWN, then
/// it is stopped. The mail is not marked sent: another worker sends it once its lease
/// ends.
async fn a_stopping_process_does_not_wait_for_a_send_held_by_a_silent_smtp_server(backend: Backend) {
    let sink = SmtpSink::start();
    let proxy = held_way_to(&sink).await;
    let (database_url, file) = fresh_database(backend).await;
    let smtp = format!("smtp://{}", proxy.addr);
    let settings = test_settings(&database_url, &[("SMTP_URL", smtp.as_str()), ("SHUTDOWN_GRACE_SECS", "1")]);
    let app = server::Application::build(settings, test_leptos_options("target/site")).await.unwrap();
    let db = app.state().db.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let mail = app::ssr::mail::Mail {
        to: "m@example.com".into(),
        subject: "held".into(),
        text: "t".into(),
        html: "h".into(),
    };
    let mut conn = db.pool().acquire().await.unwrap();
    app::ssr::mail::enqueue(&mut conn, "test", &mail, app::ssr::now()).await.unwrap();
    drop(conn);
    sending_through(&proxy).await;
    let asked = std::time::Instant::now();
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(40), running)
        .await
        .expect("stopped well before the send's own 60 s")
        .unwrap()
        .unwrap();
    let took = asked.elapsed();
    assert!(took >= server::WIND_DOWN, "the send under way had its wind-down: {took:?}");
    let check = app::ssr::db::Db::connect(&database_url).await.unwrap();
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(check.pool())
        .await
        .unwrap();
    assert_eq!(unsent, 1, "not marked sent: it goes again when its lease ends");
    check.close().await;
    if let Some(f) = file {
        let _ = std::fs::remove_file(f);
    }
}

/// A mail the SMTP server refuses for good (550: no such user) is given up at once:
/// marked failed with the server's words, never tried again, its body cleared; the
/// others go out. Before, it was tried again every hour for ever.
async fn a_mail_refused_for_good_is_given_up_and_the_others_go_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::refusing("gone");
    queue_three(&app, |_| app::ssr::now()).await;
    let gone = app::ssr::mail::Mail {
        to: "gone@example.com".into(),
        subject: "to nobody".into(),
        text: "a code".into(),
        html: "<p>a code</p>".into(),
    };
    let mut conn = app.db.pool().acquire().await.unwrap();
    app::ssr::mail::enqueue(&mut conn, "test", &gone, app::ssr::now()).await.unwrap();
    drop(conn);
    let worker = worker_via(&app, format!("127.0.0.1:{}", sink.port));
    assert_eq!(worker.deliver_due().await.unwrap(), 4);
    assert_eq!(three_received(&sink).await, ["mail 0", "mail 1", "mail 2"], "each once");
    let (attempts, error, payload): (i64, String, String) = sqlx::query_as(
        "SELECT attempts, last_error, payload FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.contains("550") && error.contains("no such user"), "{error}");
    assert!(!payload.contains("a code"), "{payload}");
    assert_eq!(worker.deliver_due().await.unwrap(), 0, "not tried again");
    assert_eq!(sink.messages().len(), 3);
    // The log names the row, not the person (the row keeps the server's words whole).
    assert!(logs().contains("mail given up") && !logs().contains("gone@example.com"));
}

/// An SMTP server that refuses the portal itself for good (554 at its greeting, as one
/// that blocks the portal's address; a wrong SMTP password is refused as well, 535):
/// no mail is given up for it, each waits for its retry, and the error says so.
/// Before, every 5xx gave the mail up, so a wrong setting gave up the whole outbox.
async fn a_server_refusing_the_portal_itself_gives_up_no_mail(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(backend).await;
    let refusing = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = refusing.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = refusing.accept().await {
            tokio::spawn(async move {
                let _ = conn.write_all(b"554 5.3.2 no service for this client\r\n").await;
                let mut rest = Vec::new();
                let _ = conn.read_to_end(&mut rest).await;
            });
        }
    });
    queue_three(&app, |_| app::ssr::now()).await;
    let worker = worker_via(&app, addr);
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL").await,
        0,
        "none given up"
    );
    let errors: Vec<(String,)> = rows(&app, "SELECT last_error FROM outbox WHERE available_at > 0").await;
    assert_eq!(errors.len(), 3, "each waits for its retry");
    assert!(errors.iter().all(|(e,)| e.contains("refuses the portal") && e.contains("554")), "{errors:?}");
    assert!(logs().contains("the SMTP server refuses the portal's connection; check SMTP_URL"));
}

/// A mail whose body was cleared (sent, or given up) and queued again by hand is not
/// sent empty: given up again, saying why. Before, the README's way to send a given-up
/// mail again sent its subject with no text.
async fn a_mail_queued_again_without_its_body_is_not_sent_empty(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    queue_three(&app, |_| app::ssr::now()).await;
    let worker = worker_via(&app, format!("127.0.0.1:{}", sink.port));
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    assert_eq!(three_received(&sink).await, ["mail 0", "mail 1", "mail 2"]);
    exec(&app, "UPDATE outbox SET sent_at = NULL, failed_at = NULL, available_at = 0").await;
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 3, "nothing more went");
    let errors: Vec<(String,)> =
        rows(&app, "SELECT last_error FROM outbox WHERE failed_at IS NOT NULL").await;
    assert_eq!(errors.len(), 3);
    assert!(errors.iter().all(|(e,)| e.contains("its body was cleared")), "{errors:?}");
}

/// The database away a moment just after the SMTP server took a mail: the mark is
/// tried again and the mail is not sent twice. Before, the batch ended with the error
/// and the next worker sent the mail again once its lease ended.
async fn a_mail_taken_by_the_smtp_server_is_marked_sent_across_a_database_away(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    let proxy = held_way_to(&sink).await;
    queue_three(&app, |n| app::ssr::now() - 10 + n).await;
    let worker = worker_via(&app, &proxy.addr);
    let delivering = tokio::spawn(async move { worker.deliver_due().await });
    sending_through(&proxy).await;
    // The first mail waits at the SMTP server; the outbox goes away, then the server
    // takes it.
    exec(&app, "ALTER TABLE outbox RENAME TO outbox_away").await;
    proxy.release();
    assert_eq!(sink.wait_for(1, 10).await.len(), 1, "the SMTP server took the first");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!delivering.is_finished(), "the mark waits for the database");
    exec(&app, "ALTER TABLE outbox_away RENAME TO outbox").await;
    assert_eq!(delivering.await.unwrap().unwrap(), 3, "the batch went on");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
    // Nothing is left for another worker to send again.
    exec(&app, "UPDATE outbox SET locked_until = NULL").await;
    assert_eq!(worker_via(&app, format!("127.0.0.1:{}", sink.port)).deliver_due().await.unwrap(), 0);
    assert_eq!(three_received(&sink).await, ["mail 0", "mail 1", "mail 2"], "each once");
}

/// A mail that could not be sent (the SMTP server away) is tried again with backoff,
/// and given up once it is three days old.
async fn a_mail_not_sent_in_three_days_is_given_up_a_younger_one_waits_for_its_retry(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut sink = SmtpSink::start();
    sink.stop();
    let t = app::ssr::now();
    let limit = app::ssr::mail::worker::GIVE_UP_AFTER_SECS;
    queue_three(&app, |n| if n == 0 { t - limit - 1 } else { t - limit + 600 }).await;
    let worker = worker_via(&app, format!("127.0.0.1:{}", sink.port));
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    let rows: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT failed_at, last_error FROM outbox ORDER BY created_at, id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert!(rows[0].0.is_some() && rows[0].1.starts_with("not sent in 3 days"), "{:?}", rows[0]);
    for row in &rows[1..] {
        assert!(row.0.is_none() && !row.1.starts_with("not sent"), "retried, not given up: {row:?}");
    }
    // Back: the two waiting go out on their retry, the one given up does not.
    sink.restart();
    sqlx::query("UPDATE outbox SET available_at = 0").execute(app.db.pool()).await.unwrap();
    assert_eq!(worker.deliver_due().await.unwrap(), 2);
    assert_eq!(sink.wait_for(2, 10).await.len(), 2);
}

async fn a_stopping_mail_worker_hands_back_the_mails_it_claimed_and_another_sends_each_once(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    queue_three(&app, |_| app::ssr::now()).await;
    let worker = || worker_via(&app, format!("127.0.0.1:{}", sink.port));
    let (stop, stopped) = tokio::sync::watch::channel(true);
    // Told to stop as it claimed its batch: nothing is sent, nothing stays claimed.
    assert_eq!(worker().deliver_due_until(&stopped).await.unwrap(), 3);
    let held: Vec<(Option<i64>, i64)> =
        sqlx::query_as("SELECT locked_until, attempts FROM outbox WHERE kind = 'mail' AND sent_at IS NULL")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(held, vec![(None, 0); 3], "handed back, the attempt not counted");
    drop(stop);
    assert_eq!(worker().deliver_due().await.unwrap(), 3);
    let subjects = three_received(&sink).await;
    assert_eq!(subjects, ["mail 0", "mail 1", "mail 2"], "each once");
}

/// A batch's claim runs out while its first mail waits on a slow SMTP server, and
/// another worker takes the rest: the first worker leaves them, so each is sent once.
async fn a_mail_whose_claim_ran_out_is_left_to_the_worker_that_took_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    let t = app::ssr::now();
    // Oldest first: mail 0 is the batch's first.
    queue_three(&app, |n| t - 10 + n).await;
    let slow = held_way_to(&sink).await;
    let a = worker_via(&app, slow.addr);
    let first = tokio::spawn(async move { a.deliver_due().await.unwrap() });
    // Worker a claimed all three and is sending mail 0, which waits.
    sending_through(&slow).await;
    // The claim of mails 1 and 2 runs out, and worker b takes and sends them.
    exec_at(&app, "UPDATE outbox SET locked_until = $1 WHERE payload NOT LIKE '%mail 0%'", t - 1).await;
    let b = worker_via(&app, format!("127.0.0.1:{}", sink.port));
    assert_eq!(b.deliver_due().await.unwrap(), 2);
    slow.release();
    assert_eq!(first.await.unwrap(), 3, "a claimed three");
    let subjects = three_received(&sink).await;
    assert_eq!(subjects, ["mail 0", "mail 1", "mail 2"], "each once");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
}

/// A worker told to stop hands back the rest of its batch, but not a mail whose claim
/// ran out and that another worker holds now: else a third worker could take it from
/// that one, and the mail would go twice.
async fn a_stopping_worker_hands_back_only_the_mails_it_still_holds(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    let t = app::ssr::now();
    queue_three(&app, |n| t - 10 + n).await;
    let (slow_a, slow_b) = (held_way_to(&sink).await, held_way_to(&sink).await);
    // Worker a claims all three and waits on mail 0.
    let (stop_a, stopped_a) = tokio::sync::watch::channel(false);
    let a = worker_via(&app, slow_a.addr);
    let first = tokio::spawn(async move { a.deliver_due_until(&stopped_a).await.unwrap() });
    sending_through(&slow_a).await;
    // A later second, as a lease that ran out is: worker b's claim is not a's.
    let seen = app::ssr::now();
    while app::ssr::now() == seen {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The claim of mails 1 and 2 runs out; worker b takes them and waits on mail 1.
    exec_at(&app, "UPDATE outbox SET locked_until = $1 WHERE payload NOT LIKE '%mail 0%'", t - 1).await;
    let b = worker_via(&app, slow_b.addr);
    let second = tokio::spawn(async move { b.deliver_due().await.unwrap() });
    sending_through(&slow_b).await;
    // Worker a is told to stop: it sends mail 0 and hands back what is still its own.
    stop_a.send(true).unwrap();
    slow_a.release();
    assert_eq!(first.await.unwrap(), 3, "a claimed three");
    let c = worker_via(&app, format!("127.0.0.1:{}", sink.port));
    assert_eq!(c.deliver_due().await.unwrap(), 0, "nothing was handed back that b holds");
    slow_b.release();
    assert_eq!(second.await.unwrap(), 2, "b claimed two");
    each_sent_once(&app, &sink).await;
}

/// A process dies after the SMTP server took a mail and before it wrote it sent: the
/// mail goes again (at least once), with the same Message-ID, its outbox row's, so the
/// mail system can recognise the second as the first.
async fn a_mail_sent_again_after_a_death_carries_the_same_message_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let sink = SmtpSink::start();
    queue_three(&app, |_| app::ssr::now()).await;
    // Its bodies kept, so that taking the mark back is the row as the death left it.
    let worker = worker_via(&app, format!("127.0.0.1:{}", sink.port)).keeping_sent_bodies(true);
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    exec(&app, "UPDATE outbox SET sent_at = NULL, locked_until = NULL").await;
    assert_eq!(worker.deliver_due().await.unwrap(), 3);
    let received = sink.wait_for(6, 10).await;
    assert_eq!(received.len(), 6);
    let header = |m: &String, name: &str| {
        m.lines()
            .find_map(|l| {
                l.split_once(": ").filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_owned())
            })
            .unwrap_or_default()
    };
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, payload FROM outbox WHERE kind = 'mail'")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    for (id, payload) in rows {
        let subject = serde_json::from_str::<serde_json::Value>(&payload).unwrap()["subject"].to_string();
        let ids: Vec<String> = received
            .iter()
            .filter(|m| format!("{:?}", header(m, "Subject")) == subject)
            .map(|m| header(m, "Message-ID"))
            .collect();
        assert_eq!(ids, vec![format!("<{id}@itscom.net>"); 2], "{subject}: twice, as one mail");
    }
}

/// Two processes of one database, as behind the load balancer: sessions, writes,
/// throttles and logout are the database's, so a customer whose requests alternate
/// between them does not notice.
async fn a_customer_whose_requests_alternate_between_two_processes_never_notices(backend: Backend) {
    let a = spawn_app_with_demo_data(backend).await;
    let b = spawn_app_on(&a.database_url, None, &[], SITE_ROOT).await;
    // One browser: its cookie jar sends the session to both (cookies ignore the port).
    let c = logged_in(&a, "hanako@example.com", "Hanako_2024").await;
    let (status, body) = b.get_text_with(&c, "/account").await;
    assert_eq!(status, 200);
    assert!(body.contains("佐藤"), "the other process knows her session");
    // A write on one is read on the other.
    assert_eq!(
        post_from(&b, &c, "/api/account/phone/add", &[("phone", "090-3333-4444")]).await,
        "/account?done=phone_added#phones"
    );
    assert!(a.get_text_with(&c, "/account").await.1.contains("090-3333-4444"));
    assert_eq!(
        post_from(&a, &c, "/api/account/phone/add", &[("phone", "090-3333-4444")]).await,
        "/account?error=phone.taken",
        "a rule that reads the other process's write"
    );
    // Failed logins are counted once for the cluster: 5 free in a row, alternating,
    // then the sixth waits, on either process.
    let stranger = a.new_browser();
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        let res = app.login_from(&stranger, "ichiro@example.net", "wrong-password-1").await;
        assert_eq!(location(&res), "/login?error=credentials&next=/", "attempt {i}");
    }
    let res = b.login_from(&stranger, "ichiro@example.net", "wrong-password-1").await;
    assert_eq!(location(&res), "/login?error=throttled&next=/");
    // Logout on one ends the session on both.
    assert_eq!(b.post_with(&c, "/api/logout", &[HTML, SAME_ORIGIN], &[("", ""); 0]).await.status(), 302);
    let res = c.get(a.url("/account")).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
}

/// A transaction that reads before it writes still writes when another connection
/// writes and commits in between. Before, SQLite's transactions were deferred: the read
/// took a snapshot, the other writer moved the database past it, and the write was
/// refused at once (`SQLITE_BUSY`, which no busy timeout waits out): the customer saw
/// 「混み合っています」. Now they take the write lock when they begin, so the other
/// writer waits its turn.
async fn a_transaction_that_reads_first_writes_though_another_wrote_meanwhile(backend: Backend) {
    let app = spawn_app(backend).await;
    let insert = "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, 'v', 0)";
    let mut first = app.db.begin().await.unwrap();
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM server_secrets").fetch_one(&mut *first).await.unwrap();
    let db = app.db.clone();
    let other = tokio::spawn(async move {
        let mut tx = db.begin().await?;
        sqlx::query(insert).bind("other").execute(&mut *tx).await?;
        tx.commit().await
    });
    // Time for the other to write and commit, were it let through.
    tokio::time::sleep(Duration::from_millis(300)).await;
    sqlx::query(insert).bind("first").execute(&mut *first).await.expect("the first writes after its read");
    first.commit().await.unwrap();
    other.await.unwrap().expect("the other writes too, after it");
    let after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM server_secrets").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(after, before + 2);
}

/// Twelve browsers of one customer start a mailbox at the same instant (step 1 reads the
/// contracts, then writes the draft): each goes on to step 2, none is told the portal is
/// busy.
async fn customers_starting_a_mailbox_at_once_each_go_on_to_step_two(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let mut browsers = Vec::new();
    for _ in 0..12 {
        browsers.push(logged_in(&app, "hanako@example.com", "Hanako_2024").await);
    }
    let went = at_once(&app, &browsers, "/api/mail/new/start", &[("local_part", "together")]).await;
    assert_eq!(went, vec!["/mail/new/subdomain".to_string(); 12]);
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mailbox_drafts WHERE local_part = 'together'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(drafts, 12);
}

/// A password asked again waits its turn for a core (argon2) without holding a
/// connection: with one connection in the pool and every core's turn taken (held here),
/// a change asking for the password waits, and another customer's page is still served.
/// Before, the change held the connection while it waited, and the page waited for it
/// until the pool gave up (503).
async fn a_password_check_waiting_for_a_core_holds_no_connection(backend: Backend) {
    use app::ssr::auth::password::HASHING;
    let one = [("DATABASE_POOL_SIZE", "1"), ("DATABASE_WAIT_SECS", "1")];
    let app = spawn_app_with_demo_data_and(backend, &one).await;
    let hanako = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    age_logins(&app).await;
    // Every turn (one a core), once other tests' hashes are done.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let turns = HASHING.acquire_many(u32::try_from(cores).unwrap()).await.unwrap();
    let form = [("phone", "090-3333-4444"), ("password", "Hanako_2024")];
    let change = post_later(&app, &hanako, "/api/account/phone/add", &[HTML], &form);
    let change = tokio::spawn(change);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!change.is_finished(), "the change waits for a core");
    let (status, body) = app.get_text_with(&ichiro, "/account").await;
    assert_eq!(status, 200, "{body}");
    drop(turns);
    assert_eq!(location(&change.await.unwrap()), "/account?done=phone_added#phones");
}

on_both_databases!(
    one_process_takes_the_maintenance_tick_and_another_takes_it_once_the_lease_ends,
    a_failing_maintenance_step_leaves_the_others_to_run,
    a_stopping_mail_worker_hands_back_the_mails_it_claimed_and_another_sends_each_once,
    a_mail_whose_claim_ran_out_is_left_to_the_worker_that_took_it,
    a_stopping_worker_hands_back_only_the_mails_it_still_holds,
    a_mail_sent_again_after_a_death_carries_the_same_message_id,
    a_customer_whose_requests_alternate_between_two_processes_never_notices,
    a_mail_refused_for_good_is_given_up_and_the_others_go_out,
    a_server_refusing_the_portal_itself_gives_up_no_mail,
    a_mail_queued_again_without_its_body_is_not_sent_empty,
    a_mail_taken_by_the_smtp_server_is_marked_sent_across_a_database_away,
    a_stopping_process_does_not_wait_for_a_send_held_by_a_silent_smtp_server,
    a_mail_not_sent_in_three_days_is_given_up_a_younger_one_waits_for_its_retry,
    a_transaction_that_reads_first_writes_though_another_wrote_meanwhile,
    customers_starting_a_mailbox_at_once_each_go_on_to_step_two,
    a_password_check_waiting_for_a_core_holds_no_connection,
);

/// A deploy's migration waiting for a table lock (a long transaction reads the table)
/// gives up after its lock wait and tries again, so a customer's query on that table,
/// queued behind the migration's `ALTER TABLE`, waits that long at most instead of
/// until the long transaction ends; once it ends, the migration goes through. Before,
/// the query waited out the long transaction (here: its statement timeout).
/// A change that PostgreSQL ends to break a deadlock (another transaction of the same
/// customer held the account's row and then waited for the customer's) is answered as
/// busy, to be sent again, not as a server error: it was rolled back whole.
#[tokio::test]
async fn a_change_ended_to_break_a_deadlock_is_answered_as_busy() {
    let app = spawn_app_with_demo_data(Backend::Postgres).await;
    let account = account_of(&app, "100000002").await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let mut other = app.db.begin().await.unwrap();
    // The other waits long before it looks for a deadlock: the change finds it first.
    sqlx::query("SET LOCAL deadlock_timeout = '10s'").execute(&mut *other).await.unwrap();
    app::ssr::db::customers::lock_account(&mut other, &account).await.unwrap();
    let form = [("contact", "other"), ("email", "new.contact@example.jp")];
    let change = tokio::spawn(post_later(&app, &c, "/api/account/contact", &[HTML], &form));
    // The change holds the customer's row and waits for the account's.
    let waiting =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
    let since = std::time::Instant::now();
    while scalar(&app, waiting).await == 0 {
        assert!(since.elapsed() < Duration::from_secs(10), "the change never waited for the account's row");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ours = app::ssr::db::customers::lock(&mut other, "100000002");
    let (ours, answer) = tokio::join!(ours, change);
    ours.unwrap();
    other.rollback().await.unwrap();
    let answer = answer.unwrap();
    assert_eq!(location(&answer), "/account?error=busy");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM contact_changes").await, 0, "nothing written");
    assert!(logs().contains("a transaction lost a lock race and was rolled back"));
}

#[tokio::test]
async fn a_migration_waiting_for_a_table_lock_does_not_hold_up_that_tables_queries() {
    let _timing = crate::common::TIMING.write().await;
    let app = spawn_app(Backend::Postgres).await;
    // The database as before migration 26, which adds a column to the outbox.
    for sql in [
        "ALTER TABLE outbox DROP COLUMN failed_at CASCADE",
        "DELETE FROM _sqlx_migrations WHERE version = 20261219000026",
    ] {
        sqlx::query(sql).execute(app.db.pool()).await.unwrap();
    }
    let mut long = app.db.begin().await.unwrap();
    sqlx::query("SELECT COUNT(*) FROM outbox").execute(&mut *long).await.unwrap();

    let db = app.db.clone();
    let migrating =
        tokio::spawn(
            async move { db.migrate_waiting(Duration::from_millis(500), Duration::from_secs(60)).await },
        );
    // Until the migration asks for the outbox and waits.
    let waiting = "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = 'outbox'::regclass";
    let asked = Instant::now();
    while scalar(&app, waiting).await == 0 {
        assert!(asked.elapsed() < Duration::from_secs(20), "the migration never asked for the outbox");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut customer = app.db.conn().await.unwrap();
    sqlx::query("SET statement_timeout = 15000").execute(&mut *customer).await.unwrap();
    let read = sqlx::query("SELECT COUNT(*) FROM outbox WHERE kind = 'mail'").execute(&mut *customer).await;
    assert!(read.is_ok(), "the query behind the waiting migration: {read:?}");
    assert!(!migrating.is_finished(), "the migration waits for the long transaction");

    long.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), migrating)
        .await
        .expect("the migration goes through once the long transaction ends")
        .unwrap()
        .expect("migrated");
    assert!(app.db.is_migrated().await.unwrap());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL").await, 0);
}

/// A process whose peer is migrating waits for it however long its migration takes
/// (an index built for minutes), rather than giving up after the lock wait and the
/// patience: the processes take turns on a lock of their own, outside the lock wait.
#[tokio::test]
async fn a_process_waits_out_a_peers_long_migration() {
    let _timing = crate::common::TIMING.write().await;
    let app = spawn_app(Backend::Postgres).await;
    let mut peer = app.db.conn().await.unwrap().detach();
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(app::ssr::db::MIGRATING)
        .execute(&mut peer)
        .await
        .unwrap();
    let db = app.db.clone();
    let migrating = tokio::spawn(async move {
        db.migrate_waiting(Duration::from_millis(200), Duration::from_millis(500)).await
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!migrating.is_finished(), "still waiting for the peer, past the lock wait and the patience");
    sqlx::Connection::close(peer).await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), migrating)
        .await
        .expect("migrates once the peer is done")
        .unwrap()
        .expect("migrated");
}
