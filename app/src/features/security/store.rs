//! The security centre's queries: the authenticator app's factor, recovery codes,
//! logins waiting for their second step, the notice setting and the activity.

use crate::ssr::db::Conn;

/// The account's authenticator app (its secret still sealed).
#[derive(sqlx::FromRow)]
pub struct Factor {
    pub secret: String,
    pub enabled_at: Option<i64>,
    pub codes_sealed: Option<String>,
    /// Before it is on: the session that started its setup (its hash).
    pub pending_session: Option<String>,
}

impl Factor {
    /// The setup waiting for its first code in session `session_hash`, if this is it.
    pub fn pending_in(self, session_hash: &str) -> Option<Factor> {
        (self.enabled_at.is_none() && self.pending_session.as_deref() == Some(session_hash)).then_some(self)
    }
}

pub async fn factor(conn: &mut Conn, account_id: &str) -> Result<Option<Factor>, sqlx::Error> {
    sqlx::query_as(
        "SELECT secret, enabled_at, codes_sealed, pending_session FROM totp_factors WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

/// The sealed app secrets of the factors in force most recently turned on (up to
/// `limit`, any account's): what a process's `SEAL_KEY` is tried on at start-up.
pub async fn newest_sealed_secrets(conn: &mut Conn, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT secret FROM totp_factors WHERE enabled_at IS NOT NULL
         ORDER BY enabled_at DESC, account_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Whether the account has a second factor: two-step verification on, or a passkey.
pub async fn second_factor_on(conn: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM totp_factors WHERE account_id = $1 AND enabled_at IS NOT NULL)
              + (SELECT COUNT(*) FROM passkeys WHERE account_id = $1)",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Whether a login of the account needs its second step.
pub async fn two_step_on(conn: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    Ok(factor(conn, account_id).await?.is_some_and(|f| f.enabled_at.is_some()))
}

/// A new secret waiting for its first code in session `session_hash` (one that waited
/// before, in any session, is replaced; one in force stays: false).
pub async fn put_pending(
    conn: &mut Conn,
    account_id: &str,
    session_hash: &str,
    sealed: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM totp_factors WHERE account_id = $1 AND enabled_at IS NULL")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query(
        "INSERT INTO totp_factors (account_id, secret, created_at, pending_session) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(sealed)
    .bind(now)
    .bind(session_hash)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The secret `sealed` waiting in session `session_hash` comes into force at `step` (its
/// first code), once: not another that replaced it meanwhile (the setup started again in
/// another tab, between the code's check and this), which the customer never scanned.
pub async fn enable(
    conn: &mut Conn,
    account_id: &str,
    session_hash: &str,
    sealed: &str,
    step: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE totp_factors SET enabled_at = $3, last_step = $2, pending_session = NULL
         WHERE account_id = $1 AND enabled_at IS NULL AND pending_session = $4 AND secret = $5",
    )
    .bind(account_id)
    .bind(step)
    .bind(now)
    .bind(session_hash)
    .bind(sealed)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Takes the time step `step` for a login or a change: false when it (or a later one)
/// was taken already. One guarded update, so two requests with one code cannot both
/// pass.
pub async fn take_step(conn: &mut Conn, account_id: &str, step: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE totp_factors SET last_step = $2
         WHERE account_id = $1 AND last_step < $2 AND enabled_at IS NOT NULL",
    )
    .bind(account_id)
    .bind(step)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The recovery codes become `hashes` (the old ones stop working), and their sealed
/// text waits for the page that shows them once. The factor's row is written first: two
/// renewals at once take turns on it, so the second deletes the first's codes rather
/// than leaving both sets valid. False (nothing written) when two-step verification is
/// off.
pub async fn replace_codes(
    conn: &mut Conn,
    account_id: &str,
    hashes: &[String],
    sealed: &str,
) -> Result<bool, sqlx::Error> {
    let on = sqlx::query(
        "UPDATE totp_factors SET codes_sealed = $2 WHERE account_id = $1 AND enabled_at IS NOT NULL",
    )
    .bind(account_id)
    .bind(sealed)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if on != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
            .bind(account_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Uses the recovery code of `hash` (or `legacy`, how a code made before December 2026
/// was stored), once: false when it is not one or was used.
pub async fn use_code(
    conn: &mut Conn,
    account_id: &str,
    [hash, legacy]: [&str; 2],
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE recovery_codes SET used_at = $3
         WHERE account_id = $1 AND code_hash IN ($2, $4) AND used_at IS NULL",
    )
    .bind(account_id)
    .bind(hash)
    .bind(now)
    .bind(legacy)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn codes_left(conn: &mut Conn, account_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .fetch_one(conn)
        .await
}

/// The sealed codes for their one showing, taken away as they are read: false for a
/// second reader.
pub async fn take_sealed_codes(conn: &mut Conn, account_id: &str, sealed: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE totp_factors SET codes_sealed = NULL WHERE account_id = $1 AND codes_sealed = $2")
        .bind(account_id)
        .bind(sealed)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// Two-step verification off: the app's secret and every recovery code go. The factor's
/// row first, as a renewal of the codes takes it ([`replace_codes`]): the two take turns
/// rather than each holding what the other waits for.
pub async fn remove(conn: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query("DELETE FROM totp_factors WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_challenges WHERE account_id = $1").bind(account_id).execute(conn).await?;
    Ok(removed > 0)
}

/// After a security change (see `features::end_for_security`): a login waiting for its
/// second step, a passkey ceremony under way and a two-step setup waiting for its first
/// code end with the sessions, so a password typed before a reset cannot finish a login
/// after it, nor a session the change ended turn on an app of its own.
pub async fn end_waiting(conn: &mut Conn, account_id: &str) -> Result<(), sqlx::Error> {
    for table in ["login_challenges", "webauthn_ceremonies"] {
        let sql = format!("DELETE FROM {table} WHERE account_id = $1");
        sqlx::query(&sql).bind(account_id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM totp_factors WHERE account_id = $1 AND enabled_at IS NULL")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every login of the account waiting for its second step (or just completed) ends: the
/// others signed out, whoever typed the password elsewhere cannot finish with a code.
pub async fn end_logins_waiting(conn: &mut Conn, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_challenges WHERE account_id = $1").bind(account_id).execute(conn).await?;
    Ok(())
}

/// A login waiting for its second step (the cookie's hash), until `expires_at`.
pub async fn open_challenge(
    conn: &mut Conn,
    id_hash: &str,
    account_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_challenges (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account of a login waiting for its second step, if it has not expired.
pub async fn challenge_account(
    conn: &mut Conn,
    id_hash: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT account_id FROM login_challenges
         WHERE id_hash = $1 AND expires_at > $2 AND completed_at IS NULL",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// A login at its second step, while its five minutes last: its account, and when a
/// request completed it (its code passed), if one did. A security change since (which
/// deletes the logins waiting) leaves none.
#[derive(sqlx::FromRow)]
pub struct Challenge {
    pub account_id: String,
    pub completed_at: Option<i64>,
}

/// The id a completed login is kept under: not its hash, which a process of the release
/// before looks a waiting login up by.
fn completed_id(id_hash: &str) -> String {
    format!("done:{id_hash}")
}

pub async fn challenge(conn: &mut Conn, id_hash: &str, now: i64) -> Result<Option<Challenge>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, completed_at FROM login_challenges WHERE id_hash IN ($1, $2) AND expires_at > $3",
    )
    .bind(id_hash)
    .bind(completed_id(id_hash))
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The waiting login is done, its code having spent `proof`: false when another request
/// took it. Kept under [`completed_id`] until it expires, for [`take_completed`].
pub async fn close_challenge(
    conn: &mut Conn,
    id_hash: &str,
    proof: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE login_challenges SET id_hash = $2, completed_at = $3, completed_proof = $4
         WHERE id_hash = $1 AND completed_at IS NULL",
    )
    .bind(id_hash)
    .bind(completed_id(id_hash))
    .bind(now)
    .bind(proof)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The login completed at `since` or later whose code spent `proof`, taken once more (the
/// same code sent again by its browser): whether it was, now and for the only time.
pub async fn take_completed(
    conn: &mut Conn,
    id_hash: &str,
    proof: &str,
    since: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE login_challenges SET replayed_at = $4
         WHERE id_hash = $1 AND completed_proof = $2 AND completed_at >= $3 AND replayed_at IS NULL",
    )
    .bind(completed_id(id_hash))
    .bind(proof)
    .bind(since)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Whether logins from new browsers are mailed.
pub async fn new_browser_mail(conn: &mut Conn, account_id: &str) -> Result<bool, sqlx::Error> {
    let on: i64 = sqlx::query_scalar("SELECT new_browser_mail FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(conn)
        .await?;
    Ok(on != 0)
}

/// Turns the mails of logins from new browsers on or off: whether it changed.
pub async fn set_new_browser_mail(conn: &mut Conn, account_id: &str, on: bool) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE accounts SET new_browser_mail = $2 WHERE id = $1 AND new_browser_mail <> $2")
        .bind(account_id)
        .bind(i64::from(on))
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// One event of the account, as the activity page reads it.
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub client: String,
    pub detail: String,
    pub created_at: i64,
}

/// The account's own events since `since` of `kinds`, newest first, `limit` from
/// `offset`. Rows of no account (the login flood's unknown IDs) are never among them.
pub async fn events(
    conn: &mut Conn,
    account_id: &str,
    since: i64,
    kinds: &[&str],
    limit: i64,
    offset: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let placeholders: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 5)).collect();
    let sql = format!(
        "SELECT kind, client, detail, created_at FROM account_events
         WHERE account_id = $1 AND created_at >= $2 AND kind IN ({})
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as(&sql).bind(account_id).bind(since).bind(limit).bind(offset);
    for kind in kinds {
        q = q.bind(*kind);
    }
    q.fetch_all(conn).await
}

/// A passkey of an account.
#[derive(sqlx::FromRow)]
pub struct PasskeyRow {
    pub id: String,
    pub account_id: String,
    pub passkey: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const PASSKEY_COLUMNS: &str = "id, account_id, passkey, name, created_at, last_used_at";

/// The account's passkeys, oldest first.
pub async fn passkeys(conn: &mut Conn, account_id: &str) -> Result<Vec<PasskeyRow>, sqlx::Error> {
    let sql = format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE account_id = $1 ORDER BY created_at, id");
    sqlx::query_as(&sql).bind(account_id).fetch_all(conn).await
}

/// The passkey of a credential id (base64url), whoever's it is.
pub async fn passkey_of_credential(
    conn: &mut Conn,
    credential_id: &str,
) -> Result<Option<PasskeyRow>, sqlx::Error> {
    let sql = format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE credential_id = $1");
    sqlx::query_as(&sql).bind(credential_id).fetch_optional(conn).await
}

/// A new passkey for the account (its credential id unique across accounts).
pub async fn insert_passkey(
    conn: &mut Conn,
    account_id: &str,
    credential_id: &str,
    passkey: &str,
    name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO passkeys (id, account_id, credential_id, passkey, name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::ssr::db::new_id())
    .bind(account_id)
    .bind(credential_id)
    .bind(passkey)
    .bind(name)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A passkey used at `now`: its sign counter and backup state saved (`passkey`).
pub async fn passkey_used(conn: &mut Conn, id: &str, passkey: &str, now: i64) -> Result<bool, sqlx::Error> {
    let used = sqlx::query("UPDATE passkeys SET passkey = $2, last_used_at = $3 WHERE id = $1")
        .bind(id)
        .bind(passkey)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(used == 1)
}

/// Renames the account's passkey `id` (never another account's): whether it was there.
pub async fn rename_passkey(
    conn: &mut Conn,
    account_id: &str,
    id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE passkeys SET name = $3 WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .bind(name)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// Deletes the account's passkey `id` (never another account's): whether it was there.
pub async fn delete_passkey(conn: &mut Conn, account_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// What `tables` hold for the session `old` (its `session_hash`: a draft, a card setup
/// under way) goes on with it under `new`, its rotated hash.
pub async fn rebind_session(
    conn: &mut Conn,
    tables: &[&str],
    old: &str,
    new: &str,
) -> Result<(), sqlx::Error> {
    let columns: Vec<(&str, &str)> = tables.iter().map(|t| (*t, "session_hash")).collect();
    rebind(conn, &columns, old, new).await
}

/// The security setups the session `old` has under way go on with it under `new`, its
/// rotated hash: a two-step setup whose key is on screen (its first code is taken in
/// that session only), and a passkey registration that proved a code.
pub async fn rebind_setups(conn: &mut Conn, old: &str, new: &str) -> Result<(), sqlx::Error> {
    rebind(conn, &[("totp_factors", "pending_session"), ("webauthn_ceremonies", "code_session")], old, new)
        .await
}

/// Each `(table, column)` holding the session hash `old` holds `new` (session hashes
/// are unique to their session: no other account's row is reached).
async fn rebind(conn: &mut Conn, columns: &[(&str, &str)], old: &str, new: &str) -> Result<(), sqlx::Error> {
    for (table, column) in columns {
        sqlx::query(&format!("UPDATE {table} SET {column} = $2 WHERE {column} = $1"))
            .bind(old)
            .bind(new)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Session `id_hash` was opened with passkey `passkey_id`.
pub async fn opened_with_passkey(
    conn: &mut Conn,
    id_hash: &str,
    passkey_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET passkey_id = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(passkey_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account's sessions opened with passkey `passkey_id` end, but `keep` (the session
/// that removed it), and so do its passkey sessions of no passkey named (opened by the
/// release before): the ended sessions' hashes.
pub async fn end_sessions_of_passkey(
    conn: &mut Conn,
    account_id: &str,
    passkey_id: &str,
    keep: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM sessions
         WHERE account_id = $1 AND id_hash <> $3
            AND (passkey_id = $2 OR (passkey_id IS NULL AND method = 'passkey'))
         RETURNING id_hash",
    )
    .bind(account_id)
    .bind(passkey_id)
    .bind(keep)
    .fetch_all(conn)
    .await
}

/// Every passkey of the account goes (a re-registration).
pub async fn delete_passkeys(conn: &mut Conn, account_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM passkeys WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// A WebAuthn ceremony under way (its cookie's hash), until `expires_at`;
/// `code_session`: the session that proved a code at its start.
pub async fn open_ceremony(
    conn: &mut Conn,
    id_hash: &str,
    (account_id, code_session): (Option<&str>, Option<&str>),
    kind: &str,
    state: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webauthn_ceremonies (id_hash, account_id, kind, state, expires_at, code_session)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(kind)
    .bind(state)
    .bind(expires_at)
    .bind(code_session)
    .execute(conn)
    .await?;
    Ok(())
}

/// A WebAuthn ceremony as its finish (or a retried start) reads it.
#[derive(sqlx::FromRow)]
pub struct Ceremony {
    pub account_id: Option<String>,
    pub state: String,
    pub expires_at: i64,
    pub code_session: Option<String>,
}

async fn read_ceremony(conn: &mut Conn, id_hash: &str, kind: &str) -> Result<Option<Ceremony>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, state, expires_at, code_session FROM webauthn_ceremonies
         WHERE id_hash = $1 AND kind = $2",
    )
    .bind(id_hash)
    .bind(kind)
    .fetch_optional(conn)
    .await
}

/// The ceremony still open, read (not taken): None when there is none of `kind` or
/// it expired.
pub async fn ceremony(
    conn: &mut Conn,
    id_hash: &str,
    kind: &str,
    now: i64,
) -> Result<Option<Ceremony>, sqlx::Error> {
    Ok(read_ceremony(conn, id_hash, kind).await?.filter(|c| c.expires_at > now))
}

/// The ceremony, taken (used once): None when there is none of `kind`, it expired, or
/// another request took it.
pub async fn take_ceremony(
    conn: &mut Conn,
    id_hash: &str,
    kind: &str,
    now: i64,
) -> Result<Option<Ceremony>, sqlx::Error> {
    let Some(ceremony) = read_ceremony(&mut *conn, id_hash, kind).await? else { return Ok(None) };
    let taken = sqlx::query("DELETE FROM webauthn_ceremonies WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?
        .rows_affected()
        == 1;
    Ok((taken && ceremony.expires_at > now).then_some(ceremony))
}
