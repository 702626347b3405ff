//! The outbox worker: claims due mails with an atomic lease, sends them with lettre
//! over SMTP, marks them sent, or schedules a retry with backoff. Several workers
//! (several server processes) never send one mail twice: a claim is one UPDATE that
//! re-checks the lease on the row it takes. A worker that dies mid-send leaves its
//! lease to expire, and the mail is retried (at least once, never lost; with the same
//! Message-ID, its outbox row's, so the mail system can tell it is one). A batch's
//! leases run out while its first mails are sent, so each mail's lease is renewed just
//! before its send, only while it is still this worker's (else another worker has it
//! and this one leaves it), and a send is bounded by [`SEND_LIMIT`], well inside it.
//! A mail refused for good (5xx, while the server still takes the portal's connection:
//! a 5xx to the portal itself, a wrong password or a refused greeting, is the set-up's
//! matter and every mail waits for it to be fixed), or not sent for
//! [`GIVE_UP_AFTER_SECS`], is given up: logged as an error, marked `failed_at`, never
//! tried again. A mail the SMTP server took is marked sent even across a database away
//! for a while (tried again within its lease), so no other worker sends it again.

use super::Mail;
use crate::ssr::db::Db;
use crate::ssr::now;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use tokio::sync::watch;

/// How long a claimed mail stays reserved for its worker.
const LEASE_SECS: i64 = 120;
const BATCH: i64 = 10;
/// A mail not sent this long after it was queued is given up: its codes and links
/// expired long before, and an SMTP server away for three days is an operator's matter.
pub const GIVE_UP_AFTER_SECS: i64 = 3 * 86_400;

/// Why a send failed, and whether trying again can help.
#[derive(Debug)]
enum Failure {
    /// The SMTP server was away, slow, or refused for now (4xx).
    Retry(String),
    /// Refused for good (5xx: no such recipient, say), or a mail that cannot be built.
    GiveUp(String),
}

/// How long a sent mail's mark is tried again while the database is away: with the
/// send's own limit, inside the lease renewed for the send.
const MARK_FOR: Duration = Duration::from_secs(45);

/// The longest one mail's send may take, whatever the SMTP server does (lettre's
/// timeout is per network operation, and a send is several).
pub const SEND_LIMIT: Duration = Duration::from_secs(60);

pub struct Worker {
    db: Db,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    poll: Duration,
    /// Keep a sent mail's body (development: /dev/mailbox shows it); else cleared.
    keep_sent_bodies: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("SMTP_URL: {0}")]
    Url(String),
    #[error("MAIL_FROM: {0}")]
    From(String),
}

/// Claims a batch (`$3` mails) due at `$2` until `$1`, oldest first: along the index of
/// the mails not sent, whatever the number sent before them.
pub const CLAIM: &str = "UPDATE outbox SET locked_until = $1, attempts = attempts + 1
     WHERE id IN (SELECT id FROM outbox
                  WHERE kind = 'mail' AND sent_at IS NULL AND failed_at IS NULL AND available_at <= $2
                    AND (locked_until IS NULL OR locked_until <= $2)
                  ORDER BY created_at LIMIT $3)
       AND sent_at IS NULL AND (locked_until IS NULL OR locked_until <= $2)
     RETURNING id, payload, attempts, created_at";

impl Worker {
    pub fn new(db: Db, smtp_url: &url::Url, from: &str, poll: Duration) -> Result<Self, WorkerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url.as_str())
            .map_err(|e| WorkerError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| WorkerError::From(e.to_string()))?;
        Ok(Self { db, transport, from, poll, keep_sent_bodies: false })
    }

    /// Keep sent mails' bodies (development only: the development mailbox reads them).
    pub fn keeping_sent_bodies(mut self, keep: bool) -> Self {
        self.keep_sent_bodies = keep;
        self
    }

    /// Deliver until `shutdown` turns true; the mails claimed and not yet sent then go
    /// back to the outbox for another worker (the one being sent is finished first).
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        // While the database is away each failed claim waits twice as long, up to 30 s.
        let mut wait = self.poll;
        loop {
            let sent = match self.deliver_due_until(&shutdown).await {
                Ok(n) => {
                    wait = self.poll;
                    n
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "outbox: claiming mail failed");
                    wait = (wait * 2).min(Duration::from_secs(30));
                    0
                }
            };
            if *shutdown.borrow() {
                return;
            }
            if sent == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }

    /// Claim and send one batch of due mails; returns how many were handled.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        self.deliver_due_until(&watch::channel(false).1).await
    }

    /// [`deliver_due`](Self::deliver_due), handing back what is left of the batch once
    /// `stop` turns true.
    pub async fn deliver_due_until(&self, stop: &watch::Receiver<bool>) -> Result<usize, sqlx::Error> {
        let t = now();
        let held = t + LEASE_SECS;
        let mut claimed: Vec<(String, String, i64, i64)> =
            sqlx::query_as(CLAIM).bind(held).bind(t).bind(BATCH).fetch_all(self.db.pool()).await?;
        // Oldest first (RETURNING keeps no order).
        claimed.sort_by_key(|(.., created_at)| *created_at);
        let n = claimed.len();
        let mut claimed = claimed.into_iter();
        while let Some((id, payload, attempts, created_at)) = claimed.next() {
            if *stop.borrow() {
                let rest: Vec<String> = std::iter::once(id).chain(claimed.map(|(id, ..)| id)).collect();
                self.hand_back(&rest, held).await?;
                tracing::info!(mails = rest.len(), "outbox: stopping; claimed mails handed back");
                return Ok(n);
            }
            // The claim may have run out while the mails before it were sent: renewed for
            // this send if still ours, else left to the worker that holds it now.
            let renewed = sqlx::query(
                "UPDATE outbox SET locked_until = $3 WHERE id = $1 AND locked_until = $2 AND sent_at IS NULL",
            )
            .bind(&id)
            .bind(held)
            .bind(now() + LEASE_SECS)
            .execute(self.db.pool())
            .await?
            .rows_affected();
            if renewed == 0 {
                tracing::warn!(outbox_id = %id, "outbox: a claimed mail's lease ran out before its turn; left to the worker holding it");
                continue;
            }
            let result = match serde_json::from_str::<Mail>(&payload) {
                // Its body cleared (given up or sent before, then queued again by hand):
                // an empty mail never goes.
                Ok(mail) if mail.text.is_empty() && mail.html.is_empty() => {
                    Err(Failure::GiveUp("its body was cleared: it cannot be sent again".into()))
                }
                Ok(mail) => match tokio::time::timeout(SEND_LIMIT, self.send(&id, &mail)).await {
                    Ok(sent) => sent,
                    Err(_) => {
                        Err(Failure::Retry(format!("no answer from the SMTP server within {SEND_LIMIT:?}")))
                    }
                },
                Err(e) => Err(Failure::GiveUp(format!("unreadable payload: {e}"))),
            };
            let result = match result {
                Err(Failure::Retry(e)) if now() - created_at >= GIVE_UP_AFTER_SECS => {
                    Err(Failure::GiveUp(format!("not sent in {} days: {e}", GIVE_UP_AFTER_SECS / 86_400)))
                }
                other => other,
            };
            match result {
                Ok(()) => {
                    self.mark_sent(&id, &self.kept(&payload)).await?;
                    tracing::info!(outbox_id = %id, "mail sent");
                }
                Err(Failure::GiveUp(e)) => {
                    tracing::error!(outbox_id = %id, attempts, error = %unnamed(&e), "mail given up: not sent, not tried again");
                    sqlx::query(
                        "UPDATE outbox SET failed_at = $2, locked_until = NULL, last_error = $3, payload = $4
                         WHERE id = $1",
                    )
                    .bind(&id)
                    .bind(now())
                    .bind(e)
                    .bind(self.kept(&payload))
                    .execute(self.db.pool())
                    .await?;
                }
                Err(Failure::Retry(e)) => {
                    let delay = retry_delay(attempts);
                    tracing::warn!(outbox_id = %id, attempts, retry_in_secs = delay, error = %unnamed(&e), "mail not sent; will retry");
                    sqlx::query(
                        "UPDATE outbox SET locked_until = NULL, available_at = $2, last_error = $3 WHERE id = $1",
                    )
                    .bind(&id)
                    .bind(now() + delay)
                    .bind(e)
                    .execute(self.db.pool())
                    .await?;
                }
            }
        }
        Ok(n)
    }

    /// What stays of a mail sent or given up: recipient, subject, topic and time; its
    /// codes and links leave the database (development keeps them for /dev/mailbox).
    fn kept(&self, payload: &str) -> String {
        if self.keep_sent_bodies {
            return payload.to_string();
        }
        serde_json::from_str::<Mail>(payload)
            .map(|m| Mail { text: String::new(), html: String::new(), ..m })
            .ok()
            .and_then(|m| serde_json::to_string(&m).ok())
            .unwrap_or_else(|| "{}".into())
    }

    /// Marks mail `id` sent, its body cleared. The SMTP server has it: with the database
    /// away a moment the mark is tried again (for at most [`MARK_FOR`], well inside the
    /// lease renewed for this send), as a mail left unmarked is sent again by the next
    /// worker once its lease ends.
    async fn mark_sent(&self, id: &str, kept: &str) -> Result<(), sqlx::Error> {
        let since = std::time::Instant::now();
        let mut wait = Duration::from_millis(250);
        loop {
            let marked = sqlx::query(
                "UPDATE outbox SET sent_at = $2, locked_until = NULL, last_error = NULL, payload = $3
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now())
            .bind(kept)
            .execute(self.db.pool())
            .await;
            match marked {
                Ok(_) => return Ok(()),
                Err(e) if since.elapsed() + wait < MARK_FOR => {
                    tracing::warn!(outbox_id = %id, error = %e, "outbox: a sent mail not marked yet; trying again");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
                Err(e) => {
                    tracing::error!(outbox_id = %id, error = %e, "outbox: a sent mail could not be marked; it may go twice");
                    return Err(e);
                }
            }
        }
    }

    /// Mails claimed and not sent, released at once (their attempt not counted): those
    /// whose claim `held` is still this worker's, not one another worker took since.
    async fn hand_back(&self, ids: &[String], held: i64) -> Result<(), sqlx::Error> {
        for id in ids {
            sqlx::query(
                "UPDATE outbox SET locked_until = NULL, attempts = attempts - 1
                 WHERE id = $1 AND locked_until = $2 AND sent_at IS NULL",
            )
            .bind(id)
            .bind(held)
            .execute(self.db.pool())
            .await?;
        }
        Ok(())
    }

    /// Sends `mail`, the outbox row `id`. Its Message-ID is the row's, the same at
    /// every attempt: a mail sent again after a process died between the SMTP server's
    /// yes and `sent_at` can be recognised as the same mail by the mail system.
    async fn send(&self, id: &str, mail: &Mail) -> Result<(), Failure> {
        let to: Mailbox = mail.to.parse().map_err(|e| Failure::GiveUp(format!("bad recipient: {e}")))?;
        let message = Message::builder()
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone())),
            )
            .map_err(|e| Failure::GiveUp(e.to_string()))?;
        let refused = match self.transport.send(message).await {
            Ok(_) => return Ok(()),
            Err(e) if e.is_permanent() => e,
            Err(e) => return Err(Failure::Retry(e.to_string())),
        };
        // Refused for good: this mail (its recipient), or the portal itself (a refused
        // greeting, a wrong SMTP password), which would give up every mail? The
        // connection alone, tried again, tells.
        match self.transport.test_connection().await {
            Ok(true) => Err(Failure::GiveUp(refused.to_string())),
            answer => {
                let why = answer.err().map(|e| e.to_string()).unwrap_or_else(|| "no answer".into());
                tracing::error!(error = %why, "outbox: the SMTP server refuses the portal's connection; check SMTP_URL");
                Err(Failure::Retry(format!("the SMTP server refuses the portal: {refused}")))
            }
        }
    }
}

/// An SMTP server's words for the log, each address in them (the recipient's, as
/// `550 5.1.1 <hanako@example.com>: no such user` names it) without its local part: the
/// log names a mail by its outbox row, never a person (the row keeps the words whole).
pub fn unnamed(text: &str) -> String {
    let word = |w: &str| match w.split_once('@') {
        Some((local, domain)) => {
            let name = local.trim_start_matches(['<', '"', '(', '[']);
            format!("{}…@{domain}", &local[..local.len() - name.len()])
        }
        None => w.to_string(),
    };
    text.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

/// 2, 4, 8… seconds after each failed attempt, at most an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    2_i64.saturating_pow(attempts.clamp(1, 12) as u32).min(3600)
}

#[cfg(test)]
mod tests {
    use super::{retry_delay, unnamed};

    #[test]
    fn the_log_names_no_recipient() {
        assert_eq!(
            unnamed("permanent error (550): 5.1.1 <hanako@example.com>: no such user here"),
            "permanent error (550): 5.1.1 <…@example.com>: no such user here"
        );
        assert_eq!(unnamed("to taro.yamada@example.jp, twice"), "to …@example.jp, twice");
        assert_eq!(unnamed("connection refused"), "connection refused");
    }

    #[test]
    fn retries_back_off_and_are_capped() {
        assert_eq!(retry_delay(1), 2);
        assert_eq!(retry_delay(2), 4);
        assert_eq!(retry_delay(10), 1024);
        assert_eq!(retry_delay(50), 3600);
    }
}
