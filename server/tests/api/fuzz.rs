//! Fuzzed input never yields a 500 or a panic (issue 26 §6).
//!
//! A property test drives the whole axum router in process (`tower::ServiceExt::oneshot`
//! on `server::router`, no TCP) with generated requests, on a fresh app with the demo
//! data, on SQLite and on PostgreSQL. What it targets:
//!
//! - every server function: the registered ones (`server_fn`'s inventory, each
//!   `/api/…` with its method), with their argument names and types read from their
//!   `#[server(endpoint = "…")]` source in `app/src` (a test checks the two lists agree,
//!   so a new server function is fuzzed without a word here);
//! - every page of the route list (`server::route_list()`), with the query keys the
//!   pages read (`.get("…")` in `app/src`) and random ones;
//! - the plain routes of `server::router` (PDFs, the payment gateway's return and
//!   result, the speed test's streams, the test gateway's pages, health, the service
//!   worker, the benchmark's bytes) and the static-file fallback;
//! - odd paths: unknown server functions and pages, trailing and doubled slashes,
//!   dot segments, percent-encoded and upper-cased paths, extra segments, long paths.
//!
//! What each request is made of: the endpoint's method or another (`PUT`, `TRACE`, a
//! made-up one…); each field missing, given once or twice, with a value that is
//! plausible (demo data: IDs, passwords, service ids, plan and add-on codes, months,
//! tokens and tickets seen in earlier answers or mails) or hostile (empty, whitespace,
//! control characters and NUL, invalid UTF-8 raw or percent-encoded, lone surrogates,
//! huge and odd numbers, up to 2 MiB of text, markup and SQL), plus unknown fields; the
//! body as a form (escaped or raw), JSON, multipart, random bytes, empty or oversized,
//! under the right, a wrong, a garbage or no content type; `Accept` of a plain form
//! post, of a fetch, none or garbage; same-origin (`Sec-Fetch-Site`), matching
//! `Origin`, cross-site or no such header (both refused and accepted posts, so the
//! handlers' bodies are reached); no session, the demo customer's (hanako@example.com,
//! a fresh session made again whenever a case ended it), a garbage or duplicated
//! session cookie, and the flow cookies earlier answers set; odd `Referer`, `Host`,
//! `Accept-Language`, `X-Forwarded-For`, `Forwarded`, `Range`, `Content-Length`,
//! `Content-Encoding`, `User-Agent` and cookies, with bytes that are not UTF-8.
//!
//! A case fails on a 5xx (except the PDF routes' 503 with `Retry-After`: every renderer
//! busy, which another test of this binary may cause), a 408 (the request hung until
//! `REQUEST_TIMEOUT_SECS`), a panic on any of the app's threads, or a body that breaks
//! off. The failure message prints the request; each failure found is kept below as a
//! named test of its own.
//!
//! Runs: `cargo test -p server -- fuzz` runs [`DEFAULT_CASES`] cases a database with a
//! fixed seed (the same requests each run). A longer or different run:
//! `FUZZ_CASES=5000 cargo test -p server -- fuzz::sqlite` (`FUZZ_SEED=<number>` for
//! another seed, `FUZZ_SEED=random` for a fresh one, printed on failure).

use crate::common::*;
use axum::body::Body;
use http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// Cases a default run sends on SQLite (half as many on PostgreSQL).
const DEFAULT_CASES: u32 = 1000;
/// The demo customer the fuzz logs in as (SPEC §7's demo data).
const CUSTOMER_ID: &str = "hanako@example.com";
const CUSTOMER_PASSWORD: &str = "Hanako_2024";
const CUSTOMER_NO: &str = "100000002";
/// The host the test settings' `PUBLIC_URL` names.
const HOST: &str = "127.0.0.1:3000";
/// The most of a body read before giving up on it (the speed test's downloads).
const BODY_LIMIT: usize = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------
// What there is to call.
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    ServerFn,
    Page,
    Plain,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    /// `i64` or `Option<i64>`: generated as numbers more often.
    numeric: bool,
}

#[derive(Debug, Clone)]
struct Endpoint {
    kind: Kind,
    method: Method,
    /// With `{name}` for a path parameter.
    path: String,
    fields: Vec<Field>,
}

/// A server function's argument names and types, from its source: `endpoint` →
/// fields (every `#[server(endpoint = "…")]` of `app/src`).
fn server_fn_signatures() -> BTreeMap<String, Vec<Field>> {
    let marker = "#[server(endpoint = \"";
    let mut out = BTreeMap::new();
    for file in app_sources() {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let endpoint = &rest[..rest.find('"').unwrap()];
            let sig = &rest[rest.find("fn ").unwrap()..];
            let open = sig.find('(').unwrap();
            let (mut depth, mut close) = (0i32, open);
            for (i, c) in sig[open..].char_indices() {
                match c {
                    '(' | '<' => depth += 1,
                    ')' | '>' if !sig[open + i..].starts_with("->") => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            let (mut args, mut depth, mut current) = (Vec::new(), 0i32, String::new());
            for c in sig[open + 1..close].chars() {
                match c {
                    '<' | '(' => depth += 1,
                    '>' | ')' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(std::mem::take(&mut current));
                        continue;
                    }
                    _ => {}
                }
                current.push(c);
            }
            args.push(current);
            let fields = args
                .iter()
                .filter_map(|a| a.split_once(':'))
                .map(|(name, ty)| Field { name: name.trim().to_string(), numeric: ty.contains("i64") })
                .collect();
            out.insert(format!("/api/{endpoint}"), fields);
        }
    }
    out
}

/// The Rust sources of `app/src`.
fn app_sources() -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

/// The query keys the pages and plain routes read (`.get("…")` in `app/src`).
fn query_keys() -> Vec<String> {
    let mut keys = BTreeSet::new();
    for path in app_sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        for piece in text.split(".get(\"").skip(1) {
            let key = &piece[..piece.find('"').unwrap_or(0)];
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                keys.insert(key.to_string());
            }
        }
    }
    keys.extend(["lang", "sig", "status"].map(String::from));
    keys.into_iter().collect()
}

/// The registered server functions (path, method): `server_fn`'s inventory.
fn registered_server_fns() -> BTreeSet<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect()
}

fn field(name: &str) -> Field {
    Field { name: name.into(), numeric: false }
}

/// Everything the router answers.
fn catalogue() -> Vec<Endpoint> {
    let signatures = server_fn_signatures();
    let mut out = Vec::new();
    for (path, method) in registered_server_fns() {
        let fields = signatures.get(&path).cloned().unwrap_or_default();
        out.push(Endpoint { kind: Kind::ServerFn, method: method.parse().unwrap(), path, fields });
    }
    for route in server::route_list() {
        out.push(Endpoint {
            kind: Kind::Page,
            method: Method::GET,
            path: route.path().to_string(),
            fields: vec![],
        });
    }
    use app::features::{
        billing::routes as billing, contract::routes as contract, speedtest::routes as speed,
    };
    let plain = |method: Method, path: &str, fields: &[&str]| Endpoint {
        kind: Kind::Plain,
        method,
        path: path.to_string(),
        fields: fields.iter().map(|f| field(f)).collect(),
    };
    out.extend([
        plain(Method::GET, "/healthz", &[]),
        plain(Method::GET, "/sw.js", &[]),
        plain(Method::GET, billing::PDF_ROUTE, &[]),
        plain(Method::GET, contract::DOCUMENT, &[]),
        plain(Method::GET, billing::PAYMENT_RETURN, &["ref", "result", "status", "sig"]),
        plain(Method::POST, billing::PAYMENT_RESULT, &["ref", "result", "status", "sig"]),
        plain(Method::GET, speed::DOWNLOAD, &["t", "size"]),
        plain(Method::POST, speed::UPLOAD, &["t"]),
        plain(Method::GET, speed::PING, &["t"]),
        plain(Method::GET, &format!("{}/pay/{{id}}", server::test_gateway::PREFIX), &[]),
        plain(
            Method::POST,
            &format!("{}/pay/{{id}}", server::test_gateway::PREFIX),
            &["number", "exp_month", "exp_year", "cvc"],
        ),
        plain(Method::POST, &format!("{}/pay/{{id}}/cancel", server::test_gateway::PREFIX), &[]),
        plain(Method::GET, server::BARE_LOGIN_PATH, &[]),
        plain(Method::GET, "/pkg/mypage.js", &[]),
        plain(Method::GET, "/favicon.ico", &[]),
        plain(Method::GET, "/manifest.webmanifest", &[]),
    ]);
    out
}

// ---------------------------------------------------------------------------------
// Plausible values: the demo data's, and what earlier answers handed out.
// ---------------------------------------------------------------------------------

/// Values that get a request past the first checks, by field (or query key) name.
#[derive(Default)]
struct Dictionary {
    by_name: BTreeMap<String, Vec<String>>,
    /// Every value above: for a field the dictionary has no entry for.
    all: Vec<String>,
    /// Tokens, tickets and references seen in answers and mails (newest last).
    seen: Vec<String>,
}

impl Dictionary {
    async fn of(app: &TestApp) -> Self {
        let column = |sql: &'static str| async move {
            let rows: Vec<(String,)> = rows_for(app, sql, CUSTOMER_NO).await;
            rows.into_iter().map(|(v,)| v).collect::<Vec<_>>()
        };
        let services = column("SELECT id FROM services WHERE customer_no = $1").await;
        let plans = column("SELECT code FROM plans WHERE code <> $1").await;
        let addons = column("SELECT code FROM addons WHERE code <> $1").await;
        let mailboxes = column("SELECT id FROM mailboxes WHERE customer_no = $1").await;
        let months = column("SELECT billing_month FROM invoices WHERE customer_no = $1").await;
        let referral = column("SELECT code FROM referral_codes WHERE code <> $1").await;
        let subscriptions = column("SELECT id FROM addon_subscriptions WHERE customer_no = $1").await;
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ids = s(&[CUSTOMER_ID, "ichiro@example.net", "new.person@example.com", "taro@example.jp"]);
        let passwords = s(&[CUSTOMER_PASSWORD, "Ichiro_2020", "Kx9#vLp2!mQz7wRt", "password"]);
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut put = |names: &[&str], values: Vec<String>| {
            for n in names {
                by_name.entry(n.to_string()).or_default().extend(values.iter().cloned());
            }
        };
        put(&["itscom_id", "new_itscom_id", "email", "contact"], ids);
        put(&["password", "password_again"], passwords);
        put(&["kana"], s(&["サトウ ハナコ", "ヤマダ タロウ", "ｻﾄｳ ﾊﾅｺ", "さとう はなこ"]));
        put(&["phone"], s(&["045-987-6543", "09011112222", "03-1234-5678", "+81 90 1111 2222"]));
        put(&["factor_kind"], s(&["postal_code", "equipment", "address", "customer_no", "birth_date"]));
        put(&["factor_value"], s(&["225-0002", "2250002", "HP00000002", "100000002", "STB0000001"]));
        put(&["service"], services.clone());
        put(&["id"], services.iter().chain(&subscriptions).cloned().collect());
        put(&["plan", "quoted"], plans);
        put(&["code"], addons.iter().chain(&referral).cloned().chain(s(&["123456", "000000"])).collect());
        put(&["kind"], s(&["security", "channel", "internet", "tv", "phone"]));
        put(&["mailbox_id"], mailboxes);
        put(
            &["virus_check", "agree", "done", "sent", "changed", "applied", "requested", "cancelled"],
            s(&["1", "0", "on", "off", "true"]),
        );
        put(&["local_part"], s(&["hanako2", "sato.family", "a", "taro_yamada-01"]));
        put(&["subdomain"], s(&["a01", "b03", "z99"]));
        put(&["month"], months.iter().cloned().chain(s(&["2024-13", "0000-00", "9999-12"])).collect());
        put(&["file"], s(&["invoice.pdf", "receipt.pdf", "other.pdf"]));
        put(&["choice"], s(&["code", "question", "support"]));
        put(&["question"], s(&["pet", "school", "birthplace", "1"]));
        put(&["answer"], s(&["ポチ", "tama", "  "]));
        put(&["category"], s(&["internet", "tv", "phone", "billing", "other", "speed"]));
        put(&["message"], s(&["インターネットが遅いです。", "hello"]));
        put(&["lang"], s(&["ja", "en", "fr"]));
        put(&["customer_no"], s(&[CUSTOMER_NO, "100000001", "999999999"]));
        put(
            &["next", "back"],
            s(&["/", "/billing", "//evil.example/", "https://evil.example/", "/\\evil.example"]),
        );
        put(&["error"], s(&["verification", "password.too_short", "internal", "<script>.x", "expired"]));
        put(&["size", "duration"], s(&["1", "0", "32", "33", "-1", "18446744073709551616"]));
        put(
            &["download_kbps", "upload_kbps", "ping_us", "jitter_us", "loaded_us"],
            s(&["1000", "0", "-1", "9223372036854775807", "-9223372036854775808"]),
        );
        put(&["number"], s(&["4242424242424242", "4000000000000002", "4242 4242 4242 4241"]));
        put(&["exp_month", "exp_year", "cvc"], s(&["12", "2030", "123", "00", "99"]));
        let all = by_name.values().flatten().cloned().collect();
        Dictionary { by_name, all, seen: Vec::new() }
    }

    /// The plausible values of `name`: its own, else any, and the tokens seen for the
    /// names that take one.
    fn pick(&self, name: &str, i: &Index) -> String {
        let own = self.by_name.get(name).filter(|v| !v.is_empty());
        let takes_token = matches!(name, "token" | "t" | "ticket" | "ref" | "key" | "result" | "sig" | "id");
        if takes_token && !self.seen.is_empty() && (own.is_none() || i.index(2) == 0) {
            return self.seen[i.index(self.seen.len())].clone();
        }
        match own {
            Some(values) => values[i.index(values.len())].clone(),
            None if takes_token => "0".repeat(64),
            None => self.all[i.index(self.all.len())].clone(),
        }
    }

    /// Keep the tokens of an answer (64 hex digits, ids, `ref=`, `key=`…) for later cases.
    fn learn(&mut self, text: &str) {
        let mut found = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b'_')
            {
                i += 1;
            }
            let word = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
            let tokenish = word.len() >= 20
                && word.len() <= 128
                && word.chars().any(|c| c.is_ascii_digit())
                && word.chars().any(|c| c.is_ascii_alphabetic());
            if tokenish && !found.iter().any(|f: &String| f == word) {
                found.push(word.to_string());
            }
            i += 1;
        }
        for f in found {
            if !self.seen.contains(&f) {
                self.seen.push(f);
            }
        }
        let excess = self.seen.len().saturating_sub(64);
        self.seen.drain(..excess);
    }
}

// ---------------------------------------------------------------------------------
// A generated request.
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Value {
    /// One of the dictionary's values for the field.
    Plausible(Index),
    /// A plausible value with something around it.
    Wrapped(Index, Vec<u8>),
    Bytes(Vec<u8>),
    Text(String),
    /// `times` repetitions of `unit`.
    Long(&'static str, usize),
}

fn value() -> impl Strategy<Value = Value> {
    let hostile = prop_oneof![
        Just(&b""[..]),
        Just(&b" "[..]),
        Just(&b"\0"[..]),
        Just(&b"a\0b"[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\xff\xfe"[..]),
        Just(&b"\xc0\xaf"[..]),
        Just(&b"\xed\xa0\x80"[..]),
        Just(&b"%"[..]),
        Just(&b"%zz"[..]),
        Just(&b"%00"[..]),
        Just(&b"%FF"[..]),
        Just(&b"+"[..]),
        Just(&b"&="[..]),
        Just(&b"-1"[..]),
        Just(&b"0"[..]),
        Just(&b"1e309"[..]),
        Just(&b"NaN"[..]),
        Just(&b"99999999999999999999999999"[..]),
        Just(&b"-9223372036854775808"[..]),
        Just(&b"true"[..]),
        Just(&b"null"[..]),
        Just(&b"[]"[..]),
        Just(&b"{\"a\":1}"[..]),
        Just(&b"' OR '1'='1' --"[..]),
        Just(&b"\"); DROP TABLE accounts; --"[..]),
        Just(&b"<script>alert(1)</script>"[..]),
        Just(&b"../../../../etc/passwd"[..]),
        Just(&b"\xef\xbb\xbf"[..]),
        Just("\u{202e}\u{200b}\u{fe0f}".as_bytes()),
        Just("🇯🇵👨‍👩‍👧".as_bytes()),
        Just("Ａ１＠ｅｘａｍｐｌｅ．ｃｏｍ".as_bytes()),
        Just(&b"2024-02-30"[..]),
        Just(&b"9999-99"[..]),
    ]
    .prop_map(|b| Value::Bytes(b.to_vec()));
    prop_oneof![
        10 => any::<Index>().prop_map(Value::Plausible),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..4)).prop_map(|(i, b)| Value::Wrapped(i, b)),
        6 => hostile,
        3 => ".{0,24}".prop_map(Value::Text),
        2 => prop::collection::vec(any::<u8>(), 0..32).prop_map(Value::Bytes),
        1 => (prop_oneof![Just("a"), Just("あ"), Just("%"), Just("0"), Just("\0")], prop_oneof![
            3 => 64usize..2048,
            1 => Just(300_000usize),
            1 => Just(2_200_000usize),
        ]).prop_map(|(unit, times)| Value::Long(unit, times)),
    ]
}

#[derive(Debug, Clone)]
enum Given {
    Missing,
    Once(Value),
    Twice(Value, Value),
}

fn given() -> impl Strategy<Value = Given> {
    prop_oneof![
        2 => Just(Given::Missing),
        12 => value().prop_map(Given::Once),
        1 => (value(), value()).prop_map(|(a, b)| Given::Twice(a, b)),
    ]
}

#[derive(Debug, Clone)]
enum PathTwist {
    AsIs,
    TrailingSlash,
    DoubleSlash,
    Upper,
    PercentEncoded,
    DotSegments,
    ExtraSegment(Value),
    Replaced(Value),
    UnknownServerFn(String),
    Long,
}

fn path_twist() -> impl Strategy<Value = PathTwist> {
    prop_oneof![
        40 => Just(PathTwist::AsIs),
        1 => Just(PathTwist::TrailingSlash),
        1 => Just(PathTwist::DoubleSlash),
        1 => Just(PathTwist::Upper),
        1 => Just(PathTwist::PercentEncoded),
        1 => Just(PathTwist::DotSegments),
        1 => value().prop_map(PathTwist::ExtraSegment),
        1 => value().prop_map(PathTwist::Replaced),
        1 => "[a-z/_.-]{0,16}".prop_map(PathTwist::UnknownServerFn),
        1 => Just(PathTwist::Long),
    ]
}

#[derive(Debug, Clone)]
enum BodyKind {
    Form,
    /// The fields unescaped: `&`, `=`, `+`, `%` and any byte as they are.
    RawForm,
    Json,
    Multipart,
    Bytes(Vec<u8>),
    Empty,
}

fn body_kind() -> impl Strategy<Value = BodyKind> {
    prop_oneof![
        20 => Just(BodyKind::Form),
        2 => Just(BodyKind::RawForm),
        2 => Just(BodyKind::Json),
        1 => Just(BodyKind::Multipart),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(BodyKind::Bytes),
        2 => Just(BodyKind::Empty),
    ]
}

#[derive(Debug, Clone)]
enum ContentType {
    /// Whatever the body is.
    Natural,
    Missing,
    Form,
    FormCharset(&'static str),
    Json,
    MultipartNoBoundary,
    Text,
    Garbage(Value),
}

fn content_type() -> impl Strategy<Value = ContentType> {
    prop_oneof![
        24 => Just(ContentType::Natural),
        1 => Just(ContentType::Missing),
        1 => Just(ContentType::Form),
        1 => prop_oneof![Just("utf-16"), Just("shift_jis"), Just("\"bogus\"")].prop_map(ContentType::FormCharset),
        1 => Just(ContentType::Json),
        1 => Just(ContentType::MultipartNoBoundary),
        1 => Just(ContentType::Text),
        1 => value().prop_map(ContentType::Garbage),
    ]
}

#[derive(Debug, Clone)]
enum Accept {
    Html,
    Json,
    Missing,
    Any,
    Garbage(Value),
}

fn accept() -> impl Strategy<Value = Accept> {
    prop_oneof![
        8 => Just(Accept::Html),
        8 => Just(Accept::Json),
        2 => Just(Accept::Missing),
        1 => Just(Accept::Any),
        1 => value().prop_map(Accept::Garbage),
    ]
}

/// Where the request says it comes from.
#[derive(Debug, Clone)]
enum Site {
    SameOrigin,
    FetchNone,
    NoHeader,
    OriginMatches,
    Elsewhere,
    OtherOrigin,
    NullOrigin,
}

fn site() -> impl Strategy<Value = Site> {
    prop_oneof![
        12 => Just(Site::SameOrigin),
        1 => Just(Site::FetchNone),
        3 => Just(Site::NoHeader),
        2 => Just(Site::OriginMatches),
        1 => Just(Site::Elsewhere),
        1 => Just(Site::OtherOrigin),
        1 => Just(Site::NullOrigin),
    ]
}

#[derive(Debug, Clone)]
enum Who {
    Nobody,
    Customer,
    GarbageSession(Value),
    /// The session cookie twice: a garbage one first.
    TwoSessions(Value),
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        4 => Just(Who::Nobody),
        10 => Just(Who::Customer),
        1 => value().prop_map(Who::GarbageSession),
        1 => value().prop_map(Who::TwoSessions),
    ]
}

const ODD_HEADERS: &[&str] = &[
    "referer",
    "accept-language",
    "x-forwarded-for",
    "forwarded",
    "user-agent",
    "content-length",
    "range",
    "cookie",
    "host",
    "content-encoding",
    "accept-encoding",
    "if-none-match",
    "x-requested-with",
];

#[derive(Debug, Clone)]
struct Case {
    target: Index,
    method: Option<Method>,
    path: PathTwist,
    params: (Value, Value),
    fields: Vec<Given>,
    extra_fields: Vec<(Value, Value)>,
    query: Vec<(Index, Value)>,
    body: BodyKind,
    content_type: ContentType,
    accept: Accept,
    site: Site,
    who: Who,
    flow_cookies: bool,
    headers: Vec<(Index, Value)>,
}

fn method() -> impl Strategy<Value = Option<Method>> {
    prop_oneof![
        24 => Just(None),
        1 => prop_oneof![
            Just(Method::GET),
            Just(Method::POST),
            Just(Method::PUT),
            Just(Method::DELETE),
            Just(Method::PATCH),
            Just(Method::HEAD),
            Just(Method::OPTIONS),
            Just(Method::TRACE),
            Just(Method::from_bytes(b"PURGE").unwrap()),
        ]
        .prop_map(Some),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        (any::<Index>(), method(), path_twist(), (value(), value())),
        (
            prop::collection::vec(given(), 8),
            prop::collection::vec((value(), value()), 0..2),
            prop::collection::vec((any::<Index>(), value()), 0..3),
        ),
        (body_kind(), content_type(), accept(), site(), who(), any::<bool>()),
        prop::collection::vec((any::<Index>(), value()), 0..3),
    )
        .prop_map(
            |(
                (target, method, path, params),
                (fields, extra_fields, query),
                (body, content_type, accept, site, who, flow_cookies),
                headers,
            )| Case {
                target,
                method,
                path,
                params,
                fields,
                extra_fields,
                query,
                body,
                content_type,
                accept,
                site,
                who,
                flow_cookies,
                headers,
            },
        )
}

// ---------------------------------------------------------------------------------
// From a case to a request.
// ---------------------------------------------------------------------------------

/// What the requests are made with: the catalogue, the plausible values, the session.
struct Fuzz {
    router: axum::Router,
    endpoints: Vec<Endpoint>,
    query_keys: Vec<String>,
    dictionary: Dictionary,
    session: String,
    session_cookie: &'static str,
    /// Flow cookies set by earlier answers (registration, recovery, device…).
    jar: BTreeMap<String, String>,
    /// What the run reached: answers by endpoint and status, and the time they took.
    tally: BTreeMap<(String, u16), (u32, std::time::Duration)>,
}

fn bytes_of(v: &Value, name: &str, dict: &Dictionary) -> Vec<u8> {
    match v {
        Value::Plausible(i) => dict.pick(name, i).into_bytes(),
        Value::Wrapped(i, around) => {
            let mut b = around.clone();
            b.extend(dict.pick(name, i).into_bytes());
            b.extend(around);
            b
        }
        Value::Bytes(b) => b.clone(),
        Value::Text(t) => t.clone().into_bytes(),
        Value::Long(unit, times) => unit.repeat(*times).into_bytes(),
    }
}

/// Percent-encodes everything but the unreserved characters.
fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

fn push_escaped(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// A header value of (most of) `bytes`: control characters become spaces; other bytes,
/// even not UTF-8, stay.
fn header_value(bytes: &[u8]) -> HeaderValue {
    let clean: Vec<u8> = bytes
        .iter()
        .take(8192)
        .map(|&b| if b < 0x20 && b != b'\t' || b == 0x7f { b' ' } else { b })
        .collect();
    HeaderValue::from_bytes(&clean).unwrap_or(HeaderValue::from_static("x"))
}

impl Fuzz {
    fn request(&self, case: &Case) -> Request<Body> {
        let endpoint = &self.endpoints[case.target.index(self.endpoints.len())];
        let method = case.method.clone().unwrap_or(endpoint.method.clone());
        let dict = &self.dictionary;
        // The fields, in order, each missing, once or twice; then the unknown ones.
        let mut pairs: Vec<(String, Vec<u8>)> = Vec::new();
        for (f, g) in endpoint.fields.iter().zip(&case.fields) {
            let numeric = |v: &Value| match v {
                // A number field gets numbers more often: random text becomes one.
                Value::Text(t) if f.numeric => (t.len() as i64 * 7919 - 50_000).to_string().into_bytes(),
                v => bytes_of(v, &f.name, dict),
            };
            match g {
                Given::Missing => {}
                Given::Once(v) => pairs.push((f.name.clone(), numeric(v))),
                Given::Twice(a, b) => {
                    pairs.push((f.name.clone(), numeric(a)));
                    pairs.push((f.name.clone(), numeric(b)));
                }
            }
        }
        for (k, v) in &case.extra_fields {
            let k = bytes_of(k, "", dict);
            pairs.push((String::from_utf8_lossy(&k).into_owned(), bytes_of(v, "", dict)));
        }
        // The path, its parameters filled.
        let mut path = endpoint.path.clone();
        for (i, v) in [&case.params.0, &case.params.1].into_iter().enumerate() {
            if let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
                let name = path[open + 1..close].to_string();
                let value = if i == 0 && name == "month" {
                    bytes_of(v, "month", dict)
                } else {
                    bytes_of(v, &name, dict)
                };
                path.replace_range(open..=close, &escape(&value));
            }
        }
        path = match &case.path {
            PathTwist::AsIs => path,
            PathTwist::TrailingSlash => format!("{path}/"),
            PathTwist::DoubleSlash => format!("/{}", path.replace('/', "//")),
            PathTwist::Upper => path.to_uppercase(),
            PathTwist::PercentEncoded => {
                path.split('/').map(|s| escape_all(s.as_bytes())).collect::<Vec<_>>().join("/")
            }
            PathTwist::DotSegments => format!("/x/..{path}/./"),
            PathTwist::ExtraSegment(v) => format!("{path}/{}", escape(&bytes_of(v, "", dict))),
            PathTwist::Replaced(v) => format!("/{}", escape(&bytes_of(v, "", dict))),
            PathTwist::UnknownServerFn(s) => format!("/api/{s}"),
            PathTwist::Long => format!("{path}{}", "/a".repeat(4000)),
        };
        // The query: the fields of a GET (pages' and plain routes'), and random keys.
        let sends_body = !matches!(method, Method::GET | Method::HEAD);
        let mut query: Vec<String> = Vec::new();
        if !sends_body {
            query.extend(pairs.iter().map(|(k, v)| format!("{}={}", escape(k.as_bytes()), escape(v))));
        }
        for (k, v) in &case.query {
            let key = &self.query_keys[k.index(self.query_keys.len())];
            query.push(format!("{key}={}", escape(&bytes_of(v, key, dict))));
        }
        let uri = if query.is_empty() { path.clone() } else { format!("{path}?{}", query.join("&")) };
        // A URI longer than `http` takes (64 KiB: no server would pass it on) loses its
        // query, then its path's end.
        let uri = [uri, path.clone(), path.chars().take(60_000).collect()]
            .into_iter()
            .find(|u| http::Uri::try_from(u.as_str()).is_ok())
            .unwrap_or_else(|| "/".into());
        let mut req = Request::builder().method(method).uri(uri.as_str());
        // The body.
        let (body, natural): (Vec<u8>, Option<String>) = if !sends_body {
            (Vec::new(), None)
        } else {
            match &case.body {
                BodyKind::Form => (
                    pairs
                        .iter()
                        .map(|(k, v)| format!("{}={}", escape(k.as_bytes()), escape(v)))
                        .collect::<Vec<_>>()
                        .join("&")
                        .into_bytes(),
                    Some("application/x-www-form-urlencoded".into()),
                ),
                BodyKind::RawForm => {
                    let mut b = Vec::new();
                    for (i, (k, v)) in pairs.iter().enumerate() {
                        if i > 0 {
                            b.push(b'&');
                        }
                        b.extend(k.as_bytes());
                        b.push(b'=');
                        b.extend(v);
                    }
                    (b, Some("application/x-www-form-urlencoded".into()))
                }
                BodyKind::Json => {
                    let object: serde_json::Map<String, serde_json::Value> = pairs
                        .iter()
                        .map(|(k, v)| {
                            let text = String::from_utf8_lossy(v).into_owned();
                            let value = text
                                .parse::<i64>()
                                .map(Into::into)
                                .unwrap_or(serde_json::Value::String(text));
                            (k.clone(), value)
                        })
                        .collect();
                    (serde_json::to_vec(&object).unwrap(), Some("application/json".into()))
                }
                BodyKind::Multipart => {
                    let boundary = "fuzzboundary7MA4YWxkTrZu0gW";
                    let mut b = Vec::new();
                    for (k, v) in &pairs {
                        b.extend(
                            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n")
                                .as_bytes(),
                        );
                        b.extend(v);
                        b.extend(b"\r\n");
                    }
                    b.extend(format!("--{boundary}--\r\n").as_bytes());
                    (b, Some(format!("multipart/form-data; boundary={boundary}")))
                }
                BodyKind::Bytes(b) => (b.clone(), Some("application/octet-stream".into())),
                BodyKind::Empty => (Vec::new(), None),
            }
        };
        let content_type = match &case.content_type {
            ContentType::Natural => natural.map(|c| HeaderValue::from_str(&c).unwrap()),
            ContentType::Missing => None,
            ContentType::Form => Some(HeaderValue::from_static("application/x-www-form-urlencoded")),
            ContentType::FormCharset(c) => Some(
                HeaderValue::from_str(&format!("application/x-www-form-urlencoded; charset={c}")).unwrap(),
            ),
            ContentType::Json => Some(HeaderValue::from_static("application/json")),
            ContentType::MultipartNoBoundary => Some(HeaderValue::from_static("multipart/form-data")),
            ContentType::Text => Some(HeaderValue::from_static("text/plain;charset=UTF-8")),
            ContentType::Garbage(v) => Some(header_value(&bytes_of(v, "", dict))),
        };
        let headers = req.headers_mut().unwrap();
        headers.insert(header::HOST, HeaderValue::from_static(HOST));
        if let Some(ct) = content_type {
            headers.insert(header::CONTENT_TYPE, ct);
        }
        match &case.accept {
            Accept::Html => {
                headers.insert(
                    header::ACCEPT,
                    HeaderValue::from_static("text/html,application/xhtml+xml,*/*;q=0.8"),
                );
            }
            Accept::Json => {
                headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            }
            Accept::Missing => {}
            Accept::Any => {
                headers.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
            }
            Accept::Garbage(v) => {
                headers.insert(header::ACCEPT, header_value(&bytes_of(v, "", dict)));
            }
        }
        let fetch_site = HeaderName::from_static("sec-fetch-site");
        match &case.site {
            Site::SameOrigin => {
                headers.insert(fetch_site, HeaderValue::from_static("same-origin"));
            }
            Site::FetchNone => {
                headers.insert(fetch_site, HeaderValue::from_static("none"));
            }
            Site::NoHeader => {}
            Site::OriginMatches => {
                headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:3000"));
            }
            Site::Elsewhere => {
                headers.insert(fetch_site, HeaderValue::from_static("cross-site"));
            }
            Site::OtherOrigin => {
                headers.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
            }
            Site::NullOrigin => {
                headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
            }
        }
        let mut cookies: Vec<String> = Vec::new();
        match &case.who {
            Who::Nobody => {}
            Who::Customer => cookies.push(format!("{}={}", self.session_cookie, self.session)),
            Who::GarbageSession(v) => {
                cookies.push(format!("{}={}", self.session_cookie, escape(&bytes_of(v, "token", dict))))
            }
            Who::TwoSessions(v) => {
                cookies.push(format!("{}={}", self.session_cookie, escape(&bytes_of(v, "token", dict))));
                cookies.push(format!("{}={}", self.session_cookie, self.session));
            }
        }
        if case.flow_cookies {
            cookies.extend(self.jar.iter().map(|(k, v)| format!("{k}={v}")));
        }
        if !cookies.is_empty() {
            headers.insert(header::COOKIE, HeaderValue::from_str(&cookies.join("; ")).unwrap());
        }
        for (which, v) in &case.headers {
            let name = HeaderName::from_static(ODD_HEADERS[which.index(ODD_HEADERS.len())]);
            let raw = bytes_of(v, name.as_str(), dict);
            let value = match name.as_str() {
                // A cookie of the app's with an odd value.
                "cookie" => {
                    let names =
                        ["lang", "fs", "mypage_reg", "mypage_recovery", "mypage_device", self.session_cookie];
                    let mut v = b"".to_vec();
                    v.extend(names[raw.len() % names.len()].as_bytes());
                    v.push(b'=');
                    v.extend(&raw);
                    header_value(&v)
                }
                "content-length" => header_value(format!("{}", raw.len() * 7919).as_bytes()),
                _ => header_value(&raw),
            };
            headers.append(name, value);
        }
        req.body(Body::from(body)).expect("a request is built")
    }
}

/// Percent-encodes every byte (`/api/login` → `%2F%61%70%69…` without the slashes).
fn escape_all(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        push_escaped(&mut out, b);
    }
    out
}

/// The request, readable (a failure prints it; the regression tests copy it).
fn describe(req: &Request<Body>, body: &[u8]) -> String {
    let short = |s: &str| match s.char_indices().nth(300) {
        Some((at, _)) => format!("{}… ({} bytes)", &s[..at], s.len()),
        None => s.to_string(),
    };
    let mut out = format!("{} {}\n", req.method(), short(&req.uri().to_string()));
    for (k, v) in req.headers() {
        out.push_str(&format!("{k}: {:?}\n", short(&String::from_utf8_lossy(v.as_bytes()))));
    }
    let shown = &body[..body.len().min(600)];
    out.push_str(&format!(
        "\n{:?}{}",
        String::from_utf8_lossy(shown),
        if body.len() > 600 { "…" } else { "" }
    ));
    out.push_str(&format!(" ({} bytes)", body.len()));
    out
}

// ---------------------------------------------------------------------------------
// Sending a request and judging the answer.
// ---------------------------------------------------------------------------------

/// Panics on the fuzz runtime's threads (a handler's, a spawned task's, a blocking
/// task's): counted by a panic hook, whatever caught them.
static PANICS: AtomicUsize = AtomicUsize::new(0);
const THREAD_NAME: &str = "fuzz-app";

fn count_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name().is_some_and(|n| n.starts_with(THREAD_NAME)) {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// What came back.
struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

/// Send one request through the router (on the fuzz runtime); `Err` for a panic or a
/// body that breaks off.
async fn send(router: &axum::Router, req: Request<Body>) -> Result<Answer, String> {
    let panics = PANICS.load(Ordering::SeqCst);
    let router = router.clone();
    let task = tokio::spawn(async move {
        let res = router.oneshot(req).await.expect("the router is infallible");
        let (parts, body) = res.into_parts();
        let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
            Ok(b) => Ok(b.to_vec()),
            // A long stream (a speed-test download): read enough of it.
            Err(e) if format!("{e:?}").contains("LengthLimit") => Ok(Vec::new()),
            Err(e) => Err(format!("the body broke off: {e:?}")),
        };
        (parts, body)
    });
    let (parts, body) = match task.await {
        Ok(done) => done,
        Err(e) if e.is_panic() => return Err("the request panicked".into()),
        Err(e) => return Err(format!("the request's task failed: {e}")),
    };
    if PANICS.load(Ordering::SeqCst) != panics {
        return Err("a thread of the app panicked while answering (see the captured output)".into());
    }
    Ok(Answer { status: parts.status, headers: parts.headers, body: body? })
}

/// Whether an answer is acceptable for fuzzed input: no server error, no hang.
fn judge(path: &str, answer: &Answer) -> Result<(), String> {
    let status = answer.status;
    if status == StatusCode::REQUEST_TIMEOUT {
        return Err("the request hung until the request timeout (408)".into());
    }
    let pdf = path.ends_with(".pdf");
    if status == StatusCode::SERVICE_UNAVAILABLE && pdf && answer.headers.contains_key(header::RETRY_AFTER) {
        // Every PDF renderer busy (another test of this binary renders too): by design.
        return Ok(());
    }
    if status.is_server_error() {
        return Err(format!("answered {status}"));
    }
    Ok(())
}

impl Fuzz {
    async fn new(app: &TestApp) -> Self {
        let router = server::router(app.state.clone());
        let session_cookie = app::ssr::auth::session::cookie_name(&app.state.settings);
        let mut fuzz = Fuzz {
            router,
            endpoints: catalogue(),
            query_keys: query_keys(),
            dictionary: Dictionary::of(app).await,
            session: String::new(),
            session_cookie,
            jar: BTreeMap::new(),
            tally: BTreeMap::new(),
        };
        fuzz.session = fuzz.log_in().await;
        fuzz
    }

    /// Log in as the demo customer through the router (the way a browser does).
    async fn log_in(&self) -> String {
        let body = format!(
            "itscom_id={}&password={}&next=%2F",
            escape(CUSTOMER_ID.as_bytes()),
            escape(CUSTOMER_PASSWORD.as_bytes())
        );
        let req = Request::post("/api/login")
            .header(header::HOST, HOST)
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let answer = send(&self.router, req).await.expect("the login answers");
        assert_eq!(answer.status, StatusCode::FOUND, "the demo customer logs in");
        answer
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| {
                c.split(';').next()?.strip_prefix(&format!("{}=", self.session_cookie)).map(str::to_owned)
            })
            .filter(|v| !v.is_empty())
            .expect("the login sets the session cookie")
    }

    /// The customer's session, made again when a case ended it (logout, a password
    /// reset, an ID change): straight in the database, so neither the login's throttle
    /// nor a changed password keeps the next cases out.
    async fn keep_session(&mut self, app: &TestApp) {
        let mut conn = app.db.pool().acquire().await.unwrap();
        let settings = &app.state.settings.session;
        let now = app::ssr::now();
        let alive = app::ssr::auth::session::lookup(&mut conn, &self.session, now, settings).await.unwrap();
        if alive.is_none() {
            let account: Vec<(String,)> = rows_for(
                app,
                "SELECT id FROM accounts WHERE customer_no = $1 AND state = 'active'",
                CUSTOMER_NO,
            )
            .await;
            if let Some((id,)) = account.first() {
                use app::ssr::auth::session::{Method, Origin};
                let origin = Origin {
                    user_agent: "fuzz".into(),
                    client: "127.0.0.1".into(),
                    method: Method::Password,
                };
                self.session =
                    app::ssr::auth::session::create(&mut conn, id, now, settings, &origin).await.unwrap();
            }
        }
    }

    /// One case: the request, sent, judged; what it teaches kept.
    async fn run(&mut self, case: &Case) -> Result<(), String> {
        let req = self.request(case);
        let shown = {
            let (parts, body) = req.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let req = Request::from_parts(parts, Body::from(bytes.clone()));
            (describe(&req, &bytes), req)
        };
        let (description, req) = shown;
        let path = req.uri().path().to_string();
        let started = std::time::Instant::now();
        let answer = send(&self.router, req).await.map_err(|e| format!("{e}\n\n{description}"))?;
        let endpoint = &self.endpoints[case.target.index(self.endpoints.len())];
        let name = match case.path {
            PathTwist::AsIs => format!("{:?} {} {}", endpoint.kind, endpoint.method, endpoint.path),
            _ => "(odd path)".into(),
        };
        let tally = self.tally.entry((name, answer.status.as_u16())).or_default();
        tally.0 += 1;
        tally.1 += started.elapsed();
        judge(&path, &answer).map_err(|e| {
            let body = String::from_utf8_lossy(&answer.body[..answer.body.len().min(400)]).into_owned();
            format!("{e}\n\nthe request:\n{description}\n\nthe answer's body: {body:?}")
        })?;
        for cookie in answer.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            if let Some((k, v)) = cookie.split(';').next().and_then(|p| p.split_once('=')) {
                if k == self.session_cookie {
                    continue;
                }
                if v.is_empty() {
                    self.jar.remove(k);
                } else {
                    self.jar.insert(k.to_string(), v.to_string());
                }
            }
        }
        if let Some(location) = answer.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()) {
            self.dictionary.learn(location);
        }
        if answer.body.len() < 64 * 1024 {
            self.dictionary.learn(&String::from_utf8_lossy(&answer.body));
        }
        Ok(())
    }

    /// The links of the mails queued meanwhile: their tokens for later cases.
    async fn read_mail(&mut self, app: &TestApp) {
        let rows: Vec<(String,)> = rows(app, "SELECT payload FROM outbox").await;
        for (payload,) in rows {
            if let Ok(mail) = serde_json::from_str::<app::ssr::mail::Mail>(&payload) {
                self.dictionary.learn(&mail.text);
            }
        }
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The seed: fixed unless `FUZZ_SEED` says otherwise (`random`: a fresh one).
fn seed() -> u64 {
    match std::env::var("FUZZ_SEED").ok().as_deref() {
        None | Some("") => 0x5eed_2026,
        Some("random") => {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(app::ssr::now_ms() as u64);
            h.finish()
        }
        Some(n) => n.parse().expect("FUZZ_SEED is a number or `random`"),
    }
}

/// The property: whatever the request, no server error and no panic.
fn fuzz_the_router(backend: Backend, default_cases: u32) {
    count_panics();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(THREAD_NAME)
        .enable_all()
        .build()
        .unwrap();
    let _timing = rt.block_on(TIMING.read());
    let app = rt.block_on(spawn_app_with_demo_data(backend));
    let fuzz = Arc::new(Mutex::new(rt.block_on(Fuzz::new(&app))));
    let seed = seed();
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: cases(default_cases),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let started = std::time::Instant::now();
    let count = AtomicUsize::new(0);
    // `FUZZ_SURVEY=1`: every failure listed (the first request of each kind in full),
    // none shrunk, the run never stopped: to find several bugs in one long run.
    let survey = std::env::var("FUZZ_SURVEY").is_ok_and(|v| v == "1");
    let found: Mutex<BTreeMap<String, (usize, String)>> = Mutex::default();
    let result = runner.run(&case(), |case| {
        let mut fuzz = fuzz.lock().unwrap();
        let n = count.fetch_add(1, Ordering::SeqCst);
        let outcome = rt.block_on(async {
            fuzz.keep_session(&app).await;
            if n % 25 == 24 {
                fuzz.read_mail(&app).await;
            }
            fuzz.run(&case).await
        });
        match outcome {
            Err(e) if survey => {
                let kind = e.lines().next().unwrap_or_default().to_string();
                let request =
                    e.lines().find(|l| l.starts_with(|c: char| c.is_ascii_uppercase()) && l.contains(" /"));
                let path = request.and_then(|r| r.split(['?', ' ']).nth(1)).unwrap_or_default();
                let mut found = found.lock().unwrap();
                let entry = found.entry(format!("{path}: {kind}")).or_insert((0, e.clone()));
                entry.0 += 1;
                Ok(())
            }
            other => other.map_err(TestCaseError::fail),
        }
    });
    let sent = count.load(Ordering::SeqCst);
    eprintln!("fuzz ({backend:?}, seed {seed}): {sent} requests in {:.1?}", started.elapsed());
    // `FUZZ_TALLY=1`: what was reached (answers by endpoint and status) and how long
    // it took.
    if std::env::var("FUZZ_TALLY").is_ok_and(|v| v == "1") {
        for ((endpoint, status), (n, time)) in &fuzz.lock().unwrap().tally {
            eprintln!("{n:5} × {status} {endpoint} ({:.1?} each)", *time / *n);
        }
    }
    let found = found.into_inner().unwrap();
    for (kind, (times, first)) in &found {
        eprintln!("\n=== {times}× {kind}\n{first}");
    }
    assert!(found.is_empty(), "{} kinds of failure (above)", found.len());
    if let Err(e) = result {
        panic!("fuzzed input broke the app (FUZZ_SEED={seed}):\n{e}");
    }
}

#[test]
fn every_server_function_is_fuzzed_with_its_own_arguments() {
    let registered = registered_server_fns();
    let read: BTreeSet<String> = server_fn_signatures().into_keys().collect();
    let paths: BTreeSet<String> = registered.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(paths, read, "the inventory's server functions and the ones read from app/src");
    assert!(registered.len() >= 60, "{registered:?}");
    let login = &server_fn_signatures()["/api/login"];
    let names: Vec<&str> = login.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["itscom_id", "password", "next"]);
    assert!(server_fn_signatures()["/api/speedtest/finish"].iter().any(|f| f.name == "ping_us" && f.numeric));
}

#[test]
fn fuzzed_requests_on_sqlite_never_get_a_server_error_or_a_panic() {
    fuzz_the_router(Backend::Sqlite, DEFAULT_CASES)
}

#[test]
fn fuzzed_requests_on_postgres_never_get_a_server_error_or_a_panic() {
    fuzz_the_router(Backend::Postgres, DEFAULT_CASES / 2)
}

// ---------------------------------------------------------------------------------
// What the fuzz found: each failure, as the smallest request that showed it.
// ---------------------------------------------------------------------------------

/// POST `body` to `path` as the portal's page does (same origin), from `client`, with
/// `accept`; the status and the body of the answer.
async fn post_raw(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    accept: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let res = client
        .post(app.url(path))
        .header("Accept", accept)
        .header("Sec-Fetch-Site", "same-origin")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request failed");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

const FETCH: &str = "application/json";
const FORM: &str = "text/html";

/// Server-function arguments that cannot be read were a 500 (`Transport`): a field
/// missing, a field twice, a body not UTF-8, from a fetch or a plain form post.
async fn a_server_function_call_whose_arguments_cannot_be_read_is_a_400(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    let bad_request = (400, "\"BadRequest\"".to_string());
    assert_eq!(post_raw(&app, &c, "/api/login", FETCH, "password=x").await, bad_request, "a field missing");
    // A plain form post goes back where it came from (no `Referer`: the top page), as
    // the server-function layer sends every failed plain post.
    assert_eq!(post_raw(&app, &c, "/api/login", FORM, "password=x").await.0, 302, "a plain post");
    let twice = "itscom_id=a%40example.com&password=Kx9%23vLp2%21mQz7&password_again=a&password_again=b";
    assert_eq!(post_raw(&app, &c, "/api/register/credentials", FETCH, twice).await, bad_request, "twice");
    let not_utf8 = b"itscom_id=\xff\xfe&password=x".to_vec();
    assert_eq!(post_raw(&app, &c, "/api/login", FETCH, not_utf8).await, bad_request, "not UTF-8");
    let not_a_number = "ticket=t&download_kbps=fast&upload_kbps=1&ping_us=1&jitter_us=1";
    assert_eq!(post_raw(&app, &c, "/api/speedtest/finish", FETCH, not_a_number).await, bad_request);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0, "no login happened");
}

/// A form over the server functions' body limit (2 MiB) was a 500: a 413.
async fn a_server_function_call_over_the_body_limit_is_a_413(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, CUSTOMER_ID, CUSTOMER_PASSWORD).await;
    let body = format!("category=internet&message={}", "a".repeat(2_200_000));
    let (status, answer) = post_raw(&app, &c, "/api/help/inquiry", FETCH, body).await;
    assert_eq!((status, answer.as_str()), (413, "\"TooLarge\""));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM inquiries").await, 0);
}

/// A server function that refused its input without setting a status answered 500:
/// now each error answers its own status (404 an unknown invitation, 409 a recovery
/// step out of order, 401 a data call without a session); only `Internal` is a 500.
async fn a_refused_server_function_call_answers_its_errors_status(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let visitor = app.new_browser();
    let customer = logged_in(&app, CUSTOMER_ID, CUSTOMER_PASSWORD).await;
    let (status, body) = post_raw(&app, &customer, "/api/referral/invite", FETCH, "code=NOSUCHCODE").await;
    assert_eq!((status, body.as_str()), (404, "\"NotFound\""));
    let (status, body) = post_raw(&app, &visitor, "/api/recovery/identity", FETCH, "").await;
    assert_eq!((status, body.as_str()), (409, "\"FlowExpired\""));
    let (status, _) = post_raw(&app, &visitor, "/api/top/summary", FETCH, "").await;
    assert_eq!(status, 401);
}

/// A NUL in the login ID reached PostgreSQL (which refuses it in a text): a 500. It is
/// an unknown ID like any other text.
async fn a_login_id_with_a_nul_is_an_unknown_id(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    let body = "itscom_id=hanako%00%40example.com&password=Hanako_2024&next=%2F";
    let (status, answer) = post_raw(&app, &c, "/api/login", FETCH, body).await;
    assert_eq!((status, answer.as_str()), (401, "\"InvalidCredentials\""));
    let res = c
        .post(app.url("/api/login"))
        .header("Accept", FORM)
        .header("Sec-Fetch-Site", "same-origin")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/login?error=credentials"), "{}", location(&res));
}

/// A NUL in an id or a key of a signed-in customer's call reached PostgreSQL (which
/// refuses it in a text) as an internal error: a 500, or `?error=internal` for a form.
/// It is a malformed request (400) there, as not found (404) on SQLite: never a 500.
async fn an_id_with_a_nul_is_a_bad_request_not_a_server_error(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let customer = logged_in(&app, CUSTOMER_ID, CUSTOMER_PASSWORD).await;
    for (path, fields) in [
        ("/api/addons/quote", &[("code", "\0")][..]),
        ("/api/addons/cancel", &[("id", "a\0b"), ("kind", "channel")]),
        ("/api/speedtest/overview", &[("result", "\0")]),
        ("/api/mail/virus-check", &[("mailbox_id", "a\0b"), ("virus_check", "on")]),
        ("/api/contract/plan/cancel", &[("id", "\0")]),
        ("/api/security/session/end", &[("id", "\0")]),
        ("/api/security/passkey/rename", &[("id", "\0"), ("name", "x")]),
    ] {
        let res = app.fetch_from(&customer, path, fields).await;
        let status = res.status().as_u16();
        assert!(matches!(status, 400 | 404 | 409), "{path}: {status} {}", res.text().await.unwrap());
        let to = post_from(&app, &customer, path, fields).await;
        assert!(!to.contains("error=internal"), "{path}: {to}");
    }
}

/// Values of a page's link are anyone's to write. A far `?at=` on the re-registration's
/// pending page overflowed the date's arithmetic (a panic in this build), and any text
/// as `?n=` stood in the security page's status line as the portal's own words.
async fn values_of_a_pages_link_cannot_become_its_words(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    for at in ["9223372036854775807", "-9223372036854775808", "99999999999"] {
        let (status, body) = app.get_text(&format!("/register/pending?at={at}")).await;
        assert_eq!(status, 200, "{at}");
        assert!(body.contains("data-testid=\"pending\"") && !body.contains("年"), "{at}: no date");
    }
    let (_, body) = app.get_text("/register/pending?at=1795583100").await;
    assert!(body.contains("2026年11月25日 14:05"), "a moment of this century is shown");
    let customer = logged_in(&app, CUSTOMER_ID, CUSTOMER_PASSWORD).await;
    let (status, body) = app
        .get_text_with(
            &customer,
            "/account/security?done=others_ended&n=%E4%B8%8D%E6%AD%A3%E3%82%A2%E3%82%AF%E3%82%BB%E3%82%B9",
        )
        .await;
    assert_eq!(status, 200);
    assert!(!body.contains("不正アクセス"));
}

/// A NUL in the test gateway's page id reached PostgreSQL: a 503. Not one of its ids:
/// the page has expired (404), nothing asked of the database.
async fn the_test_gateway_takes_an_id_not_its_own_as_expired(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(c.get(app.url("/pgw/test/pay/%00")).send().await.unwrap().status(), 404);
    let res =
        c.post(app.url("/pgw/test/pay/a%00b/cancel")).header("Sec-Fetch-Site", "same-origin").send().await;
    assert_eq!(res.unwrap().status(), 404);
}

on_both_databases!(
    a_server_function_call_whose_arguments_cannot_be_read_is_a_400,
    a_server_function_call_over_the_body_limit_is_a_413,
    a_refused_server_function_call_answers_its_errors_status,
    a_login_id_with_a_nul_is_an_unknown_id,
    an_id_with_a_nul_is_a_bad_request_not_a_server_error,
    values_of_a_pages_link_cannot_become_its_words,
    the_test_gateway_takes_an_id_not_its_own_as_expired,
);
