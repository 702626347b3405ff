//! The integration-test harness: each test gets the real app on port 0 with a fresh
//! database of its own: a new SQLite file, or a new database in the PostgreSQL server
//! named by `TEST_POSTGRES_URL` (the test command starts one).
#![allow(dead_code)]

pub mod authenticator;
pub mod gmo;
mod process;
pub mod proxy;
pub mod smtp;
mod steps;

pub use process::{server_binary, Served, Serving};
pub use steps::*;

use app::seed;
use app::ssr::{config::Settings, db::Db};
use leptos::config::LeptosOptions;
use server::Application;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `Accept` of a plain form post (a browser without JavaScript: the answer is a redirect).
pub const HTML: (&str, &str) = ("Accept", "text/html");
/// `Accept` of the hydrated page's fetch (the answer is JSON).
pub const JSON: (&str, &str) = ("Accept", "application/json");
/// The Fetch Metadata header a browser sends with a request from the portal's own page.
pub const SAME_ORIGIN: (&str, &str) = ("Sec-Fetch-Site", "same-origin");

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The app's shared state (the maintenance task's `tick` takes it).
    pub state: app::ssr::AppState,
    pub database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    sqlite_file: Option<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(file) = self.sqlite_file.take() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        get_page(&self.client, &self.url(path)).await
    }

    /// POST `form` to `path` from `client` with these headers and no others: the
    /// request every other POST of the tests is a case of.
    pub async fn post_with<F: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        headers: &[(&str, &str)],
        form: &F,
    ) -> reqwest::Response {
        let mut req = client.post(self.url(path));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.form(form).send().await.expect("request failed")
    }

    /// POST a form as a browser without JavaScript does (Accept: text/html, same origin).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_with(&self.client, path, &[HTML, SAME_ORIGIN], form).await
    }

    /// POST a form as the hydrated page does (fetch, JSON answer).
    pub async fn post_fetch(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.fetch_from(&self.client, path, form).await
    }

    /// POST a form as the hydrated page does, from another browser (`client`).
    pub async fn fetch_from(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post_with(client, path, &[JSON, SAME_ORIGIN], form).await
    }

    /// Log in without JavaScript; returns the response (302 on success).
    pub async fn login(&self, id: &str, password: &str) -> reqwest::Response {
        self.post_form("/api/login", &[("itscom_id", id), ("password", password), ("next", "/")]).await
    }

    /// Log in without JavaScript from another browser (`client`, its own cookie jar).
    pub async fn login_from(&self, client: &reqwest::Client, id: &str, password: &str) -> reqwest::Response {
        self.post_with(client, "/api/login", &[HTML], &[("itscom_id", id), ("password", password)]).await
    }

    /// A second browser on the same app: its own cookie jar.
    pub fn new_browser(&self) -> reqwest::Client {
        browser()
    }

    /// GET with another browser's cookies.
    pub async fn get_text_with(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        get_page_text(client, &self.url(path)).await
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        get_page_text(&self.client, &self.url(path)).await
    }
}

/// A fresh, empty, migrated database URL for one test.
pub async fn fresh_database(backend: Backend) -> (String, Option<std::path::PathBuf>) {
    let id = app::ssr::db::new_id();
    match backend {
        Backend::Sqlite => {
            let file = std::env::temp_dir().join(format!("mypage-test-{id}.db"));
            (format!("sqlite://{}", file.display()), Some(file))
        }
        Backend::Postgres => {
            let admin = std::env::var("TEST_POSTGRES_URL").expect(
                "TEST_POSTGRES_URL is not set: run the README's test command, which starts a \
                 throwaway PostgreSQL, or point it at one (postgres://user@host:port/postgres)",
            );
            let db = Db::connect(&admin).await.expect("connect to TEST_POSTGRES_URL");
            let name = format!("mypage_test_{id}");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(db.pool())
                .await
                .expect("create test database");
            db.close().await;
            let mut url = url::Url::parse(&admin).expect("TEST_POSTGRES_URL is a URL");
            url.set_path(&name);
            (url.to_string(), None)
        }
    }
}

pub fn test_settings(database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("DATABASE_URL".into(), database_url.into());
    vars.insert("PUBLIC_URL".into(), "http://127.0.0.1:3000".into());
    // The server's default is production (fail closed); tests over plain http say
    // development, and the tests of production say so in `extra`.
    vars.insert("MYPAGE_ENV".into(), "development".into());
    // Short: a request that hangs fails its test quickly (408).
    vars.insert("REQUEST_TIMEOUT_SECS".into(), "5".into());
    // Many tests share two cores: a request may wait for a pooled connection longer
    // than in production before the app calls the database away (faults.rs tests
    // that answer with the production wait).
    vars.insert("DATABASE_WAIT_SECS".into(), "10".into());
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
}

pub fn test_leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("mypage")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
}

/// The app on a random port with an empty (migrated) database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// The app with extra configuration variables (e.g. `MYPAGE_ENV=production`).
pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    spawn_app_serving(backend, extra, concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")).await
}

/// The app serving static files from `site_root`.
pub async fn spawn_app_serving(backend: Backend, extra: &[(&str, &str)], site_root: &str) -> TestApp {
    let (database_url, sqlite_file) = fresh_database(backend).await;
    spawn_app_on(&database_url, sqlite_file, extra, site_root).await
}

/// The app on the database at `database_url` (a fresh one: see [`fresh_database`]),
/// reached there through whatever is at that address (a [`proxy::TcpProxy`]).
pub async fn spawn_app_on(
    database_url: &str,
    sqlite_file: Option<std::path::PathBuf>,
    extra: &[(&str, &str)],
    site_root: &str,
) -> TestApp {
    capture_logs();
    not_at_midnight_in_japan().await;
    let database_url = database_url.to_string();
    let settings = test_settings(&database_url, extra);
    let app = Application::build(settings, test_leptos_options(site_root)).await.expect("build app");
    let address = format!("http://{}", app.local_addr());
    let db = app.state().db.clone();
    let state = app.state().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    let client = browser();
    TestApp { address, client, db, state, database_url, shutdown: Some(tx), sqlite_file }
}

/// A card's expiry year four years on (Japan time), as typed on a card form (two digits)
/// and as kept (four): a fixed year would expire the tests' cards one day.
pub fn card_year() -> (String, i64) {
    let year = i64::from(app::domain::billing::Date::of_unix_jst(app::ssr::now()).year) + 4;
    (format!("{:02}", year % 100), year)
}

/// Japan's day does not turn during a test: one that starts in the last three minutes
/// before midnight JST (the longest tests, the load tests, take a minute or two on a
/// loaded machine) waits for it. Tests work out today (its month, a quote's first or last
/// day) as the server does, a moment apart: across midnight, or a month's end, the two
/// would disagree, and the test fail for no fault of the code.
async fn not_at_midnight_in_japan() {
    let left = 86_400 - (app::ssr::now() + 9 * 3_600).rem_euclid(86_400);
    if left <= 180 {
        tokio::time::sleep(std::time::Duration::from_secs(left.unsigned_abs() + 1)).await;
    }
}

/// A browser of its own (cookie jar), which does not follow redirects (tests read them).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client")
}

/// The app with the demo data of SPEC §7 loaded.
pub async fn spawn_app_with_demo_data(backend: Backend) -> TestApp {
    spawn_app_with_demo_data_and(backend, &[]).await
}

/// The app with the demo data, and a browser of its own that nobody has logged in from
/// (a visitor: registration and recovery start here).
pub async fn demo_app_and_browser(backend: Backend) -> (TestApp, reqwest::Client) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    (app, c)
}

/// The app with demo data and extra configuration.
pub async fn spawn_app_with_demo_data_and(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let app = spawn_app_with(backend, extra).await;
    seed::seed_demo(&app.db, "itscom.net").await.expect("seed demo data");
    app
}

/// GET a page. (A stalled render once made this retry: the cause, a process-wide flag
/// set while a route list is generated, is fixed in `server::route_list`; a stall now
/// fails the test, as `REQUEST_TIMEOUT_SECS` answers 408 and the body read times out.)
pub async fn get_page(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.get(url).send().await.expect("request failed")
}

/// GET a page and read it whole.
pub async fn get_page_text(client: &reqwest::Client, url: &str) -> (u16, String) {
    let res = get_page(client, url).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("the page body arrives whole"))
}

/// The lines of `customer_no`'s invoice for `month` as it was issued (stored), in
/// order: description, amount, tax rate.
pub async fn invoiced_lines(
    app: &TestApp,
    customer_no: &str,
    month: app::domain::billing::Month,
) -> Vec<(String, i64, i64)> {
    sqlx::query_as(
        "SELECT l.description, l.amount, l.rate FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = $1 AND i.billing_month = $2 ORDER BY l.line_no",
    )
    .bind(customer_no)
    .bind(month.to_string())
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

/// The maintenance task's run at `now` (the hold of a re-registration, purges).
pub async fn maintenance_at(app: &TestApp, now: i64) -> app::ssr::maintenance::Report {
    let report = app::ssr::maintenance::tick(&app.state, now).await;
    assert!(report.failed.is_empty(), "maintenance run: {:?} failed", report.failed);
    report
}

/// The kinds of the security events recorded, oldest first.
pub async fn event_kinds(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT kind FROM account_events ORDER BY created_at, id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(k,)| k).collect()
}

/// Run futures concurrently (tokio tasks) and collect their results in order.
pub async fn futures_join_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// A password reset of `account` as its transaction writes it (the new password; every
/// session, waiting login and pending change ended), held open for the caller to commit.
pub async fn reset_held(app: &TestApp, account: &str) -> sqlx::Transaction<'static, sqlx::Any> {
    let mut reset = app.db.begin().await.unwrap();
    sqlx::query("UPDATE accounts SET password_hash = 'a new one', updated_at = updated_at + 1 WHERE id = $1")
        .bind(account)
        .execute(&mut *reset)
        .await
        .unwrap();
    app::features::end_for_security(&mut reset, account, app::ssr::now()).await.unwrap();
    reset
}

/// A password login (`form`) from a new browser, under way when a reset of `account`
/// completes: where it went.
pub async fn login_across_a_reset(app: &TestApp, account: &str, form: &[(&str, &str)]) -> String {
    let login = post_later(app, &app.new_browser(), "/api/login", &[HTML], form);
    location(&across(reset_held(app, account).await, login).await)
}

/// Asserts that `table` has no row of `account` (its sessions, its logins waiting for a
/// code).
pub async fn assert_none_in(app: &TestApp, table: &str, account: &str) {
    let rows: Vec<(String,)> =
        rows_for(app, &format!("SELECT account_id FROM {table} WHERE account_id = $1"), account).await;
    assert!(rows.is_empty(), "{table}: {rows:?}");
}

/// `request` started while `held` (a transaction of the test's) is open: seen still
/// waiting a second later, then `held` committed; what `request` came to.
pub async fn across<T: Send + 'static>(
    held: sqlx::Transaction<'static, sqlx::Any>,
    request: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    let request = tokio::spawn(request);
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(!request.is_finished(), "the request waits for the transaction held open");
    held.commit().await.unwrap();
    request.await.unwrap()
}

/// A POST of `form` from `client` with `headers`, to be sent later (by [`across`]).
pub fn post_later(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> impl std::future::Future<Output = reqwest::Response> + Send + 'static {
    let mut req = client.post(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let req = req.form(form);
    async move { req.send().await.expect("request failed") }
}

/// POST a form without JavaScript from `client` (a browser); expects a redirect and
/// returns where it points.
pub async fn post_from(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> String {
    let res = app.post_with(client, path, &[HTML], form).await;
    assert_eq!(res.status(), 302, "{path}");
    location(&res)
}

/// A browser logged in as `id`.
pub async fn logged_in(app: &TestApp, id: &str, password: &str) -> reqwest::Client {
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, id, password).await), "/");
    c
}

/// [`logged_in`] with the browser's cookie jar, to send its cookies by hand.
pub async fn logged_in_with_jar(
    app: &TestApp,
    id: &str,
    password: &str,
) -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let (c, jar) = browser_with_jar();
    assert_eq!(location(&app.login_from(&c, id, password).await), "/");
    (c, jar)
}

/// A browser (redirects not followed) whose cookies the test can read and add to.
pub fn browser_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    (b, jar)
}

/// The value of the form field `name` of a page (a hidden input's).
pub fn hidden(body: &str, name: &str) -> String {
    let at = body.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("field {name}"));
    let rest = &body[at..];
    let v = &rest[rest.find("value=\"").unwrap() + 7..];
    v[..v.find('"').unwrap()].to_string()
}

/// The `Set-Cookie` headers of a response.
pub fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

/// The value of cookie `name` set by a response.
pub fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(res).into_iter().find_map(|c| {
        let first = c.split(';').next()?.to_string();
        let (k, v) = first.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The account id of customer `customer_no`.
pub async fn account_of(app: &TestApp, customer_no: &str) -> String {
    sqlx::query_scalar("SELECT id FROM accounts WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_one(app.db.pool())
        .await
        .expect("the customer's account")
}

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(app.db.pool()).await.unwrap();
    n
}

/// Taken shared by every test, exclusively by the timing tests: in one test binary the
/// other tests would otherwise run beside them (argon2 on the other core) and their
/// "an unknown ID answers as fast as a known one" medians would measure the neighbour.
pub static TIMING: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Runs each named `async fn name(backend: Backend)` as two tests, `sqlite::name` and
/// `postgres::name`, each holding [`TIMING`] shared.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => { $crate::both_databases_holding!(read; $($name),*); };
}

/// As [`on_both_databases!`], each test running alone (for tests that measure time).
#[macro_export]
macro_rules! alone_on_both_databases {
    ($($name:ident),* $(,)?) => { $crate::both_databases_holding!(write; $($name),*); };
}

/// The two macros above: `$lock` is how each test takes [`TIMING`] (`read`, `write`).
#[macro_export]
macro_rules! both_databases_holding {
    ($lock:ident; $($name:ident),*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "current_thread")]
                async fn $name() {
                    let _timing = $crate::common::TIMING.$lock().await;
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "current_thread")]
                async fn $name() {
                    let _timing = $crate::common::TIMING.$lock().await;
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// An iTSCOM ID without an account whose recovery screens take `method` (`code` or
/// `question`): unknown IDs are spread over both paths by a server secret.
pub async fn unknown_id_taking(app: &TestApp, method: &str) -> String {
    let secret = app.db.server_secret(app::features::recovery::DECOY_SECRET).await.unwrap();
    (0..1000)
        .map(|i| format!("nobody{i}@example.com"))
        .find(|id| app::features::recovery::decoy_method(&secret, id) == method)
        .expect("some unknown ID takes each path")
}

/// The rows `sql` selects.
pub async fn rows<T>(app: &TestApp, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sql).fetch_all(app.db.pool()).await.unwrap()
}

/// The rows `sql` selects with `$1` bound to `bind`.
pub async fn rows_for<T>(app: &TestApp, sql: &str, bind: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sql).bind(bind).fetch_all(app.db.pool()).await.unwrap()
}

/// The mails of `topic` queued for `to`, newest first.
pub async fn outbox_mails_to(app: &TestApp, topic: &str, to: &str) -> Vec<app::ssr::mail::Mail> {
    let sql = "SELECT payload FROM outbox WHERE topic = $1 ORDER BY created_at DESC";
    let rows: Vec<(String,)> = rows_for(app, sql, topic).await;
    rows.into_iter()
        .map(|(p,)| serde_json::from_str::<app::ssr::mail::Mail>(&p).unwrap())
        .filter(|m| m.to == to)
        .collect()
}

/// The path (and query) of the first link to this app in a mail's text.
pub fn link_path(mail: &app::ssr::mail::Mail, route: &str) -> Option<String> {
    mail.text.lines().find_map(|l| l.trim().find(route).map(|i| l.trim()[i..].to_string()))
}

/// POSTs `form` to `path` from each of `clients` at the same moment, as plain form
/// posts; returns where each was redirected (races: double clicks, two tabs).
pub async fn at_once(
    app: &TestApp,
    clients: &[reqwest::Client],
    path: &str,
    form: &[(&str, &str)],
) -> Vec<String> {
    let form: Vec<(String, String)> = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let tasks: Vec<_> = clients
        .iter()
        .map(|c| {
            let (c, url, form) = (c.clone(), app.url(path), form.clone());
            tokio::spawn(async move {
                let res = c.post(url).header("Accept", "text/html").form(&form).send().await.unwrap();
                location(&res)
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Everything every app of this test binary logged (debug level and up), kept in
/// memory: tests check that secrets never reach the logs.
static LOGS: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    LOGS.get_or_init(|| {
        let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buffer
    });
}

/// The logs captured so far (see [`capture_logs`]).
pub fn logs() -> String {
    let buffer = LOGS.get().expect("an app was spawned");
    String::from_utf8_lossy(&buffer.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// The text of a PDF, by `pdftotext -layout` (Debian poppler-utils).
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("mypage-pdf-{}", app::ssr::crypto::random_token()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed by the test command");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `server <command> <args…>` (an operator's command) on this test's database: whether
/// it succeeded, and what it printed.
pub fn operator(app: &TestApp, command: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("MYPAGE_ENV", "development")
        .env("RUST_LOG", "error")
        .arg(command)
        .args(args)
        .output()
        .expect("run server");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Every text value of every table, one a line: tests check that a card number (or
/// another secret) is stored nowhere.
pub async fn all_text_in_the_database(app: &TestApp) -> String {
    let tables: Vec<(String,)> = if app.database_url.starts_with("sqlite") {
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(app.db.pool())
            .await
            .unwrap()
    } else {
        sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap()
    };
    let mut all = String::new();
    for (table,) in tables {
        let columns: Vec<(String,)> = if app.database_url.starts_with("sqlite") {
            sqlx::query_as("SELECT name FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(app.db.pool())
                .await
                .unwrap()
        } else {
            sqlx::query_as(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(&table)
            .fetch_all(app.db.pool())
            .await
            .unwrap()
        };
        for (column,) in columns {
            // SQLite: as bytes (a blob is not UTF-8), read leniently.
            let values: Vec<Option<String>> = if app.database_url.starts_with("sqlite") {
                let raw: Vec<(Option<Vec<u8>>,)> =
                    sqlx::query_as(&format!("SELECT CAST({column} AS BLOB) FROM {table}"))
                        .fetch_all(app.db.pool())
                        .await
                        .unwrap();
                raw.into_iter().map(|(v,)| v.map(|b| String::from_utf8_lossy(&b).into_owned())).collect()
            } else {
                let text: Vec<(Option<String>,)> =
                    sqlx::query_as(&format!("SELECT CAST({column} AS TEXT) FROM {table}"))
                        .fetch_all(app.db.pool())
                        .await
                        .unwrap();
                text.into_iter().map(|(v,)| v).collect()
            };
            for v in values {
                all.push_str(&v.unwrap_or_default());
                all.push('\n');
            }
        }
    }
    assert!(all.contains("hanako@example.com"), "the scan reads text columns");
    all
}

/// The server's own count of the running speed test of `ticket` as a real test at
/// `down_mbps` / `up_mbps` for 10 s each would have left it (tests that send made-up
/// figures without moving the bytes).
pub async fn speed_counted(app: &TestApp, ticket: &str, down_mbps: i64, up_mbps: i64) {
    sqlx::query(
        "UPDATE speed_tests SET bytes_down = $2, down_first_ms = $4, down_last_ms = $5,
            bytes_up = $3, up_first_ms = $4, up_last_ms = $5 WHERE ticket_hash = $1",
    )
    .bind(app::ssr::crypto::sha256_hex(ticket))
    .bind(down_mbps * 1_250_000)
    .bind(up_mbps * 1_250_000)
    .bind(app::ssr::now_ms() - 10_000)
    .bind(app::ssr::now_ms())
    .execute(app.db.pool())
    .await
    .unwrap();
}
