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
            AppError::NotFound => 404,
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::Invalid { .. } => 422,
            AppError::TooManyAttempts => 429,
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}
