//! The steps tests take again and again, written once: a customer's steps through a
//! flow (registration, a recovery code), what a test seeds or ages in the database
//! (spent budgets, old logins, expired links) and what it reads back (the contact
//! address, a mail). Each test then reads as its story.

use super::{location, logged_in, outbox_mails_to, post_from, rows_for, TestApp, HTML};
use app::ssr::auth::throttle::{self, Policy};

// Registration (SPEC §1.3).

/// STEP 2 (the contract holder's details) from browser `client`: where it leads.
pub async fn verify(
    app: &TestApp,
    client: &reqwest::Client,
    kana: &str,
    phone: &str,
    kind: &str,
    value: &str,
) -> String {
    let form = [("kana", kana), ("phone", phone), ("factor_kind", kind), ("factor_value", value)];
    post_from(app, client, "/api/register/verify", &form).await
}

/// STEP 2 for 佐藤 花子 (demo 100000002, who has an account), by her card.
pub async fn hanako_verifies(app: &TestApp, c: &reqwest::Client) -> String {
    verify(app, c, "サトウ ハナコ", "090-1111-2222", "card", "4242").await
}

/// STEP 2 for 山田 太郎 (demo 100000001, no account yet), by his bank account.
pub async fn taro_verifies(app: &TestApp, c: &reqwest::Client) -> String {
    verify(app, c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await
}

/// STEP 3's form: the new iTSCOM ID, and its password typed twice.
pub fn credentials_form<'a>(id: &'a str, password: &'a str) -> [(&'a str, &'a str); 3] {
    [("itscom_id", id), ("password", password), ("password_again", password)]
}

/// STEP 3 from browser `client`: where it leads.
pub async fn credentials(app: &TestApp, client: &reqwest::Client, id: &str, password: &str) -> String {
    post_from(app, client, "/api/register/credentials", &credentials_form(id, password)).await
}

// Forgotten password (SPEC §1.4).

/// The code from the newest code mail to `to`.
pub async fn mailed_code(app: &TestApp, to: &str) -> Option<String> {
    let mails = outbox_mails_to(app, "recovery.code", to).await;
    mails.first().and_then(|m| m.text.split("認証コード: ").nth(1).map(|r| r[..6].to_string()))
}

/// Path B started for 佐藤 花子 from a browser of its own: that browser (the flow is
/// its), and the code mailed to her.
pub async fn hanako_gets_a_code(app: &TestApp) -> (reqwest::Client, String) {
    let c = app.new_browser();
    post_from(app, &c, "/api/recovery/start", &[("itscom_id", "hanako@example.com")]).await;
    let code = mailed_code(app, "hanako@example.com").await.unwrap();
    (c, code)
}

/// 100000005 of the demo, who has TV only, given an account (misaki@example.jp) and
/// logged in.
pub async fn tv_only_customer(app: &TestApp) -> reqwest::Client {
    sqlx::query(
        "INSERT INTO accounts (id, customer_no, itscom_id, itscom_id_key, password_hash, recovery_method,
            created_at, updated_at) VALUES ('tv-only', '100000005', 'misaki@example.jp', 'misaki@example.jp', $1, 'code', 0, 0)",
    )
    .bind(app::ssr::auth::password::hash("Misaki-2026x"))
    .execute(app.db.pool())
    .await
    .unwrap();
    logged_in(app, "misaki@example.jp", "Misaki-2026x").await
}

/// A recovery started for `id` from a browser of its own (the first step of either
/// path): where it leads.
pub async fn recovery_started(app: &TestApp, id: &str) -> String {
    post_from(app, &app.new_browser(), "/api/recovery/start", &[("itscom_id", id)]).await
}

// Login (SPEC §1.2).

/// A login as `id` from the app's own browser behind one proxy, which names the client
/// `forwarded` (X-Forwarded-For): where it leads.
pub async fn login_behind_a_proxy(app: &TestApp, id: &str, password: &str, forwarded: &str) -> String {
    let form = [("itscom_id", id), ("password", password)];
    location(&app.post_with(&app.client, "/api/login", &[HTML, ("X-Forwarded-For", forwarded)], &form).await)
}

// What a test sets in the database.

/// Runs `sql` (an UPDATE, INSERT or DELETE that sets the scene).
pub async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.db.pool()).await.unwrap();
}

/// What `request` came to while `table` was away (renamed, as a database fails at a
/// statement on it); the table is back when this returns.
pub async fn with_table_away<T>(
    app: &TestApp,
    table: &str,
    request: impl std::future::Future<Output = T>,
) -> T {
    exec(app, &format!("ALTER TABLE {table} RENAME TO {table}_away")).await;
    let answer = request.await;
    exec(app, &format!("ALTER TABLE {table}_away RENAME TO {table}")).await;
    answer
}

/// Runs `sql` with `$1` bound to the time `at` (a moment stored in seconds).
pub async fn exec_at(app: &TestApp, sql: &str, at: i64) {
    sqlx::query(sql).bind(at).execute(app.db.pool()).await.unwrap();
}

/// Makes every session's login older than the 5 minutes after which a change that
/// matters asks for the password again.
pub async fn age_logins(app: &TestApp) {
    exec_at(app, "UPDATE sessions SET created_at = $1", app::ssr::now() - 310).await;
}

/// One attempt of `policy` for `subject` reserved at each of `times`: the failures
/// that came before the test.
pub async fn spend_budget(
    app: &TestApp,
    policy: &Policy,
    subject: &str,
    times: impl IntoIterator<Item = i64>,
) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    for at in times {
        throttle::reserve(&mut conn, policy, subject, at).await.unwrap();
    }
}

/// As if every throttle's wait had passed, and `secs` more with it: a rate window
/// starts counting again; failures in a row do not.
pub async fn pass_throttle_waits(app: &TestApp, secs: i64) {
    exec(app, &format!("UPDATE throttle SET blocked_until = 0, window_start = window_start - {secs}")).await;
}

// What a test reads back.

/// The contact address on record for `customer_no`, if any.
pub async fn contact_email(app: &TestApp, customer_no: &str) -> Option<String> {
    let sql = "SELECT contact_email FROM customers WHERE customer_no = $1";
    let rows: Vec<(Option<String>,)> = rows_for(app, sql, customer_no).await;
    rows.into_iter().next().expect("the customer").0
}

/// The contact address on record for `customer_no` ("" for none).
pub async fn contact_of(app: &TestApp, customer_no: &str) -> String {
    contact_email(app, customer_no).await.unwrap_or_default()
}

/// The stored payload of the first mail (or event) of `topic` in the outbox.
pub async fn first_payload(app: &TestApp, topic: &str) -> String {
    let rows: Vec<(String,)> = rows_for(app, "SELECT payload FROM outbox WHERE topic = $1", topic).await;
    rows.into_iter().next().unwrap_or_else(|| panic!("a {topic} in the outbox")).0
}

/// The first mail of `topic` in the outbox, whoever it is to.
pub async fn first_mail(app: &TestApp, topic: &str) -> app::ssr::mail::Mail {
    serde_json::from_str(&first_payload(app, topic).await).unwrap()
}
