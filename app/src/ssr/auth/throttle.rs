//! Attempt throttling, one mechanism for every flow that checks a secret (login,
//! contract verification, codes, answers).
//!
//! Two ways of counting (NIST SP 800-63B §5.2.2):
//! - **Consecutive** (per account, per customer, per name+phone): failures in a row,
//!   never forgotten with time, only by a success. After `free_attempts` each further
//!   attempt waits, the wait growing by `step_secs` an attempt up to `max_wait_secs`;
//!   with `lock_after`, that many failures in a row end the budget for good (login
//!   then needs a password reset).
//! - **Per window** (per client address, per day): a rate, not a budget: the count
//!   starts again once the window has passed with no wait in force. Shared subjects (an
//!   office or a carrier NAT shares one address) must not be locked for good.
//!
//! An attempt is *reserved* before the secret is checked, with one atomic upsert that
//! counts it as a failure; a success then forgives it. So 100 parallel wrong attempts
//! are serialised by the database row, and at most `free_attempts` of them get to be
//! evaluated. Works the same on SQLite and PostgreSQL, and across server processes.

use super::sha256_hex;
use crate::ssr::db::Conn;

/// A window so long it never passes: consecutive counting through the same SQL
/// (kept far below i64::MAX so `window_start + window` cannot overflow).
const NEVER: i64 = 1_000_000_000_000;

#[derive(Debug, Clone, Copy)]
pub enum Counting {
    /// Failures in a row until a success; `lock_after` failures end the budget.
    Consecutive { lock_after: Option<i64> },
    /// Failures within a window of this many seconds.
    PerWindow { window_secs: i64 },
}

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The namespace of the key (`login-account`, `login-client`…).
    pub scope: &'static str,
    pub counting: Counting,
    pub free_attempts: i64,
    pub step_secs: i64,
    pub max_wait_secs: i64,
    /// For a budget per client address: the attempts of every IPv6 client of one /48
    /// together (one site, or one attacker's routed /48 of 65,536 /64s), counted too.
    pub network_free: Option<i64>,
}

impl Policy {
    /// A rate: failures within a window of `window_secs` (a client address, a day).
    pub const fn per_window(scope: &'static str, window_secs: i64) -> Self {
        Policy::new(scope, Counting::PerWindow { window_secs })
    }

    /// A budget: failures in a row until a success; `lock_after` of them end it.
    pub const fn in_a_row(scope: &'static str, lock_after: Option<i64>) -> Self {
        Policy::new(scope, Counting::Consecutive { lock_after })
    }

    const fn new(scope: &'static str, counting: Counting) -> Self {
        Policy { scope, counting, free_attempts: 0, step_secs: 0, max_wait_secs: 0, network_free: None }
    }

    /// This many attempts before any wait.
    pub const fn free(self, free_attempts: i64) -> Self {
        Policy { free_attempts, ..self }
    }

    /// Past the free attempts, each waits `step_secs` longer than the one before, at
    /// most `max_wait_secs`.
    pub const fn then_wait(self, step_secs: i64, max_wait_secs: i64) -> Self {
        Policy { step_secs, max_wait_secs, ..self }
    }

    /// A client budget whose IPv6 clients (counted per /64) are also counted per /48:
    /// `free` attempts of the whole /48 in the window.
    pub const fn per_network(self, free: i64) -> Self {
        Policy { network_free: Some(free), ..self }
    }

    /// The budget of a whole /48 (see [`per_network`](Self::per_network)).
    pub const fn network(&self) -> Option<Policy> {
        match self.network_free {
            Some(free) => {
                Some(Policy { scope: self.scope, free_attempts: free, network_free: None, ..*self })
            }
            None => None,
        }
    }

    fn window_secs(&self) -> i64 {
        match self.counting {
            Counting::Consecutive { .. } => NEVER,
            Counting::PerWindow { window_secs } => window_secs,
        }
    }

    /// How long an idle row is kept (see `purge_after` in the migration).
    fn keep_secs(&self) -> i64 {
        match self.counting {
            Counting::Consecutive { .. } => KEEP_CONSECUTIVE_SECS,
            Counting::PerWindow { window_secs } => window_secs + self.max_wait_secs,
        }
    }

    fn lock_after(&self) -> i64 {
        match self.counting {
            Counting::Consecutive { lock_after: Some(n) } => n,
            _ => NEVER,
        }
    }
}

/// A subject's failures in a row are kept this long after its last attempt (then the
/// maintenance task may delete the row): a budget over months, bounded storage.
pub const KEEP_CONSECUTIVE_SECS: i64 = 90 * 86_400;

/// Failures in a row after which login needs a password reset (NIST: at most 100).
pub const LOCK_AFTER: i64 = 100;

/// Login, per account: 5 free, then +30 s each, at most 15 minutes; 100 in a row lock
/// the login until the password is reset.
pub const LOGIN_ACCOUNT: Policy =
    Policy::in_a_row("login-account", Some(LOCK_AFTER)).free(5).then_wait(30, 900);
/// Login, per account and browser it has logged in before (its device cookie): the same
/// budget as [`LOGIN_ACCOUNT`], which such a browser is counted under instead. A
/// stranger's wrong passwords (from browsers the account never used) then hold out
/// only strangers: the owner's own browsers keep their own count.
pub const LOGIN_BROWSER: Policy =
    Policy::in_a_row("login-browser", Some(LOCK_AFTER)).free(5).then_wait(30, 900);

/// Login, per client address: a larger budget (an office or a carrier NAT shares one),
/// and 200 for all the IPv6 clients of a /48 together.
pub const LOGIN_CLIENT: Policy =
    Policy::per_window("login-client", 900).free(50).then_wait(30, 900).per_network(200);

/// The record of refused logins (`login.throttled`), per client address: one a minute.
/// A refusal writes nothing else, and a client past its budget could otherwise write a
/// row with each request it sends.
pub const THROTTLED_RECORD: Policy =
    Policy::per_window("login-throttled-record", 60).free(1).then_wait(60, 60);

/// Mails to an address someone typed (a new contact address, a new iTSCOM ID, STEP 3's
/// ID): 5 an hour per address, whoever asks, so no one can use the provider's domain
/// to flood a stranger's mailbox. Each flow also caps its own asker (per account or
/// customer).
pub const MAILS_TO_ADDRESS: Policy =
    Policy::per_window("mails-to-address", 3600).free(5).then_wait(300, 3600);

/// Changes of an account's settings that mail its contact address a notice, and that a
/// session can repeat at will (a mailbox's virus check, a phone number added or
/// removed, the contact address switched to an own mailbox): 20 an hour per session,
/// then one every 5 minutes. Each mails: unbounded, a session (a stolen one, a script)
/// buried the owner's real notices, and delayed every customer's codes and links
/// behind its mails in the outbox. Per session, not per account: a stolen session that
/// spends its budget holds none of the owner's (she removes the phone it added).
pub const NOTICED_CHANGES: Policy = Policy::per_window("noticed-changes", 3600).free(20).then_wait(300, 3600);

/// One of the session's [`NOTICED_CHANGES`] (`session_hash`), counted; refused
/// (`TooManyAttempts`) past its budget. Committed on its own, before the change.
pub async fn noticed_change(
    conn: &mut Conn,
    session_hash: &str,
    now: i64,
) -> Result<(), crate::error::AppError> {
    match reserve(conn, &NOTICED_CHANGES, session_hash, now).await? {
        Verdict::Go => Ok(()),
        _ => Err(crate::error::AppError::TooManyAttempts),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead and check the secret.
    Go,
    /// Refused without checking; try again after this many seconds.
    Wait { seconds: i64 },
    /// The budget is spent for good (`lock_after` failures in a row): only a reset
    /// through another channel (a password reset) opens it again.
    Locked,
}

impl Verdict {
    pub fn go(self) -> bool {
        self == Verdict::Go
    }
}

fn key(policy: &Policy, subject: &str) -> String {
    sha256_hex(&format!("{}\u{0}{subject}", policy.scope))
}

/// The row `subject` is counted in under `policy`: what a flow keeps to count against
/// it later without keeping the subject itself (a typed ID, say).
pub fn row_of(policy: &Policy, subject: &str) -> String {
    key(policy, subject)
}

/// A login budget: the policy a login's failures count in, and under what subject.
pub struct Budget {
    pub policy: &'static Policy,
    pub subject: String,
}

impl Budget {
    /// The typed ID's ([`LOGIN_ACCOUNT`]), by its key (`ItscomId::key_of_raw`).
    pub fn of_id(id_key: &str) -> Self {
        Budget { policy: &LOGIN_ACCOUNT, subject: id_key.to_string() }
    }

    /// Whether it is the typed ID's (a browser the account does not know), not one of
    /// the account's own browsers.
    pub fn is_the_ids(&self) -> bool {
        self.policy.scope == LOGIN_ACCOUNT.scope
    }

    /// Its throttle row ([`row_of`]).
    pub fn row(&self) -> String {
        row_of(self.policy, &self.subject)
    }
}

/// The /48 of an IPv6 client as [`client_key`](super::client_key) names it
/// (`2001:db8:7:8::/64`): `2001:db8:7::/48`. None for any other subject.
pub fn network_of(subject: &str) -> Option<String> {
    let v6: std::net::Ipv6Addr = subject.strip_suffix("/64")?.parse().ok()?;
    let s = v6.segments();
    Some(format!("{}/48", std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0)))
}

/// Reserve one attempt for `subject` at time `now` (for an IPv6 client under a policy
/// counted per network, its /48's first: a /48 past its budget costs its /64 nothing).
pub async fn reserve(
    conn: &mut Conn,
    policy: &Policy,
    subject: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    if let (Some(network), Some(net)) = (policy.network(), network_of(subject)) {
        let verdict = reserve_row(conn, &network, &key(&network, &net), now).await?;
        if verdict != Verdict::Go {
            return Ok(verdict);
        }
    }
    reserve_row(conn, policy, &key(policy, subject), now).await
}

/// [`reserve`] in the row [`row_of`] named.
pub async fn reserve_row(
    conn: &mut Conn,
    policy: &Policy,
    key: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    // `n` is the failure count after this attempt; when it reaches the free budget the
    // block starts: (n - free + 1) steps, capped.
    let n = "CASE WHEN throttle.window_start + $3 <= $2 THEN 1 ELSE throttle.failures + 1 END";
    let sql = format!(
        "INSERT INTO throttle (key, failures, window_start, blocked_until, purge_after)
         VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE 0 END, CASE WHEN 1 >= $7 THEN $9 ELSE $2 + $8 END)
         ON CONFLICT (key) DO UPDATE SET
            failures = {n},
            purge_after = CASE WHEN {n} >= $7 THEN $9 ELSE $2 + $8 END,
            window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2 ELSE throttle.window_start END,
            blocked_until = CASE
                WHEN {n} < $4 THEN 0
                WHEN ({n} - $4 + 1) * $5 > $6 THEN $2 + $6
                ELSE $2 + ({n} - $4 + 1) * $5 END
         WHERE throttle.blocked_until <= $2 AND throttle.failures < $7
         RETURNING failures"
    );
    // A refused reservation reads why in a second statement; a reset landing between
    // the two (the right secret in another process) leaves no row, and the attempt is
    // made again on the fresh row.
    for _ in 0..3 {
        let reserved: Option<i64> = sqlx::query_scalar(&sql)
            .bind(key)
            .bind(now)
            .bind(policy.window_secs())
            .bind(policy.free_attempts)
            .bind(policy.step_secs)
            .bind(policy.max_wait_secs)
            .bind(policy.lock_after())
            .bind(policy.keep_secs())
            // A lock is kept until it is opened (a password reset, an operator): never purged.
            .bind(NEVER)
            .fetch_optional(&mut *conn)
            .await?;
        if reserved.is_some() {
            return Ok(Verdict::Go);
        }
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, blocked_until FROM throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?;
        match row {
            Some((failures, _)) if failures >= policy.lock_after() => return Ok(Verdict::Locked),
            Some((_, blocked_until)) => return Ok(Verdict::Wait { seconds: (blocked_until - now).max(1) }),
            None => continue,
        }
    }
    // Reset three times over in the meantime: the busy answer, to be tried again.
    Ok(Verdict::Wait { seconds: 1 })
}

/// The subject's failures counted now (0 when none).
pub async fn failures(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<i64, sqlx::Error> {
    let row: Option<i64> = sqlx::query_scalar("SELECT failures FROM throttle WHERE key = $1")
        .bind(key(policy, subject))
        .fetch_optional(conn)
        .await?;
    Ok(row.unwrap_or(0))
}

/// Whether someone should be told now that `subject` has at least `threshold`
/// failures: true at most once a day per subject (claimed atomically, so two server
/// processes do not both send the notice).
pub async fn notice_due(
    conn: &mut Conn,
    policy: &Policy,
    subject: &str,
    threshold: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    notice_due_row(conn, &key(policy, subject), threshold, now).await
}

/// [`notice_due`] for the row [`row_of`] named.
pub async fn notice_due_row(
    conn: &mut Conn,
    key: &str,
    threshold: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE throttle SET noticed_at = $2
         WHERE key = $1 AND failures >= $3 AND (noticed_at IS NULL OR noticed_at + 86400 <= $2)",
    )
    .bind(key)
    .bind(now)
    .bind(threshold)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The secret was right: forget the subject's failures.
/// `policy`'s count for subject `from` goes on as `to`'s (a session under a new token
/// keeps what it has spent: a new token is no fresh budget).
pub async fn carry(conn: &mut Conn, policy: &Policy, from: &str, to: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE throttle SET key = $2 WHERE key = $1")
        .bind(key(policy, from))
        .bind(key(policy, to))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn reset(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key(policy, subject)).execute(conn).await?;
    Ok(())
}

/// The owner proved the account (a login, a password reset), which forgives failures
/// in a row, but is no proof that someone else's guesses stopped: a subject locked
/// for good (`lock_after` failures in a row) stays locked, for an operator to open.
pub async fn reset_unless_locked(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1 AND failures < $2")
        .bind(key(policy, subject))
        .bind(policy.lock_after())
        .execute(conn)
        .await?;
    Ok(())
}

/// The subject of a row changes (an account's ID): the account's own count goes with it,
/// and what was counted against the new subject before it was the account's (strangers'
/// guesses at an ID that was nobody's) goes.
pub async fn move_subject(conn: &mut Conn, policy: &Policy, from: &str, to: &str) -> Result<(), sqlx::Error> {
    let to = key(policy, to);
    sqlx::query("DELETE FROM throttle WHERE key = $1").bind(&to).execute(&mut *conn).await?;
    sqlx::query("UPDATE throttle SET key = $1 WHERE key = $2")
        .bind(&to)
        .bind(key(policy, from))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The secret was right: take back this one attempt only (the failures before it stay
/// counted), lifting the block it set. Its reservation went through, so no block was in
/// force before it; and one it set would otherwise outlive it: past the free attempts
/// every right password would leave a wait behind for the next change.
pub async fn forgive(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<(), sqlx::Error> {
    let network = policy.network().zip(network_of(subject)).map(|(p, net)| key(&p, &net));
    for row in std::iter::once(key(policy, subject)).chain(network) {
        sqlx::query(
            "UPDATE throttle SET failures = failures - 1, blocked_until = 0 WHERE key = $1 AND failures > 0",
        )
        .bind(row)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_also_counted_by_its_48() {
        assert_eq!(network_of("2001:db8:7:8::/64").as_deref(), Some("2001:db8:7::/48"));
        assert_eq!(network_of("2001:db8:7:ffff::/64").as_deref(), Some("2001:db8:7::/48"));
        assert_eq!(network_of("203.0.113.8"), None);
        assert_eq!(network_of("unknown"), None);
        let network = LOGIN_CLIENT.network().expect("login counts networks");
        assert_eq!((network.free_attempts, network.network_free), (200, None));
        assert!(LOGIN_ACCOUNT.network().is_none());
    }
}
