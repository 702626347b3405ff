//! The server binary as a process of its own (`server serve`), as behind the load
//! balancer: nothing of the test binary's memory is shared with it, as nothing is
//! between two of production's processes.

use std::io::{BufRead, BufReader};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// The server binary with an empty environment but `PATH`.
pub fn server_binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

/// [`server_binary`] keeping what finds a database besides its URL: `HOME` (a
/// `.pgpass`) and PostgreSQL's `PG…` variables.
fn server_of_the_tests_database() -> std::process::Command {
    let mut cmd = server_binary();
    cmd.envs(std::env::vars().filter(|(k, _)| k == "HOME" || k.starts_with("PG")));
    cmd
}

/// A `server serve` process; killed when dropped.
pub struct Serving {
    child: Option<std::process::Child>,
    /// Where it serves: `http://127.0.0.1:port`.
    pub address: String,
    lines: UnboundedReceiver<String>,
}

impl Serving {
    /// `server serve` on `database_url` on a free port, logging at `info` (its errors on
    /// the test's), with `env` besides: once it has logged the address it serves on.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Serving {
        let mut child = server_of_the_tests_database()
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_OUTPUT_NAME", "mypage")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .arg("serve")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("start server");
        let stdout = child.stdout.take().unwrap();
        let (lines_tx, lines) = unbounded_channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let mut serving = Serving { child: Some(child), address: String::new(), lines };
        serving.address = loop {
            let line = serving.next_line().await;
            if let Some(rest) = line.split("serving My Page on http://").nth(1) {
                let at = rest.split(|c: char| c == '"' || c.is_whitespace()).next().unwrap();
                break format!("http://{at}");
            }
        };
        serving
    }

    /// The next line it logs, within 10 seconds.
    pub async fn next_line(&mut self) -> String {
        let line = tokio::time::timeout(Duration::from_secs(10), self.lines.recv()).await;
        line.ok().flatten().expect("a log line")
    }

    /// The lines it logs until it has been quiet for `secs` seconds.
    pub async fn lines_until_quiet(&mut self, secs: u64) -> Vec<String> {
        let mut lines = Vec::new();
        while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(secs), self.lines.recv()).await {
            lines.push(line);
        }
        lines
    }

    /// SIGTERM, as the platform stops a process: whether it was sent.
    pub fn terminate(&self) -> bool {
        let pid = self.child.as_ref().map(|c| c.id().to_string()).unwrap_or_default();
        std::process::Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success())
    }

    /// Its exit, waited for.
    pub async fn exit(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What serves HTTP in a test: the app in the test binary or a process of its own.
pub trait Served {
    fn address(&self) -> &str;
}

impl Served for super::TestApp {
    fn address(&self) -> &str {
        &self.address
    }
}

impl Served for Serving {
    fn address(&self) -> &str {
        &self.address
    }
}
