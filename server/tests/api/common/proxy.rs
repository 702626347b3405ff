//! A TCP proxy between the app and its database (or its SMTP server), to take it away
//! and give it back as a restart or a network fault would: `cut()` closes every
//! connection through it and refuses new ones; `restore()` lets them through again;
//! `hold()` keeps new connections waiting, unanswered, until `release()`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct TcpProxy {
    pub addr: SocketAddr,
    cut: Arc<AtomicBool>,
    held: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl TcpProxy {
    /// A proxy on a free loopback port forwarding to `target` (`host:port`).
    pub async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let cut = Arc::new(AtomicBool::new(false));
        let (held, accepted) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Default::default();
        let (c, h, a, l) = (cut.clone(), held.clone(), accepted.clone(), links.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { return };
                if c.load(Ordering::SeqCst) {
                    drop(client); // refused: closed at once
                    continue;
                }
                a.fetch_add(1, Ordering::SeqCst);
                let (target, h) = (target.clone(), h.clone());
                let link = tokio::spawn(async move {
                    while h.load(Ordering::SeqCst) {
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    }
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                l.lock().unwrap().push(link);
            }
        });
        Self { addr, cut, held, accepted, links, accept }
    }

    /// The database is away: every connection through the proxy is closed, new ones
    /// are closed as they arrive.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// The database is back.
    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }

    /// New connections wait, unanswered, as behind a server that does not answer.
    pub fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    /// The waiting connections go through.
    pub fn release(&self) {
        self.held.store(false, Ordering::SeqCst);
    }

    /// How many connections it has let in.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// `url` (a database URL) with its host and port replaced by the proxy's.
    pub fn in_front_of(&self, url: &str) -> String {
        let mut url = url::Url::parse(url).expect("a database URL");
        url.set_host(Some(&self.addr.ip().to_string())).unwrap();
        url.set_port(Some(self.addr.port())).unwrap();
        url.to_string()
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
