//! Typed configuration from environment variables, each with a documented default.
//! A bad value stops start-up with a message naming the variable.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

/// A value that must never reach a log: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `MYPAGE_ENV`: `development` (default) or `production`.
    pub env: Environment,
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/mypage.db`) or `postgres://…`.
    pub database_url: Secret<String>,
    /// `PUBLIC_URL`: the base for links in mails (default `http://127.0.0.1:3000`).
    pub public_url: url::Url,
    /// `SMTP_URL`: `smtp://host:port`, `smtps://user:pass@host`; unset keeps mail in the
    /// outbox (readable at /dev/mailbox in development).
    pub smtp_url: Option<Secret<url::Url>>,
    /// `MYPAGE_BRAND` (default `iTSCOM`).
    pub brand: String,
    /// `MYPAGE_MAIL_DOMAIN` (default `itscom.net`).
    pub mail_domain: String,
    /// `SESSION_IDLE_MINUTES` (default 30) and `SESSION_ABSOLUTE_HOURS` (default 12).
    pub session: SessionSettings,
    /// `TRUST_X_FORWARDED_FOR` (`true`/`false`, default false): take the client address
    /// from the first X-Forwarded-For hop, for a server behind a load balancer.
    pub trust_forwarded_for: bool,
    /// `MAIL_FROM` (default `noreply@<MYPAGE_MAIL_DOMAIN>`): the sender of every mail.
    pub mail_from: String,
    /// `REQUEST_TIMEOUT_SECS` (default 30): a request not answered by then gets 408.
    pub request_timeout_secs: u64,
    /// `MAILBOX_LIMIT` (default 5): mailboxes per internet contract.
    pub mailbox_limit: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSettings {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error in {}: {}", self.var, self.message)
    }
}

impl std::error::Error for ConfigError {}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mypage.db";
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads each variable through `lookup`; empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let err = |var: &'static str, message: &str| ConfigError { var, message: message.into() };

        let env = match get("MYPAGE_ENV").as_deref().map(str::trim) {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(_) => return Err(err("MYPAGE_ENV", "must be `development` or `production`")),
        };

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(err("DATABASE_URL", "must start with sqlite:, postgres:// or postgresql://"));
        }

        let public_url = get("PUBLIC_URL").unwrap_or_else(|| DEFAULT_PUBLIC_URL.into());
        let public_url = url::Url::parse(public_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| err("PUBLIC_URL", "must be an absolute http:// or https:// URL"))?;

        let smtp_url = match get("SMTP_URL") {
            None => None,
            Some(raw) => {
                let u = url::Url::parse(raw.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "smtp" | "smtps") && u.host().is_some())
                    .ok_or_else(|| err("SMTP_URL", "must be smtp://host:port or smtps://user:pass@host"))?;
                Some(Secret::new(u))
            }
        };

        let brand = get("MYPAGE_BRAND").unwrap_or_else(|| "iTSCOM".into());
        let mail_domain = get("MYPAGE_MAIL_DOMAIN").unwrap_or_else(|| "itscom.net".into());
        if !mail_domain.contains('.')
            || mail_domain.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            return Err(err("MYPAGE_MAIL_DOMAIN", "must be a domain name such as itscom.net"));
        }

        let positive = |var: &'static str, default: i64| -> Result<i64, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=10_000).contains(n))
                    .ok_or_else(|| err(var, "must be a whole number from 1 to 10000")),
            }
        };
        let session = SessionSettings {
            idle_secs: positive("SESSION_IDLE_MINUTES", 30)? * 60,
            absolute_secs: positive("SESSION_ABSOLUTE_HOURS", 12)? * 3600,
        };
        let trust_forwarded_for = match get("TRUST_X_FORWARDED_FOR").as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(err("TRUST_X_FORWARDED_FOR", "must be `true` or `false`")),
        };

        let mail_from = get("MAIL_FROM").unwrap_or_else(|| format!("noreply@{mail_domain}"));
        if mail_from.chars().any(char::is_control) || !mail_from.contains('@') {
            return Err(err("MAIL_FROM", "must be a mail address such as noreply@itscom.net"));
        }

        let request_timeout_secs = positive("REQUEST_TIMEOUT_SECS", 30)? as u64;
        let mailbox_limit = positive("MAILBOX_LIMIT", crate::domain::mailbox::DEFAULT_LIMIT as i64)?;

        Ok(Self {
            request_timeout_secs,
            mailbox_limit,
            mail_from,
            session,
            trust_forwarded_for,
            env,
            database_url: Secret::new(database_url),
            public_url,
            smtp_url,
            brand,
            mail_domain,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.env, Environment::Development);
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(s.public_url.as_str(), "http://127.0.0.1:3000/");
        assert!(s.smtp_url.is_none());
        assert_eq!(s.brand, "iTSCOM");
        assert_eq!(s.mail_domain, "itscom.net");
        assert_eq!(s.session, SessionSettings { idle_secs: 30 * 60, absolute_secs: 12 * 3600 });
        assert!(!s.trust_forwarded_for);
        assert_eq!(s.mailbox_limit, 5);
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        for (var, value) in [
            ("MYPAGE_ENV", "staging"),
            ("DATABASE_URL", "mysql://x"),
            ("PUBLIC_URL", "not a url"),
            ("PUBLIC_URL", "ftp://example.com"),
            ("SMTP_URL", "http://mail"),
            ("MYPAGE_MAIL_DOMAIN", "no_dot"),
            ("SESSION_IDLE_MINUTES", "0"),
            ("SESSION_ABSOLUTE_HOURS", "twelve"),
            ("TRUST_X_FORWARDED_FOR", "yes"),
        ] {
            let e = settings(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var, "{value}");
            assert!(e.to_string().contains(var));
        }
    }

    #[test]
    fn good_values_are_taken() {
        let s = settings(&[
            ("MYPAGE_ENV", "production"),
            ("DATABASE_URL", "postgres://u:p@db/mypage"),
            ("PUBLIC_URL", "https://mypage.example.jp"),
            ("SMTP_URL", "smtps://user:pass@mail.example.jp"),
        ])
        .unwrap();
        assert!(s.env.is_production());
        assert_eq!(s.public_url.host_str(), Some("mypage.example.jp"));
        assert!(s.smtp_url.is_some());
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = settings(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
