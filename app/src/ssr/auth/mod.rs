//! Credentials: password hashing, server-side sessions, attempt throttling, and the
//! current account of a request.

pub mod password;
pub mod session;
pub mod throttle;

use crate::error::AppError;
use crate::ssr::{now, state};
use sha2::{Digest, Sha256};

/// SHA-256, hex: how tokens, device cookies and throttle keys are stored.
pub fn sha256_hex(input: &str) -> String {
    Sha256::digest(input.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A random token of 256 bits from the OS CSPRNG, hex.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The logged-in account of the current request.
#[derive(Debug, Clone)]
pub struct CurrentAccount {
    pub account_id: String,
    pub customer_no: String,
    pub itscom_id: String,
    /// When this session logged in (unix seconds): recent-login checks use it.
    pub logged_in_at: i64,
    /// The session's stored id (the SHA-256 of its cookie token): binds multi-step
    /// changes to the session that started them.
    pub session_hash: String,
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
    let mut conn = state.db.pool().acquire().await?;
    Ok(session::lookup(&mut conn, &token, now(), &state.settings.session).await?)
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
                    crate::ssr::redirect_page("/login");
                } else {
                    crate::ssr::set_status(401);
                }
            }
            Err(AppError::Unauthorized)
        }
    }
}

/// The client's address: the peer address, or the first `X-Forwarded-For` hop when
/// the server is configured to sit behind a trusted load balancer.
pub fn client_address() -> String {
    let trust_forwarded = state().map(|s| s.settings.trust_forwarded_for).unwrap_or(false);
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    if trust_forwarded {
        if let Some(ip) = parts
            .as_ref()
            .and_then(|p| p.headers.get("x-forwarded-for"))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        {
            return ip;
        }
    }
    parts
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
