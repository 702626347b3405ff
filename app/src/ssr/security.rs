//! Protection on every request: cross-site request refusal and security headers.

use super::AppState;
use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Whether a state-changing request comes from another site. Fetch Metadata first
/// (`Sec-Fetch-Site`: every current browser sends it), else the `Origin` header
/// compared with the `Host` the request was sent to. A request with neither is not
/// from a browser page, so no cookie-riding attack.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some("null") => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
            !origin_host.eq_ignore_ascii_case(host)
        }
    }
}

/// Middleware: 403 for cross-site state-changing requests. Leptos server functions do
/// no such check themselves.
pub async fn refuse_cross_site(req: Request<Body>, next: Next) -> Response {
    if is_cross_site(req.method(), req.headers()) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused a cross-site request");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// The Content-Security-Policy of a rendered page: scripts only by this response's
/// nonce (and what they load), WASM allowed, no framing, no plugins, no <base>.
/// `form_to`: another origin a form may lead to (the payment gateway's card page, which
/// the card change's form reaches by a redirect).
pub fn page_csp(nonce: &str, dev_reload: Option<u32>, form_to: Option<&str>) -> String {
    let connect = match dev_reload {
        Some(port) => format!("'self' ws://127.0.0.1:{port} ws://localhost:{port}"),
        None => "'self'".into(),
    };
    let form_action = match form_to {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src {connect}; \
         worker-src 'self'; manifest-src 'self'; form-action {form_action}; frame-ancestors 'none'; \
         object-src 'none'; base-uri 'none'"
    )
}

/// For everything that is not a rendered page (static files, server functions).
pub const STATIC_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     frame-ancestors 'none'; object-src 'none'; base-uri 'none'";

/// The CSP nonce of one request, chosen by [`security_headers`] before the page
/// renders: Leptos writes it on its scripts (see [`provide_page_nonce`]) and the
/// middleware puts it in the header, so the two always agree.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// Leptos context (every page render): this request's nonce, for the hydration scripts.
pub fn provide_page_nonce() {
    if let Some(nonce) = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<PageNonce>().cloned())
    {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Middleware: the security headers of every response. An HTML page gets the page
/// CSP with this request's nonce (unless the page set its own while rendering);
/// anything else the static CSP.
pub async fn security_headers(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    let nonce = crate::ssr::crypto::random_token();
    req.extensions_mut().insert(PageNonce(nonce.clone()));
    // Server-function answers, and pages seen by a logged-in customer, are personal:
    // no cache keeps them (nor the back/forward cache after logout).
    let path = req.uri().path().to_owned();
    let server_function = path.starts_with("/api/");
    let logged_in = req.headers().get_all(header::COOKIE).iter().any(|v| {
        crate::cookies::find(v.to_str().ok(), crate::ssr::auth::session::cookie_name(&state.settings))
            .is_some()
    });
    let mut res = next.run(req).await;
    let content_type =
        res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let is_html = content_type.starts_with("text/html");
    let inert = is_inert(&content_type, &path);
    let ok = res.status().is_success();
    let h = res.headers_mut();
    // A response that forbids storing itself (a personal download) keeps it.
    let no_store = h.get(header::CACHE_CONTROL).is_some_and(|v| v.as_bytes() == b"no-store");
    if let Some(policy) =
        cache_policy(&path, server_function, logged_in, is_html, ok, state.leptos_options.hash_files)
            .filter(|_| !no_store)
    {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) && !inert {
        let csp = if is_html {
            let reload = (!state.settings.env.is_production()).then_some(state.leptos_options.reload_port);
            let gateway = state.payment_gateway.as_ref().and_then(|g| g.origin());
            HeaderValue::from_str(&page_csp(&nonce, reload, gateway.as_deref())).ok()
        } else {
            None
        };
        h.insert(header::CONTENT_SECURITY_POLICY, csp.unwrap_or(HeaderValue::from_static(STATIC_CSP)));
    }
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    if is_html {
        set(header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    }
    if state.settings.env.is_production() {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
    res
}

/// Whether a response of `content_type` at `path` is one a content security policy does
/// nothing for (the browser applies one to documents and workers only): a stylesheet,
/// WebAssembly, a script a page runs (not the service worker's), an image other than
/// SVG. Such a response is sent without one (nor the opener policy, documents' only):
/// their header lines were about a kilobyte of each phone's first load of /login.
fn is_inert(content_type: &str, path: &str) -> bool {
    let script =
        content_type.starts_with("text/javascript") || content_type.starts_with("application/javascript");
    content_type.starts_with("text/css")
        || content_type.starts_with("application/wasm")
        || (script && path != "/sw.js")
        || (content_type.starts_with("image/") && !content_type.starts_with("image/svg"))
}

/// How long a response may be kept, and by whom. Personal answers (server functions,
/// pages of a logged-in customer) by nobody; other pages by the browser only, asking
/// each time; build files whose names carry their content's hash by anyone for a year;
/// icons for a day. `None` leaves a header the handler chose (the service worker's).
fn cache_policy(
    path: &str,
    server_function: bool,
    logged_in: bool,
    is_html: bool,
    ok: bool,
    hashed_names: bool,
) -> Option<&'static str> {
    if server_function || (logged_in && is_html) {
        Some("no-store")
    } else if is_html {
        Some("private, no-cache")
    } else if !ok {
        Some("no-store")
    } else if path.starts_with("/pkg/") {
        Some(if hashed_names { "public, max-age=31536000, immutable" } else { "no-cache" })
    } else if path.starts_with("/meter/meter.") {
        // The speed test's module: its names always carry their content's hash.
        Some("public, max-age=31536000, immutable")
    } else if path.starts_with("/icons/") {
        Some("public, max-age=86400")
    } else if path.starts_with("/speedtest/") {
        // The speed test's bytes: never kept nor transformed by anything.
        Some("no-store, no-transform")
    } else if path == "/sw.js" {
        None
    } else {
        Some("no-cache")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_build_files_are_kept_for_a_year_and_nothing_personal_is_kept() {
        let year = Some("public, max-age=31536000, immutable");
        assert_eq!(cache_policy("/pkg/mypage.abc.wasm", false, false, false, true, true), year);
        assert_eq!(cache_policy("/pkg/mypage.abc.wasm", false, true, false, true, true), year);
        assert_eq!(cache_policy("/pkg/mypage.wasm", false, false, false, true, false), Some("no-cache"));
        assert_eq!(cache_policy("/pkg/missing.wasm", false, false, false, false, true), Some("no-store"));
        // The speed test's module (always content-hashed) and its bytes (never kept).
        assert_eq!(
            cache_policy("/meter/meter.0d4ab567d868b3b405b4.wasm", false, true, false, true, false),
            year
        );
        assert_eq!(
            cache_policy("/speedtest/download", false, true, false, true, true),
            Some("no-store, no-transform")
        );
        assert_eq!(cache_policy("/api/login", true, false, false, true, true), Some("no-store"));
        assert_eq!(cache_policy("/", false, true, true, true, true), Some("no-store"));
        assert_eq!(cache_policy("/login", false, false, true, true, true), Some("private, no-cache"));
        assert_eq!(cache_policy("/nowhere", false, false, true, false, true), Some("private, no-cache"));
        assert_eq!(
            cache_policy("/icons/icon-192.png", false, false, false, true, true),
            Some("public, max-age=86400")
        );
        assert_eq!(cache_policy("/manifest.webmanifest", false, false, false, true, true), Some("no-cache"));
        assert_eq!(cache_policy("/sw.js", false, false, false, true, true), None);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(!is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "none")])));
        assert!(is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_is_compared_with_host_otherwise() {
        let same = headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]);
        assert!(!is_cross_site(&Method::POST, &same));
        let other = headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]);
        assert!(is_cross_site(&Method::POST, &other));
        assert!(is_cross_site(&Method::POST, &headers(&[("origin", "null"), ("host", "a")])));
        assert!(!is_cross_site(&Method::POST, &headers(&[("host", "a")])));
    }

    #[test]
    fn reads_are_never_refused() {
        assert!(!is_cross_site(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])));
    }

    #[test]
    fn a_policy_is_left_off_only_where_a_browser_applies_none() {
        for (ty, path) in [
            ("text/css", "/pkg/mypage.css"),
            ("application/wasm", "/pkg/mypage.wasm"),
            ("text/javascript", "/pkg/mypage.js"),
            ("text/javascript", "/passkey.js"),
            ("image/png", "/icons/icon-192.png"),
        ] {
            assert!(super::is_inert(ty, path), "{ty} {path}");
        }
        for (ty, path) in [
            ("text/html; charset=utf-8", "/login"),
            ("text/html", "/offline.html"),
            ("text/javascript", "/sw.js"),
            ("image/svg+xml", "/icons/icon.svg"),
            ("application/json", "/api/current_user"),
            ("application/pdf", "/billing/invoice.pdf"),
            ("", "/somewhere"),
        ] {
            assert!(!super::is_inert(ty, path), "{ty} {path}");
        }
    }

    #[test]
    fn the_page_csp_uses_the_nonce_and_forbids_framing() {
        let csp = page_csp("abc", None, None);
        assert!(csp.contains("script-src 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("object-src 'none'"));
        assert!(csp.contains("base-uri 'none'"));
        assert!(!csp.contains("ws://"));
        assert!(page_csp("abc", Some(3001), None).contains("ws://127.0.0.1:3001"));
        assert!(csp.contains("form-action 'self';"));
        assert!(page_csp("abc", None, Some("https://link.mul-pay.jp"))
            .contains("form-action 'self' https://link.mul-pay.jp;"));
    }
}
