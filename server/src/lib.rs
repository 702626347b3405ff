//! The My Page server: configuration, telemetry and start-up. `main.rs` is a thin CLI
//! over this; integration tests build the same [`Application`] on port 0.

pub mod telemetry;
pub mod test_gateway;

use app::ssr::{
    config::{GatewayChoice, Settings},
    db::Db,
    security, AppState,
};
use app::{shell, App};
use axum::serve::ListenerExt;
use axum::{
    extract::State,
    http::{header, StatusCode},
    middleware,
    response::IntoResponse,
    routing::get,
    Router,
};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The Leptos options from cargo-leptos's environment (`LEPTOS_SITE_ADDR`,
/// `LEPTOS_SITE_ROOT`…), with the output name fixed so the binary also runs outside
/// cargo-leptos, and the content-hashed file names on whenever the build wrote its
/// `hash.txt` beside this binary (`npm run build` does): no variable to remember.
pub fn leptos_options() -> Result<LeptosOptions, Error> {
    let conf = leptos::config::get_configuration(None)?;
    let mut options = conf.leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "mypage".into();
    }
    if !options.hash_files {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
        options.hash_files = beside_binary.is_some_and(|file| file.is_file());
    }
    Ok(options)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    mail_worker: Option<app::ssr::mail::worker::Worker>,
}

impl Application {
    /// Connect to the database, migrate it and bind the listener.
    pub async fn build(settings: Settings, leptos_options: LeptosOptions) -> Result<Self, Error> {
        // Development serves every mailed code at /dev/mailbox: never on a network.
        if !settings.env.is_production() && !leptos_options.site_addr.ip().is_loopback() {
            return Err(format!(
                "configuration error in LEPTOS_SITE_ADDR: MYPAGE_ENV=development listens on a loopback \
                 address only, not {}",
                leptos_options.site_addr
            )
            .into());
        }
        let url = settings.database_url.expose();
        let db = Db::connect_with(url, settings.pool)
            .await
            .map_err(|e| format!("database {}: {e}", Db::describe(url)))?;
        db.migrate().await?;
        // A SEAL_KEY that opens none of the stored secrets: not the cluster's.
        app::features::security::check_seal_key(&db, &settings).await?;
        let listener = TcpListener::bind(leptos_options.site_addr).await?;
        // Without SMTP_URL, mail stays in the outbox (readable at /dev/mailbox).
        let mail_worker = match &settings.smtp_url {
            Some(url) => Some(
                app::ssr::mail::worker::Worker::new(
                    db.clone(),
                    url.expose(),
                    &settings.mail_from,
                    std::time::Duration::from_millis(250),
                )?
                .keeping_sent_bodies(!settings.env.is_production()),
            ),
            None => None,
        };
        // The dummy hash for unknown IDs is built now, not on the first login.
        tokio::task::spawn_blocking(app::ssr::auth::password::warm_up);
        let payment_gateway: Option<Arc<dyn app::ssr::payment::PaymentGateway>> =
            match &settings.payment_gateway {
                GatewayChoice::None => None,
                GatewayChoice::Test => Some(Arc::new(test_gateway::TestGateway::new(db.clone()))),
                GatewayChoice::GmoLinkPlus(gmo) => {
                    Some(Arc::new(app::ssr::payment::gmo::GmoLinkPlus::new(gmo.clone())))
                }
            };
        let state = AppState {
            leptos_options,
            db,
            settings: Arc::new(settings),
            payment_gateway,
            registry: &app::features::REGISTRY,
            draining: Default::default(),
        };
        let router = router(state.clone());
        Ok(Self { listener, router, state, mail_worker })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` completes; then drain (`/readyz` answers 503 for
    /// `SHUTDOWN_DRAIN_SECS` while requests are still served), stop accepting, and give
    /// the requests in flight `SHUTDOWN_GRACE_SECS` to finish; the mail worker hands
    /// back the mails it claimed and has not sent.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        let db = self.state.db.clone();
        let draining = self.state.draining.clone();
        let drain = std::time::Duration::from_secs(self.state.settings.shutdown_drain_secs);
        let grace = std::time::Duration::from_secs(self.state.settings.shutdown_grace_secs);
        let (closing, closed) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            shutdown.await;
            draining.store(true, Ordering::SeqCst);
            if !drain.is_zero() {
                tracing::info!(
                    seconds = drain.as_secs(),
                    "draining: /readyz answers 503, requests still served"
                );
                tokio::time::sleep(drain).await;
            }
            tracing::info!("no new connections; finishing the requests in flight");
            let _ = closing.send(());
        };
        let grace_over = async move {
            if closed.await.is_err() {
                return std::future::pending().await;
            }
            tokio::time::sleep(grace).await;
        };
        let (stop_worker, stopped) = tokio::sync::watch::channel(false);
        let maintenance = tokio::spawn(app::ssr::maintenance::run(self.state.clone(), stopped.clone()));
        let worker = self.mail_worker.map(|w| tokio::spawn(w.run(stopped)));
        // No Nagle delay: streamed pages go out in several writes, and with delayed
        // ACKs each would otherwise wait ~40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let serve = axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown);
        let result = tokio::select! {
            result = serve.into_future() => result,
            () = grace_over => {
                tracing::warn!(seconds = grace.as_secs(), "requests still in flight after the grace: closing them");
                Ok(())
            }
        };
        let _ = stop_worker.send(true);
        // The mail worker finishes the send under way and hands back the rest; a tick
        // under way finishes. Not for ever: a send held by a silent SMTP server, or a
        // statement held by a lock, is abandoned after WIND_DOWN (that mail's lease
        // ends, and another worker sends it, with the same Message-ID).
        let aborts = [worker.as_ref().map(|w| w.abort_handle()), Some(maintenance.abort_handle())];
        let wound_down = tokio::time::timeout(WIND_DOWN, async {
            if let Some(worker) = worker {
                let _ = worker.await;
            }
            let _ = maintenance.await;
            db.close().await;
        })
        .await;
        if wound_down.is_err() {
            tracing::warn!(
                seconds = WIND_DOWN.as_secs(),
                "the mail worker or maintenance still busy: stopped"
            );
            aborts.into_iter().flatten().for_each(|a| a.abort());
        }
        result
    }
}

/// Every route: the Leptos pages and server functions (with the shared state as
/// context), health, and the static files of the build.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let mut router = Router::new();
    if !state.settings.env.is_production() {
        router = router.route(BARE_LOGIN_PATH, get(bare_login));
    }
    if state.settings.payment_gateway == GatewayChoice::Test {
        // The built-in test payment gateway's hosted card page (its own prefix), in
        // development only: production refuses to start with it.
        router = router.nest(test_gateway::PREFIX, test_gateway::routes(state.db.clone()));
    }
    let timeout = tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        std::time::Duration::from_secs(state.settings.request_timeout_secs),
    );
    // The one form post taken from another site: a gateway's page posts its signed
    // result here (no session comes with it; the result itself is the proof).
    let from_gateway = Router::new()
        .route(
            app::features::billing::routes::PAYMENT_RESULT,
            axum::routing::post(app::features::billing::payment::gateway_result),
        )
        .layer(timeout);
    router
        .route(HEALTHZ, get(healthz))
        .route(READYZ, get(readyz))
        // Invoice and receipt PDFs: plain routes behind the session (not pages).
        .route(app::features::billing::routes::PDF_ROUTE, get(app::features::billing::pdf::download))
        .route(app::features::contract::routes::DOCUMENT, get(app::features::contract::pdf::download))
        // The payment gateway sends the customer back here (a plain route: it redirects).
        .route(
            app::features::billing::routes::PAYMENT_RETURN,
            get(app::features::billing::payment::gateway_return),
        )
        // The speed test's measuring endpoints (streams: plain routes, ticket + session).
        .route(app::features::speedtest::routes::DOWNLOAD, get(app::features::speedtest::endpoints::download))
        .route(
            app::features::speedtest::routes::UPLOAD,
            axum::routing::post(app::features::speedtest::endpoints::upload),
        )
        .route(app::features::speedtest::routes::PING, get(app::features::speedtest::endpoints::ping))
        .route("/sw.js", get(service_worker))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // A server function's error answers with its own status (4xx but `Internal`).
        .layer(middleware::from_fn(app::ssr::server_fn_error_status))
        // No request may hang forever: after REQUEST_TIMEOUT_SECS the client gets 408.
        .layer(timeout)
        // Pages and server-function answers are compressed as they go out (brotli at a
        // quality that keeps rendering fast, else gzip); the build's files arrive
        // already compressed (`.br`/`.gz` beside them) and pass through untouched, as do
        // images.
        // The speed test's random bytes (application/octet-stream) are never compressed:
        // they would not shrink, and the measurement must count what went over the wire.
        .layer({
            use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::compression::CompressionLevel::Precise(4))
                .compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream")),
                )
        })
        .layer(middleware::from_fn(security::refuse_cross_site))
        .merge(from_gateway)
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        // One span a request: whatever is logged while it runs (an internal error and
        // its causes) names the request's id, method and path, that is the page or the
        // server function (`/api/<endpoint>`). Never the query: it may carry a link's
        // token. Its end is the access log line: status and time taken.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    // The load balancer's checks (every second, each process) have no
                    // span and no line, or the log would be mostly them.
                    if matches!(req.uri().path(), HEALTHZ | READYZ) {
                        return tracing::Span::none();
                    }
                    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(
                    |res: &axum::response::Response, latency: std::time::Duration, span: &tracing::Span| {
                        if !span.is_none() {
                            tracing::info!(
                                status = res.status().as_u16(),
                                latency = %format!("{} ms", latency.as_millis()),
                                "finished processing request"
                            );
                        }
                    },
                ),
        )
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// After the grace, how long the mail worker and the maintenance task have to finish.
pub const WIND_DOWN: std::time::Duration = std::time::Duration::from_secs(10);

const HEALTHZ: &str = "/healthz";
const READYZ: &str = "/readyz";

/// The header that names a request in the logs, the load balancer's and this one's.
pub const REQUEST_ID: &str = "x-request-id";

/// Gives each request an id (the load balancer's, when it sent a plausible one: at most
/// 64 letters, digits and `-_.:`), logged with everything the request logs and sent
/// back, so a customer's "it failed at 14:05" and a log line can be matched.
async fn request_id(
    mut req: axum::http::Request<axum::body::Body>,
    next: middleware::Next,
) -> axum::response::Response {
    let given = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        !v.is_empty()
            && v.len() <= 64
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    });
    let id = match given {
        Some(id) => id.to_string(),
        None => app::ssr::crypto::random_token()[..32].to_string(),
    };
    let value = axum::http::HeaderValue::from_str(&id).expect("checked or hex");
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(REQUEST_ID, value);
    res
}

/// The app's routes, generated once per process. Generating them renders the app
/// with a *process-wide* flag set (leptos_server's `SuppressResourceLoad`) under which
/// every `Resource` created anywhere meanwhile never loads: a page rendering on
/// another thread at that moment stalls for good (leptos-rs/leptos#4773). Several
/// apps in one process (the integration tests) each generated their list while the
/// others served pages: that was the rare stalled render. Generated once, the window
/// closes before any app serves.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The benchmark's yardstick (development only): the bytes `/login` renders, rendered
/// once and then returned as they are by a bare axum handler behind the same layers, so
/// `npm run bench` can compare the page's throughput with the cost of serving bytes.
pub const BARE_LOGIN_PATH: &str = "/dev/bench/login-bytes";

async fn bare_login(State(state): State<AppState>) -> impl IntoResponse {
    use tokio::sync::OnceCell;
    use tower::ServiceExt;
    static BODY: OnceCell<axum::body::Bytes> = OnceCell::const_new();
    let body = BODY
        .get_or_try_init(|| async {
            let request = axum::http::Request::get(app::features::login::routes::LOGIN)
                .body(axum::body::Body::empty())?;
            let response = router(state).oneshot(request).await?;
            Ok::<_, Error>(axum::body::to_bytes(response.into_body(), usize::MAX).await?)
        })
        .await;
    match body {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes.clone()).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not render /login for the bare route");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Liveness: 200 while the process runs and answers (nothing else is checked: a
/// database away is not a reason to restart it).
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness, what a load balancer checks: 200 when this process should get requests
/// (not draining, and the database answers within a second at the schema this build
/// migrated to), else 503 at once.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let unavailable = |why| (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], why);
    if state.draining.load(std::sync::atomic::Ordering::SeqCst) {
        return unavailable("draining");
    }
    match tokio::time::timeout(std::time::Duration::from_secs(1), state.db.is_migrated()).await {
        Ok(Ok(true)) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok"),
        Ok(Ok(false)) => unavailable("not migrated"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            unavailable("database unavailable")
        }
        Err(_) => unavailable("database unavailable"),
    }
}

/// The service worker, never cached by the HTTP cache, so a new release's worker (and
/// with it the new WASM) is picked up on the next visit. Served as the other site files
/// are: tower-http's `ServeFile` gives a browser that takes brotli (or gzip) the build's
/// copy (`--precompress`, the highest quality: a sixth smaller than compressing it as
/// it goes out), with its length; it is part of every phone's first load of /login.
async fn service_worker(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use tower::ServiceExt;
    let path = std::path::Path::new(&*state.leptos_options.site_root).join("sw.js");
    let served =
        tower_http::services::ServeFile::new(path).precompressed_br().precompressed_gzip().oneshot(request);
    let mut res = match served.await {
        Ok(res) => res.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    if res.status().is_success() {
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
        // Which copy it is depends on the request's Accept-Encoding.
        h.insert(header::VARY, axum::http::HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
