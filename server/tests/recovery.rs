//! Forgotten password, path B (SPEC §1.4), and the choice page.

mod common;
use common::*;

/// The code from the newest code mail to `to`.
async fn mailed_code(app: &TestApp, to: &str) -> Option<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM outbox WHERE topic = 'recovery.code' ORDER BY created_at DESC")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(p,)| serde_json::from_str::<app::ssr::mail::Mail>(&p).unwrap())
        .find(|m| m.to == to)
        .and_then(|m| m.text.split("認証コード: ").nth(1).map(|r| r[..6].to_string()))
}

async fn the_choice_leads_to_path_b_or_to_re_registration(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(
        post_from(&app, &c, "/api/recovery/choose", &[("choice", "password")]).await,
        "/recovery/identify"
    );
    assert_eq!(post_from(&app, &c, "/api/recovery/choose", &[("choice", "id")]).await, "/register");
    assert_eq!(post_from(&app, &c, "/api/recovery/choose", &[]).await, "/recovery?error=choice.required");
}

async fn path_b_resets_the_password_ends_sessions_and_mails_a_notice(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Hanako_2024").await;
    let c = app.new_browser();
    assert_eq!(
        post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await,
        "/recovery/code"
    );
    let code = mailed_code(&app, "hanako@example.com").await.expect("a code mail");
    assert_eq!(post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await, "/recovery/password");
    // Single use: the same code again is out of order.
    assert_eq!(
        post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await,
        "/recovery/identify?error=expired"
    );
    assert_eq!(
        post_from(
            &app,
            &c,
            "/api/recovery/password",
            &[("password", "password1"), ("password_again", "password1")]
        )
        .await,
        "/recovery/password?error=password.common"
    );
    assert_eq!(
        post_from(
            &app,
            &c,
            "/api/recovery/password",
            &[("password", "New-hanako-77"), ("password_again", "New-hanako-77")]
        )
        .await,
        "/recovery/done"
    );
    assert_eq!(app.get("/").await.status(), 302, "every session of the account has ended");
    assert!(location(&app.login("hanako@example.com", "Hanako_2024").await).contains("error=credentials"));
    assert_eq!(location(&app.login("hanako@example.com", "New-hanako-77").await), "/");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'recovery.done'").await, 1);
}

async fn five_wrong_codes_end_the_recovery(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    let code = mailed_code(&app, "hanako@example.com").await.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        assert_eq!(
            post_from(&app, &c, "/api/recovery/code", &[("code", wrong)]).await,
            "/recovery/code?error=credentials"
        );
    }
    assert_eq!(
        post_from(&app, &c, "/api/recovery/code", &[("code", wrong)]).await,
        "/recovery/identify?error=expired"
    );
    assert_eq!(
        post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await,
        "/recovery/identify?error=expired"
    );
}

async fn parallel_guesses_never_exceed_five_attempts(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    // 20 parallel guesses from the browser that asked (sharing its flow cookie).
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let c = c.clone();
            let url = app.url("/api/recovery/code");
            tokio::spawn(async move {
                c.post(url)
                    .header("Accept", "text/html")
                    .form(&[("code", format!("{:06}", 900_000 + i))])
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let (attempts,): (i64,) =
        sqlx::query_as("SELECT attempts FROM recovery_flows").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(attempts, 5);
}

async fn an_expired_code_is_refused(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    let code = mailed_code(&app, "hanako@example.com").await.unwrap();
    sqlx::query("UPDATE recovery_flows SET code_expires_at = $1")
        .bind(app::ssr::now() - 1)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await,
        "/recovery/code?error=credentials"
    );
}

async fn the_code_only_works_in_the_browser_that_asked(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    let code = mailed_code(&app, "hanako@example.com").await.unwrap();
    let other = app.new_browser();
    assert_eq!(
        post_from(&app, &other, "/api/recovery/code", &[("code", &code)]).await,
        "/recovery/identify?error=expired"
    );
}

async fn an_unknown_id_gets_the_same_screens_and_no_mail(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let known = app.new_browser();
    let unknown = app.new_browser();
    let a = post_from(&app, &known, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    let b = post_from(&app, &unknown, "/api/recovery/start", &[("itscom_id", "nobody@example.com")]).await;
    assert_eq!(a, b);
    // The same page, apart from the per-response CSP nonce.
    let page = |client: reqwest::Client| {
        let url = app.url("/recovery/code");
        async move {
            let res = get_page(&client, &url).await;
            assert_eq!(res.status(), 200);
            let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
            let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
            res.text().await.unwrap().replace(&nonce, "NONCE")
        }
    };
    let (body_a, body_b) = (page(known.clone()).await, page(unknown.clone()).await);
    assert!(body_a == body_b, "the code screen differs between a known and an unknown ID");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'recovery.code'").await, 1);
    assert_eq!(
        post_from(&app, &unknown, "/api/recovery/code", &[("code", "123456")]).await,
        "/recovery/code?error=credentials"
    );
}

async fn recovery_mail_is_limited_per_id(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for _ in 0..8 {
        post_from(&app, &app.new_browser(), "/api/recovery/start", &[("itscom_id", "hanako@example.com")])
            .await;
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'recovery.code'").await,
        5,
        "five codes an hour; the sixth start waits"
    );
}

on_both_databases!(
    the_choice_leads_to_path_b_or_to_re_registration,
    path_b_resets_the_password_ends_sessions_and_mails_a_notice,
    five_wrong_codes_end_the_recovery,
    parallel_guesses_never_exceed_five_attempts,
    an_expired_code_is_refused,
    the_code_only_works_in_the_browser_that_asked,
    an_unknown_id_gets_the_same_screens_and_no_mail,
    recovery_mail_is_limited_per_id,
);
