//! The server's one background task (besides the mail worker): every minute it runs
//! the features' scheduled jobs (held re-registrations put into effect, card results
//! received and left unsettled settled, known browsers stamped) and deletes
//! what has expired: sessions, what each flow's table lets go of (the features'
//! `FLOWS`, handed over in `AppState::registry`), idle throttle rows, browsers an
//! account has not seen since their device cookie expired, month-old
//! security events a flood could write at will, other events after 400 days (but the
//! two kinds the contract history lists), and mails sent or given up a month ago.
//! Every server process runs the loop, and one of them does a given tick: the one that
//! takes the lease `maintenance` for the period (a process killed mid-tick holds it no
//! longer). Each step is a guarded statement anyway, so a tick done twice changes
//! nothing more.

use crate::ssr::{now, AppState};
use std::time::Duration;

pub const PERIOD: Duration = Duration::from_secs(60);

/// Finished or cancelled flows are kept this long (what happened is in
/// `account_events`; this only helps someone looking at a case that same day).
pub const KEEP_FINISHED_SECS: i64 = 86_400;

/// Security events that a flood can write at will (failed logins of unknown IDs,
/// throttled attempts, failed contract checks: a stranger's guesses, with the
/// guesser's address) are kept this long.
pub const KEEP_NOISE_SECS: i64 = 30 * 86_400;

/// An account's other events are kept this long (セキュリティ履歴 shows 12 months; a
/// month over for a case being looked at), then go with their client addresses:
/// all but [`KEPT_FOR_GOOD`].
pub const KEEP_EVENTS_SECS: i64 = 400 * 86_400;

/// How long a browser's device cookie lives from its last login (the login's), and so
/// how long an account knows a browser it has not seen.
pub const KNOWN_BROWSER_SECS: i64 = 400 * 86_400;

/// The kinds of event kept for good: ご契約内容の変更履歴 lists them. The tick's delete
/// (and its index, migration 29) names them so.
pub const KEPT_FOR_GOOD: [crate::ssr::events::Event; 2] =
    [crate::ssr::events::Event::IdChanged, crate::ssr::events::Event::PaymentMethodChanged];

/// Sent (or given up) mails stay in the outbox this long (an operator asked "was it sent?" can look),
/// then go: the queue does not grow with every mail ever sent.
pub const KEEP_SENT_MAIL_SECS: i64 = 30 * 86_400;

/// A feature's scheduled work: run once a tick, it returns how many things it put
/// into effect.
pub struct Job {
    pub name: &'static str,
    pub run: for<'a> fn(&'a AppState, i64) -> JobFuture<'a>,
}

pub type JobFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, crate::error::AppError>> + Send + 'a>>;

/// What the features hand this layer (through `AppState`): their flows' tables and their
/// scheduled jobs. The layer names no feature.
pub struct Registry {
    pub flows: &'static [&'static crate::ssr::flow::FlowTable],
    pub jobs: &'static [Job],
    /// The login page, where a request without a session is sent.
    pub login: &'static str,
    /// A wrong password given again at a change (`ssr::auth::password_first_of_two`):
    /// recorded and counted toward the login's lock, as a wrong password at login is
    /// (account, the login budget's throttle row, client address, time).
    pub failed_password:
        for<'a> fn(&'a mut crate::ssr::db::Conn, &'a AppState, &'a str, &'a str, &'a str, i64) -> Hook<'a>,
    /// The login budget a signed-in session's password asked again counts in (account
    /// id, iTSCOM ID): its browser's, as at login.
    pub session_budget: for<'a> fn(&'a mut crate::ssr::db::Conn, &'a str, &'a str) -> BudgetHook<'a>,
}

pub type BudgetHook<'a> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<crate::ssr::auth::throttle::Budget, sqlx::Error>> + Send + 'a,
    >,
>;

pub type Hook<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), crate::error::AppError>> + Send + 'a>>;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// What each of the features' jobs put into effect, by the job's name (those that
    /// did anything).
    pub applied: Vec<(&'static str, usize)>,
    pub rows_deleted: u64,
    /// What failed this run (a job's name, or the table a delete was for), each logged
    /// as an error; the rest of the run went on.
    pub failed: Vec<&'static str>,
}

impl Report {
    /// How many things the job `name` put into effect.
    pub fn applied(&self, name: &str) -> usize {
        self.applied.iter().filter(|(job, _)| *job == name).map(|(_, n)| n).sum()
    }
}

/// One run at time `now` (tests pass a time in the future). Each job, each flow's
/// deletes and each other delete goes on its own: one that fails (a lock timeout, a
/// table it cannot reach) is logged and named in the report, and the others still run.
pub async fn tick(state: &AppState, now: i64) -> Report {
    let mut report = Report::default();
    let failed = |name: &'static str, error: &dyn std::fmt::Display| {
        tracing::error!(step = name, error = %error, "maintenance: a step failed; the others go on");
        name
    };
    for job in state.registry.jobs {
        match (job.run)(state, now).await {
            Ok(0) => {}
            Ok(n) => report.applied.push((job.name, n)),
            Err(e) => report.failed.push(failed(job.name, &e)),
        }
    }
    for flow in state.registry.flows {
        match crate::ssr::flow::purge(&state.db, flow, now).await {
            Ok(n) => report.rows_deleted += n,
            Err(e) => report.failed.push(failed(flow.table, &e)),
        }
    }
    let started = std::time::Instant::now();
    'deletions: for deletion in deletions(now, state.settings.session.idle_secs) {
        let sql = deletion.sql();
        loop {
            let mut q = sqlx::query(&sql);
            for b in &deletion.binds {
                q = q.bind(*b);
            }
            let deleted = match q.execute(state.db.pool()).await {
                Ok(done) => done.rows_affected(),
                Err(e) => {
                    report.failed.push(failed(deletion.table, &e));
                    continue 'deletions;
                }
            };
            report.rows_deleted += deleted;
            if deleted < BATCH as u64 {
                break;
            }
            // A backlog (the first tick after a long stop, a year of sent mail when
            // this retention began) goes over the next ticks, within the lease.
            if started.elapsed() > TICK_BUDGET {
                tracing::info!(table = deletion.table, "maintenance: more to delete; the next tick goes on");
                break 'deletions;
            }
        }
    }
    report
}

/// At most this many rows a statement: each delete is a short transaction, and on SQLite
/// the customers' writes never wait long for the lock between two.
pub const BATCH: i64 = 2_000;

/// A tick stops starting statements after this long, well inside its 55 s lease.
pub const TICK_BUDGET: Duration = Duration::from_secs(30);

/// One of a tick's deletes: the rows of `table` (primary key `key`) that match `when`,
/// with `binds` for its `$1`, `$2`.
pub struct Deletion {
    pub table: &'static str,
    pub key: &'static str,
    pub when: &'static str,
    pub binds: Vec<i64>,
}

impl Deletion {
    /// At most [`BATCH`] rows, found along the index of `when`'s column (`key` may name
    /// the columns of a key of two: `a, b`).
    pub fn sql(&self) -> String {
        let Deletion { table, key, when, .. } = self;
        format!("DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {when} LIMIT {BATCH})")
    }
}

/// The deletes of a tick at `now` besides the flows'. Each is served by an index on the
/// column it compares (a test reads their plans), so a tick costs what it deletes, not
/// the size of the tables.
pub fn deletions(now: i64, session_idle_secs: i64) -> Vec<Deletion> {
    let idle_before = now - session_idle_secs;
    let finished_before = now - KEEP_FINISHED_SECS;
    let events_before = now - KEEP_NOISE_SECS;
    let expired_before = now - KEEP_EVENTS_SECS;
    let sent_before = now - KEEP_SENT_MAIL_SECS;
    let browsers_before = now - KNOWN_BROWSER_SECS;
    let delete = |table, key, when, binds| Deletion { table, key, when, binds };
    vec![
        delete("sessions", "id_hash", "expires_at <= $1 OR last_seen_at <= $2", vec![now, idle_before]),
        delete("login_challenges", "id_hash", "expires_at <= $1", vec![now]),
        delete("webauthn_ceremonies", "id_hash", "expires_at <= $1", vec![now]),
        // A lock (100 failures in a row) is never due: reserve() sets it so, and it stays
        // until it is opened, whatever its age.
        delete("throttle", "key", "purge_after <= $1 AND blocked_until <= $1", vec![now]),
        // Events of no account and no customer (failed logins of unknown IDs), throttled
        // attempts and failed contract checks: three deletes, each along its own index.
        delete(
            "account_events",
            "id",
            "account_id IS NULL AND customer_no IS NULL AND created_at <= $1",
            vec![events_before],
        ),
        delete("account_events", "id", "kind = 'login.throttled' AND created_at <= $1", vec![events_before]),
        delete(
            "account_events",
            "id",
            "kind = 'registration.verification_failed' AND created_at <= $1",
            vec![events_before],
        ),
        // The rest after 400 days, but for the kinds kept for good (KEPT_FOR_GOOD).
        delete(
            "account_events",
            "id",
            "kind NOT IN ('account.id_changed', 'billing.payment_method_changed') AND created_at <= $1",
            vec![expired_before],
        ),
        // The stand-in rows of requests for unknown IDs (born delivered, never sent).
        delete("outbox", "id", "topic = 'decoy' AND created_at <= $1", vec![finished_before]),
        // Mails sent, or given up, a month ago: the outbox is a queue, not an archive.
        delete("outbox", "id", "kind = 'mail' AND sent_at <= $1", vec![sent_before]),
        delete("outbox", "id", "kind = 'mail' AND failed_at <= $1", vec![sent_before]),
        // Events their system took (`server events --taken`) a month ago; one not taken
        // yet stays, whatever its age.
        delete("outbox", "id", "kind = 'event' AND sent_at <= $1", vec![sent_before]),
        // Speed tests that never reported (abandoned, or replaced by the next start) a
        // day after their ticket ended: no figures, only the session that started them.
        // A finished one is the customer's history, and stays.
        delete("speed_tests", "id", "step <> 'done' AND expires_at <= $1", vec![finished_before]),
        // A browser unseen since its device cookie expired is no longer one its account
        // knows (its next login, were the cookie back, is a new browser's); one not
        // stamped yet (0, migration 34) never goes.
        delete(
            "known_devices",
            "account_id, device_hash",
            "last_seen_at > 0 AND last_seen_at <= $1",
            vec![browsers_before],
        ),
    ]
}

/// The lease a tick is done under.
pub const LEASE: &str = "maintenance";

/// [`tick`] at `now` if this process (`holder`) takes the lease for the period: None
/// when another process has it.
pub async fn tick_once_per_cluster(
    state: &AppState,
    holder: &str,
    now: i64,
) -> Result<Option<Report>, crate::error::AppError> {
    // A little under the period: the next tick, wherever it runs, finds it free.
    let until = now + PERIOD.as_secs() as i64 - 5;
    if !crate::ssr::db::take_lease(&state.db, LEASE, holder, now, until).await? {
        return Ok(None);
    }
    Ok(Some(tick(state, now).await))
}

/// Run [`tick_once_per_cluster`] every [`PERIOD`] until `stop` turns true.
pub async fn run(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let holder = crate::ssr::auth::random_token();
    loop {
        match tick_once_per_cluster(&state, &holder, now()).await {
            Ok(None) => {}
            Ok(Some(r)) if r != Report::default() => {
                tracing::info!(applied = ?r.applied, deleted = r.rows_deleted, failed = ?r.failed, "maintenance")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "maintenance run failed; next in a minute"),
        }
        tokio::select! {
            _ = tokio::time::sleep(PERIOD) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds kept for good are named alike by the tick's delete and by the partial
    /// index it walks (SQLite uses that index only for the same words).
    #[test]
    fn the_events_delete_and_its_index_name_the_kinds_kept_for_good() {
        let mut names: Vec<&str> = KEPT_FOR_GOOD.iter().map(|e| e.name()).collect();
        names.sort_unstable();
        let words = format!("kind NOT IN ('{}')", names.join("', '"));
        let delete = deletions(0, 1_800)
            .into_iter()
            .find(|d| d.table == "account_events" && d.binds == [-KEEP_EVENTS_SECS])
            .expect("the 400-day delete");
        assert_eq!(delete.when, format!("{words} AND created_at <= $1"));
        let migration = include_str!("../../../migrations/20261219000029_events_retention.sql");
        assert!(migration.contains(&format!("WHERE {words};")), "{migration}");
    }
}
