//! `GET /healthz` (alive) and `/readyz` (should get requests), configuration errors,
//! graceful shutdown.

use crate::common::*;

async fn healthz_and_readyz_answer_200_when_the_database_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, "ok");
    assert_eq!(app.get_text("/readyz").await, (200, "ok".into()));
}

async fn readyz_answers_503_and_healthz_200_when_the_database_does_not(backend: Backend) {
    let app = spawn_app(backend).await;
    app.db.close().await;
    let (status, body) = app.get_text("/readyz").await;
    assert_eq!((status, body.as_str()), (503, "database unavailable"));
    assert_eq!(app.get_text("/healthz").await.0, 200, "alive: no reason to restart it");
}

async fn readyz_answers_503_on_a_database_not_migrated_this_far(backend: Backend) {
    let app = spawn_app(backend).await;
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(app.get_text("/readyz").await, (503, "not migrated".into()));
}

/// Every connection of the pool busy (a rush) is not a database away: the process stays
/// ready, so the load balancer does not take every busy process out at once. Before, the
/// check waited for a pool connection and answered 503.
async fn readyz_answers_200_while_every_pool_connection_is_busy(backend: Backend) {
    let app = spawn_app(backend).await;
    let max = app.db.pool().options().get_max_connections();
    let mut held = Vec::new();
    for _ in 0..max {
        held.push(app.db.pool().acquire().await.unwrap());
    }
    assert_eq!(app.db.pool().num_idle(), 0);
    assert_eq!(app.get_text("/readyz").await, (200, "ok".into()), "{max} connections held");
    drop(held);
}

/// A rolling deploy: the next release has migrated the database further. A process of
/// this one (restarting, or a rollback) still migrates, starts and is ready; before, it
/// refused to start on a migration it did not know.
async fn a_database_the_next_release_migrated_further_still_serves_this_one(backend: Backend) {
    let app = spawn_app(backend).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (99991231000099, 'the next release', TRUE, $1, 0)",
    )
    .bind(vec![0_u8; 48])
    .execute(app.db.pool())
    .await
    .unwrap();
    let out = server_binary()
        .env("DATABASE_URL", &app.database_url)
        .env("MYPAGE_ENV", "development")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    app.db.migrate().await.expect("a process starting migrates");
    assert_eq!(app.get_text("/readyz").await, (200, "ok".into()));
}

on_both_databases!(
    readyz_answers_200_while_every_pool_connection_is_busy,
    a_database_the_next_release_migrated_further_still_serves_this_one,
    healthz_and_readyz_answer_200_when_the_database_answers,
    readyz_answers_503_and_healthz_200_when_the_database_does_not,
    readyz_answers_503_on_a_database_not_migrated_this_far,
);

#[test]
fn a_bad_configuration_value_stops_start_up_with_a_message_naming_the_variable() {
    for (var, value) in [("MYPAGE_ENV", "staging"), ("DATABASE_URL", "mysql://db/x"), ("PUBLIC_URL", "nope")]
    {
        let out = server_binary().env(var, value).arg("migrate").output().expect("run server");
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(var), "stderr names {var}: {stderr}");
    }
}

/// A database that cannot be reached stops start-up with where it was looked for (never
/// the password) and why, not only "pool timed out".
#[test]
fn an_unreachable_database_is_named_with_the_reason() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://portal:s3cret-pw@127.0.0.1:{port}/mypage");
    for command in ["serve", "migrate"] {
        let out = server_binary()
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_OUTPUT_NAME", "mypage")
            .env("DATABASE_WAIT_SECS", "1")
            .arg(command)
            .output()
            .expect("run server");
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("database postgres://portal@127.0.0.1:{port}/mypage: ")),
            "{stderr}"
        );
        assert!(stderr.contains("refused") && !stderr.contains("s3cret"), "{stderr}");
    }
}

#[test]
fn an_unknown_command_prints_usage_and_fails() {
    let out = server_binary().arg("frobnicate").output().expect("run server");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: server"));
}

/// Each request has an id: the load balancer's when plausible, else one of its own. It
/// comes back in `x-request-id` and names the request's access log line (status, time
/// taken), in production's JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_has_an_id_sent_back_and_logged_with_its_status_and_time() {
    let _shared = crate::common::TIMING.read().await;
    let (database_url, file) = fresh_database(Backend::Sqlite).await;
    let mut server = Serving::start(&database_url, &[("MYPAGE_ENV", "production")]).await;
    let addr = server.address.trim_start_matches("http://").to_string();
    let client = reqwest::Client::new();
    let id_of = |res: &reqwest::Response| res.headers()["x-request-id"].to_str().unwrap().to_string();
    let (a, b) = (
        client.get(format!("http://{addr}/healthz")).send().await.unwrap(),
        client.get(format!("http://{addr}/healthz")).send().await.unwrap(),
    );
    let (a, b) = (id_of(&a), id_of(&b));
    assert!(a.len() == 32 && a.bytes().all(|c| c.is_ascii_hexdigit()) && a != b, "{a} {b}");
    let given =
        client.get(format!("http://{addr}/login")).header("x-request-id", "lb-7f3a:2").send().await.unwrap();
    assert_eq!(id_of(&given), "lb-7f3a:2", "the load balancer's");
    for bad in ["has space", &"x".repeat(65), "<script>"] {
        let res =
            client.get(format!("http://{addr}/healthz")).header("x-request-id", bad).send().await.unwrap();
        let id = id_of(&res);
        assert!(id != bad && id.len() == 32, "{bad:?} replaced: {id}");
    }
    let mut before = Vec::new();
    let logged = loop {
        let line = server.next_line().await;
        if line.contains("lb-7f3a:2") {
            break line;
        }
        before.push(line);
    };
    let entry: serde_json::Value = serde_json::from_str(&logged).expect("a JSON line");
    assert_eq!(entry["status"], 200, "{logged}");
    assert!(entry["latency"].as_str().is_some_and(|l| l.ends_with(" ms")), "{logged}");
    assert!(logged.contains("\"/login\""), "{logged}");
    // The load balancer's checks are not logged: only the page's line named a request.
    server.terminate();
    let rest = server.lines_until_quiet(5).await;
    assert!(!before.iter().chain(&rest).any(|l| l.contains("/healthz")), "{before:?} {rest:?}");
    server.exit().await;
    if let Some(f) = file {
        let _ = std::fs::remove_file(f);
    }
}

#[tokio::test]
async fn the_server_binary_serves_and_stops_cleanly_on_sigterm() {
    let _shared = crate::common::TIMING.read().await;
    let (database_url, file) = fresh_database(Backend::Sqlite).await;
    let server =
        Serving::start(&database_url, &[("MYPAGE_ENV", "development"), ("SHUTDOWN_DRAIN_SECS", "6")]).await;
    // The start-up log line carries the bound address.
    let addr = server.address.trim_start_matches("http://").to_string();
    let body = reqwest::get(format!("http://{addr}/healthz")).await.unwrap().text().await.unwrap();
    assert_eq!(body, "ok");

    assert!(server.terminate());
    // Draining: the balancer's check fails while requests are still served (asked
    // until the signal is handled: a loaded machine may take a moment).
    let mut ready = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    for _ in 0..30 {
        if ready.status() == 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        ready = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    }
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.unwrap(), "draining");
    let page = reqwest::get(format!("http://{addr}/login")).await.unwrap();
    assert_eq!(page.status(), 200, "still served while draining");
    let status = server.exit().await;
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    if let Some(f) = file {
        let _ = std::fs::remove_file(f);
    }
}
