//! Credentials: password hashing, server-side sessions, attempt throttling, and the
//! current account of a request.

pub mod password;
pub mod session;
pub mod throttle;

use crate::error::AppError;
pub use crate::ssr::crypto::{random_token, sha256_hex};
use crate::ssr::{now, state};

/// The logged-in account of the current request.
#[derive(Debug, Clone)]
pub struct CurrentAccount {
    pub account_id: String,
    pub customer_no: String,
    pub itscom_id: String,
    /// When this session last proved its owner (unix seconds): its login, or a passkey
    /// since (step-up). Recent-login checks use it.
    pub logged_in_at: i64,
    /// When this session last confirmed a passkey on a page (step-up), if it did: it
    /// stands for the password in [`password_first_of_two`] for [`REAUTH_SECS`].
    pub passkey_confirmed_at: Option<i64>,
    /// The session's stored id (the SHA-256 of its cookie token): binds multi-step
    /// changes to the session that started them.
    pub session_hash: String,
}

/// The logged-in account as an axum extractor, for the plain routes (downloads, the
/// speed test) that are not server functions: the session of the request's cookie, or
/// `Unauthorized` (401; `Internal` when the database fails, logged), answered as
/// `AppError` answers a plain route.
impl axum::extract::FromRequestParts<crate::ssr::AppState> for CurrentAccount {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &crate::ssr::AppState,
    ) -> Result<Self, Self::Rejection> {
        let name = session::cookie_name(&state.settings);
        let token = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .find_map(|v| crate::cookies::find(v.to_str().ok(), name).map(str::to_owned))
            .ok_or(AppError::Unauthorized)?;
        let mut conn = state.db.conn().await?;
        session::lookup(&mut conn, &token, now(), &state.settings.session)
            .await?
            .ok_or(AppError::Unauthorized)
    }
}

/// The value of cookie `name` in the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .find_map(|v| crate::cookies::find(v.to_str().ok(), name).map(str::to_owned))
}

/// A `Set-Cookie` value with the portal's attributes: Path=/, SameSite=Lax, Secure in
/// production; `http_only` unless the browser's script must read it; `max_age` None
/// for a browser-session cookie, Some(0) to remove it.
pub fn cookie(
    settings: &crate::ssr::config::Settings,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    http_only: bool,
) -> String {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if http_only {
        c.push_str("; HttpOnly");
    }
    if settings.env.is_production() {
        c.push_str("; Secure");
    }
    c
}

/// [`cookie`] for a browser's key to a one-time showing (a new mailbox's password,
/// recovery codes): HttpOnly and SameSite=Strict, so a navigation from another site
/// (a link, a pop-up it opens) does not carry it and cannot use the showing up; the
/// portal's own navigation after the step does.
pub fn one_time_key_cookie(
    settings: &crate::ssr::config::Settings,
    name: &str,
    key: &str,
    secs: i64,
) -> String {
    cookie(settings, name, key, Some(secs), true).replacen("SameSite=Lax", "SameSite=Strict", 1)
}

/// Sets a flow's browser cookie `name` (HttpOnly) to its `token` for `secs`, the time
/// the flow may take; an empty token and 0 seconds remove it.
pub fn set_flow_cookie(settings: &crate::ssr::config::Settings, name: &str, token: &str, secs: i64) {
    set_cookie(&cookie(settings, name, token, Some(secs), true));
}

/// Add a `Set-Cookie` header to the current response.
pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(cookie))
    {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// The account logged in on this request, if any (idle and absolute limits applied).
pub async fn current_account() -> Result<Option<CurrentAccount>, AppError> {
    let state = state()?;
    let cookie_name = session::cookie_name(&state.settings);
    let Some(token) = request_cookie(cookie_name) else {
        return Ok(None);
    };
    let mut conn = state.db.conn().await?;
    Ok(session::lookup(&mut conn, &token, now(), &state.settings.session).await?)
}

/// The logged-in customer ([`require_login`]) and the app's state: what a customer's
/// server function starts from.
pub async fn signed_in() -> Result<(CurrentAccount, crate::ssr::AppState), AppError> {
    let account = require_login().await?;
    Ok((account, crate::ssr::state()?))
}

/// The logged-in account, or `Unauthorized`: a 401 for a fetch, a redirect to the
/// login screen for a plain form post.
pub async fn require_login() -> Result<CurrentAccount, AppError> {
    match current_account().await? {
        Some(account) => Ok(account),
        None => {
            // Only for a server-function call: while a page renders, RequireLogin
            // decides (a 302 to the login screen with the way back).
            if crate::ssr::is_server_function_call() {
                if crate::ssr::is_plain_form_post() {
                    crate::ssr::redirect_page(state()?.registry.login);
                } else {
                    crate::ssr::set_status(401);
                }
            }
            Err(AppError::Unauthorized)
        }
    }
}

/// How long a login counts as recent: an older one must give the password again before
/// a change that matters (the ID, the payment method).
pub const REAUTH_SECS: i64 = 5 * 60;

/// Whether `account` must give its password again at `now`.
pub fn needs_password(account: &CurrentAccount, now: i64) -> bool {
    now - account.logged_in_at > REAUTH_SECS
}

/// The password again, when the login is older than [`REAUTH_SECS`]: missing or wrong
/// is the field's error (`current_password`), and each try spends the session's login
/// budget, its browser's as at login (a stolen session cannot guess the password
/// without limit). The caller holds
/// no connection of `db`'s meanwhile: none is held while the hash is checked.
pub async fn confirm_password(
    db: &crate::ssr::db::Db,
    account: &CurrentAccount,
    password: Option<String>,
    now: i64,
) -> Result<(), AppError> {
    if !needs_password(account, now) {
        return Ok(());
    }
    check_password(db, account, password, now).await
}

/// The account's password, however recent the login: missing or wrong is the field's
/// error (`current_password`), each try in the session's login budget (its browser's,
/// as at login). A right one takes back its own try only: the budget also counts the
/// second factor's wrong codes, and a right password at one change must not wipe the
/// wrong codes sent to another (they could then be guessed without end, a password
/// between every four).
pub async fn check_password(
    db: &crate::ssr::db::Db,
    account: &CurrentAccount,
    password: Option<String>,
    now: i64,
) -> Result<(), AppError> {
    let budget = password_first_of_two(db, account, password, now).await?;
    let mut conn = db.conn().await?;
    throttle::forgive(&mut conn, budget.policy, &budget.subject).await?;
    Ok(())
}

/// [`check_password`] as the first of two factors (turning two-step verification off,
/// new recovery codes): its attempt is the request's one, and a right password does not
/// forgive it; the second factor checked after it does. Were the password to forgive
/// it, every request would wipe the count of wrong codes before it and they could be
/// guessed without end. The attempt is reserved and the hash read on a connection that
/// goes back to the pool before the hash is checked: a check waits its turn for a core
/// (argon2, a tenth of a second each) without keeping a connection from the process's
/// other requests, as a login does. The attempt counts in the session's budget (its
/// browser's, as at login: `Registry::session_budget`), which is returned.
pub async fn password_first_of_two(
    db: &crate::ssr::db::Db,
    account: &CurrentAccount,
    password: Option<String>,
    now: i64,
) -> Result<throttle::Budget, AppError> {
    use crate::domain::FieldError;
    let password = password.unwrap_or_default();
    // A passkey confirmed on the page in the last 5 minutes stands for the password
    // (SPEC §1.6); the attempt is reserved all the same, for the code after it.
    let passkey = account.passkey_confirmed_at.is_some_and(|at| now - at <= REAUTH_SECS);
    if password.is_empty() && !passkey {
        return Err(AppError::invalid("current_password", FieldError::Required));
    }
    let state = super::state()?;
    let (budget, hash): (_, String) = {
        let mut conn = db.conn().await?;
        let budget =
            (state.registry.session_budget)(&mut conn, &account.account_id, &account.itscom_id).await?;
        match throttle::reserve(&mut conn, budget.policy, &budget.subject, now).await? {
            throttle::Verdict::Go => {}
            // Locked until a password reset: said so, not "try again later".
            throttle::Verdict::Locked => return Err(AppError::Locked),
            throttle::Verdict::Wait { .. } => return Err(AppError::TooManyAttempts),
        }
        if password.is_empty() {
            return Ok(budget); // the passkey's
        }
        let hash = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(&account.account_id)
            .fetch_one(&mut *conn)
            .await?;
        (budget, hash)
    };
    if !password::verify_async(password, Some(hash)).await {
        // Recorded, and the owner told at the lock, as a wrong password at login: a
        // stolen session guessing here left no trace before.
        let client = client_address();
        // A connection not found now (the pool gave up) leaves the attempt counted, unrecorded.
        let mut conn = db.conn().await?;
        let row = budget.row();
        (state.registry.failed_password)(&mut conn, &state, &account.account_id, &row, &client, now).await?;
        return Err(AppError::invalid("current_password", FieldError::Mismatch));
    }
    Ok(budget)
}

/// This request's `User-Agent` (empty when it sent none).
pub fn user_agent() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned)
        })
        .unwrap_or_default()
}

/// In `tx`, after the customer's row when it takes that too (the order every security
/// change takes them in): the account's row, then the session making the change, still
/// there. A security change (a password reset elsewhere) either waits for this
/// transaction, and then ends what it wrote, or has ended the session before it: never
/// a change written by a session it meant to end. `Unauthorized` when it has.
pub async fn hold_session(tx: &mut crate::ssr::db::Conn, account: &CurrentAccount) -> Result<(), AppError> {
    crate::ssr::db::customers::lock_account(&mut *tx, &account.account_id).await?;
    if !session::exists(tx, &account.session_hash).await? {
        return Err(AppError::Unauthorized);
    }
    Ok(())
}

/// The client's address, for throttling and the security log: the peer address, or,
/// behind `TRUSTED_PROXY_HOPS` proxies, the `X-Forwarded-For` entry that many from the
/// right (the entries further left are the client's own writing), believed only from a
/// peer among `TRUSTED_PROXIES` when they are listed. An IPv6 client is named by its
/// /64: one household or phone holds a whole /64.
pub fn client_address() -> String {
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    match state() {
        Ok(s) => client_address_of(parts.as_ref(), &s.settings),
        Err(_) => client_address_behind(parts.as_ref(), 0, &[]),
    }
}

/// [`client_address`] of a request's parts, for the plain routes.
pub fn client_address_of(
    parts: Option<&http::request::Parts>,
    settings: &crate::ssr::config::Settings,
) -> String {
    client_address_behind(parts, settings.trusted_proxy_hops, &settings.trusted_proxies)
}

/// [`client_address`] behind `hops` proxies, those at the `trusted` addresses (any
/// when none is listed).
fn client_address_behind(
    parts: Option<&http::request::Parts>,
    hops: usize,
    trusted: &[ipnet::IpNet],
) -> String {
    let peer = parts.as_ref().and_then(|p| {
        p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
    });
    // A peer that is not a listed proxy wrote the header itself, if it sent one.
    let from_proxy = trusted.is_empty() || peer.is_some_and(|p| trusted.iter().any(|n| n.contains(&p)));
    let hops = if from_proxy { hops } else { 0 };
    let forwarded: Vec<String> = parts
        .as_ref()
        .map(|p| {
            p.headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(|s| s.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    match client_ip(peer, &forwarded, hops) {
        Some(ip) => client_key(ip),
        None => "unknown".into(),
    }
}

/// The client among the peer and the forwarded entries (see [`client_address`]). With
/// fewer entries than proxies the peer is taken. An entry may carry a port (`ip:port`,
/// `[v6]:port`) or brackets (`[v6]`); one that is no address at all is logged, and the
/// request counts as coming from the nearest trusted hop that names one (the entry to
/// its right, else the peer): never a key a client can vary at will.
pub fn client_ip(
    peer: Option<std::net::IpAddr>,
    forwarded: &[String],
    hops: usize,
) -> Option<std::net::IpAddr> {
    if hops == 0 || forwarded.len() < hops {
        return peer;
    }
    let at = forwarded.len() - hops;
    if let Some(ip) = parse_forwarded(&forwarded[at]) {
        return Some(ip);
    }
    tracing::warn!(
        entry = %forwarded[at].chars().filter(|c| !c.is_control()).take(64).collect::<String>(),
        "an X-Forwarded-For entry is no address: the request counts as its nearest trusted hop's"
    );
    forwarded[at + 1..].iter().find_map(|e| parse_forwarded(e)).or(peer)
}

/// An `X-Forwarded-For` entry: `ip`, `ip:port`, `[v6]` or `[v6]:port`.
pub fn parse_forwarded(entry: &str) -> Option<std::net::IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// How a client address is counted: IPv4 as is, IPv6 by its /64.
pub fn client_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// A short description of the requesting browser ("Chrome / Android"), for notices
/// that tell a customer where a request came from.
pub fn browser_summary() -> String {
    let ua = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned)
        })
        .unwrap_or_default();
    describe_user_agent(&ua)
}

/// A browser and its OS as a customer names them ("Chrome / Android", "Safari / iOS"),
/// read by woothee (the maintained parser of the woothee project, its rules compiled
/// in); `?` for a part it does not know.
pub fn describe_user_agent(ua: &str) -> String {
    let parsed = woothee::parser::Parser::new().parse(ua);
    let known = |s: &str| !s.is_empty() && s != woothee::woothee::VALUE_UNKNOWN;
    let (browser, os) = match &parsed {
        Some(r) => (
            if known(r.name) { r.name.to_string() } else { "?".into() },
            match r.os {
                "iPhone" | "iPod" => "iOS".to_string(),
                "iPad" => "iPadOS".to_string(),
                "Mac OSX" => "macOS".to_string(),
                os if known(os) => os.to_string(),
                _ => "?".into(),
            },
        ),
        None => ("?".into(), "?".into()),
    };
    format!("{browser} / {os}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn fwd(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_client_is_counted_from_the_right_of_the_forwarded_list() {
        let peer: Option<IpAddr> = Some("10.0.0.5".parse().unwrap());
        let list = fwd(&["6.6.6.6", "203.0.113.7"]); // the client wrote 6.6.6.6
        assert_eq!(client_ip(peer, &list, 0), peer, "no proxy: the header is ignored");
        assert_eq!(client_ip(peer, &list, 1), Some("203.0.113.7".parse().unwrap()));
        assert_eq!(client_ip(peer, &list, 2), Some("6.6.6.6".parse().unwrap()));
        assert_eq!(client_ip(peer, &list, 3), peer, "fewer entries than proxies");
        assert_eq!(client_ip(peer, &fwd(&["not-an-ip"]), 1), peer);
    }

    #[test]
    fn forwarded_entries_with_ports_are_read_and_garbage_falls_to_the_nearest_hop() {
        let peer: Option<IpAddr> = Some("10.0.0.5".parse().unwrap());
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(client_ip(peer, &fwd(&["203.0.113.7:51234"]), 1), ip("203.0.113.7"));
        assert_eq!(client_ip(peer, &fwd(&["[2001:db8::7]:443"]), 1), ip("2001:db8::7"));
        assert_eq!(client_ip(peer, &fwd(&["[2001:db8::8]"]), 1), ip("2001:db8::8"));
        assert_eq!(client_ip(peer, &fwd(&["2001:db8::9"]), 1), ip("2001:db8::9"));
        // Two proxies: the client's entry is garbage; the first proxy's own address
        // (what the second proxy appended) is taken, not the peer shared by everyone.
        assert_eq!(client_ip(peer, &fwd(&["x", "unknown", "198.51.100.4"]), 2), ip("198.51.100.4"));
        assert_eq!(client_ip(peer, &fwd(&["unknown", "bogus"]), 2), peer);
        assert_eq!(parse_forwarded("203.0.113.7:notaport"), None);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), "2001:db8:1:2::/64");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
        assert_eq!(client_key("192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

    #[test]
    fn browsers_are_named_briefly() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(describe_user_agent(android), "Chrome / Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_user_agent(iphone), "Safari / iOS");
        assert_eq!(describe_user_agent(""), "? / ?");
    }
}
