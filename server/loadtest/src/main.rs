//! The load test (issue 26 §4 and §5, `npm run loadtest`): simulated customers of
//! the portal, driven by goose. Each simulated customer is synthetic customer `n`
//! (`server seed-load`), logs in as `load{n:06}@example.com` from a loopback address
//! of its own (`127.10.x.y`, so the portal's per-address throttles see a thousand
//! customers through haproxy's `X-Forwarded-For`), with a cookie jar of its own, and
//! goes round: log in, the top page, the invoices, one invoice PDF, the contract, the
//! history, the help page and an inquiry (at most 5 an hour: the portal's limit), the
//! mailboxes and a switch of the virus check, log out; a think time between the steps.
//!
//! Every answer is judged, not only its status: a page must carry its own marker (a
//! login page served instead counts as "logged out"), a form post must redirect where
//! the portal sends a success. What failed is counted by kind; the kinds a fault
//! explains (haproxy's branded 502 for a form post in flight on a killed process, a
//! branded 503 while the database is away) are marked as such, the report decides.
//!
//! Options are goose's (`--users`, `--run-time`, `--host`, `--increase-rate`, …;
//! `--help`), and from the environment:
//! - `LOADTEST_SUMMARY`: where the JSON summary goes (steps, percentiles, errors by
//!   kind, logins, the inquiry numbers the customers were shown); `.ci/loadtest.py`
//!   prints it as the table;
//! - `LOADTEST_THINK_MS` = `min-max` think time (default `5000-15000`);
//! - `LOADTEST_SCENARIO` = `customers` (default) or `writer` (log in once, then
//!   inquiries and virus-check switches with little pause: the SQLite fault's write
//!   load);
//! - `LOADTEST_FIRST` = the first synthetic customer (default 1).
//!
//! `loadtest argon2-bound [SECONDS]` measures the password hash's bound instead: hashes
//! a second with the portal's parameters on every core.

use goose::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// `app::synthetic::PASSWORD` (not a dependency: the load test builds without the app).
const PASSWORD: &str = "Load-Test-2026";
/// `help::store::PER_HOUR`: inquiries an account may send in an hour.
const INQUIRIES_PER_HOUR: u32 = 5;
/// A login page (the portal's login form).
const LOGIN_FORM: &str = "action=\"/api/login\"";
/// The portal's busy page and haproxy's errorfiles (deploy/errors) say this.
const BRANDED: &str = "ただいま混み合っているか、メンテナンス中です";
/// Only haproxy's errorfiles (deploy/errors) have this header.
const HAPROXY_PAGE: &str = "<header>マイページ</header>";

/// One simulated customer's state between steps.
#[derive(Clone, Debug)]
struct Customer {
    n: u64,
    logged_in: bool,
    inquiries: u32,
    /// A month on the invoice list (its PDF is the next step).
    month: Option<String>,
    /// The mailbox on the list: its id and the virus check's next value.
    mailbox: Option<(String, String)>,
}

/// Everything the run saw, for the summary.
#[derive(Default)]
struct Record {
    /// Per step: durations in microseconds of every answered request.
    durations: BTreeMap<&'static str, Vec<u32>>,
    /// Per step: (requests, failed).
    counts: BTreeMap<&'static str, (u64, u64)>,
    /// Per kind of error: (count, tolerated under faults, an example).
    errors: BTreeMap<String, (u64, bool, String)>,
    /// Each error as it happened: (unix time, kind), for the report to set beside the
    /// faults' times.
    timeline: Vec<(f64, String)>,
    /// Seconds from the start of each successful login.
    logins: Vec<f64>,
    /// (customer, inquiry number) the portal acknowledged (the redirect named it).
    acknowledged: Vec<(u64, String)>,
    /// (customer, inquiry number) the page then showed the customer.
    shown: Vec<(u64, String)>,
    /// Inquiries left out because the customer had sent 5 this hour.
    inquiries_skipped: u64,
    /// Customers without an internet service (no mailbox): the switch left out.
    no_mailbox: u64,
    /// Virus-check switches the portal acknowledged.
    switches: u64,
}

fn record() -> &'static Mutex<Record> {
    static R: OnceLock<Mutex<Record>> = OnceLock::new();
    R.get_or_init(Default::default)
}

fn started() -> Instant {
    static S: OnceLock<Instant> = OnceLock::new();
    *S.get_or_init(Instant::now)
}

/// What an answer must be.
#[derive(Clone, Copy)]
enum Expect {
    /// 200 with this marker in the page (or one of `a|b`).
    Page(&'static str),
    /// 200 with a PDF.
    Pdf,
    /// A redirect (302/303) whose `Location` passes this test.
    Redirect(fn(&str) -> bool),
}

/// An answer that passed.
struct Answer {
    location: String,
    body: String,
}

fn user_data(user: &mut GooseUser) -> &mut Customer {
    user.get_session_data_unchecked_mut::<Customer>()
}

/// Makes one request of step `step` and judges its answer; `Ok(None)` when it failed
/// (counted by kind).
async fn call(
    user: &mut GooseUser,
    step: &'static str,
    path: &str,
    form: Option<&[(&str, &str)]>,
    expect: Expect,
) -> Result<Option<Answer>, Box<TransactionError>> {
    let method = if form.is_some() { GooseMethod::Post } else { GooseMethod::Get };
    let mut builder = user.get_request_builder(&method, path)?.header("Accept", "text/html");
    if let Some(form) = form {
        // A plain form post from the portal's own page.
        builder = builder.header("Sec-Fetch-Site", "same-origin").form(form);
    }
    let mut request =
        GooseRequest::builder().method(method).path(path).name(step).set_request_builder(builder);
    if let Expect::Redirect(_) = expect {
        request = request.expect_status_code(302);
    }
    let t0 = Instant::now();
    let mut goose = user.request(request.build()).await?;
    let failure = match goose.response {
        Err(e) => {
            let kind = if e.is_timeout() {
                "timeout (no answer)"
            } else if e.is_connect() {
                "connection refused"
            } else {
                "connection broken (no answer)"
            };
            Err((kind.to_string(), false, e.to_string()))
        }
        Ok(response) => {
            let status = response.status().as_u16();
            let header = |name: &str| {
                response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
            };
            let (location, retry_after) = (header("location"), header("retry-after"));
            match response.bytes().await {
                Err(e) => Err(("answer cut off".to_string(), false, e.to_string())),
                Ok(bytes) => {
                    let elapsed = t0.elapsed().as_micros().min(u32::MAX as u128) as u32;
                    let mut r = record().lock().unwrap();
                    r.durations.entry(step).or_default().push(elapsed);
                    // Logins once the ramp's queue (every customer's first login at
                    // once) is over: what a customer waits in the steady state.
                    if step == "login" && started().elapsed().as_secs() > steady_after() {
                        r.durations.entry("login (steady, after the ramp)").or_default().push(elapsed);
                        r.counts.entry("login (steady, after the ramp)").or_default().0 += 1;
                    }
                    drop(r);
                    let pdf = bytes.starts_with(b"%PDF");
                    let body = if pdf { String::new() } else { String::from_utf8_lossy(&bytes).into_owned() };
                    match judge(expect, status, &location, &body, pdf, form.is_some(), &retry_after) {
                        Ok(()) => Ok(Answer { location, body }),
                        Err((kind, tolerated)) => {
                            let example = format!("{step} {path} → {status} {location}");
                            Err((kind, tolerated, example))
                        }
                    }
                }
            }
        }
    };
    let mut r = record().lock().unwrap();
    let counts = r.counts.entry(step).or_default();
    counts.0 += 1;
    match failure {
        Ok(answer) => Ok(Some(answer)),
        Err((kind, tolerated, example)) => {
            counts.1 += 1;
            let logged_out = kind.starts_with("logged out");
            let e = r.errors.entry(kind.clone()).or_insert((0, tolerated, example));
            e.0 += 1;
            r.timeline.push((unix_now(), kind.clone()));
            drop(r);
            if logged_out {
                user_data(user).logged_in = false;
            }
            // Goose's own figures agree (its request was a success when the status was).
            let _ = user.set_failure(&kind, &mut goose.request, None, None);
            Ok(None)
        }
    }
}

/// Why an answer is not what `expect` wants: (kind, tolerated under faults).
fn judge(
    expect: Expect,
    status: u16,
    location: &str,
    body: &str,
    pdf: bool,
    post: bool,
    retry_after: &str,
) -> Result<(), (String, bool)> {
    let passed = match expect {
        Expect::Page(markers) => status == 200 && markers.split('|').any(|m| body.contains(m)),
        Expect::Pdf => status == 200 && pdf,
        Expect::Redirect(test) => matches!(status, 302 | 303) && test(location),
    };
    if passed {
        return Ok(());
    }
    let to_login = location.starts_with("/login");
    Err(match status {
        // A plain form post the portal could not do: back to its page with the message.
        302 | 303 if location.contains("error=busy") => {
            ("form post answered busy (its page, error=busy)".into(), true)
        }
        302 | 303 if to_login => ("logged out (sent to the login page)".into(), false),
        // The logout's failure has no page of its own: leptos_axum sends it to "/".
        302 | 303 if post && location == "/" => {
            ("form post failed without a message (redirect to /)".into(), true)
        }
        200 if body.contains(LOGIN_FORM) => ("logged out (the login page served)".into(), false),
        502 if post && body.contains(HAPROXY_PAGE) => {
            ("form post in flight on a killed process (haproxy's branded 502 page)".into(), true)
        }
        502..=504 if body.contains(HAPROXY_PAGE) => {
            (format!("{status} from haproxy (branded page)"), status == 503)
        }
        503 if body.contains(BRANDED) && !retry_after.is_empty() => {
            ("503 from the portal (branded, Retry-After)".into(), true)
        }
        503 if body.contains(BRANDED) => ("503 from the portal without Retry-After".into(), false),
        // The PDF renders all busy for 3 s (or another limit of the portal's).
        503 if body.contains("ただいま混み合っています") => {
            ("503 busy (ただいま混み合っています)".into(), false)
        }
        500..=599 => {
            (format!("{status} {}", if body.contains(BRANDED) { "branded" } else { "unbranded" }), false)
        }
        200 => ("200 without the page's marker".into(), false),
        _ => (format!("{status} where another answer was due"), false),
    })
}

/// The client of customer `n`: its own cookie jar, its own loopback address.
fn client_for(n: u64) -> reqwest::ClientBuilder {
    let ip = std::net::Ipv4Addr::new(127, 10, (n >> 8) as u8, (n & 0xff) as u8);
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(std::net::IpAddr::V4(ip))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(2)
        // Below haproxy's `timeout http-keep-alive 10s`: a connection it is closing is
        // not reused (a browser retries such a request; reqwest does not).
        .pool_idle_timeout(Duration::from_secs(8))
        .user_agent("mypage-loadtest")
}

async fn on_start(user: &mut GooseUser) -> TransactionResult {
    let first: u64 = std::env::var("LOADTEST_FIRST").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let n = first + user.weighted_users_index as u64;
    user.set_client_builder(client_for(n)).await?;
    user.set_session_data(Customer { n, logged_in: false, inquiries: 0, month: None, mailbox: None });
    Ok(())
}

async fn login(user: &mut GooseUser) -> TransactionResult {
    if user_data(user).logged_in {
        return Ok(());
    }
    let id = format!("load{:06}@example.com", user_data(user).n);
    let form = [("itscom_id", id.as_str()), ("password", PASSWORD), ("next", "/")];
    if call(user, "login", "/api/login", Some(&form), Expect::Redirect(|l| l == "/")).await?.is_some() {
        user_data(user).logged_in = true;
        let at = started().elapsed().as_secs_f64();
        record().lock().unwrap().logins.push(at);
    }
    Ok(())
}

async fn top(user: &mut GooseUser) -> TransactionResult {
    if !user_data(user).logged_in {
        return Ok(());
    }
    if let Some(page) = call(user, "top", "/", None, Expect::Page("data-testid=\"customer-no\"")).await? {
        // Her own page, not another customer's.
        let no = format!(">{}<", 800_000_000 + user_data(user).n);
        if !page.body.contains(&no) {
            count_error("top page of another customer", false, "/".into());
        }
    }
    Ok(())
}

fn count_error(kind: &str, tolerated: bool, example: String) {
    let mut r = record().lock().unwrap();
    r.errors.entry(kind.to_string()).or_insert((0, tolerated, example)).0 += 1;
    r.timeline.push((unix_now(), kind.to_string()));
}

/// Seconds after which the ramp's logins are over (`LOADTEST_STEADY_AFTER`, default 60).
fn steady_after() -> u64 {
    std::env::var("LOADTEST_STEADY_AFTER").ok().and_then(|v| v.parse().ok()).unwrap_or(60)
}

fn unix_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

async fn invoices(user: &mut GooseUser) -> TransactionResult {
    if !user_data(user).logged_in {
        return Ok(());
    }
    let page =
        call(user, "invoices", "/billing", None, Expect::Page("data-testid=\"billing-months\"")).await?;
    if let Some(page) = page {
        // The first invoice PDF linked (this month's statement).
        let month = page.body.split("href=\"/billing/").skip(1).find_map(|rest| {
            let month = rest.get(..7)?;
            rest[7..].starts_with("/invoice.pdf").then(|| month.to_string())
        });
        if month.is_none() {
            count_error("invoice list without an invoice PDF link", false, "/billing".into());
        }
        user_data(user).month = month;
    }
    Ok(())
}

async fn invoice_pdf(user: &mut GooseUser) -> TransactionResult {
    let Some(month) = user_data(user).month.take().filter(|_| user_data(user).logged_in) else {
        return Ok(());
    };
    call(user, "invoice PDF", &format!("/billing/{month}/invoice.pdf"), None, Expect::Pdf).await?;
    Ok(())
}

async fn contract(user: &mut GooseUser) -> TransactionResult {
    if user_data(user).logged_in {
        call(user, "contract", "/contract", None, Expect::Page("data-testid=\"contract-holder\"")).await?;
    }
    Ok(())
}

async fn history(user: &mut GooseUser) -> TransactionResult {
    if user_data(user).logged_in {
        call(user, "history", "/contract/history", None, Expect::Page("data-testid=\"history")).await?;
    }
    Ok(())
}

async fn help(user: &mut GooseUser) -> TransactionResult {
    if user_data(user).logged_in {
        call(user, "help", "/help", None, Expect::Page("data-testid=\"inquiry-")).await?;
    }
    Ok(())
}

/// An inquiry (the receipt mail goes out from the outbox), then the page the redirect
/// leads to, which must show its number.
async fn inquiry(user: &mut GooseUser) -> TransactionResult {
    let c = user_data(user).clone();
    if !c.logged_in {
        return Ok(());
    }
    if c.inquiries >= INQUIRIES_PER_HOUR {
        record().lock().unwrap().inquiries_skipped += 1;
        return Ok(());
    }
    let message = format!("負荷試験のお問い合わせです（{} の {} 件目）。", c.n, c.inquiries + 1);
    let form = [("category", "internet"), ("message", message.as_str())];
    let sent = |l: &str| l.starts_with("/help?sent=");
    let Some(answer) =
        call(user, "inquiry", "/api/help/inquiry", Some(&form), Expect::Redirect(sent)).await?
    else {
        return Ok(());
    };
    user_data(user).inquiries += 1;
    let reference = answer.location["/help?sent=".len()..].to_string();
    record().lock().unwrap().acknowledged.push((c.n, reference.clone()));
    let page = call(
        user,
        "help (inquiry sent)",
        &answer.location,
        None,
        Expect::Page("data-testid=\"inquiry-sent\""),
    )
    .await?;
    if let Some(page) = page {
        if page.body.contains(&reference) {
            record().lock().unwrap().shown.push((c.n, reference));
        } else {
            count_error("inquiry number not on the page", false, answer.location);
        }
    }
    Ok(())
}

/// The mailbox list, and the form of its first mailbox's switch.
async fn mailboxes(user: &mut GooseUser) -> TransactionResult {
    if !user_data(user).logged_in {
        return Ok(());
    }
    // The list, or why there is none (no internet service).
    let marker = Expect::Page("data-testid=\"virus-state\"|インターネットサービスをご契約のお客さまのみ");
    if let Some(page) = call(user, "mail", "/mail", None, marker).await? {
        let mailbox = hidden(&page.body, "mailbox_id").zip(hidden(&page.body, "virus_check"));
        if mailbox.is_none() {
            if page.body.contains("data-testid=\"virus-state\"") {
                count_error("mailbox list without its switch", false, "/mail".into());
            } else {
                record().lock().unwrap().no_mailbox += 1;
            }
        }
        user_data(user).mailbox = mailbox;
    }
    Ok(())
}

/// The value of hidden field `name` (the first).
fn hidden(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(page[at..].split('"').next()?.to_string())
}

async fn virus_switch(user: &mut GooseUser) -> TransactionResult {
    let Some((id, next)) = user_data(user).mailbox.take().filter(|_| user_data(user).logged_in) else {
        return Ok(());
    };
    let form = [("mailbox_id", id.as_str()), ("virus_check", next.as_str())];
    let back = |l: &str| l == "/mail";
    if call(user, "virus switch", "/api/mail/virus-check", Some(&form), Expect::Redirect(back))
        .await?
        .is_some()
    {
        record().lock().unwrap().switches += 1;
        // The browser follows the redirect: the list, switched.
        let page = call(user, "mail", "/mail", None, Expect::Page("data-testid=\"virus-state\"")).await?;
        if let Some(page) = page {
            if hidden(&page.body, "virus_check").as_deref() == Some(next.as_str()) {
                count_error("virus check not switched", false, "/mail".into());
            }
        }
    }
    Ok(())
}

async fn logout(user: &mut GooseUser) -> TransactionResult {
    if !user_data(user).logged_in {
        return Ok(());
    }
    let to_login = |l: &str| l.starts_with("/login");
    call(user, "logout", "/api/logout", Some(&[]), Expect::Redirect(to_login)).await?;
    // Out either way: the next round logs in again.
    user_data(user).logged_in = false;
    Ok(())
}

/// The writer: logs in when out, then sends its inquiries and switches its mailbox.
async fn write(user: &mut GooseUser) -> TransactionResult {
    if !user_data(user).logged_in {
        login(user).await?;
        if user_data(user).logged_in {
            mailboxes(user).await?;
        }
        return Ok(());
    }
    if user_data(user).inquiries < INQUIRIES_PER_HOUR {
        inquiry(user).await
    } else if user_data(user).mailbox.is_some() {
        virus_switch(user).await?;
        mailboxes(user).await
    } else {
        Ok(())
    }
}

fn think() -> (Duration, Duration) {
    let v = std::env::var("LOADTEST_THINK_MS").unwrap_or_else(|_| "5000-15000".into());
    let (lo, hi) = v.split_once('-').unwrap_or((&v, &v));
    let ms = |s: &str| Duration::from_millis(s.trim().parse().expect("LOADTEST_THINK_MS is min-max in ms"));
    (ms(lo), ms(hi))
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[i.clamp(1, sorted.len()) - 1]) / 1000.0
}

/// The JSON summary of the run (`.ci/loadtest.py` prints it).
fn summary(seconds: f64, users: usize) -> serde_json::Value {
    let mut r = record().lock().unwrap();
    let mut steps = Vec::new();
    let names: Vec<&'static str> = r.counts.keys().copied().collect();
    for name in names {
        let (requests, failed) = r.counts[name];
        let d = r.durations.entry(name).or_default();
        d.sort_unstable();
        steps.push(serde_json::json!({
            "step": name, "requests": requests, "errors": failed,
            "p50_ms": percentile(d, 50.0), "p95_ms": percentile(d, 95.0), "p99_ms": percentile(d, 99.0),
            "max_ms": percentile(d, 100.0),
        }));
    }
    let errors: Vec<_> = r
        .errors
        .iter()
        .map(|(kind, (count, tolerated, example))| {
            serde_json::json!({"kind": kind, "count": count, "tolerated_under_faults": tolerated, "example": example})
        })
        .collect();
    // Logins a second: over the run, and the best 10 s (the ramp, when every customer
    // logs in at once: what the processes can do).
    let mut peak = 0usize;
    let (mut lo, logins) = (0usize, &r.logins);
    for hi in 0..logins.len() {
        while logins[hi] - logins[lo] > 10.0 {
            lo += 1;
        }
        peak = peak.max(hi - lo + 1);
    }
    serde_json::json!({
        "seconds": seconds,
        "users": users,
        "steps": steps,
        "errors": errors,
        "error_timeline": r.timeline.iter().map(|(t, k)| serde_json::json!([t, k])).collect::<Vec<_>>(),
        "logins": r.logins.len(),
        "logins_per_second": r.logins.len() as f64 / seconds.max(0.001),
        "logins_per_second_best_10s": peak as f64 / 10.0,
        "inquiries_acknowledged": r.acknowledged.iter().map(|(n, x)| serde_json::json!([n, x])).collect::<Vec<_>>(),
        "inquiries_shown": r.shown.iter().map(|(n, x)| serde_json::json!([n, x])).collect::<Vec<_>>(),
        "inquiries_skipped_hour_limit": r.inquiries_skipped,
        "customers_without_mailbox_visits": r.no_mailbox,
        "virus_switches": r.switches,
    })
}

/// Argon2id with the portal's parameters (`app::ssr::auth::password`: m=19456 KiB, t=2,
/// p=1) on every core for `seconds`: hashes a second.
fn argon2_bound(seconds: f64) -> f64 {
    use argon2::{Algorithm, Argon2, Params, Version};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let t0 = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                let a = Argon2::new(
                    Algorithm::Argon2id,
                    Version::V0x13,
                    Params::new(19_456, 2, 1, None).unwrap(),
                );
                let mut out = [0u8; 32];
                let mut n = 0u64;
                while Instant::now() < until {
                    a.hash_password_into(b"Load-Test-2026", b"somesaltsomesalt", &mut out).unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    let hashes: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    hashes as f64 / t0.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("argon2-bound") {
        let seconds = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5.0);
        println!("{:.1}", argon2_bound(seconds));
        return Ok(());
    }
    let writer = std::env::var("LOADTEST_SCENARIO").as_deref() == Ok("writer");
    let (min, max) = think();
    let scenario = if writer {
        scenario!("writer")
            .set_wait_time(min, max)?
            .register_transaction(transaction!(on_start).set_on_start())
            .register_transaction(transaction!(write).set_name("write"))
    } else {
        scenario!("customer")
            .set_wait_time(min, max)?
            .register_transaction(transaction!(on_start).set_on_start())
            .register_transaction(transaction!(login).set_name("login"))
            .register_transaction(transaction!(top).set_name("top"))
            .register_transaction(transaction!(invoices).set_name("invoices"))
            .register_transaction(transaction!(invoice_pdf).set_name("invoice PDF"))
            .register_transaction(transaction!(contract).set_name("contract"))
            .register_transaction(transaction!(history).set_name("history"))
            .register_transaction(transaction!(help).set_name("help"))
            .register_transaction(transaction!(inquiry).set_name("inquiry"))
            .register_transaction(transaction!(mailboxes).set_name("mail"))
            .register_transaction(transaction!(virus_switch).set_name("virus switch"))
            .register_transaction(transaction!(logout).set_name("logout"))
    };
    started();
    let metrics = GooseAttack::initialize()?
        .register_scenario(scenario)
        .set_default(GooseDefault::Users, 1000)?
        .set_default(GooseDefault::IncreaseRate, "100")?
        .set_default(GooseDefault::RunTime, 300)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .execute()
        .await?;
    let seconds = started().elapsed().as_secs_f64();
    let out = summary(seconds, metrics.maximum_users);
    match std::env::var("LOADTEST_SUMMARY") {
        Ok(path) => {
            std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap()).expect("write the summary")
        }
        Err(_) => println!("{}", serde_json::to_string_pretty(&out).unwrap()),
    }
    Ok(())
}
