//! Login throughput against the argon2 bound, and page latency during a login flood.
//! Not a test: it prints numbers. Run: `cargo bench -p server --bench login_load`.
//!
//! The app runs in-process on SQLite with the demo data; the load generator shares
//! the machine (and the tokio runtime), so absolute numbers are a floor.

use app::seed;
use app::ssr::{auth::password, config::Settings};
use leptos::config::LeptosOptions;
use server::Application;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FLOOD_SECS: u64 = 10;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn page_latencies(
    client: &reqwest::Client,
    url: &str,
    stop: Option<Arc<AtomicBool>>,
    max: usize,
) -> Vec<f64> {
    let mut out = Vec::new();
    while out.len() < max && !stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
        let t = Instant::now();
        let res = client.get(url).send().await.expect("page");
        assert_eq!(res.status(), 200);
        let _ = res.bytes().await;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let dir = std::env::temp_dir().join(format!("mypage-bench-{}", app::ssr::db::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}/bench.db", dir.display());
    // Development, as the tests: plain http on the loopback (production is the default).
    let settings = Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(db_url.clone()),
        "MYPAGE_ENV" => Some("development".into()),
        _ => None,
    })
    .unwrap();
    let options = LeptosOptions::builder()
        .output_name("mypage")
        .site_root(dir.to_str().unwrap())
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let app = Application::build(settings, options).await.unwrap();
    seed::seed_demo(&app.state().db, "itscom.net").await.unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));

    // 1. One argon2id verification (m=19456, t=2, p=1), on this machine.
    let phc = password::hash("Hanako_2024");
    let n = 20;
    let t = Instant::now();
    for _ in 0..n {
        assert!(password::verify("Hanako_2024", &phc));
    }
    let hash_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let bound = cores as f64 * 1000.0 / hash_ms;

    let client = reqwest::Client::new();
    let page = format!("{base}/login");
    // 2. Page latency, idle.
    let _ = page_latencies(&client, &page, None, 20).await; // warm-up
    let idle = page_latencies(&client, &page, None, 200).await;

    // 3. A login flood: 4 × cores clients logging in as fast as they can.
    let stop = Arc::new(AtomicBool::new(false));
    let logins = Arc::new(AtomicU64::new(0));
    let mut flooders = Vec::new();
    for _ in 0..cores * 4 {
        let (stop, logins, url) = (stop.clone(), logins.clone(), format!("{base}/api/login"));
        flooders.push(tokio::spawn(async move {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            while !stop.load(Ordering::Relaxed) {
                let res = c
                    .post(&url)
                    .header("Accept", "text/html")
                    .form(&[("itscom_id", "hanako@example.com"), ("password", "Hanako_2024")])
                    .send()
                    .await
                    .unwrap();
                if res.headers().get("location").is_some_and(|l| l == "/") {
                    logins.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let flood_start = Instant::now();
    let prober = {
        let (client, page, stop) = (client.clone(), page.clone(), stop.clone());
        tokio::spawn(async move { page_latencies(&client, &page, Some(stop), usize::MAX).await })
    };
    tokio::time::sleep(Duration::from_secs(FLOOD_SECS)).await;
    stop.store(true, Ordering::Relaxed);
    let flood_secs = flood_start.elapsed().as_secs_f64();
    for f in flooders {
        let _ = f.await;
    }
    let loaded = prober.await.unwrap();
    let throughput = logins.load(Ordering::Relaxed) as f64 / flood_secs;

    println!("login_load: {cores} cores");
    println!(
        "  argon2id verify           {hash_ms:8.1} ms  -> bound {bound:6.1} logins/s (cores / hash time)"
    );
    println!(
        "  login throughput (flood)  {throughput:8.1} logins/s ({:.0}% of bound)",
        100.0 * throughput / bound
    );
    println!(
        "  GET /login idle           p50 {:6.1} ms  p99 {:6.1} ms  ({} requests)",
        percentile(&idle, 0.5),
        percentile(&idle, 0.99),
        idle.len()
    );
    println!(
        "  GET /login during flood   p50 {:6.1} ms  p99 {:6.1} ms  ({} requests)",
        percentile(&loaded, 0.5),
        percentile(&loaded, 0.99),
        loaded.len()
    );
    let _ = std::fs::remove_dir_all(dir);
}
