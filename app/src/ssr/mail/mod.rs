//! Outgoing mail through the outbox: a mail is a row written in the same transaction
//! as the change that causes it; the worker delivers it after commit.

pub mod templates;
pub mod worker;

use crate::ssr::db::{new_id, Conn};
use serde::{Deserialize, Serialize};

/// A mail as stored in the outbox (JSON payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queue `mail` in the outbox on `conn` (the caller's transaction).
pub async fn enqueue(conn: &mut Conn, topic: &str, mail: &Mail, now: i64) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(mail).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    insert(conn, topic, payload, now, None).await
}

async fn insert(
    conn: &mut Conn,
    topic: &str,
    payload: String,
    now: i64,
    sent_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts, sent_at)
         VALUES ($1, 'mail', $2, $3, $4, $4, 0, $5)",
    )
    .bind(new_id())
    .bind(topic)
    .bind(payload)
    .bind(now)
    .bind(sent_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Queue a security notice for each of `recipients` (the contact address and, for 7
/// days after it changed, the ones before: [`NoticeTarget::security_recipients`]),
/// each its own mail made by `mail`.
///
/// [`NoticeTarget::security_recipients`]: crate::ssr::db::customers::NoticeTarget::security_recipients
pub async fn enqueue_each<'a>(
    conn: &mut Conn,
    topic: &str,
    recipients: impl Iterator<Item = &'a str>,
    mail: impl Fn(&str) -> Mail,
    now: i64,
) -> Result<(), sqlx::Error> {
    for to in recipients {
        enqueue(conn, topic, &mail(to), now).await?;
    }
    Ok(())
}

/// The topic of the stand-in rows [`enqueue_decoy`] writes.
pub const DECOY_TOPIC: &str = "decoy";

/// Where a request for an unknown ID must do the same work as for a known one (the
/// time it takes must not tell them apart), the same insert as [`enqueue`], of a row
/// born delivered (`sent_at` set: no worker sends it) without recipient or content;
/// the maintenance task deletes such rows.
pub async fn enqueue_decoy(conn: &mut Conn, now: i64) -> Result<(), sqlx::Error> {
    insert(conn, DECOY_TOPIC, "{}".into(), now, Some(now)).await
}

/// Queue an event for another system (`kind = 'event'`; the mail worker leaves it):
/// `payload` is the JSON the consumer reads, `topic` says which consumer.
pub async fn enqueue_event(
    conn: &mut Conn,
    topic: &str,
    payload: &serde_json::Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts)
         VALUES ($1, 'event', $2, $3, $4, $4, 0)",
    )
    .bind(new_id())
    .bind(topic)
    .bind(payload.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A mail in the outbox, for the development mailbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMail {
    pub id: String,
    pub topic: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub mail: Mail,
}

pub async fn list_recent(conn: &mut Conn, limit: i64) -> Result<Vec<StoredMail>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, topic, payload, created_at, sent_at FROM outbox WHERE kind = 'mail' AND topic <> 'decoy'
         ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, topic, payload, created_at, sent_at)| {
            serde_json::from_str(&payload).ok().map(|mail| StoredMail {
                id,
                topic,
                created_at,
                sent_at,
                mail,
            })
        })
        .collect())
}
