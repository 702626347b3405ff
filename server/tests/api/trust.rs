//! What issue 10's review asked of the landed code: the client address behind a load
//! balancer, failing closed, personal responses never cached, the maintenance task,
//! and page renders that never stall while other apps start.

use crate::common::*;

/// A wrong password for `id` from the client `forwarded` names (behind a proxy or not).
async fn login_from_forwarded(app: &TestApp, id: &str, forwarded: &str) -> String {
    login_behind_a_proxy(app, id, "Wrong_pass", forwarded).await
}

/// Fifty wrong passwords for user0… user49, the client named by `forwarded(i)`: each
/// refused as such (no wait yet).
async fn fifty_wrong_logins(app: &TestApp, forwarded: impl Fn(usize) -> String) {
    for i in 0..50 {
        let l = login_from_forwarded(app, &format!("user{i}@example.com"), &forwarded(i)).await;
        assert!(l.contains("error=credentials"), "{i}: {l}");
    }
}

/// How many failed logins the security log names as coming from `client` (a LIKE
/// pattern).
async fn failed_logins_of(app: &TestApp, client: &str) -> i64 {
    let sql =
        format!("SELECT COUNT(*) FROM account_events WHERE kind = 'login.failed' AND client LIKE '{client}'");
    scalar(app, &sql).await
}

async fn without_proxies_a_forwarded_header_changes_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    fifty_wrong_logins(&app, |i| format!("198.51.100.{i}")).await;
    // A client writing a new address each time is still one client: the 51st waits.
    let l = login_from_forwarded(&app, "user50@example.com", "198.51.100.250").await;
    assert!(l.contains("error=throttled"), "{l}");
}

async fn behind_one_proxy_the_client_is_the_rightmost_forwarded_address(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("TRUSTED_PROXY_HOPS", "1")]).await;
    // What the client wrote (left) varies; what the proxy appended (right) does not.
    fifty_wrong_logins(&app, |i| format!("10.0.{i}.1, 203.0.113.7")).await;
    assert!(login_from_forwarded(&app, "user50@example.com", "10.0.99.1, 203.0.113.7")
        .await
        .contains("error=throttled"));
    // Another customer behind the same load balancer is not held up.
    assert!(login_from_forwarded(&app, "user51@example.com", "203.0.113.8")
        .await
        .contains("error=credentials"));
    assert_eq!(failed_logins_of(&app, "203.0.113.7").await, 50, "the security log names the real client");
    assert_eq!(failed_logins_of(&app, "10.%").await, 0, "never what the client wrote");
}

/// With the load balancers listed, a request straight from another address (a host that
/// reaches a server process past them) is counted by that address, whatever it writes:
/// a new address a try no longer buys a new budget. From a listed one the header counts.
async fn a_forwarded_address_is_believed_only_from_a_listed_proxy(backend: Backend) {
    let elsewhere = [("TRUSTED_PROXY_HOPS", "1"), ("TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8")];
    let app = spawn_app_with_demo_data_and(backend, &elsewhere).await;
    fifty_wrong_logins(&app, |i| format!("198.51.100.{i}")).await;
    let l = login_from_forwarded(&app, "user50@example.com", "198.51.100.250").await;
    assert!(l.contains("error=throttled"), "{l}");
    assert_eq!(failed_logins_of(&app, "127.0.0.1").await, 50, "named by the peer");
    assert_eq!(failed_logins_of(&app, "198.51.100.%").await, 0, "never by what it wrote");
    // The tests' own address listed: the header counts again.
    let listed = [("TRUSTED_PROXY_HOPS", "1"), ("TRUSTED_PROXIES", "127.0.0.1")];
    let app = spawn_app_with_demo_data_and(backend, &listed).await;
    assert!(login_from_forwarded(&app, "user0@example.com", "203.0.113.9")
        .await
        .contains("error=credentials"));
    let sql = "SELECT COUNT(*) FROM account_events WHERE kind = 'login.failed' AND client = '203.0.113.9'";
    assert_eq!(scalar(&app, sql).await, 1);
}

async fn ipv6_clients_behind_a_proxy_are_counted_per_64(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("TRUSTED_PROXY_HOPS", "1")]).await;
    fifty_wrong_logins(&app, |i| format!("2001:db8:7:8::{i:x}")).await;
    // Another address of the same /64 is the same client; another /64 is not.
    assert!(login_from_forwarded(&app, "a@example.com", "2001:db8:7:8:ffff::1")
        .await
        .contains("error=throttled"));
    assert!(login_from_forwarded(&app, "b@example.com", "2001:db8:7:9::1")
        .await
        .contains("error=credentials"));
}

/// The IPv6 clients of one /48 are also counted together (200 logins in 15 minutes):
/// one who holds a routed /48 (65,536 /64s) does not get a new budget with each /64.
/// Another /48 is not held up.
async fn ipv6_clients_behind_a_proxy_are_also_counted_per_48(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("TRUSTED_PROXY_HOPS", "1")]).await;
    let network = app::ssr::auth::throttle::LOGIN_CLIENT.network().unwrap();
    let t = app::ssr::now();
    spend_budget(&app, &network, "2001:db8:7::/48", (0..200).map(|i| t - 200 + i)).await;
    let from = |client| login_from_forwarded(&app, "a@example.com", client);
    assert!(from("2001:db8:7:99::1").await.contains("error=throttled"));
    assert!(from("2001:db8:8:99::1").await.contains("error=credentials"));
    // An IPv4 client is counted by its address alone.
    assert!(from("203.0.113.20").await.contains("error=credentials"));
}

async fn with_no_environment_set_the_server_fails_closed(backend: Backend) {
    // An empty value is unset: MYPAGE_ENV defaults to production.
    let app = spawn_app_with_demo_data_and(backend, &[("MYPAGE_ENV", "")]).await;
    assert!(app.state.settings.env.is_production());
    assert_eq!(app.get("/dev/mailbox").await.status(), 404, "no mailed codes on show");
    assert_eq!(app.get("/dev").await.status(), 404);
    let res = app.login("hanako@example.com", "Hanako_2024").await;
    let cookies = set_cookies(&res);
    assert!(
        cookies.iter().any(|c| c.starts_with("__Host-mypage_session=") && c.contains("; Secure")),
        "{cookies:?}"
    );
}

async fn personal_responses_are_never_stored(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.post_fetch("/api/current_user", &[]).await;
    assert_eq!(res.headers()["cache-control"], "no-store", "server functions, logged in or not");
    app.login("hanako@example.com", "Hanako_2024").await;
    for path in ["/", "/account", "/mail"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app.post_fetch("/api/current_user", &[]).await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The service worker keeps its own rule (no-cache), logged in or not.
    let res = app.get("/sw.js").await;
    if res.status() == 200 {
        assert_eq!(res.headers()["cache-control"], "no-cache");
    }
}

/// A page with a password field is never stored, logged in or not, so no cache (the
/// back/forward cache of a phone handed on) brings a typed password back; a visitor's
/// page without one may be kept by the browser, asking each time.
async fn a_page_with_a_password_field_is_never_stored(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for path in ["/login", "/login?next=%2Faccount", "/login?error=credentials"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app.get("/register").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-cache", "no password there");
}

async fn the_maintenance_task_deletes_what_has_expired_and_keeps_budgets(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let t = app::ssr::now();
    app.login("hanako@example.com", "Hanako_2024").await; // a session
    app.login("ichiro@example.net", "Wrong_pass").await; // a failure: per client, per account
    recovery_started(&app, "hanako@example.com").await;
    let count = |table: &'static str| {
        let app = &app;
        async move { scalar(app, &format!("SELECT COUNT(*) FROM {table}")).await }
    };
    assert_eq!(maintenance_at(&app, t).await.rows_deleted, 0, "nothing has expired yet");
    assert_eq!((count("sessions").await, count("recovery_flows").await), (1, 1));
    let throttled = count("throttle").await;
    assert!(throttled >= 3, "{throttled}");
    let report = maintenance_at(&app, t + 13 * 3600).await;
    assert!(report.rows_deleted >= 2, "{report:?}");
    assert_eq!((count("sessions").await, count("recovery_flows").await), (0, 0));
    // Rates are forgotten with their window; failures in a row are a budget, kept.
    let (left,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM throttle").fetch_one(app.db.pool()).await.unwrap();
    assert!(left >= 1 && left < throttled, "{left} of {throttled}");
    let kept = app::ssr::auth::throttle::failures(
        &mut app.db.pool().acquire().await.unwrap(),
        &app::ssr::auth::throttle::LOGIN_ACCOUNT,
        "ichiro@example.net",
    )
    .await
    .unwrap();
    assert_eq!(kept, 1);
    maintenance_at(&app, t + 91 * 86_400).await;
    assert_eq!(count("throttle").await, 0, "idle for 90 days: deleted");
}

on_both_databases!(
    a_page_with_a_password_field_is_never_stored,
    without_proxies_a_forwarded_header_changes_nothing,
    behind_one_proxy_the_client_is_the_rightmost_forwarded_address,
    ipv6_clients_behind_a_proxy_are_counted_per_64,
    ipv6_clients_behind_a_proxy_are_also_counted_per_48,
    a_forwarded_address_is_believed_only_from_a_listed_proxy,
    with_no_environment_set_the_server_fails_closed,
    personal_responses_are_never_stored,
    the_maintenance_task_deletes_what_has_expired_and_keeps_budgets,
);

/// The stalled render (issues 4 and 6): while a route list was generated, a
/// process-wide flag (leptos_server's `SuppressResourceLoad`) kept every `Resource`
/// created meanwhile from ever loading, so a page rendering on another thread hung.
/// Each test app generated its own list while others served. Here a second thread
/// builds routers over and over (as apps starting do) while pages that read resources
/// load; with the route list generated once per process none of them stalls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_never_stall_while_other_apps_build_their_routes() {
    let _shared = crate::common::TIMING.read().await;
    let app = spawn_app_with_demo_data(Backend::Sqlite).await;
    let state = app.state.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let mut built = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                rt.block_on(async { drop(server::router(state.clone())) });
                built += 1;
            }
            built
        })
    };
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(3)).build().unwrap();
    let (mut loads, mut stalls) = (0, 0);
    for i in 0..300 {
        // An Async route with a resource, an out-of-order (streamed) one, and the top page.
        let path = ["/register/confirm?token=nothing", "/login", "/recovery/identify"][i % 3];
        let ok = match client.get(app.url(path)).send().await {
            Ok(res) => res.status() != 408 && res.text().await.is_ok(),
            Err(_) => false,
        };
        loads += 1;
        if !ok {
            stalls += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let built = builder.join().unwrap();
    eprintln!(
        "render stall reproduction: {loads} page loads, {stalls} stalled, {built} routers built meanwhile"
    );
    assert!(built > 0);
    assert_eq!(stalls, 0, "{stalls} of {loads} page loads stalled");
}
