//! Login, sessions, throttling and request protection (SPEC §1.2, issue 3).

use crate::common::*;
use app::ssr::auth::session;

/// 佐藤 花子's login form, with her right password.
const HANAKO: [(&str, &str); 2] = [("itscom_id", "hanako@example.com"), ("password", "Hanako_2024")];

/// 佐藤 花子's right password sent from the app's browser with these headers only.
async fn hanako_login_with(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    app.post_with(&app.client, "/api/login", headers, &HANAKO).await
}

/// The top page opened from another browser that presents the session cookie `token`.
async fn top_page_with_session(app: &TestApp, token: &str) -> reqwest::Response {
    let cookie = format!("mypage_session={token}");
    app.new_browser().get(app.url("/")).header("Cookie", cookie).send().await.unwrap()
}

/// The language chosen (the menu's switch) in browser `c`, logged in.
async fn choose_language(app: &TestApp, c: &reqwest::Client, lang: &str) -> reqwest::Response {
    app.post_with(c, "/api/preferences/locale", &[HTML, SAME_ORIGIN], &[("lang", lang)]).await
}

async fn the_right_password_starts_a_session_and_opens_the_top_page(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/");
    assert!(cookie_value(&res, "mypage_session").is_some());
    let (status, body) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(body.contains("佐藤 花子"), "the top page shows the customer's own summary");
    assert!(body.contains("インターネット 1Gコース"));
}

async fn a_plain_route_knows_the_logged_in_account_and_refuses_anyone_else(backend: Backend) {
    use tower::ServiceExt;
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    let token = cookie_value(&res, "mypage_session").expect("a session cookie");
    let route = axum::Router::new()
        .route(
            "/whoami",
            axum::routing::get(
                |account: ::app::ssr::auth::CurrentAccount| async move { account.customer_no },
            ),
        )
        .with_state(app.state.clone());
    let ask = |cookie: Option<String>| {
        let mut req = axum::http::Request::get("/whoami");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        route.clone().oneshot(req.body(axum::body::Body::empty()).unwrap())
    };
    let own = ask(Some(format!("mypage_session={token}"))).await.unwrap();
    assert_eq!(own.status(), 200);
    let body = axum::body::to_bytes(own.into_body(), 1024).await.unwrap();
    assert_eq!(&body[..], b"100000002");
    assert_eq!(ask(None).await.unwrap().status(), 401);
    assert_eq!(ask(Some(format!("mypage_session={}", "0".repeat(64)))).await.unwrap().status(), 401);
    assert_eq!(app.post_form("/api/logout", &[]).await.status(), 302);
    assert_eq!(
        ask(Some(format!("mypage_session={token}"))).await.unwrap().status(),
        401,
        "ended with the session"
    );
}

async fn the_id_is_case_insensitive(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.login("Hanako@Example.COM", "Hanako_2024").await;
    assert_eq!(location(&res), "/");
}

async fn an_unknown_id_and_a_wrong_password_get_the_same_answer(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let wrong = app.login("hanako@example.com", "Wrong_pass1").await;
    let unknown = app.login("nobody@example.com", "Hanako_2024").await;
    let invalid = app.login("not an id", "x").await;
    for res in [&wrong, &unknown, &invalid] {
        assert_eq!(res.status(), 302);
        assert_eq!(location(res), "/login?error=credentials&next=/");
        assert!(cookie_value(res, "mypage_session").is_none());
    }
    // The same through the hydrated page (fetch): same status, same body.
    let a = app
        .post_fetch("/api/login", &[("itscom_id", "hanako@example.com"), ("password", "Wrong_pass1")])
        .await;
    let b = app
        .post_fetch("/api/login", &[("itscom_id", "nobody@example.com"), ("password", "Wrong_pass1")])
        .await;
    assert_eq!(a.status(), 401);
    assert_eq!(b.status(), 401);
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    // And the page shows the message tied to the form.
    let (_, body) = app.get_text("/login?error=credentials&next=/").await;
    assert!(body.contains("iTSCOM IDまたはパスワードが正しくありません。"));
    assert!(body.contains(r#"role="alert""#));
    assert!(body.contains(r#"aria-describedby="login-error""#));
}

async fn a_page_behind_login_sends_to_the_login_screen_and_back(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/login?next=/");
    let res = app.post_form("/api/login", &[HANAKO[0], HANAKO[1], ("next", "/")]).await;
    assert_eq!(location(&res), "/");
}

async fn login_never_sends_the_customer_to_another_site(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let client = app.new_browser();
        let form = [HANAKO[0], HANAKO[1], ("next", next)];
        let res = app.post_with(&client, "/api/login", &[HTML], &form).await;
        assert_eq!(location(&res), "/", "next={next}");
    }
}

async fn a_hundred_parallel_wrong_attempts_are_throttled_and_then_even_the_right_password_waits(
    backend: Backend,
) {
    let app = spawn_app_with_demo_data(backend).await;
    let attempts = (0..100).map(|i| {
        let client = app.new_browser();
        let url = app.url("/api/login");
        async move {
            client
                .post(url)
                .header("Accept", "application/json")
                .form(&[("itscom_id", "hanako@example.com"), ("password", format!("Wrong_{i:03}").as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_join_all(attempts).await;
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(evaluated + refused, 100, "every answer is 401 or 429: {statuses:?}");
    assert!(evaluated <= 5, "at most the free budget is evaluated, got {evaluated}");
    assert!(evaluated >= 1);
    let res = app.post_fetch("/api/login", &HANAKO).await;
    assert_eq!(res.status(), 429, "during the wait the right password is refused too");
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    assert_eq!(location(&res), "/login?error=throttled&next=/");
    let (_, body) = app.get_text("/login?error=throttled").await;
    assert!(body.contains("ログインの試行回数が上限を超えました。"));
}

/// A refused reservation reads why (the wait, the lock) in a second statement: a reset
/// landing between the two (the owner's right password in another process) left no row
/// to read, and the attempt was a server error. 2,000 reservations against a row
/// blocked and reset in turn by another connection: each is an answer.
async fn a_reservation_meeting_a_reset_is_an_answer_not_an_error(backend: Backend) {
    use app::ssr::auth::throttle::{self, Verdict};
    let app = spawn_app(backend).await;
    let policy = throttle::LOGIN_ACCOUNT;
    let row = throttle::row_of(&policy, "racing");
    let now = 1_800_000_000;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let resetter = {
        let (db, row, stop) = (app.db.clone(), row.clone(), stop.clone());
        tokio::spawn(async move {
            let mut conn = db.conn().await.unwrap();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                sqlx::query(
                    "INSERT INTO throttle (key, failures, window_start, blocked_until, purge_after)
                     VALUES ($1, 10, $2, $3, $3) ON CONFLICT (key) DO NOTHING",
                )
                .bind(&row)
                .bind(now)
                .bind(now + 900)
                .execute(&mut *conn)
                .await
                .unwrap();
                sqlx::query("DELETE FROM throttle WHERE key = $1")
                    .bind(&row)
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
        })
    };
    let mut conn = app.db.conn().await.unwrap();
    let (mut went, mut waited) = (0, 0);
    for i in 0..2_000 {
        match throttle::reserve_row(&mut conn, &policy, &row, now).await {
            Ok(Verdict::Go) => went += 1,
            Ok(Verdict::Wait { seconds }) => {
                assert!((1..=900).contains(&seconds), "{seconds}");
                waited += 1
            }
            other => panic!("reservation {i}: {other:?}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    resetter.await.unwrap();
    assert_eq!(went + waited, 2_000);
}

/// A login that could not be checked comes back to the login page with its reason in
/// the URL (`busy` with the database away, `internal`, `bad_request`…): the page says
/// so, without marking the fields. It showed an empty form and nothing else.
async fn a_login_that_could_not_be_checked_says_why(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for (code, words) in [
        ("busy", "ただいま混み合っているか、メンテナンス中です。"),
        ("internal", "ただいま表示できません。"),
        ("bad_request", ""),
    ] {
        let (status, body) = app.get_text(&format!("/login?error={code}&next=/")).await;
        assert_eq!(status, 200);
        assert!(body.contains("data-testid=\"login-problem\"") && body.contains(words), "{code}: {body}");
        assert!(!body.contains("aria-invalid"), "{code}: the fields are not at fault");
    }
    // The login's own failures keep their message on the fields, and no other.
    let (_, body) = app.get_text("/login?error=credentials&next=/").await;
    assert!(body.contains("id=\"login-error\"") && !body.contains("login-problem"));
    let (_, body) = app.get_text("/login?error=session&next=/").await;
    assert!(body.contains("session-ended") && !body.contains("login-problem"));
    // A passkey login refused for its budget says so (the script reads it), not that
    // the passkey failed.
    assert!(body.contains("data-err-throttled=\"ログインの試行回数が上限"), "{body}");
}

async fn the_wait_ends_and_a_success_clears_the_count(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for _ in 0..5 {
        assert_eq!(
            location(&app.login("hanako@example.com", "Wrong_pass").await),
            "/login?error=credentials&next=/"
        );
    }
    assert_eq!(
        location(&app.login("hanako@example.com", "Hanako_2024").await),
        "/login?error=throttled&next=/"
    );
    // Let the block run out (as if the wait had passed).
    exec(&app, "UPDATE throttle SET blocked_until = 0").await;
    assert_eq!(location(&app.login("hanako@example.com", "Hanako_2024").await), "/");
    // The account's count is cleared: five more mistakes are allowed again.
    for _ in 0..4 {
        assert_eq!(
            location(&app.login("hanako@example.com", "Wrong_pass").await),
            "/login?error=credentials&next=/"
        );
    }
}

async fn one_client_address_trying_many_ids_is_throttled(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let mut throttled_at = None;
    for i in 0..60 {
        let res = app.login(&format!("user{i}@example.com"), "Wrong_pass").await;
        if location(&res).contains("error=throttled") {
            throttled_at = Some(i);
            break;
        }
    }
    assert_eq!(throttled_at, Some(50), "the 51st attempt from one address waits");
}

/// A refused login writes nothing but its record, and that once a minute per client: a
/// client past its budget sending requests as fast as it can wrote a row with each.
async fn refused_logins_are_recorded_once_a_minute_per_client(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for i in 0..60 {
        app.login(&format!("user{i}@example.com"), "Wrong_pass").await;
    }
    let throttled = "SELECT COUNT(*) FROM account_events WHERE kind = 'login.throttled'";
    assert_eq!(scalar(&app, throttled).await, 1, "ten refusals, one record");
    // A minute on, the next refusal is recorded again.
    exec(&app, "UPDATE throttle SET blocked_until = 0, window_start = 0 WHERE failures = 1").await;
    app.login("user60@example.com", "Wrong_pass").await;
    assert_eq!(scalar(&app, throttled).await, 2);
}

async fn an_idle_session_expires_after_thirty_minutes(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Hanako_2024").await;
    exec(&app, "UPDATE sessions SET last_seen_at = last_seen_at - 29 * 60").await;
    assert_eq!(app.get("/").await.status(), 200, "29 minutes idle is still fine");
    exec(&app, "UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60").await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 302);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0, "the expired session is deleted");
}

async fn a_session_ends_twelve_hours_after_login_however_active(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Hanako_2024").await;
    let now = app::ssr::now();
    // A minute before the end: still on (a margin for a slow machine, not the rule).
    exec_at(&app, "UPDATE sessions SET expires_at = $1", now + 60).await;
    assert_eq!(app.get("/").await.status(), 200);
    exec_at(&app, "UPDATE sessions SET expires_at = $1", now).await;
    assert_eq!(app.get("/").await.status(), 302);
    let (abs,): (i64,) = (12 * 3600,);
    assert_eq!(abs, app::ssr::config::Settings::from_lookup(|_| None).unwrap().session.absolute_secs);
}

async fn after_logout_the_old_cookie_no_longer_works(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    let token = cookie_value(&res, "mypage_session").unwrap();
    let res = app.post_form("/api/logout", &[]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/login");
    assert!(set_cookies(&res).iter().any(|c| c.starts_with("mypage_session=;") && c.contains("Max-Age=0")));
    // Replaying the old cookie from another client: the server has ended the session.
    let replay = top_page_with_session(&app, &token).await;
    assert_eq!(replay.status(), 302);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
}

async fn each_login_gets_a_new_session_id_and_ends_the_previous_one(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let first =
        cookie_value(&app.login("hanako@example.com", "Hanako_2024").await, "mypage_session").unwrap();
    let second =
        cookie_value(&app.login("hanako@example.com", "Hanako_2024").await, "mypage_session").unwrap();
    assert_ne!(first, second);
    let old = top_page_with_session(&app, &first).await;
    assert_eq!(old.status(), 302);
    // Only a hash of the token is stored.
    let stored: Vec<(String,)> =
        sqlx::query_as("SELECT id_hash FROM sessions").fetch_all(app.db.pool()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, second);
    assert_eq!(stored[0].0, app::ssr::crypto::sha256_hex(&second));
}

async fn all_sessions_of_an_account_can_be_ended_at_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let other = app.new_browser();
    app.login("hanako@example.com", "Hanako_2024").await;
    app.login_from(&other, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 2);
    let mut conn = app.db.pool().acquire().await.unwrap();
    assert_eq!(session::end_all(&mut conn, "acct-100000002").await.unwrap(), 2);
    assert_eq!(app.get("/").await.status(), 302);
    assert_eq!(get_page(&other, &app.url("/")).await.status(), 302);
}

async fn the_session_cookie_is_http_only_and_same_site_lax(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    let cookie = set_cookies(&res).into_iter().find(|c| c.starts_with("mypage_session=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Max-Age"), "a browser-session cookie; the server enforces expiry");
    let token = cookie_value(&res, "mypage_session").unwrap();
    assert_eq!(token.len(), 64, "256 random bits");
}

async fn in_production_the_cookie_is_secure_with_the_host_prefix(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("MYPAGE_ENV", "production")]).await;
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    let cookie = set_cookies(&res)
        .into_iter()
        .find(|c| c.starts_with("__Host-mypage_session="))
        .expect("__Host- cookie");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Domain"));
}

async fn a_cross_site_post_is_refused_with_403(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let fetch_metadata = hanako_login_with(&app, &[("Sec-Fetch-Site", "cross-site")]).await;
    assert_eq!(fetch_metadata.status(), 403);
    let origin = hanako_login_with(&app, &[("Origin", "https://evil.example")]).await;
    assert_eq!(origin.status(), 403);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
    let same = hanako_login_with(&app, &[("Origin", &app.address), HTML]).await;
    assert_eq!(same.status(), 302);
}

async fn pages_carry_the_security_headers_and_a_csp_nonce(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.get("/login").await;
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    assert!(nonce.len() >= 16);
    for part in [
        "'strict-dynamic'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["cross-origin-opener-policy"], "same-origin");
    assert!(h.get("strict-transport-security").is_none(), "no HSTS in development");
    let body = res.text().await.unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the scripts carry the nonce");
    // A different nonce on every response.
    let again = app.get("/login").await;
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce));
    // Every kind of page, streamed, awaited or not found: the header's nonce is the
    // one on the page's scripts (else the browser blocks hydration).
    for path in ["/", "/login", "/register", "/recovery/code", "/no-such-page", "/dev/mailbox"] {
        let res = app.get(path).await;
        let Some(csp) = res.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_string())
        else {
            panic!("{path}: no CSP");
        };
        if res.status() == 302 {
            continue;
        }
        let nonce = csp.split("'nonce-").nth(1).expect("a page CSP").split('\'').next().unwrap().to_string();
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("nonce=\"{nonce}\"")), "{path}: the scripts carry the header's nonce");
    }

    let prod = spawn_app_with(backend, &[("MYPAGE_ENV", "production")]).await;
    let res = prod.get("/healthz").await;
    assert_eq!(res.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}

async fn a_login_from_a_new_browser_mails_a_notice_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let notices = "SELECT COUNT(*) FROM outbox WHERE topic = 'login.new_browser'";
    app.login("hanako@example.com", "Hanako_2024").await;
    assert_eq!(scalar(&app, notices).await, 1);
    app.login("hanako@example.com", "Hanako_2024").await;
    assert_eq!(scalar(&app, notices).await, 1, "the same browser again: no notice");
    let other = app.new_browser();
    app.login_from(&other, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(scalar(&app, notices).await, 2);
    let mail = first_mail(&app, "login.new_browser").await;
    assert_eq!(mail.to, "hanako@example.com");
    assert!(mail.subject.contains("新しいブラウザからのログイン"));
    assert!(!mail.text.contains("Hanako_2024"), "never a password in a mail");
}

async fn a_customer_using_english_gets_mail_in_english(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = hanako_login_with(&app, &[HTML, ("Cookie", "lang=en")]).await;
    assert_eq!(location(&res), "/");
    let mail = first_mail(&app, "login.new_browser").await;
    assert!(mail.subject.contains("New sign-in from a browser"), "{}", mail.subject);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE locale = 'en'").await, 1);
}

async fn the_language_chosen_while_logged_in_follows_the_account_to_another_browser(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let first = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let res = choose_language(&app, &first, "en").await;
    assert!(res.status().is_redirection() || res.status().is_success(), "{}", res.status());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE locale = 'en'").await, 1);
    // Another browser, which never chose: its login sets the account's language and the
    // top page opens in English.
    let second = app.new_browser();
    let res = app.login_from(&second, "hanako@example.com", "Hanako_2024").await;
    let cookies: Vec<_> =
        res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("lang=en")), "{cookies:?}");
    let (_, body) = app.get_text_with(&second, "/").await;
    assert!(body.contains(r#"<html lang="en""#), "{body}");
    // Back to Japanese in English's browser: the account follows, and a third browser
    // opens in Japanese.
    choose_language(&app, &first, "ja").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE locale = 'en'").await, 0);
    let third = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&third, "/").await;
    assert!(body.contains(r#"<html lang="ja""#));
    // A browser that chose keeps its choice (and the account takes it).
    let res = hanako_login_with(&app, &[HTML, ("Cookie", "lang=en")]).await;
    assert_eq!(location(&res), "/");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE locale = 'en'").await, 1);
}

async fn a_failed_login_mails_nothing_and_logs_no_password(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Wrong_pass-7731").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
    let logs = logs();
    assert!(logs.contains("/api/login"), "the request was logged");
    assert!(!logs.contains("Wrong_pass-7731"), "the password was not");
}

async fn a_hundred_failures_in_a_row_need_a_password_reset_and_the_owner_is_told(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let wrong = |i: usize| {
        let app = &app;
        async move {
            let l = location(&app.login("hanako@example.com", "Wrong_pass").await);
            assert_eq!(l, "/login?error=credentials&next=/", "attempt {i}");
            // As if every wait had passed and a day with it: the count stays.
            pass_throttle_waits(app, 86_400).await;
        }
    };
    for i in 0..99 {
        wrong(i).await;
    }
    assert!(outbox_mails_to(&app, "login.locked", "hanako@example.com").await.is_empty());
    wrong(99).await;
    let told = outbox_mails_to(&app, "login.locked", "hanako@example.com").await;
    assert_eq!(told.len(), 1, "the contact address is told at the 100th");
    // Now even the right password needs a reset first, however long one waits.
    assert_eq!(location(&app.login("hanako@example.com", "Hanako_2024").await), "/login?error=locked&next=/");
    pass_throttle_waits(&app, 8_640_000).await;
    let res = app.post_fetch("/api/login", &HANAKO).await;
    assert_eq!(res.status(), 429);
    let (_, body) = app.get_text("/login?error=locked").await;
    assert!(body.contains("パスワードを再設定してください"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'login.locked'").await, 1);
    // A password reset (path B) opens login again.
    let c = app.new_browser();
    assert_eq!(
        post_from(&app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await,
        "/recovery/code"
    );
    let code = mailed_code(&app, "hanako@example.com").await.unwrap();
    assert_eq!(post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await, "/recovery/password");
    let pw = [("password", "New-hanako-77"), ("password_again", "New-hanako-77")];
    assert_eq!(post_from(&app, &c, "/api/recovery/password", &pw).await, "/recovery/done");
    assert_eq!(location(&app.login("hanako@example.com", "New-hanako-77").await), "/");
}

/// A stranger who knows only the ID (an e-mail address) cannot hold the owner out: the
/// wrong passwords from browsers the account never used count under the ID, and the
/// browsers it has logged in from have their own count. Before, five wrong passwords
/// made the owner wait too, and a hundred (about 20 hours of waits) locked the login
/// until a password reset, and again after it.
async fn a_stranger_guessing_holds_out_neither_the_owners_browser_nor_locks_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let owner = logged_in(&app, HANAKO[0].1, HANAKO[1].1).await;
    assert_eq!(app.post_with(&owner, "/api/logout", &[HTML], &[("", ""); 0]).await.status(), 302);
    let stranger = app.new_browser();
    let wrong = |c: reqwest::Client| {
        let app = &app;
        async move {
            let form = [("itscom_id", "hanako@example.com"), ("password", "Wrong_pass")];
            location(&app.post_with(&c, "/api/login", &[HTML], &form).await)
        }
    };
    for i in 0..5 {
        assert_eq!(wrong(stranger.clone()).await, "/login?error=credentials&next=/", "{i}");
    }
    assert_eq!(wrong(stranger.clone()).await, "/login?error=throttled&next=/");
    // The owner's browser: her right password goes through.
    assert_eq!(location(&app.login_from(&owner, "hanako@example.com", "Hanako_2024").await), "/");
    // A hundred in a row lock the ID for strangers (and browsers she never used), not her.
    for _ in 5..100 {
        pass_throttle_waits(&app, 86_400).await;
        wrong(stranger.clone()).await;
    }
    pass_throttle_waits(&app, 86_400).await;
    assert_eq!(
        location(&app.login_from(&app.new_browser(), "hanako@example.com", "Hanako_2024").await),
        "/login?error=locked&next=/"
    );
    assert_eq!(outbox_mails_to(&app, "login.locked", "hanako@example.com").await.len(), 1, "she is told");
    let told = outbox_mails_to(&app, "login.locked", "hanako@example.com").await.remove(0).text;
    assert!(told.contains("誤ったパスワード") && !told.contains("確認コード"), "{told}");
    assert_eq!(location(&app.login_from(&owner, "hanako@example.com", "Hanako_2024").await), "/");
    // Her own browser's wrong passwords are counted for it: five, then it waits.
    for i in 0..5 {
        assert_eq!(wrong(owner.clone()).await, "/login?error=credentials&next=/", "{i}");
    }
    assert_eq!(wrong(owner.clone()).await, "/login?error=throttled&next=/");
    // A hundred of them lock her browser too; a password reset opens it with the ID.
    for _ in 5..100 {
        pass_throttle_waits(&app, 86_400).await;
        wrong(owner.clone()).await;
    }
    pass_throttle_waits(&app, 86_400).await;
    let right = |password: &'static str| {
        let (app, owner) = (&app, owner.clone());
        async move { location(&app.login_from(&owner, "hanako@example.com", password).await) }
    };
    assert_eq!(right("Hanako_2024").await, "/login?error=locked&next=/");
    let (c, code) = hanako_gets_a_code(&app).await;
    assert_eq!(post_from(&app, &c, "/api/recovery/code", &[("code", &code)]).await, "/recovery/password");
    let pw = [("password", "New-hanako-77"), ("password_again", "New-hanako-77")];
    assert_eq!(post_from(&app, &c, "/api/recovery/password", &pw).await, "/recovery/done");
    assert_eq!(right("New-hanako-77").await, "/");
}

/// A login sent with a field left empty is told so at that field, and costs no attempt
/// of any budget. It was answered as a wrong ID or password (both fields marked), and
/// counted as a failed login of the empty ID.
async fn a_login_with_an_empty_field_says_which_and_counts_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    let post = |id: &'static str, password: &'static str| {
        let (app, c) = (&app, c.clone());
        async move {
            let form = [("itscom_id", id), ("password", password)];
            location(&app.post_with(&c, "/api/login", &[HTML], &form).await)
        }
    };
    assert_eq!(post("", "").await, "/login?error=itscom_id.required&next=/");
    assert_eq!(post("  ", "Hanako_2024").await, "/login?error=itscom_id.required&next=/");
    assert_eq!(post("hanako@example.com", "").await, "/login?error=password.required&next=/");
    let (_, page) = app.get_text("/login?error=password.required&next=/").await;
    assert!(page.contains("id=\"password-error\"") && page.contains("入力してください。"));
    assert!(
        !page.contains("id=\"itscom_id-error\"")
            && !page.contains("iTSCOM IDまたはパスワードが正しくありません")
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM throttle").await, 0, "no budget spent");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'login.failed'").await, 0);
}

async fn failed_logins_are_recorded_as_security_events_without_secrets(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Wrong_secret_1").await;
    app.login("nobody@example.com", "Wrong_secret_2").await;
    let rows: Vec<(Option<String>, String, String)> =
        sqlx::query_as("SELECT account_id, client, detail FROM account_events WHERE kind = 'login.failed' ORDER BY account_id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 2, "an unknown ID is recorded too (credential stuffing shows)");
    assert!(rows.iter().any(|(a, _, _)| a.is_some()) && rows.iter().any(|(a, _, _)| a.is_none()));
    for (_, client, detail) in &rows {
        assert_eq!(client, "127.0.0.1");
        assert!(!detail.contains("Wrong_secret") && !detail.contains("@"), "{detail}");
    }
    let logs = logs();
    assert!(logs.contains("security event") && logs.contains("login.failed"));
    assert!(!logs.contains("Wrong_secret"), "no password in the logs");
}

/// A login under way (its password checked against the hash it read) when a password
/// reset completes gets no session: the reset's "every session ends" would otherwise miss
/// the one started just after it, with the old password. The reset here is held open
/// (its new password written, the sessions ended) while the login runs; the login waits
/// for it, then finds the password changed. Before, it started its session regardless.
async fn a_login_under_way_when_a_reset_completes_gets_no_session(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let account = account_of(&app, "100000002").await;
    let to = login_across_a_reset(&app, &account, &HANAKO).await;
    assert_eq!(to, "/login?error=credentials&next=/");
    assert_none_in(&app, "sessions", &account).await;
}

on_both_databases!(
    a_login_under_way_when_a_reset_completes_gets_no_session,
    a_hundred_failures_in_a_row_need_a_password_reset_and_the_owner_is_told,
    a_stranger_guessing_holds_out_neither_the_owners_browser_nor_locks_it,
    a_login_with_an_empty_field_says_which_and_counts_nothing,
    failed_logins_are_recorded_as_security_events_without_secrets,
    the_right_password_starts_a_session_and_opens_the_top_page,
    a_plain_route_knows_the_logged_in_account_and_refuses_anyone_else,
    the_id_is_case_insensitive,
    an_unknown_id_and_a_wrong_password_get_the_same_answer,
    a_page_behind_login_sends_to_the_login_screen_and_back,
    login_never_sends_the_customer_to_another_site,
    a_hundred_parallel_wrong_attempts_are_throttled_and_then_even_the_right_password_waits,
    the_wait_ends_and_a_success_clears_the_count,
    a_login_that_could_not_be_checked_says_why,
    a_reservation_meeting_a_reset_is_an_answer_not_an_error,
    one_client_address_trying_many_ids_is_throttled,
    refused_logins_are_recorded_once_a_minute_per_client,
    an_idle_session_expires_after_thirty_minutes,
    a_session_ends_twelve_hours_after_login_however_active,
    after_logout_the_old_cookie_no_longer_works,
    each_login_gets_a_new_session_id_and_ends_the_previous_one,
    all_sessions_of_an_account_can_be_ended_at_once,
    the_session_cookie_is_http_only_and_same_site_lax,
    in_production_the_cookie_is_secure_with_the_host_prefix,
    a_cross_site_post_is_refused_with_403,
    pages_carry_the_security_headers_and_a_csp_nonce,
    a_login_from_a_new_browser_mails_a_notice_once,
    a_customer_using_english_gets_mail_in_english,
    the_language_chosen_while_logged_in_follows_the_account_to_another_browser,
    a_failed_login_mails_nothing_and_logs_no_password,
);
