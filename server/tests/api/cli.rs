//! The operator's command line (issue 25): `--help` for every command, typed arguments
//! refused as usage errors (exit 2), JSON for the listings, completions on request.

use crate::common::*;

fn server(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .args(args)
        .output()
        .expect("run server");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_has_its_help_and_bad_arguments_are_usage_errors() {
    let (code, help, _) = server(&["--help"]);
    assert_eq!(code, Some(0));
    let commands = [
        "serve",
        "migrate",
        "seed-demo",
        "bill",
        "plan-requests",
        "inquiries",
        "registration-unlock",
        "two-step-off",
        "payments",
        "completions",
    ];
    for command in commands {
        assert!(help.contains(command), "{command} in\n{help}");
        let (code, own, _) = server(&[command, "--help"]);
        assert_eq!(code, Some(0), "{command} --help");
        assert!(own.contains(&format!("usage: server {command}")), "{own}");
    }
    for bad in [
        &["bill", "--month", "2026-13"][..],
        &["bill"],
        &["plan-requests", "--process", "P1", "--complete", "P2"],
        &["registration-unlock"],
        &["registration-unlock", "--customer", "12345"],
        &["registration-unlock", "--name", "ヤマダ タロウ"],
        &["inquiries", "--answered"],
        &["two-step-off"],
        &["payments"],
    ] {
        let (code, _, said) = server(bad);
        assert_eq!(code, Some(2), "{bad:?}: {said}");
        assert!(said.contains("error:"), "{bad:?}: {said}");
    }
    let (code, script, _) = server(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    assert!(script.contains("_server()") && script.contains("plan-requests"));
}

async fn the_listings_print_json_for_scripts(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    post_from(&app, &c, "/api/help/inquiry", &[("category", "other"), ("message", "一行目\n二行目")]).await;
    let (ok, out) = operator(&app, "inquiries", &["--json"]);
    assert!(ok, "{out}");
    let list: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{out}");
    assert_eq!(list[0]["customer_no"], "100000002");
    assert_eq!(list[0]["message"], "一行目\n二行目", "the whole message, escaped as JSON");
    let (ok, out) = operator(&app, "plan-requests", &["--json"]);
    assert!(ok, "{out}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(out.trim()).expect("JSON"), serde_json::json!([]));
}

/// `server events`: what waits for the other systems, oldest first (of one topic, or
/// as JSON with each event whole), marked taken by id: no longer listed, marked again
/// left as it is, an unknown id a failure after the others are marked. A month after it
/// was taken an event goes; one never taken stays, whatever its age (they were never
/// deleted, and nothing said which had been taken).
async fn other_systems_take_their_events_from_the_command_line(backend: Backend) {
    use app::ssr::mail::enqueue_event;
    let (code, help, _) = server(&["events", "--help"]);
    assert_eq!(code, Some(0));
    assert!(help.contains("usage: server events") && help.contains("--taken"), "{help}");
    for bad in
        [&["events", "--taken"][..], &["events", "--limit", "0"], &["events", "--taken", "a", "--json"]]
    {
        let (code, _, said) = server(bad);
        assert_eq!(code, Some(2), "{bad:?}: {said}");
    }
    let app = spawn_app_with_demo_data(backend).await;
    let now = app::ssr::now();
    let mut conn = app.db.pool().acquire().await.unwrap();
    // In one second, as a customer's switch on and off can be: in the order written.
    for (n, topic) in [(1, "addon.provision"), (2, "billing.refund_due"), (3, "addon.provision")] {
        enqueue_event(&mut conn, topic, &serde_json::json!({ "n": n }), now).await.unwrap();
    }
    drop(conn);
    let listed = |args: &[&str]| {
        let (ok, out) = operator(&app, "events", args);
        assert!(ok, "{out}");
        let list: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
        list.as_array().unwrap().clone()
    };
    let all = listed(&["--json"]);
    let n: Vec<_> = all.iter().map(|e| e["payload"]["n"].as_i64().unwrap()).collect();
    assert_eq!(n, [1, 2, 3], "oldest first: {all:?}");
    assert_eq!(all[1]["topic"], "billing.refund_due");
    let refunds = listed(&["--topic", "billing.refund_due", "--json"]);
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["payload"]["n"], 2);
    assert_eq!(listed(&["--limit", "1", "--json"]).len(), 1);
    let id = |i: usize| all[i]["id"].as_str().unwrap().to_string();
    let (ok, out) = operator(&app, "events", &[]);
    assert!(
        ok && out.contains(&id(0)) && out.contains("billing.refund_due") && out.contains("{\"n\":2}"),
        "{out}"
    );
    let (ok, out) = operator(&app, "events", &["--taken", &id(0), &id(1)]);
    assert!(ok && out.contains(&format!("{}: taken", id(1))), "{out}");
    let (ok, out) = operator(&app, "events", &["--taken", &id(0), "no-such-event", &id(2)]);
    assert!(!ok, "{out}");
    assert!(out.contains("taken before") && out.contains("no such event: no-such-event"), "{out}");
    assert!(listed(&["--json"]).is_empty(), "the other id was marked all the same");
    let (ok, out) = operator(&app, "events", &[]);
    assert!(ok && out.contains("no events waiting"), "{out}");
    // One not taken, however old, stays; those taken go a month after.
    let mut conn = app.db.pool().acquire().await.unwrap();
    enqueue_event(&mut conn, "addon.provision", &serde_json::json!({ "n": 4 }), now - 400 * 86_400)
        .await
        .unwrap();
    drop(conn);
    maintenance_at(&app, now + 29 * 86_400).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE kind = 'event'").await, 4);
    maintenance_at(&app, now + 31 * 86_400).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE kind = 'event'").await, 1);
    assert_eq!(listed(&["--json"])[0]["payload"]["n"], 4);
}

/// An everyday command (a listing, an answer, a billing run) never migrates: run with
/// the next release's binary before `server migrate`, it is refused and changes
/// nothing; after the migration it runs.
async fn an_everyday_command_on_an_unmigrated_database_is_refused_and_migrates_nothing(backend: Backend) {
    let (url, _) = fresh_database(backend).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &url)
            .env("MYPAGE_ENV", "development")
            .env("RUST_LOG", "error")
            .args(args)
            .output()
            .expect("run server");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for args in [
        &["inquiries", "--json"][..],
        &["plan-requests"],
        &["inquiries", "--answered", "Q-00000000"],
        &["registration-unlock", "--customer", "100000002"],
        &["two-step-off", "--customer", "100000002"],
        &["bill", "--month", "2026-01"],
        &["payments", "-"],
    ] {
        let (code, err) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("run `server migrate` first"), "{args:?}: {err}");
    }
    let db = app::ssr::db::Db::connect(&url).await.unwrap();
    let tables: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(db.pool()).await;
    assert!(tables.is_err(), "no migration ran: {tables:?}");
    db.close().await;
    assert_eq!(run(&["migrate"]).0, Some(0));
    let (code, err) = run(&["inquiries", "--json"]);
    assert_eq!(code, Some(0), "{err}");
}

async fn the_text_listings_say_when_empty_and_show_invisible_characters_as_spaces(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (ok, out) = operator(&app, "inquiries", &[]);
    assert!(ok, "{out}");
    assert_eq!(out.trim(), "no inquiries waiting for an answer");
    let (ok, out) = operator(&app, "plan-requests", &[]);
    assert!(ok, "{out}");
    assert_eq!(out.trim(), "no open plan change requests");
    // A zero-width space and a left-to-right mark come with pasted text and are kept
    // in the message; the support centre's listing shows them as spaces. A
    // right-to-left override is taken out: the message is sent, in the order typed.
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let message = "請求\u{200B}額が\u{200E}違う\n二行目";
    let posted = format!("\u{202E}{message}");
    let to = post_from(&app, &c, "/api/help/inquiry", &[("category", "billing"), ("message", &posted)]).await;
    assert!(to.starts_with("/help?sent="), "{to}");
    let (ok, out) = operator(&app, "inquiries", &["--json"]);
    assert!(ok, "{out}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(out.trim()).expect("JSON")[0]["message"], message);
    let (ok, out) = operator(&app, "inquiries", &[]);
    assert!(ok, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.trim_end().ends_with("\t請求 額が 違う"), "{out:?}");
}

/// A command's stdout is its answer alone: its log (every query at `debug`, in
/// production's JSON) goes to stderr, so `--json` stays JSON for a script. A `RUST_LOG`
/// it cannot read is said, not silently replaced.
async fn a_commands_log_goes_to_stderr_and_its_answer_alone_to_stdout(backend: Backend) {
    let app = spawn_app(backend).await;
    for (env, filter) in
        [("production", "debug"), ("development", "debug"), ("production", "info,=nonsense[")]
    {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &app.database_url)
            .env("MYPAGE_ENV", env)
            .env("RUST_LOG", filter)
            .args(["inquiries", "--json"])
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{stderr}");
        assert_eq!(stdout.trim(), "[]", "{env} {filter}: stdout is the answer alone\n{stdout}");
        if filter == "debug" {
            assert!(stderr.contains("PRAGMA") || stderr.contains("SELECT"), "the log, on stderr: {stderr}");
        } else {
            assert!(stderr.contains("RUST_LOG") && stderr.contains("cannot be read"), "{stderr}");
        }
    }
}

on_both_databases!(
    other_systems_take_their_events_from_the_command_line,
    a_commands_log_goes_to_stderr_and_its_answer_alone_to_stdout,
    the_listings_print_json_for_scripts,
    the_text_listings_say_when_empty_and_show_invisible_characters_as_spaces,
    an_everyday_command_on_an_unmigrated_database_is_refused_and_migrates_nothing,
);
