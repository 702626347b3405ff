//! Inquiries: written with their receipt mail and the support system's event, listed.

use super::{Inquiry, InquiryStep};
use crate::domain::inquiry::{reference_number, InquiryCategory, InquiryMessage};
use crate::features::speedtest::SpeedResult;
use crate::ssr::config::Settings;
use crate::ssr::db::{Conn, Db};

/// Inquiries an account may send: 5 an hour (counted from the inquiries themselves,
/// so the form can say so before anything is typed in vain).
pub const PER_HOUR: i64 = 5;

/// The account's inquiries of the last hour.
pub async fn sent_last_hour(conn: &mut Conn, account_id: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE account_id = $1 AND created_at > $2")
        .bind(account_id)
        .bind(now - 3_600)
        .fetch_one(conn)
        .await
}

#[derive(sqlx::FromRow)]
struct InquiryRow {
    reference_no: String,
    created_at: i64,
    customer_no: String,
    category: String,
    message: String,
    step: InquiryStep,
    /// The attached test's columns (NULL without one).
    id: Option<String>,
    finished_at: Option<i64>,
    finished_ms: Option<i64>,
    download_kbps: Option<i64>,
    upload_kbps: Option<i64>,
    ping_us: Option<i64>,
    jitter_us: Option<i64>,
    loaded_us: Option<i64>,
    plan_name: Option<String>,
    plan_mbps: Option<i64>,
    verified: Option<i64>,
}

impl InquiryRow {
    /// The attached speed test, when there is one.
    fn speed_test(&self) -> Option<SpeedResult> {
        use crate::features::speedtest::store::ResultRow;
        let row = ResultRow {
            id: self.id.clone()?,
            finished_at: self.finished_at?,
            finished_ms: self.finished_ms?,
            download_kbps: self.download_kbps?,
            upload_kbps: self.upload_kbps?,
            ping_us: self.ping_us?,
            jitter_us: self.jitter_us?,
            loaded_us: self.loaded_us,
            plan_name: self.plan_name.clone(),
            plan_mbps: self.plan_mbps,
            verified: self.verified,
        };
        Some(row.into())
    }
}

/// An inquiry's columns and its attached speed test's ([`InquiryRow`]): only a finished
/// test of the same customer's is joined (`done`: the placeholder of the finished step).
fn inquiry_with_test(done: &str) -> String {
    format!(
        "SELECT i.reference_no, i.created_at, i.customer_no, i.category, i.message, i.step,
                t.id, t.finished_at, t.finished_ms, t.download_kbps, t.upload_kbps, t.ping_us, t.jitter_us,
                t.loaded_us, t.plan_name, t.plan_mbps, t.verified
         FROM inquiries i
         LEFT JOIN speed_tests t ON t.id = i.speed_test_id AND t.customer_no = i.customer_no AND t.step = {done}"
    )
}

/// The customer's inquiries, newest first, with the speed test each attached (one
/// query: the test joined, only a finished one of the same customer's).
pub async fn inquiries(conn: &mut Conn, customer_no: &str, limit: i64) -> Result<Vec<Inquiry>, sqlx::Error> {
    let rows: Vec<InquiryRow> = sqlx::query_as(&format!(
        "{} WHERE i.customer_no = $1 ORDER BY i.created_ms DESC, i.reference_no DESC LIMIT $2",
        inquiry_with_test("$3")
    ))
    .bind(customer_no)
    .bind(limit)
    .bind(crate::features::speedtest::SpeedStep::Done)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Inquiry {
            speed_test: r.speed_test(),
            reference_no: r.reference_no,
            created_at: r.created_at,
            category: InquiryCategory::parse(&r.category).unwrap_or(InquiryCategory::Other),
            message: r.message,
            step: r.step,
        })
        .collect())
}

/// How writing an inquiry went.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Its reference number.
    Received(String),
    /// The hour's budget is spent.
    Limit,
}

/// Writes the account's inquiry with its receipt mail and the event for the support
/// system, in one transaction that first locks the customer row (two at once cannot
/// pass the hour's limit together).
#[allow(clippy::too_many_arguments)]
pub async fn send(
    db: &Db,
    settings: &Settings,
    customer_no: &str,
    account_id: &str,
    category: InquiryCategory,
    message: &InquiryMessage,
    speed_test: Option<&SpeedResult>,
    submit_key: Option<&str>,
    now: i64,
) -> Result<Sent, sqlx::Error> {
    use rand::Rng;
    let mut tx = db.begin().await?;
    crate::ssr::db::customers::lock(&mut tx, customer_no).await?;
    // The same form again, after the lock (so after a first one committed): its inquiry.
    if let Some(key) = submit_key {
        let sent: Option<String> = sqlx::query_scalar(
            "SELECT reference_no FROM inquiries WHERE account_id = $1 AND submit_key = $2",
        )
        .bind(account_id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(reference) = sent {
            tx.rollback().await?;
            return Ok(Sent::Received(reference));
        }
    }
    if sent_last_hour(&mut tx, account_id, now).await? >= PER_HOUR {
        tx.rollback().await?;
        return Ok(Sent::Limit);
    }
    let today = crate::domain::billing::Date::of_unix_jst(now).to_string();
    let id = crate::ssr::db::new_id();
    // A random number of the day; a clash (one in a million a pair, or two processes
    // drawing the same at once) writes nothing and draws again.
    let mut reference = None;
    for _ in 0..5 {
        let candidate = reference_number(&today, rand::thread_rng().gen_range(0..1_000_000));
        let written = sqlx::query(
            "INSERT INTO inquiries (id, reference_no, customer_no, account_id, category, message, speed_test_id,
                step, created_at, created_ms, submit_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (reference_no) DO NOTHING",
        )
        .bind(&id)
        .bind(&candidate)
        .bind(customer_no)
        .bind(account_id)
        .bind(category.as_str())
        .bind(message.as_str())
        .bind(speed_test.map(|s| s.id.clone()))
        .bind(InquiryStep::Received)
        .bind(now)
        .bind(crate::ssr::now_ms())
        .bind(submit_key)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if written == 1 {
            reference = Some(candidate);
            break;
        }
    }
    let Some(reference) = reference else {
        return Err(sqlx::Error::Protocol("no free inquiry reference number".into()));
    };
    // For the support centre's system (it reads the inquiry by its id).
    let event = serde_json::json!({
        "inquiry": id,
        "reference_no": reference,
        "customer_no": customer_no,
        "category": category.as_str(),
    });
    crate::ssr::mail::enqueue_event(&mut tx, "help.inquiry_received", &event, now).await?;
    let mail = |locale, to: &str| {
        super::mail::inquiry_receipt(settings, locale, to, &reference, category, message.as_str(), speed_test)
    };
    crate::ssr::db::customers::mail_owner(&mut tx, account_id, "help.inquiry_receipt", mail, now).await?;
    tx.commit().await?;
    Ok(Sent::Received(reference))
}

/// An inquiry waiting for its answer, for the support centre's list, with the speed
/// test the customer attached (the page tells customers it speeds the answer up).
#[derive(Debug)]
pub struct OpenInquiry {
    pub reference_no: String,
    pub created_at: i64,
    pub customer_no: String,
    pub category: String,
    pub message: String,
    pub speed_test: Option<SpeedResult>,
}

/// The inquiries not yet answered, oldest first.
pub async fn open_inquiries(db: &Db) -> Result<Vec<OpenInquiry>, sqlx::Error> {
    let rows: Vec<InquiryRow> = sqlx::query_as(&format!(
        "{} WHERE i.step = $1 ORDER BY i.created_ms, i.reference_no",
        inquiry_with_test("$2")
    ))
    .bind(InquiryStep::Received)
    .bind(crate::features::speedtest::SpeedStep::Done)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenInquiry {
            speed_test: r.speed_test(),
            reference_no: r.reference_no,
            created_at: r.created_at,
            customer_no: r.customer_no,
            category: r.category,
            message: r.message,
        })
        .collect())
}

/// Marks inquiry `reference` answered (the customer's list says 回答済み): false when
/// there is no such inquiry waiting.
pub async fn mark_answered(db: &Db, reference: &str) -> Result<bool, sqlx::Error> {
    let mut conn = db.conn().await?;
    crate::ssr::flow::advance(InquiryStep::Received, InquiryStep::Answered)
        .by("reference_no", reference.to_string())
        .once(&mut conn)
        .await
}
