//! Enumeration: for login, recovery and registration, an existing and an unknown ID
//! get the same status and body (apart from per-response tokens), and their median
//! times differ by less than 5 ms over 50 tries each.

use crate::common::*;
use std::time::{Duration, Instant};

const TRIES: usize = 50;
const WARM_UP: usize = 5;

/// One timing test at a time: tests in a binary run in parallel, and a sibling
/// hashing passwords on the same cores would be measured as noise.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Time `TRIES` alternating POSTs of `forms[0]` and `forms[1]` to `path`, each from a
/// fresh browser that `prepare(which, browser)` first brings to the step under test;
/// returns the two medians and checks each pair got the same status and body.
/// Throttle rows are cleared between tries: this measures the answer, not the throttle.
async fn compare<P, Fut>(
    app: &TestApp,
    path: &str,
    forms: [&[(&str, &str)]; 2],
    prepare: P,
) -> (Duration, Duration)
where
    P: Fn(usize, reqwest::Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = [Vec::new(), Vec::new()];
    // The first tries warm caches, connections and the hashing threads: not measured.
    for round in 0..TRIES + WARM_UP {
        let mut answers = Vec::new();
        // Alternate which goes first, so neither always follows the other.
        for which in [round % 2, 1 - round % 2] {
            sqlx::query("DELETE FROM throttle").execute(app.db.pool()).await.unwrap();
            let client = app.new_browser();
            prepare(which, client.clone()).await;
            let t = Instant::now();
            let res = client
                .post(app.url(path))
                .header("Accept", "application/json")
                .form(forms[which])
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            if round >= WARM_UP {
                times[which].push(t.elapsed());
            }
            answers.push((which, status, body));
        }
        answers.sort();
        let answers: Vec<_> = answers.into_iter().map(|(_, status, body)| (status, body)).collect();
        assert_eq!(answers[0], answers[1], "{path}: the same status and body for both");
    }
    let [a, b] = times;
    (median(a), median(b))
}

/// No preparation: the form is the first step.
async fn nothing(_: usize, _: reqwest::Client) {}

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
        [
            &[("itscom_id", "hanako@example.com"), ("password", "Wrong_pass1")],
            &[("itscom_id", "nobody@example.com"), ("password", "Wrong_pass1")],
        ],
        nothing,
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
        let forms: [&[(&str, &str)]; 2] = [&[("itscom_id", existing)], &[("itscom_id", &unknown)]];
        let medians = compare(&app, "/api/recovery/start", forms, nothing).await;
        assert_close(&format!("recovery start ({method})"), medians);
    }
}

/// 合言葉登録 (path A): the answer is hashed and the link mailed only for an account;
/// the answer to the browser takes as long either way.
async fn recovery_question_answers_an_existing_and_an_unknown_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let unknown = unknown_id_taking(&app, "question").await;
    let ids = ["ichiro@example.net", unknown.as_str()];
    let form: &[(&str, &str)] = &[("question", "first_pet"), ("answer", "Pochi")];
    let medians = compare(&app, "/api/recovery/question", [form, form], |which, browser| {
        let app = &app;
        async move {
            post_from(app, &browser, "/api/recovery/start", &[("itscom_id", ids[which])]).await;
        }
    })
    .await;
    assert_close("recovery question", medians);
}

async fn registration_answers_a_taken_and_a_free_id_alike(backend: Backend) {
    let _serial = ONE_AT_A_TIME.lock().await;
    let app = spawn_app_with_demo_data(backend).await;
    let form = |id| [("itscom_id", id), ("password", "Yamada-2026x"), ("password_again", "Yamada-2026x")];
    let (taken, free) = (form("hanako@example.com"), form("free-id@example.jp"));
    let medians = compare(&app, "/api/register/credentials", [&taken, &free], |_, browser| {
        let app = &app;
        async move {
            let verify = [
                ("kana", "ヤマダ タロウ"),
                ("phone", "0312345678"),
                ("factor_kind", "bank"),
                ("factor_value", "1234"),
            ];
            post_from(app, &browser, "/api/register/verify", &verify).await;
        }
    })
    .await;
    assert_close("registration", medians);
}

alone_on_both_databases!(
    login_answers_an_existing_and_an_unknown_id_alike,
    recovery_answers_an_existing_and_an_unknown_id_alike,
    recovery_question_answers_an_existing_and_an_unknown_id_alike,
    registration_answers_a_taken_and_a_free_id_alike,
);
