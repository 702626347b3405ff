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
    sqlx::query(
        "INSERT INTO outbox (id, kind, topic, payload, created_at, available_at, attempts)
         VALUES ($1, 'mail', $2, $3, $4, $4, 0)",
    )
    .bind(new_id())
    .bind(topic)
    .bind(payload)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
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
        "SELECT id, topic, payload, created_at, sent_at FROM outbox WHERE kind = 'mail'
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
