//! The mail pipeline against a real SMTP server: outbox, worker, retries, no
//! duplicates with two workers.

use crate::common::smtp::SmtpSink;
use crate::common::*;
use app::ssr::mail::{enqueue, worker::Worker, Mail};
use std::time::Duration;

fn mail(n: usize) -> Mail {
    Mail {
        to: "hanako@example.com".into(),
        subject: format!("テスト {n}"),
        text: format!("本文 {n}"),
        html: format!("<p>本文 {n}</p>"),
    }
}

async fn queue(app: &TestApp, n: usize) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    enqueue(&mut conn, "test", &mail(n), app::ssr::now()).await.unwrap();
}

async fn a_queued_mail_arrives_at_the_smtp_server(backend: Backend) {
    let sink = SmtpSink::start();
    // Production: a sent mail's body is cleared (development keeps it for /dev/mailbox).
    let app =
        spawn_app_with_demo_data_and(backend, &[("SMTP_URL", &sink.url()), ("MYPAGE_ENV", "production")])
            .await;
    // A real flow: a login from a new browser queues a notice.
    app.login("hanako@example.com", "Hanako_2024").await;
    let msgs = sink.wait_for(1, 15).await;
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert!(m.contains("To: hanako@example.com"), "{m}");
    assert!(m.contains("From: noreply@itscom.net"));
    assert!(m.contains("multipart/alternative"));
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL").await != 1 {
        assert!(std::time::Instant::now() < deadline, "the delivered mail is never marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Sent: the body (codes, links) leaves the database; recipient and subject stay.
    let (payload,): (String,) = sqlx::query_as("SELECT payload FROM outbox WHERE sent_at IS NOT NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let kept: app::ssr::mail::Mail = serde_json::from_str(&payload).unwrap();
    assert_eq!(kept.to, "hanako@example.com");
    assert!(!kept.subject.is_empty());
    assert!(kept.text.is_empty() && kept.html.is_empty(), "{payload}");
}

async fn with_the_smtp_server_down_mail_waits_and_arrives_after_it_returns(backend: Backend) {
    let mut sink = SmtpSink::start();
    sink.stop();
    let app = spawn_app_with(backend, &[("SMTP_URL", &sink.url())]).await;
    queue(&app, 1).await;
    // The worker tries, fails, and keeps the mail with a retry time.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while scalar(&app, "SELECT COUNT(*) FROM outbox WHERE attempts > 0 AND last_error IS NOT NULL").await == 0
    {
        assert!(std::time::Instant::now() < deadline, "the worker never tried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 1, "nothing lost");
    sink.restart();
    let msgs = sink.wait_for(1, 30).await;
    assert_eq!(msgs.len(), 1, "the mail arrives once the server is back");
    // The worker marks it sent right after the SMTP server accepted it.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL").await != 1 {
        assert!(std::time::Instant::now() < deadline, "the delivered mail is never marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn two_workers_send_each_mail_exactly_once(backend: Backend) {
    let sink = SmtpSink::start();
    // No SMTP_URL: the app runs no worker of its own; the test runs two.
    let app = spawn_app(backend).await;
    for n in 0..30 {
        queue(&app, n).await;
    }
    let url = url::Url::parse(&sink.url()).unwrap();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let w =
                Worker::new(app.db.clone(), &url, "noreply@itscom.net", Duration::from_millis(10)).unwrap();
            tokio::spawn(async move {
                let mut handled = 0;
                for _ in 0..50 {
                    handled += w.deliver_due().await.unwrap();
                }
                handled
            })
        })
        .collect();
    let mut handled = 0;
    for w in workers {
        handled += w.await.unwrap();
    }
    assert_eq!(handled, 30, "each mail claimed by exactly one worker");
    let msgs = sink.wait_for(30, 10).await;
    assert_eq!(msgs.len(), 30);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE attempts <> 1").await,
        0,
        "no mail sent twice"
    );
}

async fn without_smtp_url_mail_stays_in_the_outbox_and_shows_in_the_dev_mailbox(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Hanako_2024").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 1);
    let (status, body) = app.get_text("/dev/mailbox").await;
    assert_eq!(status, 200);
    assert!(body.contains("新しいブラウザからのログインがありました"));
    assert!(body.contains("hanako@example.com"));
    assert!(
        body.contains(r#"<a href="http://127.0.0.1:3000/" class="link">"#),
        "links are clickable: {}",
        &body[body.find("<pre").unwrap_or(0)..]
    );

    let prod = spawn_app_with(backend, &[("MYPAGE_ENV", "production")]).await;
    let (status, body) = prod.get_text("/dev/mailbox").await;
    assert_eq!(status, 404);
    assert!(!body.contains("Mailbox"));
}

on_both_databases!(
    a_queued_mail_arrives_at_the_smtp_server,
    with_the_smtp_server_down_mail_waits_and_arrives_after_it_returns,
    two_workers_send_each_mail_exactly_once,
    without_smtp_url_mail_stays_in_the_outbox_and_shows_in_the_dev_mailbox,
);
