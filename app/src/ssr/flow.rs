//! The flow machine (after zero2prod's `idempotency/`): a flow's row moves from step to
//! step only by one guarded `UPDATE … SET step = <to> … WHERE <key> = … AND step IN
//! (<from>)`. Whoever updates first wins: a double submit, a replayed link or a second
//! tab finds the row no longer at `<from>` and is refused ([`Guarded::once`] is false).
//! Single-use links are claimed the same way, clearing their hash in the same
//! statement ([`Update::claim`]).
//!
//! ```ignore
//! let moved = flow::advance(MailboxStep::Subdomain, MailboxStep::Terms)
//!     .set("subdomain", chosen)
//!     .by("id", &draft.id)
//!     .once(&mut conn)
//!     .await?;
//! ```
//! Column names are `&'static str` written in the code, never input; every value is a
//! bound parameter.

use crate::flow::Step;
use crate::ssr::db::Conn;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

/// A step change being written: the `SET` part.
#[must_use = "a step change does nothing until it is keyed with `by` or `claim` and run"]
pub struct Update<'q, S: Step> {
    sql: String,
    args: AnyArguments<'q>,
    from: Vec<S>,
}

/// A step change keyed to its row: the `WHERE` part, ready to run.
#[must_use = "a step change does nothing until it is run"]
pub struct Guarded<'q> {
    sql: String,
    args: AnyArguments<'q>,
}

/// `from` → `to`.
pub fn advance<'q, S: Step>(from: S, to: S) -> Update<'q, S> {
    advance_from(&[from], to)
}

/// Any of `from` → `to` (a cancel, which ends a flow at whichever step it was).
pub fn advance_from<'q, S: Step>(from: &[S], to: S) -> Update<'q, S> {
    let mut update = Update {
        sql: format!("UPDATE {} SET step = ", S::TABLE),
        args: AnyArguments::default(),
        from: from.to_vec(),
    };
    update.push_bind(to.as_str());
    update
}

/// Stays at `at`, but takes the row's write lock first, inside a transaction: what
/// follows runs only while the flow is at `at`, and any concurrent step change waits for
/// this transaction (SQLite: a transaction that writes first cannot be overtaken).
pub fn hold<'q, S: Step>(at: S) -> Update<'q, S> {
    Update {
        sql: format!("UPDATE {} SET step = step", S::TABLE),
        args: AnyArguments::default(),
        from: vec![at],
    }
}

fn bind<'q>(sql: &mut String, args: &mut AnyArguments<'q>, value: impl 'q + Encode<'q, Any> + Type<Any>) {
    // Binding our own column types to `Any` cannot fail (no value is out of range).
    args.add(value).expect("bind a flow column");
    sql.push('$');
    sql.push_str(&args.len().to_string());
}

impl<'q, S: Step> Update<'q, S> {
    fn push_bind(&mut self, value: impl 'q + Encode<'q, Any> + Type<Any>) {
        bind(&mut self.sql, &mut self.args, value);
    }

    /// Also `column = value`.
    pub fn set(mut self, column: &'static str, value: impl 'q + Encode<'q, Any> + Type<Any>) -> Self {
        self.sql.push_str(", ");
        self.sql.push_str(column);
        self.sql.push_str(" = ");
        self.push_bind(value);
        self
    }

    /// Also `column = NULL` (a secret the flow no longer needs).
    pub fn clear(mut self, column: &'static str) -> Self {
        self.sql.push_str(", ");
        self.sql.push_str(column);
        self.sql.push_str(" = NULL");
        self
    }

    /// The row whose `key` column is `value`, while it is at one of the `from` steps.
    pub fn by(mut self, key: &'static str, value: impl 'q + Encode<'q, Any> + Type<Any>) -> Guarded<'q> {
        self.sql.push_str(" WHERE ");
        self.sql.push_str(key);
        self.sql.push_str(" = ");
        self.push_bind(value);
        self.sql.push_str(" AND step IN (");
        for (i, step) in std::mem::take(&mut self.from).into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(step.as_str());
        }
        self.sql.push(')');
        Guarded { sql: self.sql, args: self.args }
    }

    /// Claims a single-use link: the row whose `link` hash column is `hash`, at a `from`
    /// step; the hash is cleared in the same statement, so the link works once.
    pub fn claim(self, link: &'static str, hash: impl 'q + Encode<'q, Any> + Type<Any>) -> Guarded<'q> {
        self.clear(link).by(link, hash)
    }
}

impl<'q> Guarded<'q> {
    /// Also `<condition> <value>`, e.g. `.and("expires_at >", now)`.
    pub fn and(mut self, condition: &'static str, value: impl 'q + Encode<'q, Any> + Type<Any>) -> Self {
        self.sql.push_str(" AND ");
        self.sql.push_str(condition);
        self.sql.push(' ');
        bind(&mut self.sql, &mut self.args, value);
        self
    }

    /// Runs it; how many rows moved.
    pub async fn rows(self, conn: &mut Conn) -> Result<u64, sqlx::Error> {
        let sql = self.sql;
        Ok(sqlx::query_with(&sql, self.args).execute(conn).await?.rows_affected())
    }

    /// Runs it; whether this call moved the one row (false: another request did first,
    /// or the flow is elsewhere).
    pub async fn once(self, conn: &mut Conn) -> Result<bool, sqlx::Error> {
        Ok(self.rows(conn).await? == 1)
    }

    #[cfg(test)]
    fn sql(&self) -> &str {
        &self.sql
    }
}

/// The step of this browser's flow (registration, recovery): the row of the flow's
/// table keyed by the SHA-256 of cookie `cookie`, while it has not expired.
pub async fn browser_step<S: Step>(cookie: &str) -> Result<Option<S>, crate::error::AppError> {
    let Some(token) = crate::ssr::auth::request_cookie(cookie) else { return Ok(None) };
    let state = crate::ssr::state()?;
    let row: Option<String> =
        sqlx::query_scalar(&format!("SELECT step FROM {} WHERE id_hash = $1 AND expires_at > $2", S::TABLE))
            .bind(crate::ssr::auth::sha256_hex(&token))
            .bind(crate::ssr::now())
            .fetch_optional(state.db.pool())
            .await?;
    Ok(row.and_then(|s| S::parse(&s)))
}

/// `step IN ('a', 'b')` for a query that filters on several steps of a flow (the
/// strings are the enum's, never input).
pub fn step_in<S: Step>(steps: &[S]) -> String {
    let list: Vec<String> = steps.iter().map(|s| format!("'{}'", s.as_str())).collect();
    format!("step IN ({})", list.join(", "))
}

/// A flow's table as the layers below the features see it (each feature declares its
/// own with [`flow_steps!`](crate::flow_steps)'s `flow { … }`, and `features::FLOWS`
/// lists them all): what ends its pending rows when an account changes hands, and when
/// its rows may be deleted. Nothing here names a feature.
#[derive(Debug)]
pub struct FlowTable {
    pub table: &'static str,
    /// How a security change of an account ends its rows still under way (None: they
    /// end with the session they are bound to).
    pub ends: Option<Ends>,
    /// When the maintenance task deletes its rows.
    pub purge: &'static [Purge],
}

/// Pending rows ended: `pending` steps move to `to`, their secret columns cleared.
#[derive(Debug)]
pub struct Ends {
    pub pending: &'static [&'static str],
    pub to: &'static str,
    /// Whose rows: the account's (`account_id`), or its customer's (`customer_no`: a
    /// registration is the customer's before there is an account).
    pub key: Key,
    pub clearing: &'static [&'static str],
    /// Also `expires_at = now` (the row stops counting as live at once).
    pub expire_now: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Account,
    Customer,
}

/// Rows whose time `column` lies `keep_secs` or more in the past, at any step (`steps`
/// empty) or only at these.
#[derive(Debug)]
pub struct Purge {
    pub column: &'static str,
    pub steps: &'static [&'static str],
    pub keep_secs: i64,
}

impl Purge {
    /// Rows past their `expires_at`.
    pub const EXPIRED: Purge = Purge { column: "expires_at", steps: &[], keep_secs: 0 };
}

/// Ends every pending row of `flows` for the account `account_id` of customer
/// `customer_no`, in `conn` (the caller's transaction).
pub async fn end_pending(
    conn: &mut Conn,
    flows: &[&FlowTable],
    account_id: &str,
    customer_no: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    for flow in flows {
        let Some(ends) = &flow.ends else { continue };
        let of = if ends.key == Key::Account { account_id } else { customer_no };
        end_rows(conn, flow.table, ends, of, None, now).await?;
    }
    Ok(())
}

/// Whose rows [`end_pending_of_sessions`] ends, by the session that started them.
#[derive(Debug, Clone, Copy)]
pub enum Sessions<'a> {
    /// Every session's but this one (its `session_hash`): 他の端末をすべてログアウト.
    AllBut(&'a str),
    /// This one's: a session ended from another.
    Only(&'a str),
}

/// Ends the pending rows of `flows` that sessions of account `account_id` started, as
/// `sessions` says, in `conn` (the caller's transaction): the flows whose table is one
/// of `session_bound` (a `session_hash` column) and whose rows complete without their
/// session (by a mailed link): what someone started on a session signed out does not
/// complete after it. A row of no session (written by a release before the column)
/// ends with any session signed out.
pub async fn end_pending_of_sessions(
    conn: &mut Conn,
    flows: &[&FlowTable],
    session_bound: &[&str],
    account_id: &str,
    sessions: Sessions<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    for flow in flows {
        let Some(ends) = &flow.ends else { continue };
        if ends.key == Key::Account && session_bound.contains(&flow.table) {
            end_rows(conn, flow.table, ends, account_id, Some(sessions), now).await?;
        }
    }
    Ok(())
}

/// One flow's pending rows of `of` (an account or a customer, as `ends` keys them)
/// ended, those of `sessions` only when given.
async fn end_rows(
    conn: &mut Conn,
    table: &str,
    ends: &Ends,
    of: &str,
    sessions: Option<Sessions<'_>>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut sql = format!("UPDATE {table} SET step = $1");
    for column in ends.clearing {
        sql.push_str(&format!(", {column} = NULL"));
    }
    if ends.expire_now {
        sql.push_str(", expires_at = $3");
    }
    let key = match ends.key {
        Key::Account => "account_id",
        Key::Customer => "customer_no",
    };
    let pending: Vec<String> = ends.pending.iter().map(|s| format!("'{s}'")).collect();
    sql.push_str(&format!(" WHERE {key} = $2 AND step IN ({})", pending.join(", ")));
    let n = if ends.expire_now { 4 } else { 3 };
    let session = match sessions {
        None => None,
        Some(Sessions::AllBut(hash)) => {
            sql.push_str(&format!(" AND (session_hash IS NULL OR session_hash <> ${n})"));
            Some(hash)
        }
        Some(Sessions::Only(hash)) => {
            // A row of no session may be this one's too (written by the release before).
            sql.push_str(&format!(" AND (session_hash = ${n} OR session_hash IS NULL)"));
            Some(hash)
        }
    };
    let mut q = sqlx::query(&sql).bind(ends.to).bind(of);
    if ends.expire_now {
        q = q.bind(now);
    }
    if let Some(hash) = session {
        q = q.bind(hash);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Deletes what `flow` lets go of at `now`: how many rows.
pub async fn purge(db: &crate::ssr::db::Db, flow: &FlowTable, now: i64) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    for rule in flow.purge {
        let mut sql = format!("DELETE FROM {} WHERE {} <= $1", flow.table, rule.column);
        if !rule.steps.is_empty() {
            let steps: Vec<String> = rule.steps.iter().map(|s| format!("'{s}'")).collect();
            sql.push_str(&format!(" AND step IN ({})", steps.join(", ")));
        }
        deleted += sqlx::query(&sql).bind(now - rule.keep_secs).execute(db.pool()).await?.rows_affected();
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::flow_steps! {
        /// A wizard of the tests' own.
        pub enum MailboxStep in "mailbox_drafts" { Subdomain, Terms, Confirm, Done, Cancelled }
    }

    #[test]
    fn a_step_change_is_one_guarded_update_with_every_value_bound() {
        let q = advance(MailboxStep::Subdomain, MailboxStep::Terms).set("subdomain", "k07").by("id", "d1");
        assert_eq!(
            q.sql(),
            "UPDATE mailbox_drafts SET step = $1, subdomain = $2 WHERE id = $3 AND step IN ($4)"
        );
        let q = advance_from(&[MailboxStep::Terms, MailboxStep::Confirm], MailboxStep::Cancelled)
            .claim("link_hash", "h")
            .and("expires_at >", 5_i64);
        assert_eq!(
            q.sql(),
            "UPDATE mailbox_drafts SET step = $1, link_hash = NULL WHERE link_hash = $2 AND step IN ($3, $4) AND expires_at > $5"
        );
        let q = hold(MailboxStep::Confirm).by("id", "d1");
        assert_eq!(q.sql(), "UPDATE mailbox_drafts SET step = step WHERE id = $1 AND step IN ($2)");
        assert_eq!(step_in(&[MailboxStep::Done, MailboxStep::Cancelled]), "step IN ('done', 'cancelled')");
    }
}
