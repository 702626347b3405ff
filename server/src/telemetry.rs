//! Logs through `tracing`: readable lines in development, JSON in production (with each
//! event's target, e.g. `security`). `RUST_LOG` overrides the default filter; one it
//! cannot read is said on stderr, and the default is used.
//!
//! `serve` logs to stdout, as a service's log is collected. Every other command logs to
//! stderr: its stdout is its answer (`--json` listings are read by scripts), which no
//! log line may break.

use app::ssr::config::Environment;
use tracing_subscriber::{fmt, EnvFilter};

/// Where the log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Stdout,
    Stderr,
}

pub const DEFAULT_FILTER: &str = "info,sqlx=warn,tower_http=info";

pub fn init(env: Environment, to: To) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(given) if !given.trim().is_empty() => EnvFilter::try_new(&given).unwrap_or_else(|e| {
            eprintln!("server: RUST_LOG={given:?} cannot be read ({e}); logging with {DEFAULT_FILTER:?}");
            EnvFilter::new(DEFAULT_FILTER)
        }),
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    use std::io::IsTerminal;
    // Colours for a person at a terminal, never into a file or a pipe.
    let terminal = match to {
        To::Stdout => std::io::stdout().is_terminal(),
        To::Stderr => std::io::stderr().is_terminal(),
    };
    let builder = fmt().with_env_filter(filter).with_ansi(terminal);
    let _ = match (env.is_production(), to) {
        (true, To::Stdout) => builder.json().flatten_event(true).try_init(),
        (true, To::Stderr) => builder.json().flatten_event(true).with_writer(std::io::stderr).try_init(),
        (false, To::Stdout) => builder.compact().with_target(false).try_init(),
        (false, To::Stderr) => builder.compact().with_target(false).with_writer(std::io::stderr).try_init(),
    };
}
