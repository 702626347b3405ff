//! Attempt throttling, one mechanism for every flow that checks a secret (login,
//! contract verification, codes, answers).
//!
//! Each subject (an account, a client address…) gets `free_attempts` in a window;
//! after that each further attempt waits, the wait growing by `step_secs` an attempt
//! up to `max_wait_secs`. Never a permanent lock: once the window has passed with no
//! block in force, the count starts again.
//!
//! An attempt is *reserved* before the secret is checked, with one atomic upsert that
//! counts it as a failure; a success then forgives it. So 100 parallel wrong attempts
//! are serialised by the database row, and at most `free_attempts` of them get to be
//! evaluated. Works the same on SQLite and PostgreSQL, and across server processes.

use super::sha256_hex;
use crate::ssr::db::Conn;

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The namespace of the key (`login-account`, `login-client`…).
    pub scope: &'static str,
    pub free_attempts: i64,
    pub window_secs: i64,
    pub step_secs: i64,
    pub max_wait_secs: i64,
}

/// Login, per account: 5 attempts in 15 minutes, then +30 s each, at most 15 minutes.
pub const LOGIN_ACCOUNT: Policy =
    Policy { scope: "login-account", free_attempts: 5, window_secs: 900, step_secs: 30, max_wait_secs: 900 };
/// Login, per client address: a larger budget (an office or a carrier NAT shares one).
pub const LOGIN_CLIENT: Policy =
    Policy { scope: "login-client", free_attempts: 50, window_secs: 900, step_secs: 30, max_wait_secs: 900 };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead and check the secret.
    Go,
    /// Refused without checking; try again after this many seconds.
    Wait { seconds: i64 },
}

fn key(policy: &Policy, subject: &str) -> String {
    sha256_hex(&format!("{}\u{0}{subject}", policy.scope))
}

/// Reserve one attempt for `subject` at time `now`.
pub async fn reserve(
    conn: &mut Conn,
    policy: &Policy,
    subject: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let key = key(policy, subject);
    // `n` is the failure count after this attempt; when it reaches the free budget the
    // block starts: (n - free + 1) steps, capped.
    let n = "CASE WHEN throttle.window_start + $3 <= $2 THEN 1 ELSE throttle.failures + 1 END";
    let sql = format!(
        "INSERT INTO throttle (key, failures, window_start, blocked_until)
         VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE 0 END)
         ON CONFLICT (key) DO UPDATE SET
            failures = {n},
            window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2 ELSE throttle.window_start END,
            blocked_until = CASE
                WHEN {n} < $4 THEN 0
                WHEN ({n} - $4 + 1) * $5 > $6 THEN $2 + $6
                ELSE $2 + ({n} - $4 + 1) * $5 END
         WHERE throttle.blocked_until <= $2
         RETURNING failures"
    );
    let reserved: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(&key)
        .bind(now)
        .bind(policy.window_secs)
        .bind(policy.free_attempts)
        .bind(policy.step_secs)
        .bind(policy.max_wait_secs)
        .fetch_optional(&mut *conn)
        .await?;
    if reserved.is_some() {
        return Ok(Verdict::Go);
    }
    let (blocked_until,): (i64,) = sqlx::query_as("SELECT blocked_until FROM throttle WHERE key = $1")
        .bind(&key)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Verdict::Wait { seconds: (blocked_until - now).max(1) })
}

/// The secret was right: forget the subject's failures.
pub async fn reset(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key(policy, subject)).execute(conn).await?;
    Ok(())
}

/// The secret was right for a shared subject (a client address): take back this one
/// attempt only, lifting a block it caused.
pub async fn forgive(conn: &mut Conn, policy: &Policy, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE throttle SET failures = failures - 1,
            blocked_until = CASE WHEN failures - 1 < $2 THEN 0 ELSE blocked_until END
         WHERE key = $1 AND failures > 0",
    )
    .bind(key(policy, subject))
    .bind(policy.free_attempts)
    .execute(conn)
    .await?;
    Ok(())
}
