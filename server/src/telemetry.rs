//! Logs through `tracing`: readable lines in development, JSON in production.
//! `RUST_LOG` overrides the default filter.

use app::ssr::config::Environment;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init(env: Environment) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if env.is_production() {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}
