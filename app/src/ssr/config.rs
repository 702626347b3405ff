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
    /// `MYPAGE_ENV`: `production` (default: fail closed) or `development` (the
    /// development mailbox at /dev/mailbox, cookies without `Secure`), which is refused
    /// with a `PUBLIC_URL` that is not on the loopback.
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
    /// `TRUSTED_PROXY_HOPS` (default 0): how many proxies (load balancers) in front of
    /// the server append to `X-Forwarded-For`. The client is the address that many
    /// entries from the right; with 0 the header is ignored (a client can write it).
    pub trusted_proxy_hops: usize,
    /// `TRUSTED_PROXIES` (addresses or networks, e.g. `10.0.1.5, 10.0.2.0/24`; default
    /// none: any peer): the load balancers whose `X-Forwarded-For` is believed. A request
    /// from any other address is counted by that address, whatever it writes.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `REREGISTRATION_HOLD_HOURS` (default 72): a re-registration that the account's
    /// contact address has not confirmed takes effect no sooner than this.
    pub reregistration_hold_secs: i64,
    /// `MAIL_FROM` (default `noreply@<MYPAGE_MAIL_DOMAIN>`): the sender of every mail.
    pub mail_from: String,
    /// `REQUEST_TIMEOUT_SECS` (default 30): a request not answered by then gets 408.
    pub request_timeout_secs: u64,
    /// The database pool of this process: `DATABASE_POOL_SIZE` connections at most
    /// (default 16 on PostgreSQL, 8 on SQLite; N processes hold up to N times as many
    /// of PostgreSQL's `max_connections`), and `DATABASE_WAIT_SECS` (default 2): a
    /// request waits that long for a connection, then answers 503 (the database is
    /// restarting or overloaded) instead of hanging.
    pub pool: crate::ssr::db::PoolSettings,
    /// `SHUTDOWN_DRAIN_SECS` (default 0): after SIGTERM, `/readyz` answers 503 this long
    /// while the process still serves, so a load balancer stops sending it requests
    /// first (deploy/ sets 3: its health checks run every second, two to fail).
    pub shutdown_drain_secs: u64,
    /// `SHUTDOWN_GRACE_SECS` (default 20): then the process stops accepting and gives
    /// the requests in flight this long to finish before it exits.
    pub shutdown_grace_secs: u64,
    /// `MAILBOX_LIMIT` (default 5): mailboxes per internet contract.
    pub mailbox_limit: i64,
    /// `SPEEDTEST_MAX_RUNNING` (default 20): speed tests running at once in the whole
    /// cluster (counted in the database). Each holds up to 8 long connections and sends
    /// as fast as the line takes: beyond this a start is refused as busy (503), so the
    /// tests of a busy evening cannot take the processes' connections from the pages.
    pub speedtest_max_running: i64,
    /// `SPEEDTEST_MIN_SECONDS` (default 10, 1–15): a result is verified (evidence an
    /// inquiry may carry) only when the server counted each way for this long; the
    /// page's `?duration=` (the end-to-end suite's short test) never goes below it.
    pub speedtest_min_seconds: i64,
    /// The issuer a qualified invoice (適格請求書) names: `INVOICE_ISSUER_NAME` and
    /// `INVOICE_REGISTRATION_NO` (`T` and 13 digits whose first is the check digit of
    /// the other 12, as the National Tax Agency assigns them).
    pub invoice_issuer: InvoiceIssuer,
    /// `PDF_FONT_PATH` (default Debian's IPAex Gothic): the TrueType font of the PDFs.
    pub pdf_font_path: std::path::PathBuf,
    /// The contacts of お問い合わせ・サポート, the guide's by default:
    /// `SUPPORT_INTERNET_PHONE` (0120-125607), `SUPPORT_INTERNET_PHONE_IP` (042-716-9617,
    /// from international or IP phones), `SUPPORT_GENERAL_PHONE` (0120-109199),
    /// `SUPPORT_GENERAL_HOURS` (9:30～18:00), `SUPPORT_MAIL` (support@itscom.jp),
    /// `SUPPORT_HOURS_URL` (the opening-hours page).
    pub support: crate::domain::support::SupportContacts,
    /// `PAYMENT_GATEWAY`: where cards are entered (see [`GatewayChoice`]).
    pub payment_gateway: GatewayChoice,
    /// `SEAL_KEY`: 64 hex digits (256 bits), the same on every process: seals the
    /// secrets the server must read again (authenticator apps' secrets), so that a copy
    /// of the database alone does not hold them. Unset in production: two-step
    /// verification is not offered (the security page says so); development uses a
    /// fixed key of its own.
    pub seal_key: Option<Secret<String>>,
}

/// The payment gateway a change to a card goes through (`PAYMENT_GATEWAY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayChoice {
    /// `none` (production's default): no change to a card online; the page says so and
    /// names the support centre.
    None,
    /// `test`: the built-in test gateway and its pages (`/pgw/test/…`), development only
    /// (its default there).
    Test,
    /// `gmo-linkplus`: GMO Payment Gateway's リンクタイプPlus card edit page.
    GmoLinkPlus(GmoSettings),
}

/// GMO-PG リンクタイプPlus: `GMO_LINKPLUS_URL` (default `https://link.mul-pay.jp`; the
/// test environment is `https://stg.link.mul-pay.jp`), `GMO_SHOP_ID`, `GMO_SHOP_PASS`
/// (the shop password: it keys the request's and the result's hash), `GMO_CONFIG_ID`
/// (the 設定ID registered in the shop's admin screen) and `GMO_MEMBER_PREFIX` (default
/// `MP`: a customer's member ID at the gateway is the prefix and the customer number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GmoSettings {
    pub base_url: url::Url,
    pub shop_id: String,
    pub shop_pass: Secret<String>,
    pub config_id: String,
    pub member_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceIssuer {
    pub name: String,
    pub registration_no: String,
}

/// The demo issuer (a registration number of the right form, not a real one).
pub const DEFAULT_ISSUER_NAME: &str = "イッツ・コミュニケーションズ株式会社（デモ）";
pub const DEFAULT_REGISTRATION_NO: &str = "T9234567890123";
pub const DEFAULT_PDF_FONT_PATH: &str = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

/// Whether `no` is a qualified-invoice registration number: `T`, then 13 digits whose
/// first is 9 − (Σ digit × (1 or 2, alternating from the last) mod 9) over the other 12.
pub fn is_registration_no(no: &str) -> bool {
    let Some(digits) = no.strip_prefix('T') else {
        return false;
    };
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = d[1..].iter().rev().enumerate().map(|(n, v)| v * if n % 2 == 0 { 1 } else { 2 }).sum();
    d[0] == 9 - sum % 9
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

/// Addresses (a host of its own) and networks, by commas or spaces: None when one is
/// neither, or none is given.
fn parse_networks(list: &str) -> Option<Vec<ipnet::IpNet>> {
    let networks = list
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.parse::<ipnet::IpNet>().ok().or_else(|| e.parse::<std::net::IpAddr>().ok().map(Into::into))
        })
        .collect::<Option<Vec<_>>>()?;
    (!networks.is_empty()).then_some(networks)
}

/// Whether the URL's host is this machine.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mypage.db";
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";

impl Settings {
    /// What a production server still has at a demo or missing value, one sentence each
    /// naming the variable: said at start-up (a warning each), so an operator sees on
    /// the first day what customers would otherwise find (links to 127.0.0.1, mail that
    /// never leaves, a demo issuer on a qualified invoice). Empty in development.
    /// Whether the invoices would name the demo's issuer or registration number (the
    /// defaults): in production, `server bill` refuses to issue them.
    pub fn issuer_is_the_demos(&self) -> bool {
        self.invoice_issuer.name == DEFAULT_ISSUER_NAME
            || self.invoice_issuer.registration_no == DEFAULT_REGISTRATION_NO
    }

    pub fn production_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if !self.env.is_production() {
            return warnings;
        }
        if is_loopback(&self.public_url) || self.public_url.scheme() != "https" {
            warnings.push(format!(
                "PUBLIC_URL is {}: mailed links and the payment gateway's return lead there; set the \
                 portal's public https:// address",
                self.public_url
            ));
        }
        if self.smtp_url.is_none() {
            warnings.push(
                "SMTP_URL is unset: no mail leaves (codes, notices, invoices wait in the outbox)".into(),
            );
        }
        if self.issuer_is_the_demos() {
            warnings.push(
                "INVOICE_ISSUER_NAME / INVOICE_REGISTRATION_NO are the demo's: the invoices name a demo issuer and \
                 registration number"
                    .into(),
            );
        }
        if self.seal_key.is_none() {
            warnings.push("SEAL_KEY is unset: two-step verification is not offered".into());
        }
        if self.trusted_proxy_hops > 0 && self.trusted_proxies.is_empty() {
            warnings.push(
                "TRUSTED_PROXY_HOPS is set without TRUSTED_PROXIES: a host that reaches a server process \
                 directly, not through the load balancer, can name any client address (and so escape the \
                 per-client limits); list the load balancers' addresses"
                    .into(),
            );
        }
        if let GatewayChoice::GmoLinkPlus(gmo) = &self.payment_gateway {
            if gmo.base_url.host_str().is_some_and(|h| h.starts_with("stg.")) {
                warnings.push(format!("GMO_LINKPLUS_URL is GMO-PG's test environment ({})", gmo.base_url));
            }
        }
        warnings
    }

    /// A mailed link as it goes into the mail: `PUBLIC_URL` joined with the link's page
    /// of `token`.
    pub fn mailed_link(
        &self,
        link: crate::paths::MailedLink,
        token: &str,
    ) -> Result<url::Url, crate::error::AppError> {
        self.public_url.join(&link.page(token)).map_err(crate::error::AppError::internal)
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads each variable through `lookup`; empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let err = |var: &'static str, message: &str| ConfigError { var, message: message.into() };

        let env = match get("MYPAGE_ENV").as_deref().map(str::trim) {
            Some("development") => Environment::Development,
            None | Some("production") => Environment::Production,
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
        // Development exposes every mailed code at /dev/mailbox: never on a public address.
        if env == Environment::Development && !is_loopback(&public_url) {
            return Err(err(
                "PUBLIC_URL",
                "MYPAGE_ENV=development serves every mailed code at /dev/mailbox: only with a loopback \
                 PUBLIC_URL (127.0.0.1, ::1, localhost)",
            ));
        }

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
        let trusted_proxy_hops = match get("TRUSTED_PROXY_HOPS") {
            None => 0,
            Some(v) => v
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 10)
                .ok_or_else(|| err("TRUSTED_PROXY_HOPS", "must be a whole number from 0 to 10"))?,
        };
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => parse_networks(&v).ok_or_else(|| {
                err("TRUSTED_PROXIES", "must list addresses or networks (10.0.1.5, 10.0.2.0/24), by commas")
            })?,
        };
        if !trusted_proxies.is_empty() && trusted_proxy_hops == 0 {
            return Err(err(
                "TRUSTED_PROXIES",
                "needs TRUSTED_PROXY_HOPS (how many proxies append to the header)",
            ));
        }
        if get("TRUST_X_FORWARDED_FOR").is_some() {
            return Err(err(
                "TRUST_X_FORWARDED_FOR",
                "is replaced by TRUSTED_PROXY_HOPS (the number of proxies in front of the server)",
            ));
        }
        let reregistration_hold_secs = positive("REREGISTRATION_HOLD_HOURS", 72)? * 3600;

        let mail_from = get("MAIL_FROM").unwrap_or_else(|| format!("noreply@{mail_domain}"));
        if mail_from.chars().any(char::is_control) || !mail_from.contains('@') {
            return Err(err("MAIL_FROM", "must be a mail address such as noreply@itscom.net"));
        }

        let request_timeout_secs = positive("REQUEST_TIMEOUT_SECS", 30)? as u64;
        let pool =
            crate::ssr::db::PoolSettings {
                max_connections: match get("DATABASE_POOL_SIZE") {
                    None => None,
                    Some(v) => {
                        Some(v.trim().parse::<u32>().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(
                            || err("DATABASE_POOL_SIZE", "must be a whole number from 1 to 1000"),
                        )?)
                    }
                },
                acquire_timeout: std::time::Duration::from_secs(positive("DATABASE_WAIT_SECS", 2)? as u64),
            };
        let shutdown_drain_secs = match get("SHUTDOWN_DRAIN_SECS") {
            None => 0,
            Some(v) => v.trim().parse::<u64>().ok().filter(|n| *n <= 300).ok_or_else(|| {
                err("SHUTDOWN_DRAIN_SECS", "must be a whole number of seconds from 0 to 300")
            })?,
        };
        let shutdown_grace_secs = positive("SHUTDOWN_GRACE_SECS", 20)? as u64;
        let mailbox_limit = positive("MAILBOX_LIMIT", crate::domain::mailbox::DEFAULT_LIMIT as i64)?;
        let speedtest_max_running = positive("SPEEDTEST_MAX_RUNNING", 20)?;
        let speedtest_min_seconds = positive("SPEEDTEST_MIN_SECONDS", 10)?;
        if speedtest_min_seconds > 15 {
            return Err(err("SPEEDTEST_MIN_SECONDS", "must be a whole number of seconds from 1 to 15"));
        }

        let invoice_issuer = InvoiceIssuer {
            name: get("INVOICE_ISSUER_NAME")
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| DEFAULT_ISSUER_NAME.into()),
            registration_no: get("INVOICE_REGISTRATION_NO")
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| DEFAULT_REGISTRATION_NO.into()),
        };
        if invoice_issuer.name.chars().count() > 100 || invoice_issuer.name.chars().any(char::is_control) {
            return Err(err("INVOICE_ISSUER_NAME", "must be a name of at most 100 characters on one line"));
        }
        if !is_registration_no(&invoice_issuer.registration_no) {
            return Err(err(
                "INVOICE_REGISTRATION_NO",
                "must be T and 13 digits with a valid check digit (the first digit), e.g. T8700110005901",
            ));
        }
        let pdf_font_path = get("PDF_FONT_PATH").unwrap_or_else(|| DEFAULT_PDF_FONT_PATH.into()).into();

        let phone = |var: &'static str, default: &str| -> Result<String, ConfigError> {
            let v = get(var).map(|v| v.trim().to_string()).unwrap_or_else(|| default.into());
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if (10..=11).contains(&digits) && v.chars().all(|c| c.is_ascii_digit() || c == '-') {
                Ok(v)
            } else {
                Err(err(var, "must be a Japanese phone number of 10 or 11 digits, hyphens allowed"))
            }
        };
        let defaults = crate::domain::support::SupportContacts::default();
        let support = crate::domain::support::SupportContacts {
            internet_phone: phone("SUPPORT_INTERNET_PHONE", &defaults.internet_phone)?,
            internet_phone_ip: phone("SUPPORT_INTERNET_PHONE_IP", &defaults.internet_phone_ip)?,
            general_phone: phone("SUPPORT_GENERAL_PHONE", &defaults.general_phone)?,
            general_hours: match get("SUPPORT_GENERAL_HOURS") {
                None => defaults.general_hours.clone(),
                Some(v) if v.chars().count() <= 40 && !v.chars().any(char::is_control) => {
                    v.trim().to_string()
                }
                Some(_) => {
                    return Err(err("SUPPORT_GENERAL_HOURS", "must be at most 40 characters on one line"))
                }
            },
            mail: match get("SUPPORT_MAIL") {
                None => defaults.mail.clone(),
                Some(v) => crate::domain::ItscomId::parse(v.trim())
                    .map(|m| m.as_str().to_string())
                    .map_err(|_| err("SUPPORT_MAIL", "must be a mail address such as support@itscom.jp"))?,
            },
            hours_url: match get("SUPPORT_HOURS_URL") {
                None => defaults.hours_url.clone(),
                Some(v) => url::Url::parse(v.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .map(String::from)
                    .ok_or_else(|| err("SUPPORT_HOURS_URL", "must be an absolute http:// or https:// URL"))?,
            },
        };

        let payment_gateway = gateway_choice(&get, env)?;
        // Development serves every mailed code at /dev/mailbox: never on a network.
        let listen = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen
            .trim()
            .parse::<std::net::SocketAddr>()
            .map_err(|_| err("LEPTOS_SITE_ADDR", "must be an address and port such as 127.0.0.1:3000"))?;
        if env == Environment::Development && !listen.ip().is_loopback() {
            return Err(err(
                "LEPTOS_SITE_ADDR",
                "MYPAGE_ENV=development serves every mailed code at /dev/mailbox: listen on a loopback \
                 address only (127.0.0.1, ::1)",
            ));
        }

        let seal_key = match get("SEAL_KEY").map(|v| v.trim().to_ascii_lowercase()) {
            Some(k) if crate::ssr::crypto::is_token(&k) => Some(Secret::new(k)),
            Some(_) => return Err(err("SEAL_KEY", "must be 64 hex digits (e.g. `openssl rand -hex 32`)")),
            None if env == Environment::Development => {
                Some(Secret::new(crate::ssr::crypto::sha256_hex("mypage development seal key")))
            }
            None => None,
        };

        Ok(Self {
            seal_key,
            payment_gateway,
            support,
            invoice_issuer,
            pdf_font_path,
            request_timeout_secs,
            pool,
            shutdown_drain_secs,
            shutdown_grace_secs,
            mailbox_limit,
            speedtest_max_running,
            speedtest_min_seconds,
            mail_from,
            session,
            trusted_proxy_hops,
            trusted_proxies,
            reregistration_hold_secs,
            env,
            database_url: Secret::new(database_url),
            public_url,
            smtp_url,
            brand,
            mail_domain,
        })
    }
}

/// `PAYMENT_GATEWAY` and the chosen gateway's settings. The test gateway is refused in
/// production: it takes any card it is shown and its tokens charge nothing.
fn gateway_choice(
    get: &impl Fn(&str) -> Option<String>,
    env: Environment,
) -> Result<GatewayChoice, ConfigError> {
    let err = |var: &'static str, message: &str| ConfigError { var, message: message.into() };
    let chosen = get("PAYMENT_GATEWAY").map(|v| v.trim().to_ascii_lowercase());
    match chosen.as_deref() {
        None if env == Environment::Development => Ok(GatewayChoice::Test),
        None | Some("none") => Ok(GatewayChoice::None),
        Some("test") if env == Environment::Development => Ok(GatewayChoice::Test),
        Some("test") => Err(err(
            "PAYMENT_GATEWAY",
            "`test` is the built-in test gateway, for MYPAGE_ENV=development only: in production set \
             `gmo-linkplus` (with GMO_SHOP_ID, GMO_SHOP_PASS, GMO_CONFIG_ID) or leave it unset (no card \
             change online)",
        )),
        Some("gmo-linkplus") => {
            let required = |var: &'static str| {
                get(var)
                    .map(|v| v.trim().to_string())
                    .ok_or_else(|| err(var, "is required with PAYMENT_GATEWAY=gmo-linkplus"))
            };
            let base = get("GMO_LINKPLUS_URL").unwrap_or_else(|| "https://link.mul-pay.jp".into());
            let base_url = url::Url::parse(base.trim())
                .ok()
                .filter(|u| {
                    u.host().is_some() && (u.scheme() == "https" || (u.scheme() == "http" && is_loopback(u)))
                })
                .ok_or_else(|| {
                    err("GMO_LINKPLUS_URL", "must be an https:// URL such as https://link.mul-pay.jp")
                })?;
            let shop_id = required("GMO_SHOP_ID")?;
            let config_id = required("GMO_CONFIG_ID")?;
            let shop_pass = required("GMO_SHOP_PASS")?;
            let token_like = |v: &str, max: usize| {
                !v.is_empty()
                    && v.len() <= max
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            };
            if !token_like(&shop_id, 13) {
                return Err(err(
                    "GMO_SHOP_ID",
                    "must be the shop ID (up to 13 letters and digits), e.g. tshop00012345",
                ));
            }
            if !token_like(&config_id, 64) {
                return Err(err(
                    "GMO_CONFIG_ID",
                    "must be the 設定ID registered at the gateway (letters, digits, - _ .)",
                ));
            }
            let member_prefix =
                get("GMO_MEMBER_PREFIX").map(|v| v.trim().to_string()).unwrap_or_else(|| "MP".into());
            if !token_like(&member_prefix, 20) {
                return Err(err("GMO_MEMBER_PREFIX", "must be up to 20 letters, digits, - _ ."));
            }
            Ok(GatewayChoice::GmoLinkPlus(GmoSettings {
                base_url,
                shop_id,
                shop_pass: Secret::new(shop_pass),
                config_id,
                member_prefix,
            }))
        }
        Some(_) => Err(err("PAYMENT_GATEWAY", "must be `gmo-linkplus`, `none` or (development only) `test`")),
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
    fn production_at_its_defaults_is_warned_of_each_and_a_full_configuration_not() {
        let warned = |pairs: &[(&str, &str)]| -> Vec<String> {
            settings(pairs)
                .unwrap()
                .production_warnings()
                .iter()
                .map(|w| w.split_whitespace().next().unwrap().to_string())
                .collect()
        };
        assert_eq!(warned(&[]), ["PUBLIC_URL", "SMTP_URL", "INVOICE_ISSUER_NAME", "SEAL_KEY"]);
        let full = [
            ("PUBLIC_URL", "https://mypage.example.jp"),
            ("SMTP_URL", "smtp://mail.example.jp:587"),
            ("INVOICE_ISSUER_NAME", "イッツ・コミュニケーションズ株式会社"),
            ("INVOICE_REGISTRATION_NO", "T8700110005901"),
            ("SEAL_KEY", &"ab".repeat(32)),
            ("PAYMENT_GATEWAY", "gmo-linkplus"),
            ("GMO_SHOP_ID", "tshop00012345"),
            ("GMO_SHOP_PASS", "hunter2pass"),
            ("GMO_CONFIG_ID", "mypage-card"),
        ];
        assert!(warned(&full).is_empty(), "{:?}", warned(&full));
        // Each value on its own: an https address on the loopback, plain http, the
        // gateway's test environment.
        for (var, value) in [
            ("PUBLIC_URL", "https://127.0.0.1"),
            ("PUBLIC_URL", "http://mypage.example.jp"),
            ("GMO_LINKPLUS_URL", "https://stg.link.mul-pay.jp"),
        ] {
            let one: Vec<(&str, &str)> =
                full.iter().copied().filter(|(k, _)| *k != var).chain([(var, value)]).collect();
            assert_eq!(warned(&one), [var], "{var}={value}");
        }
        // Development is never warned: it is the demo.
        assert!(warned(&[("MYPAGE_ENV", "development")]).is_empty());
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.env, Environment::Production, "fails closed");
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(s.public_url.as_str(), "http://127.0.0.1:3000/");
        assert!(s.smtp_url.is_none());
        assert_eq!(s.brand, "iTSCOM");
        assert_eq!(s.mail_domain, "itscom.net");
        assert_eq!(s.session, SessionSettings { idle_secs: 30 * 60, absolute_secs: 12 * 3600 });
        assert_eq!(s.trusted_proxy_hops, 0);
        assert_eq!(s.reregistration_hold_secs, 72 * 3600);
        assert_eq!(s.mailbox_limit, 5);
        assert_eq!((s.speedtest_max_running, s.speedtest_min_seconds), (20, 10));
        assert_eq!(s.invoice_issuer.registration_no, DEFAULT_REGISTRATION_NO);
        assert!(s.pdf_font_path.ends_with("ipaexg.ttf"));
        assert_eq!(s.support.internet_phone, "0120-125607");
        assert_eq!(s.support.internet_phone_ip, "042-716-9617");
        assert_eq!(s.support.general_phone, "0120-109199");
        assert_eq!(s.support.mail, "support@itscom.jp");
        let s = settings(&[("SUPPORT_INTERNET_PHONE", "0120-000-111"), ("SUPPORT_MAIL", "help@example.jp")])
            .unwrap();
        assert_eq!(
            (s.support.internet_phone.as_str(), s.support.mail.as_str()),
            ("0120-000-111", "help@example.jp")
        );
    }

    #[test]
    fn a_registration_number_needs_t_13_digits_and_its_check_digit() {
        assert!(is_registration_no(DEFAULT_REGISTRATION_NO));
        // The National Tax Agency's example corporate number 8700110005901 (国税庁).
        assert!(is_registration_no("T8700110005901"));
        assert!(!is_registration_no("T7700110005901"), "wrong check digit");
        assert!(!is_registration_no("8700110005901"), "no T");
        assert!(!is_registration_no("T870011000590"), "12 digits");
        assert!(!is_registration_no("T87001100059012"), "14 digits");
        assert!(!is_registration_no("T870011000590A"));
        let s = settings(&[
            ("INVOICE_REGISTRATION_NO", "T8700110005901"),
            ("INVOICE_ISSUER_NAME", "テスト株式会社"),
        ])
        .unwrap();
        assert_eq!(
            s.invoice_issuer,
            InvoiceIssuer { name: "テスト株式会社".into(), registration_no: "T8700110005901".into() }
        );
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
            ("TRUST_X_FORWARDED_FOR", "true"),
            ("TRUSTED_PROXY_HOPS", "-1"),
            ("TRUSTED_PROXY_HOPS", "11"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("TRUSTED_PROXIES", "haproxy.internal"),
            ("TRUSTED_PROXIES", "10.0.1.5"),
            ("REREGISTRATION_HOLD_HOURS", "0"),
            ("INVOICE_REGISTRATION_NO", "T1234567890124"),
            ("INVOICE_ISSUER_NAME", "a\nb"),
            ("SEAL_KEY", "not-hex"),
            ("SEAL_KEY", "abcd"),
            ("SUPPORT_INTERNET_PHONE", "0120-12560"),
            ("SUPPORT_GENERAL_PHONE", "tel:0120109199"),
            ("SUPPORT_MAIL", "support"),
            ("SUPPORT_HOURS_URL", "javascript:alert(1)"),
        ] {
            let e = settings(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var, "{value}");
            assert!(e.to_string().contains(var));
        }
    }

    #[test]
    fn the_pool_and_the_shutdown_take_their_bounds_and_no_more() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.pool.max_connections, None, "the backend's default");
        assert_eq!(s.pool.acquire_timeout, std::time::Duration::from_secs(2));
        assert_eq!((s.shutdown_drain_secs, s.shutdown_grace_secs), (0, 20));
        for (var, good, bad) in [
            ("DATABASE_POOL_SIZE", ["1", "1000"], ["0", "1001"]),
            ("DATABASE_WAIT_SECS", ["1", "60"], ["0", "x"]),
            ("SHUTDOWN_DRAIN_SECS", ["0", "300"], ["301", "-1"]),
            ("SHUTDOWN_GRACE_SECS", ["1", "120"], ["0", "1.5"]),
        ] {
            for value in good {
                assert!(settings(&[(var, value)]).is_ok(), "{var}={value}");
            }
            for value in bad {
                assert_eq!(settings(&[(var, value)]).unwrap_err().var, var, "{var}={value}");
            }
        }
        let s = settings(&[("DATABASE_POOL_SIZE", "40"), ("SHUTDOWN_DRAIN_SECS", "3")]).unwrap();
        assert_eq!((s.pool.max_connections, s.shutdown_drain_secs), (Some(40), 3));
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
    fn trusted_proxies_are_addresses_or_networks_behind_a_hop_count() {
        let s =
            settings(&[("TRUSTED_PROXY_HOPS", "1"), ("TRUSTED_PROXIES", "10.0.1.5, 10.0.2.0/24 fd00::/8")])
                .unwrap();
        let listed: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(listed, ["10.0.1.5/32", "10.0.2.0/24", "fd00::/8"]);
        // Hops without a list: believed from any peer, and production says so.
        let s = settings(&[("TRUSTED_PROXY_HOPS", "1")]).unwrap();
        assert!(s.trusted_proxies.is_empty());
        assert!(s.production_warnings().iter().any(|w| w.contains("TRUSTED_PROXIES")));
        let s = settings(&[("TRUSTED_PROXY_HOPS", "1"), ("TRUSTED_PROXIES", "10.0.1.5")]).unwrap();
        assert!(!s.production_warnings().iter().any(|w| w.contains("TRUSTED_PROXIES")));
    }

    #[test]
    fn development_is_only_for_a_loopback_public_url() {
        for local in
            ["http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000", "http://127.0.0.2"]
        {
            let s = settings(&[("MYPAGE_ENV", "development"), ("PUBLIC_URL", local)]).unwrap();
            assert_eq!(s.env, Environment::Development, "{local}");
        }
        for public in ["https://mypage.example.jp", "http://192.168.1.10:3000", "http://localhost.example.jp"]
        {
            let e = settings(&[("MYPAGE_ENV", "development"), ("PUBLIC_URL", public)]).unwrap_err();
            assert_eq!(e.var, "PUBLIC_URL", "{public}");
            // Production takes any public address.
            assert!(settings(&[("PUBLIC_URL", public)]).unwrap().env.is_production());
        }
    }

    #[test]
    fn proxy_hops_and_the_hold_are_taken() {
        let s = settings(&[("TRUSTED_PROXY_HOPS", "2"), ("REREGISTRATION_HOLD_HOURS", "1")]).unwrap();
        assert_eq!(s.trusted_proxy_hops, 2);
        assert_eq!(s.reregistration_hold_secs, 3600);
    }

    #[test]
    fn the_test_gateway_is_for_development_only_and_production_may_have_none() {
        assert_eq!(
            settings(&[]).unwrap().payment_gateway,
            GatewayChoice::None,
            "production: none by default"
        );
        assert_eq!(settings(&[("MYPAGE_ENV", "development")]).unwrap().payment_gateway, GatewayChoice::Test);
        let e = settings(&[("PAYMENT_GATEWAY", "test")]).unwrap_err();
        assert_eq!(e.var, "PAYMENT_GATEWAY");
        assert!(e.to_string().contains("PAYMENT_GATEWAY") && e.to_string().contains("development"), "{e}");
        assert_eq!(
            settings(&[("MYPAGE_ENV", "development"), ("PAYMENT_GATEWAY", "none")]).unwrap().payment_gateway,
            GatewayChoice::None
        );
        assert_eq!(settings(&[("PAYMENT_GATEWAY", "stripe")]).unwrap_err().var, "PAYMENT_GATEWAY");
    }

    #[test]
    fn the_gmo_gateway_needs_its_shop_and_setting_ids() {
        let full = [
            ("PAYMENT_GATEWAY", "gmo-linkplus"),
            ("GMO_SHOP_ID", "tshop00012345"),
            ("GMO_SHOP_PASS", "hunter2pass"),
            ("GMO_CONFIG_ID", "mypage-card"),
        ];
        let s = settings(&full).unwrap();
        match &s.payment_gateway {
            GatewayChoice::GmoLinkPlus(g) => {
                assert_eq!(g.base_url.as_str(), "https://link.mul-pay.jp/");
                assert_eq!(
                    (g.shop_id.as_str(), g.config_id.as_str(), g.member_prefix.as_str()),
                    ("tshop00012345", "mypage-card", "MP")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(!format!("{s:?}").contains("hunter2pass"), "the shop password is a secret");
        for missing in ["GMO_SHOP_ID", "GMO_SHOP_PASS", "GMO_CONFIG_ID"] {
            let some: Vec<_> = full.iter().copied().filter(|(k, _)| *k != missing).collect();
            assert_eq!(settings(&some).unwrap_err().var, missing);
        }
        let plain_http = [full.as_slice(), &[("GMO_LINKPLUS_URL", "http://link.example.jp")]].concat();
        assert_eq!(settings(&plain_http).unwrap_err().var, "GMO_LINKPLUS_URL");
        let loopback = [full.as_slice(), &[("GMO_LINKPLUS_URL", "http://127.0.0.1:4000")]].concat();
        assert!(settings(&loopback).is_ok(), "a local stand-in in tests");
        let bad_shop = [&full[..1], &[("GMO_SHOP_ID", "shop id!"), full[2], full[3]]].concat();
        assert_eq!(settings(&bad_shop).unwrap_err().var, "GMO_SHOP_ID");
    }

    #[test]
    fn development_listens_on_the_loopback_only() {
        for local in ["127.0.0.1:3000", "[::1]:3000", "127.0.0.5:80"] {
            assert!(
                settings(&[("MYPAGE_ENV", "development"), ("LEPTOS_SITE_ADDR", local)]).is_ok(),
                "{local}"
            );
        }
        for open in ["0.0.0.0:3000", "192.168.1.10:3000", "[::]:3000"] {
            let e = settings(&[("MYPAGE_ENV", "development"), ("LEPTOS_SITE_ADDR", open)]).unwrap_err();
            assert_eq!(e.var, "LEPTOS_SITE_ADDR", "{open}");
            assert!(settings(&[("LEPTOS_SITE_ADDR", open)]).is_ok(), "production listens anywhere");
        }
        assert_eq!(settings(&[("LEPTOS_SITE_ADDR", "nowhere")]).unwrap_err().var, "LEPTOS_SITE_ADDR");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = settings(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
