//! Outgoing mail through the outbox: a mail is a row written in the same transaction
//! as the change that causes it; the worker delivers it after commit. Each feature
//! writes its own mails (its `mail.rs`, from its texts); this layer keeps their frame
//! ([`wrap`]: the brand in the subject, the footer, HTML with every value escaped,
//! subjects on one line) and the outbox.

pub mod worker;

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::db::{new_id, Conn};
use serde::{Deserialize, Serialize};

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A subject on one line: control characters (CR, LF…) become spaces.
pub fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Japan time, "2026年11月25日 14:05" or "25 Nov 2026 14:05 JST".
pub fn format_time(locale: Locale, unix: i64) -> String {
    crate::i18n::format_datetime(locale, unix)
}

/// A mail in the portal's frame: `【brand マイページ】subject` on one line (`[brand My
/// Page] subject` in English, whose subjects carry no full-width brackets), the
/// paragraphs, the footer; plain text and HTML with every value escaped.
/// The words of a notice naming what was done, when, and the customer center to call:
/// `words(what, at, phone, hours)` (a `texts.toml` entry with those four args).
pub type CenterWords = fn(&str, &str, &str, &str) -> Vec<String>;

/// A notice under `subject`, in `words`: `what` was done at `at`, and the customer
/// center (its number and hours in the locale's words) is the one to call.
pub fn with_center(
    settings: &Settings,
    locale: Locale,
    to: &str,
    subject: &str,
    words: CenterWords,
    what: &str,
    at: i64,
) -> Mail {
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(settings, locale, to, subject, &words(what, &format_time(locale, at), &phone, &hours))
}

pub fn wrap(settings: &Settings, locale: Locale, to: &str, subject: &str, paragraphs: &[String]) -> Mail {
    let brand = &settings.brand;
    let site = settings.public_url.as_str();
    let tx = locale.texts();
    let (footer, product) = (tx.mail_footer, tx.brand_suffix);
    let subject = match locale {
        Locale::Ja => one_line(&format!("【{brand} {product}】{subject}")),
        Locale::En => one_line(&format!("[{brand} {product}] {subject}")),
    };
    let text = format!("{}\n\n--\n{footer}\n{brand} {product} {site}\n", paragraphs.join("\n\n"));
    let html_paragraphs: String =
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>"))).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.7\">{html_paragraphs}\
         <hr><p style=\"color:#555;font-size:12px\">{footer}<br>{brand} {product} <a href=\"{site}\">{site}</a></p></body></html>",
        lang = locale.code(),
        footer = escape_html(footer),
        brand = escape_html(brand),
        site = escape_html(site),
    );
    Mail { to: to.to_string(), subject, text, html }
}

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

/// Queue `mails` in the outbox on `conn` with multi-row statements (the billing run's
/// batch of invoice mails).
pub async fn enqueue_many(conn: &mut Conn, topic: &str, mails: &[Mail], now: i64) -> Result<(), sqlx::Error> {
    let mut rows = crate::ssr::db::bulk::Insert::new(
        "outbox (id, kind, topic, payload, created_at, available_at, attempts)",
        "",
    );
    for mail in mails {
        let payload = serde_json::to_string(mail).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        rows.row([
            new_id().into(),
            "mail".into(),
            topic.into(),
            payload.into(),
            now.into(),
            now.into(),
            0_i64.into(),
        ]);
    }
    if !rows.is_empty() {
        rows.execute(conn).await?;
    }
    Ok(())
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
/// `payload` is the JSON the consumer reads, `topic` says which consumer. Its id sorts
/// by the time it was written, so those of one second are listed in order.
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
    .bind(crate::ssr::db::new_ordered_id())
    .bind(topic)
    .bind(payload.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An event waiting for the system it is for ([`enqueue_event`]), as `server events`
/// lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingEvent {
    pub id: String,
    pub topic: String,
    /// The JSON the consumer reads.
    pub payload: String,
    pub created_at: i64,
}

/// The events not taken yet, oldest first: of `topic` (None: every topic), at most
/// `limit`.
pub async fn waiting_events(
    conn: &mut Conn,
    topic: Option<&str>,
    limit: i64,
) -> Result<Vec<WaitingEvent>, sqlx::Error> {
    let sql = match topic {
        Some(_) => {
            "SELECT id, topic, payload, created_at FROM outbox
             WHERE kind = 'event' AND sent_at IS NULL AND topic = $2 ORDER BY created_at, id LIMIT $1"
        }
        None => {
            "SELECT id, topic, payload, created_at FROM outbox
             WHERE kind = 'event' AND sent_at IS NULL ORDER BY created_at, id LIMIT $1"
        }
    };
    let query = sqlx::query_as(sql).bind(limit);
    match topic {
        Some(topic) => query.bind(topic).fetch_all(conn).await,
        None => query.fetch_all(conn).await,
    }
}

/// What marking an event taken did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Marked now: no longer listed, deleted once sent mails are.
    Now,
    /// Marked before (a consumer's run repeated after it stopped): left as it is.
    Before,
    /// No event has this id.
    Unknown,
}

/// Marks event `id` taken by its system at `now`.
pub async fn take_event(conn: &mut Conn, id: &str, now: i64) -> Result<Taken, sqlx::Error> {
    let marked =
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2 AND kind = 'event' AND sent_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if marked > 0 {
        return Ok(Taken::Now);
    }
    let known =
        crate::ssr::db::finds(conn, "SELECT id FROM outbox WHERE id = $1 AND kind = 'event'", id).await?;
    Ok(if known { Taken::Before } else { Taken::Unknown })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_japan_time() {
        // 2026-11-25 05:05 UTC = 14:05 JST
        assert_eq!(format_time(Locale::Ja, 1_795_583_100), "2026年11月25日 14:05");
        assert_eq!(format_time(Locale::En, 1_795_583_100), "25 Nov 2026 14:05 JST");
    }
}
