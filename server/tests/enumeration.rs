//! Enumeration: for login, recovery and registration, an existing and an unknown ID
//! get the same status and body (apart from per-response tokens), and their median
//! times differ by less than 5 ms over 50 tries each.

mod common;
use common::*;
use std::time::{Duration, Instant};

const TRIES: usize = 50;

/// One timing test at a time: tests in a binary run in parallel, and a sibling
/// hashing passwords on the same cores would be measured as noise.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Time `TRIES` alternating POSTs for each of two forms; returns (median a, median b)
/// and checks each pair got the same status and body. Throttle rows are cleared
/// between tries: this measures the answer, not the throttle.
async fn compare(app: &TestApp, path: &str, a: &[(&str, &str)], b: &[(&str, &str)]) -> (Duration, Duration) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..TRIES {
        let mut answers = Vec::new();
        for (form, times) in [(a, &mut ta), (b, &mut tb)] {
            sqlx::query("DELETE FROM throttle").execute(app.db.pool()).await.unwrap();
            let client = app.new_browser();
            let t = Instant::now();
            let res = client
                .post(app.url(path))
                .header("Accept", "application/json")
                .form(form)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            times.push(t.elapsed());
            answers.push((status, body));
        }
        assert_eq!(answers[0], answers[1], "{path}: the same status and body for both");
    }
    (median(ta), median(tb))
}

fn assert_close(what: &str, (a, b): (Duration, Duration)) {
    let diff = if a > b { a - b } else { b - a };
    eprintln!("{what}: median existing {a:?}, unknown {b:?}, difference {diff:?}");
    assert!(diff < Duration::from_millis(5), "{what}: medians differ by {diff:?}");
}

async fn login_answers_an_existing_and_an_unknown_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let medians = compare(
        &app,
        "/api/login",
        &[("itscom_id", "hanako@example.com"), ("password", "Wrong_pass1")],
        &[("itscom_id", "nobody@example.com"), ("password", "Wrong_pass1")],
    )
    .await;
    assert_close("login", medians);
}

async fn recovery_answers_an_existing_and_an_unknown_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let medians = compare(
        &app,
        "/api/recovery/start",
        &[("itscom_id", "hanako@example.com")],
        &[("itscom_id", "nobody@example.com")],
    )
    .await;
    assert_close("recovery", medians);
}

async fn registration_answers_a_taken_and_a_free_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..TRIES {
        let mut answers = Vec::new();
        for (id, times) in [("hanako@example.com", &mut ta), ("free-id@example.jp", &mut tb)] {
            sqlx::query("DELETE FROM throttle").execute(app.db.pool()).await.unwrap();
            let c = app.new_browser();
            c.post(app.url("/api/register/verify"))
                .header("Accept", "text/html")
                .form(&[
                    ("kana", "ヤマダ タロウ"),
                    ("phone", "0312345678"),
                    ("factor_kind", "bank"),
                    ("factor_value", "1234"),
                ])
                .send()
                .await
                .unwrap();
            let t = Instant::now();
            let res = c
                .post(app.url("/api/register/credentials"))
                .header("Accept", "application/json")
                .form(&[("itscom_id", id), ("password", "Yamada-2026x"), ("password_again", "Yamada-2026x")])
                .send()
                .await
                .unwrap();
            let answer = (res.status().as_u16(), res.text().await.unwrap());
            times.push(t.elapsed());
            answers.push(answer);
        }
        assert_eq!(answers[0], answers[1], "registration: the same status and body for both");
    }
    assert_close("registration", (median(ta), median(tb)));
}

on_both_databases!(
    login_answers_an_existing_and_an_unknown_id_alike,
    recovery_answers_an_existing_and_an_unknown_id_alike,
    registration_answers_a_taken_and_a_free_id_alike,
);
