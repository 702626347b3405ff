//! `GET /healthz`, configuration errors, graceful shutdown.

use crate::common::*;

async fn healthz_answers_200_when_the_database_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, "ok");
}

async fn healthz_answers_503_when_the_database_does_not(backend: Backend) {
    let app = spawn_app(backend).await;
    app.db.close().await;
    let (status, _) = app.get_text("/healthz").await;
    assert_eq!(status, 503);
}

on_both_databases!(
    healthz_answers_200_when_the_database_answers,
    healthz_answers_503_when_the_database_does_not,
);

fn server_binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

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

#[test]
fn an_unknown_command_prints_usage_and_fails() {
    let out = server_binary().arg("frobnicate").output().expect("run server");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: server"));
}

#[tokio::test]
async fn the_server_binary_serves_and_stops_cleanly_on_sigterm() {
    let _shared = crate::common::TIMING.read().await;
    use std::io::{BufRead, BufReader};
    let (database_url, file) = fresh_database(Backend::Sqlite).await;
    let mut child = server_binary()
        .env("DATABASE_URL", &database_url)
        .env("MYPAGE_ENV", "development")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "mypage")
        .env("RUST_LOG", "info")
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start server");
    // The start-up log line carries the bound address.
    let stdout = child.stdout.take().unwrap();
    let addr = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("http://").nth(1).map(|rest| rest.split_whitespace().next().unwrap().to_string())
        })
        .expect("server logs its address");
    let body = reqwest::get(format!("http://{addr}/healthz")).await.unwrap().text().await.unwrap();
    assert_eq!(body, "ok");

    let kill = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    if let Some(f) = file {
        let _ = std::fs::remove_file(f);
    }
}
