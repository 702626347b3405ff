//! Speed tests: started (a ticket), finished (the figures), listed.

use super::{SpeedResult, SpeedStep};
use crate::domain::speedtest::Measured;
use crate::ssr::db::{Conn, Db};
use crate::ssr::flow;

/// A ticket opens the endpoints this long: a full test takes about 35 s (ping, 15 s
/// down, 15 s up); an abandoned one stops counting as running after this.
pub const TICKET_SECS: i64 = 60;

/// Tests an account may start: 10 an hour (each one sends and takes up to some
/// hundreds of megabytes; a stolen session must not turn the portal into a traffic
/// generator).
pub const TESTS_PER_ACCOUNT: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("speed-test", 3600).free(10).then_wait(300, 3600);

/// The internet plan in force for the customer on `today`: (name, nominal Mbps).
pub async fn plan(
    conn: &mut Conn,
    customer_no: &str,
    today: crate::domain::billing::Date,
) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    let services = crate::features::contract::store::services(conn, customer_no, today).await?;
    Ok(services
        .into_iter()
        .find(|s| s.kind == "internet")
        .map(|s| (s.plan_name, crate::domain::speedtest::plan_mbps(&s.plan_code))))
}

/// How long after its ticket ends a test's figures are still taken (the upload may end
/// just as the ticket does): it runs until then for every other session too.
pub const FINISH_GRACE_SECS: i64 = 10;

/// Whether a test of the account's runs in another session than `account`'s (its
/// ticket, or the grace after it, not over).
pub async fn running_elsewhere(
    conn: &mut Conn,
    account: &crate::ssr::auth::CurrentAccount,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let running: Option<String> = sqlx::query_scalar(
        "SELECT id FROM speed_tests WHERE account_id = $1 AND step = $2 AND expires_at > $3 AND session_hash <> $4",
    )
    .bind(&account.account_id)
    .bind(SpeedStep::Running)
    .bind(now - FINISH_GRACE_SECS)
    .bind(&account.session_hash)
    .fetch_optional(conn)
    .await?;
    Ok(running.is_some())
}

/// Whether `max` tests run in the whole cluster (their tickets, or the grace after them,
/// not over) besides the one of `session_hash` (which its start replaces): a start is
/// refused then. Read before a start, not under a lock: two processes at the same
/// instant may both start the last place's test, one over.
pub async fn cluster_full(
    conn: &mut Conn,
    max: i64,
    session_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let running: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM speed_tests WHERE step = $1 AND expires_at > $2 AND session_hash <> $3",
    )
    .bind(SpeedStep::Running)
    .bind(now - FINISH_GRACE_SECS)
    .bind(session_hash)
    .fetch_one(conn)
    .await?;
    Ok(running >= max)
}

/// How a start went.
#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    /// The ticket (given to the browser once; stored hashed).
    Ticket(String),
    /// Another test of the account's is running.
    Busy,
}

/// Starts a test for the account's session: one running at a time. An abandoned one
/// stops counting when its ticket and the grace for its figures are over (another
/// session's start never ends a test whose figures may still come), and at once for the
/// session that started it (a reload, or a test that failed in this browser: its ticket
/// dies with it).
pub async fn start(
    db: &Db,
    account: &crate::ssr::auth::CurrentAccount,
    plan: Option<(String, Option<i64>)>,
    now: i64,
) -> Result<Started, sqlx::Error> {
    let mut tx = db.begin().await?;
    flow::advance(SpeedStep::Running, SpeedStep::Expired)
        .by("account_id", &account.account_id)
        .and("expires_at <=", now - FINISH_GRACE_SECS)
        .rows(&mut tx)
        .await?;
    flow::advance(SpeedStep::Running, SpeedStep::Expired)
        .by("account_id", &account.account_id)
        .and("session_hash =", account.session_hash.clone())
        .rows(&mut tx)
        .await?;
    let ticket = crate::ssr::auth::random_token();
    let (plan_name, plan_mbps) = match plan {
        Some((name, mbps)) => (Some(name), mbps),
        None => (None, None),
    };
    let written = sqlx::query(
        "INSERT INTO speed_tests (id, account_id, customer_no, session_hash, ticket_hash, step, started_at,
            expires_at, plan_name, plan_mbps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(crate::ssr::db::new_id())
    .bind(&account.account_id)
    .bind(&account.customer_no)
    .bind(&account.session_hash)
    .bind(crate::ssr::auth::sha256_hex(&ticket))
    .bind(SpeedStep::Running)
    .bind(now)
    .bind(now + TICKET_SECS)
    .bind(plan_name)
    .bind(plan_mbps)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(if written == 1 { Started::Ticket(ticket) } else { Started::Busy })
}

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Down,
    Up,
}

/// Streams (downloads and uploads) a running test may have open at once, in every
/// server process together: the method's 6, and room for a restarted one whose
/// predecessor is still closing.
pub const MAX_STREAMS: i64 = 8;

/// Takes one of the test's [`MAX_STREAMS`] places, counted in its row: false when all
/// are taken. One statement, so two processes cannot both take the last place (on
/// PostgreSQL the second waits for the first's row and checks the count again).
pub async fn open_stream(db: &Db, ticket_hash: &str) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE speed_tests SET streams_open = streams_open + 1 WHERE ticket_hash = $1 AND streams_open < $2",
    )
    .bind(ticket_hash)
    .bind(MAX_STREAMS)
    .execute(db.pool())
    .await
    .map(|done| done.rows_affected() == 1)
}

/// A stream's end, in one statement: what it moved (`bytes`, from `first_ms` to
/// `last_ms`) added to its test's count, and its place given back. Every stream of every
/// server process adds its own, so the count is the cluster's.
pub async fn stream_ended(
    db: &Db,
    ticket_hash: &str,
    direction: Direction,
    bytes: i64,
    first_ms: i64,
    last_ms: i64,
) -> Result<(), sqlx::Error> {
    let (count, first, last) = match direction {
        Direction::Down => ("bytes_down", "down_first_ms", "down_last_ms"),
        Direction::Up => ("bytes_up", "up_first_ms", "up_last_ms"),
    };
    // A stream that moved nothing leaves the test's first and last moments as they are.
    sqlx::query(&format!(
        "UPDATE speed_tests SET {count} = {count} + $2,
            {first} = CASE WHEN $2 > 0 AND ({first} IS NULL OR {first} > $3) THEN $3 ELSE {first} END,
            {last} = CASE WHEN $2 > 0 AND ({last} IS NULL OR {last} < $4) THEN $4 ELSE {last} END,
            streams_open = CASE WHEN streams_open > 0 THEN streams_open - 1 ELSE 0 END
         WHERE ticket_hash = $1"
    ))
    .bind(ticket_hash)
    .bind(bytes)
    .bind(first_ms)
    .bind(last_ms)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// The server's count of a test, as [`finish`] checks the report against it.
#[derive(sqlx::FromRow)]
struct Counted {
    bytes_down: i64,
    bytes_up: i64,
    down_first_ms: Option<i64>,
    down_last_ms: Option<i64>,
    up_first_ms: Option<i64>,
    up_last_ms: Option<i64>,
}

/// A running test's ticket as the endpoints check it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub account_id: String,
    pub session_hash: String,
    pub expires_at: i64,
}

/// The running, unexpired test of `ticket_hash` started by the session `session_hash`,
/// while that session is alive (not logged out, not ended by a password reset).
pub async fn ticket(
    conn: &mut Conn,
    ticket_hash: &str,
    session_hash: &str,
    now: i64,
) -> Result<Option<TicketRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.account_id, t.session_hash, t.expires_at FROM speed_tests t
         JOIN sessions s ON s.id_hash = t.session_hash
         WHERE t.ticket_hash = $1 AND t.session_hash = $2 AND t.step = $3 AND t.expires_at > $4
           AND s.expires_at > $4",
    )
    .bind(ticket_hash)
    .bind(session_hash)
    .bind(SpeedStep::Running)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// How long [`finish`] waits for the test's streams to end on the server.
pub const STREAMS_WAIT_MS: u64 = 3_000;

/// Waits (at most [`STREAMS_WAIT_MS`]) until the running test `hash` of `account_id`
/// has no stream open. The browser stops its streams as the test ends and reports at
/// once, but a stream's count is written when the server sees it end, a moment later:
/// on a slow upload line no upload completes within the phase, every byte up is in the
/// streams stopped at its end, and the verdict read before them found nothing counted
/// (unverified: the slowest lines could attach no result). A stream that never ends
/// (a connection hung) costs the wait, and the count is judged as it is.
async fn streams_closed(db: &Db, hash: &str, account_id: &str) -> Result<(), sqlx::Error> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(STREAMS_WAIT_MS);
    loop {
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT streams_open FROM speed_tests WHERE ticket_hash = $1 AND account_id = $2 AND step = $3",
        )
        .bind(hash)
        .bind(account_id)
        .bind(SpeedStep::Running)
        .fetch_optional(db.pool())
        .await?;
        if open.unwrap_or(0) <= 0 || std::time::Instant::now() >= deadline {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Stores the figures of the account's running test `ticket` and ends it: its id.
/// The same ticket sent again (a retried request) answers with the same id and changes
/// nothing; a ticket not the account's, expired, or never issued: None. Verified when
/// the server's count agrees, over `min_seconds` at least each way.
pub async fn finish(
    db: &Db,
    account_id: &str,
    ticket: &str,
    m: Measured,
    min_seconds: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let hash = crate::ssr::auth::sha256_hex(ticket);
    streams_closed(db, &hash, account_id).await?;
    // One transaction: the figures and their verdict are written together, by the call
    // that ends the test, or not at all (a retry cannot rewrite the verdict of figures
    // it did not send, and a process dying between the two leaves no result unjudged).
    let mut tx = db.begin().await?;
    // The grace: the upload may end just as the ticket does.
    let ended = flow::advance(SpeedStep::Running, SpeedStep::Done)
        .set("download_kbps", m.download_kbps)
        .set("upload_kbps", m.upload_kbps)
        .set("ping_us", m.ping_us)
        .set("jitter_us", m.jitter_us)
        .set("loaded_us", m.loaded_us)
        .set("finished_at", now)
        .set("finished_ms", crate::ssr::now_ms())
        .by("ticket_hash", hash.clone())
        .and("account_id =", account_id.to_string())
        .and("expires_at >", now - FINISH_GRACE_SECS)
        .once(&mut tx)
        .await?;
    if ended {
        // The report against the server's own count of the bytes it sent and received
        // (no longer counted once the test is done): one the count contradicts is kept,
        // marked unverified (never evidence for an inquiry).
        let c: Counted = sqlx::query_as(
            "SELECT bytes_down, bytes_up, down_first_ms, down_last_ms, up_first_ms, up_last_ms
             FROM speed_tests WHERE ticket_hash = $1",
        )
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        let window = |first: Option<i64>, last: Option<i64>| last.zip(first).map_or(0, |(l, f)| l - f);
        let verified = crate::domain::speedtest::server_count_agrees_over(
            m.download_kbps,
            c.bytes_down,
            window(c.down_first_ms, c.down_last_ms),
            min_seconds,
        ) && crate::domain::speedtest::server_count_agrees_over(
            m.upload_kbps,
            c.bytes_up,
            window(c.up_first_ms, c.up_last_ms),
            min_seconds,
        );
        sqlx::query("UPDATE speed_tests SET verified = $2 WHERE ticket_hash = $1")
            .bind(&hash)
            .bind(i64::from(verified))
            .execute(&mut *tx)
            .await?;
    }
    // Whether this call or an earlier one (a retry) ended it, its id.
    let id = sqlx::query_scalar(
        "SELECT id FROM speed_tests WHERE ticket_hash = $1 AND account_id = $2 AND step = $3",
    )
    .bind(&hash)
    .bind(account_id)
    .bind(SpeedStep::Done)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A finished test as stored (also read joined to the inquiries that attach one).
#[derive(sqlx::FromRow)]
pub struct ResultRow {
    pub id: String,
    pub finished_at: i64,
    pub finished_ms: i64,
    pub download_kbps: i64,
    pub upload_kbps: i64,
    pub ping_us: i64,
    pub jitter_us: i64,
    pub loaded_us: Option<i64>,
    pub plan_name: Option<String>,
    pub plan_mbps: Option<i64>,
    pub verified: Option<i64>,
}

impl From<ResultRow> for SpeedResult {
    fn from(r: ResultRow) -> Self {
        SpeedResult {
            id: r.id,
            finished_at: r.finished_at,
            finished_ms: r.finished_ms,
            measured: Measured {
                download_kbps: r.download_kbps,
                upload_kbps: r.upload_kbps,
                ping_us: r.ping_us,
                jitter_us: r.jitter_us,
                loaded_us: r.loaded_us,
            },
            plan_name: r.plan_name,
            plan_mbps: r.plan_mbps,
            // Results from before the server counted are not judged.
            verified: r.verified != Some(0),
        }
    }
}

const RESULT_COLUMNS: &str = "id, finished_at, finished_ms, download_kbps, upload_kbps, ping_us, jitter_us, \
     loaded_us, plan_name, plan_mbps, verified";

/// The customer's finished tests, newest first, at most `limit`.
pub async fn results(
    conn: &mut Conn,
    customer_no: &str,
    limit: i64,
) -> Result<Vec<SpeedResult>, sqlx::Error> {
    let rows: Vec<ResultRow> = sqlx::query_as(&format!(
        "SELECT {RESULT_COLUMNS} FROM speed_tests WHERE customer_no = $1 AND step = $2
         ORDER BY finished_ms DESC, id LIMIT $3"
    ))
    .bind(customer_no)
    .bind(SpeedStep::Done)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(SpeedResult::from).collect())
}

/// The customer's finished test `id` (None: no such test, or not theirs).
pub async fn result(
    conn: &mut Conn,
    customer_no: &str,
    id: &str,
) -> Result<Option<SpeedResult>, sqlx::Error> {
    let row: Option<ResultRow> = sqlx::query_as(&format!(
        "SELECT {RESULT_COLUMNS} FROM speed_tests WHERE id = $1 AND customer_no = $2 AND step = $3"
    ))
    .bind(id)
    .bind(customer_no)
    .bind(SpeedStep::Done)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(SpeedResult::from))
}
