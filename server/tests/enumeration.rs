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
    let diff = a.abs_diff(b);
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
    // Path B (a code account) and path A (a legacy account), each against an unknown
    // ID whose screens take the same path.
    for (existing, method) in [("hanako@example.com", "code"), ("ichiro@example.net", "question")] {
        let unknown = unknown_id_taking(&app, method).await;
        let medians =
            compare(&app, "/api/recovery/start", &[("itscom_id", existing)], &[("itscom_id", &unknown)])
                .await;
        assert_close(&format!("recovery start ({method})"), medians);
    }
}

/// 合言葉登録 (path A): the answer is hashed and the link mailed only for an account;
/// the answer to the browser takes as long either way.
async fn recovery_question_answers_an_existing_and_an_unknown_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let unknown = unknown_id_taking(&app, "question").await;
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..TRIES {
        let mut answers = Vec::new();
        for (id, times) in [("ichiro@example.net", &mut ta), (unknown.as_str(), &mut tb)] {
            sqlx::query("DELETE FROM throttle").execute(app.db.pool()).await.unwrap();
            let c = app.new_browser();
            post_from(&app, &c, "/api/recovery/start", &[("itscom_id", id)]).await;
            let t = Instant::now();
            let res = c
                .post(app.url("/api/recovery/question"))
                .header("Accept", "application/json")
                .form(&[("question", "first_pet"), ("answer", "Pochi")])
                .send()
                .await
                .unwrap();
            let answer = (res.status().as_u16(), res.text().await.unwrap());
            times.push(t.elapsed());
            answers.push(answer);
        }
        assert_eq!(answers[0], answers[1], "recovery question: the same status and body for both");
    }
    assert_close("recovery question", (median(ta), median(tb)));
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
    recovery_question_answers_an_existing_and_an_unknown_id_alike,
    registration_answers_a_taken_and_a_free_id_alike,
);
