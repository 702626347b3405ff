//! A real SMTP server for tests: aiosmtpd (Debian's python3-aiosmtpd) on a free local
//! port, storing each message it receives in a Maildir the test reads.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// Recipients refused for good (550 at RCPT TO), by local part.
    refuse: Option<String>,
}

/// aiosmtpd's Maildir handler, refusing one local part as a mail system refuses an
/// address it does not have.
const REFUSING: &str = r#"
import os
from aiosmtpd.handlers import Mailbox

class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0] == os.environ["SMTP_REFUSE"]:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
"#;

/// A free local port (bound, then released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpSink {
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("mypage-smtp-{}", app::ssr::db::new_id()));
        let mut sink = Self { port: free_port(), dir, child: None, refuse: None };
        sink.restart();
        sink
    }

    /// As [`start`](Self::start), refusing for good every mail to `local@…`.
    pub fn refusing(local: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("mypage-smtp-{}", app::ssr::db::new_id()));
        let mut sink = Self { port: free_port(), dir, child: None, refuse: Some(local.into()) };
        sink.restart();
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// (Re)start on the same port and Maildir.
    pub fn restart(&mut self) {
        let python =
            if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
        let mut command = Command::new(python);
        let handler = match &self.refuse {
            None => "aiosmtpd.handlers.Mailbox",
            Some(local) => {
                let code = self.dir.with_extension("py");
                std::fs::create_dir_all(&code).unwrap();
                std::fs::write(code.join("refusing.py"), REFUSING).unwrap();
                command.env("PYTHONPATH", &code).env("SMTP_REFUSE", local);
                "refusing.Refusing"
            }
        };
        let child = command
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port), "-c", handler])
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (apt-get install python3-aiosmtpd)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.dir.join(sub)) {
                for e in entries.flatten() {
                    if let Ok(text) = std::fs::read_to_string(e.path()) {
                        out.push(text);
                    }
                }
            }
        }
        out
    }

    /// Wait (up to `secs`) until at least `n` messages have arrived.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let msgs = self.messages();
            if msgs.len() >= n || Instant::now() > deadline {
                return msgs;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_dir_all(self.dir.with_extension("py"));
    }
}
