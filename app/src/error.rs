//! The one error type of the app: safe, user-facing variants that cross the wire to
//! the browser. Causes (SQL errors, I/O…) go to tracing on the server and never to
//! the browser.

use crate::domain::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("login required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input in {field}")]
    Invalid { field: String, error: FieldError },
    /// Unknown ID or wrong password: one variant, so the answer cannot tell which.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many attempts")]
    TooManyAttempts,
    /// Contract verification failed: one neutral answer, whatever did not match.
    #[error("verification failed")]
    VerificationFailed,
    /// A multi-step flow was not at this step (expired, skipped, replayed).
    #[error("flow expired or out of order")]
    FlowExpired,
    /// A mailed link that is unknown, used or expired.
    #[error("link invalid")]
    LinkInvalid,
    /// Too many failures in a row: only a password reset opens login again.
    #[error("locked until a password reset")]
    Locked,
    /// The account may not be changed this way (disabled by the provider).
    #[error("account unavailable")]
    AccountUnavailable,
    /// A per-contract limit (mailboxes) is reached.
    #[error("limit reached")]
    LimitReached,
    /// The card company refused the card (the payment gateway's answer).
    #[error("card declined")]
    PaymentDeclined,
    /// One request at a time (a plan change under way for the service).
    #[error("a request is under way")]
    Pending,
    /// Not offered right now (no payment gateway configured, the PDF renderer busy): a
    /// 503 that says to try later or to call the support centre.
    #[error("service unavailable")]
    ServiceUnavailable,
    /// The database cannot be reached now (restarting, overloaded, its connections all
    /// taken for longer than the pool waits): a 503 within seconds, with `Retry-After`,
    /// that says to try again shortly. Nothing was written.
    #[error("busy or under maintenance")]
    Busy,
    /// The provider stopped this path for the customer (a re-registration refused by the
    /// account's owner, verification locked after 100 failures in a row): only the
    /// support centre can help.
    #[error("support centre needed")]
    SupportNeeded,
    /// A request body larger than the route takes (the speed test's uploads, a server
    /// function's form over the body limit).
    #[error("too large")]
    TooLarge,
    /// A request that cannot be read as its server function's arguments: a field
    /// missing or given twice, a number that is not one, a body that is not UTF-8. No
    /// page of the portal sends such a form: a 400, never the function's body.
    #[error("malformed request")]
    BadRequest,
    /// Something failed on the server; the cause was logged there.
    #[error("internal error")]
    Internal,
    /// The request itself failed (network, encoding): from the server-function layer.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound | AppError::LinkInvalid => 404,
            AppError::VerificationFailed | AppError::PaymentDeclined => 422,
            AppError::FlowExpired | AppError::LimitReached | AppError::Pending => 409,
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::Invalid { .. } => 422,
            AppError::TooManyAttempts | AppError::Locked => 429,
            AppError::AccountUnavailable | AppError::SupportNeeded => 403,
            AppError::ServiceUnavailable | AppError::Busy => 503,
            AppError::TooLarge => 413,
            AppError::BadRequest => 400,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// Log the cause and return the opaque variant.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AppError::Internal
    }
}

impl AppError {
    /// How a failed plain form post carries this error back in the URL
    /// (`?error=…`): only safe, fixed codes, never input.
    pub fn query_code(&self) -> String {
        match self {
            AppError::Invalid { field, error } => format!("{field}.{}", error.code()),
            AppError::VerificationFailed => "verification".into(),
            AppError::TooManyAttempts => "throttled".into(),
            AppError::FlowExpired => "expired".into(),
            AppError::LinkInvalid => "link".into(),
            AppError::LimitReached => "limit".into(),
            AppError::InvalidCredentials => "credentials".into(),
            AppError::Locked => "locked".into(),
            AppError::AccountUnavailable => "unavailable".into(),
            AppError::PaymentDeclined => "declined".into(),
            AppError::Pending => "pending".into(),
            AppError::Forbidden => "forbidden".into(),
            AppError::ServiceUnavailable => "service".into(),
            AppError::Busy => "busy".into(),
            AppError::SupportNeeded => "support".into(),
            AppError::TooLarge => "too_large".into(),
            AppError::BadRequest => "bad_request".into(),
            AppError::NotFound => "not_found".into(),
            AppError::Unauthorized => "session".into(),
            _ => "internal".into(),
        }
    }

    pub fn from_query_code(code: &str) -> Option<Self> {
        Some(match code {
            "verification" => AppError::VerificationFailed,
            "throttled" => AppError::TooManyAttempts,
            "expired" => AppError::FlowExpired,
            "link" => AppError::LinkInvalid,
            "limit" => AppError::LimitReached,
            "credentials" => AppError::InvalidCredentials,
            "locked" => AppError::Locked,
            "unavailable" => AppError::AccountUnavailable,
            "declined" => AppError::PaymentDeclined,
            "pending" => AppError::Pending,
            "forbidden" => AppError::Forbidden,
            "service" => AppError::ServiceUnavailable,
            "busy" => AppError::Busy,
            "support" => AppError::SupportNeeded,
            "too_large" => AppError::TooLarge,
            "bad_request" => AppError::BadRequest,
            "not_found" => AppError::NotFound,
            "session" => AppError::Unauthorized,
            "internal" => AppError::Internal,
            c => {
                let (field, code) = c.split_once('.')?;
                if field.is_empty() || !field.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') {
                    return None;
                }
                AppError::Invalid { field: field.into(), error: FieldError::from_code(code)? }
            }
        })
    }

    pub fn invalid(field: &str, error: FieldError) -> Self {
        AppError::Invalid { field: field.into(), error }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, what the server-function layer reports is the request's fault: its
    /// body could not be read as the function's arguments (a 400; over the body limit, a
    /// 413), not a failure of the server's (`Transport`, a 500). In the browser it is the
    /// request that failed (`Transport`).
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(e) if e.contains("length limit exceeded") => AppError::TooLarge,
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// An error with its causes, outermost first: `a: b: c`.
#[cfg(feature = "ssr")]
pub fn cause_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// The answer of a plain route (a PDF, the speed test's streams, the payment gateway's
/// return) that cannot do what was asked: the variant's status, a short line in both
/// languages (a download link or a stream has no page around it), never stored, and
/// for a busy or refused-for-now answer when to try again. Server functions answer
/// through `ssr::respond` instead.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use http::header;
        let status =
            http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let text = match &self {
            // A link to nothing: kept to the two words the routes have always answered.
            AppError::NotFound => "not found",
            AppError::Unauthorized => "ログインしてください。\nPlease log in.\n",
            AppError::TooManyAttempts => {
                "回数が上限に達しました。数分後に再度お試しください。\nToo many requests: please try again in a few minutes.\n"
            }
            AppError::ServiceUnavailable => {
                "ただいま混み合っています。しばらくしてから再度お試しください。\nThe service is busy. Please try again in a moment.\n"
            }
            AppError::Busy => {
                "ただいま混み合っているか、メンテナンス中です。しばらくしてから再度お試しください。\nThe service is busy or under maintenance. Please try again in a moment.\n"
            }
            AppError::TooLarge => "送信されたデータが大きすぎます。\nThe request is too large.\n",
            _ => "エラーが発生しました。\nSomething went wrong.\n",
        };
        let mut response = (
            status,
            [(header::CACHE_CONTROL, "no-store"), (header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response();
        if let Some(secs) = self.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, http::HeaderValue::from_static(secs));
        }
        response
    }
}

impl AppError {
    /// The seconds a client is asked to wait before it tries again (`Retry-After`).
    pub fn retry_after(&self) -> Option<&'static str> {
        match self {
            AppError::ServiceUnavailable | AppError::Busy => Some("5"),
            AppError::TooManyAttempts => Some("60"),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            tracing::warn!(error = %cause_chain(&e), "database unavailable");
            return AppError::Busy;
        }
        if is_lost_race(&e) {
            // Nothing was written (the transaction is rolled back whole): the customer is
            // asked to send it again, as when the database is busy.
            tracing::warn!(error = %cause_chain(&e), "a transaction lost a lock race and was rolled back");
            return AppError::Busy;
        }
        if is_unstorable_text(&e) {
            // A NUL in an id or a key (PostgreSQL keeps none in a text; SQLite does):
            // the request is malformed, not the server broken.
            tracing::info!(error = %cause_chain(&e), "a value the database cannot hold as text");
            return AppError::BadRequest;
        }
        AppError::internal(cause_chain(&e))
    }
}

/// PostgreSQL's `deadlock_detected` (40P01: two transactions of one customer each held
/// a row the other waited for, and this one was chosen to end) and
/// `serialization_failure` (40001).
#[cfg(feature = "ssr")]
pub fn is_lost_race(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| matches!(c.as_ref(), "40P01" | "40001")))
}

/// PostgreSQL's `character_not_in_repertoire` (22021, a NUL in a text) and
/// `untranslatable_character` (22P05): the value sent cannot be a text at all.
#[cfg(feature = "ssr")]
fn is_unstorable_text(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| matches!(c.as_ref(), "22021" | "22P05")))
}

/// Whether `e` says the database cannot be reached now rather than that the statement
/// is wrong: no pooled connection within the wait, a connection lost or refused, the
/// server shutting down or starting (PostgreSQL classes 08 and 57P), SQLite's lock
/// held past its busy timeout.
#[cfg(feature = "ssr")]
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            true
        }
        sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| {
            c.starts_with("08") || c.starts_with("57P") || matches!(c.as_ref(), "5" | "6" | "517" | "262")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn an_internal_error_is_logged_with_its_causes() {
        let io = std::io::Error::other("disk full");
        let e = sqlx::Error::Io(io);
        assert!(cause_chain(&e).contains("disk full"), "{}", cause_chain(&e));
    }

    /// Not found had no code of its own: a form post was sent back with `internal`, and
    /// shown as the server's trouble.
    #[test]
    fn not_found_round_trips_through_its_own_url_code() {
        assert_eq!(AppError::NotFound.query_code(), "not_found");
        assert_eq!(AppError::from_query_code("not_found"), Some(AppError::NotFound));
    }

    /// A session ended while a form was open has its own code (the login screen says
    /// why); it was `internal`, shown as the server's trouble.
    #[test]
    fn an_ended_session_round_trips_through_its_own_url_code() {
        assert_eq!(AppError::Unauthorized.query_code(), "session");
        assert_eq!(AppError::from_query_code("session"), Some(AppError::Unauthorized));
    }

    #[test]
    fn errors_round_trip_through_the_url_code() {
        for e in [
            AppError::invalid("itscom_id", FieldError::InvalidFormat),
            AppError::invalid("password_again", FieldError::Mismatch),
            AppError::VerificationFailed,
            AppError::TooManyAttempts,
            AppError::FlowExpired,
            AppError::LinkInvalid,
            AppError::Locked,
            AppError::AccountUnavailable,
            AppError::InvalidCredentials,
            AppError::LimitReached,
            AppError::PaymentDeclined,
            AppError::ServiceUnavailable,
            AppError::Busy,
            AppError::SupportNeeded,
            AppError::TooLarge,
            AppError::BadRequest,
        ] {
            assert_eq!(AppError::from_query_code(&e.query_code()), Some(e));
        }
        assert_eq!(AppError::from_query_code("<script>.required"), None);
        assert_eq!(AppError::from_query_code("bogus"), None);
    }
}
