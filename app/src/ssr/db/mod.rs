//! The database: one pool over sqlx's `Any` driver, so the same queries and the same
//! migrations run on SQLite (embedded default) and PostgreSQL (scale-out). Queries
//! live beside the table or aggregate they serve; each takes a connection so the
//! server function that calls it owns the transaction.

pub mod bulk;
pub mod customers;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub use sqlx::AnyConnection as Conn;

/// A transaction of [`Db::begin`], for a step that hands it on to the next.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// One connection of its own for the readiness check: a pool busy with customers'
    /// requests is not a database away, and a load balancer that took every busy
    /// process out at once would turn a rush into an outage.
    probe: AnyPool,
    backend: Backend,
    secrets: SecretCache,
}

/// Server secrets once read (they never change); never printed.
#[derive(Clone, Default)]
struct SecretCache(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<&'static str, String>>>);

crate::domain::redacted_debug!(SecretCache);

/// The migrations this build knows. A database may hold later ones: during a rolling
/// deploy the next release migrates while this one still serves, and a process of this
/// one restarting then (or a rollback) must start. That holds because migrations only
/// add (tables, nullable or defaulted columns, indexes) and never rename or drop what a
/// release reads.
static MIGRATOR: std::sync::LazyLock<sqlx::migrate::Migrator> = std::sync::LazyLock::new(|| {
    let mut migrator = sqlx::migrate!("../migrations");
    migrator.set_ignore_missing(true);
    migrator
});

/// The advisory lock the processes of a cluster take in turn to migrate, waited for
/// without a limit (a peer's migration may build an index for minutes); sqlx's own
/// lock, taken under the lock wait, is then never held by another.
pub const MIGRATING: i64 = 0x6d79_7061_6765; // "mypage"

/// How long a migration's statement waits for a lock on PostgreSQL ([`Db::migrate`]):
/// customers' queries on the table it changes wait behind it at most this long.
pub const MIGRATION_LOCK_WAIT: Duration = Duration::from_secs(3);

/// How long [`Db::migrate`] goes on trying before start-up stops with the error.
pub const MIGRATION_PATIENCE: Duration = Duration::from_secs(600);

/// PostgreSQL's `lock_not_available` (55P03): `lock_timeout` ran out.
fn waited_for_a_lock(e: &sqlx::migrate::MigrateError) -> bool {
    use sqlx::migrate::MigrateError;
    let (MigrateError::Execute(sqlx::Error::Database(db))
    | MigrateError::ExecuteMigration(sqlx::Error::Database(db), _)) = e
    else {
        return false;
    };
    db.code().as_deref() == Some("55P03")
}

/// How a process's pool holds and waits for connections (`Settings::pool`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// At most this many connections (None: 16 on PostgreSQL, 8 on SQLite).
    pub max_connections: Option<u32>,
    /// A request waits this long for a connection before it gives up (503).
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self { max_connections: None, acquire_timeout: Duration::from_secs(10) }
    }
}

impl Db {
    /// Connect to `sqlite:…` (the file and its folder are created when missing) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect_with(url, PoolSettings::default()).await
    }

    /// [`connect`](Self::connect) with the pool's size and wait.
    pub async fn connect_with(url: &str, pool: PoolSettings) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if url.starts_with("sqlite:") {
            (sqlite_url_with_create(url)?, Backend::Sqlite)
        } else {
            (url.to_string(), Backend::Postgres)
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let probe = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(1))
            .connect_lazy_with(options.clone());
        let pool = AnyPoolOptions::new()
            .max_connections(pool.max_connections.unwrap_or(match backend {
                // SQLite serialises writers anyway; a few readers in WAL mode suffice.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            }))
            .acquire_timeout(pool.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; busy_timeout makes a
                        // writer wait for the lock instead of failing at once.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await;
        let pool = match pool {
            Ok(pool) => pool,
            // The pool says only that it waited: one connection of its own says why
            // (refused, no such host, a wrong password).
            Err(sqlx::Error::PoolTimedOut) => {
                return Err(match sqlx::ConnectOptions::connect(&options).await {
                    Err(cause) => cause,
                    Ok(_) => sqlx::Error::PoolTimedOut,
                })
            }
            Err(e) => return Err(e),
        };
        Ok(Self { pool, probe, backend, secrets: SecretCache::default() })
    }

    /// Where `url` leads, without its password: what an operator reads in a message.
    pub fn describe(url: &str) -> String {
        match url::Url::parse(url) {
            Ok(mut u) => {
                let _ = u.set_password(None);
                u.set_query(None);
                u.to_string()
            }
            Err(_) => url.split(['?', '@']).next().unwrap_or_default().to_string(),
        }
    }

    /// A connection of the pool (waiting up to the pool's acquire timeout).
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// A transaction on a connection of the pool. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`, waiting up to the busy timeout for another writer): a
    /// deferred transaction that read first would be refused at its first write, without
    /// waiting, whenever another writer had committed since its read (`SQLITE_BUSY`, the
    /// customer's 「混み合っています」), and nearly every transaction here reads before
    /// it writes. SQLite runs one writer at a time either way; readers outside a
    /// transaction still run beside it (WAL). PostgreSQL locks rows as it goes.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Apply the migrations this build knows and the database lacks, waiting for
    /// table locks as [`Db::migrate_waiting`] does, with [`MIGRATION_LOCK_WAIT`] and
    /// [`MIGRATION_PATIENCE`].
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        self.migrate_waiting(MIGRATION_LOCK_WAIT, MIGRATION_PATIENCE).await
    }

    /// On PostgreSQL a migration's statement waits at most `lock_wait` for a lock. An
    /// `ALTER TABLE` waiting behind a long transaction (an operator's open `psql`, a
    /// report) would otherwise hold up every customer's query on that table, queued
    /// behind it, until that transaction ends. Given up, the whole run is tried again
    /// (the migration's own transaction rolled back), waiting longer each time, for
    /// `patience` in all; then start-up stops with the error. Another process migrating
    /// is waited for as before, however long its migration takes: the processes take
    /// turns on a lock of their own ([`MIGRATING`]) before the lock wait applies.
    /// SQLite's writers wait on its busy timeout, as every other write does.
    pub async fn migrate_waiting(
        &self,
        lock_wait: Duration,
        patience: Duration,
    ) -> Result<(), sqlx::migrate::MigrateError> {
        // `run_direct`: sqlx's own way round `Acquire`'s lifetimes, so a migration can
        // run in a spawned task.
        if self.backend == Backend::Sqlite {
            return MIGRATOR.run_direct(&mut *self.pool.acquire().await?).await;
        }
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(500);
        loop {
            // A connection of its own, closed after: a run stopped half-way would keep
            // its advisory locks and this session's lock_timeout in the pool.
            let mut conn = self.pool.acquire().await?.detach();
            let result = async {
                sqlx::query("SELECT pg_advisory_lock($1)").bind(MIGRATING).execute(&mut conn).await?;
                sqlx::query(&format!("SET lock_timeout = {}", lock_wait.as_millis().max(1)))
                    .execute(&mut conn)
                    .await?;
                MIGRATOR.run_direct(&mut conn).await
            }
            .await;
            let _ = sqlx::Connection::close(conn).await;
            match result {
                Err(e) if waited_for_a_lock(&e) && started.elapsed() + pause < patience => {
                    tracing::warn!(
                        error = %e,
                        "a migration waited {lock_wait:?} for a lock held by a long transaction or by \
                         another process migrating; trying again in {pause:?}"
                    );
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(30));
                }
                result => return result,
            }
        }
    }

    /// `SELECT 1`: does the database answer?
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Whether the database answers and holds every migration this build knows (a
    /// process started before the schema was migrated, or on a database another
    /// build migrated less far, is not ready).
    /// Asked on the probe's own connection, not the pool's.
    pub async fn is_migrated(&self) -> Result<bool, sqlx::Error> {
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.probe)
                .await?;
        Ok(applied.unwrap_or(0) >= latest)
    }

    /// A secret every server process shares: 256 random bits, generated by whichever
    /// process asks first (the insert that loses the race changes nothing).
    pub async fn server_secret(&self, name: &'static str) -> Result<String, sqlx::Error> {
        if let Some(v) = self.secrets.0.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(v.clone());
        }
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(crate::ssr::crypto::random_token())
        .bind(crate::ssr::now())
        .execute(&self.pool)
        .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        self.secrets.0.lock().unwrap_or_else(|e| e.into_inner()).insert(name, value.clone());
        Ok(value)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.probe.close().await;
        self.pool.close().await;
    }
}

/// `sqlite://data/x.db` → `sqlite://data/x.db?mode=rwc`, creating `data/`.
fn sqlite_url_with_create(url: &str) -> Result<String, sqlx::Error> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let file = path.split('?').next().unwrap_or_default();
    if !file.is_empty() && file != ":memory:" {
        if let Some(parent) = std::path::Path::new(file).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
        }
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Whether `sql`, a query of a text column with one parameter, `value`, finds a row:
/// the one form of "is there such a row" (the column read is beside the point).
pub async fn finds(conn: &mut Conn, sql: &'static str, value: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(sql).bind(value).fetch_optional(conn).await?;
    Ok(found.is_some())
}

/// Whether a write failed on a unique constraint (the database deciding a race).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

/// A random identifier for new rows: 128 bits, hex.
pub fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An identifier for rows that are read in the order they were written (the account's
/// activity, newest first): the time in microseconds (14 hex digits), then 64 random
/// bits, so that two rows of the same second still sort by when they were made.
pub fn new_ordered_id() -> String {
    use rand::RngCore;
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    format!("{micros:014x}{:016x}", rand::rngs::OsRng.next_u64())
}

/// Take the lease `name` for `holder` until `until` if no one holds it at `now` (or
/// `holder` does): true when taken. One statement, so two processes asking at once get
/// one yes.
pub async fn take_lease(
    db: &Db,
    name: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "INSERT INTO leases (name, holder, until_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at
         WHERE leases.until_at <= $4 OR leases.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(taken == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rolling-deploy rule [`MIGRATOR`] relies on: from migration 24 on (the first
    /// after the previous release could be running beside the next) a migration only
    /// adds. A rename or a dropped table or column would break the release still serving.
    #[test]
    fn migrations_from_the_rolling_deploy_rule_on_only_add() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let version: u64 = name.split('_').next().unwrap().parse().unwrap();
            if version < 20261219000024 {
                continue;
            }
            let sql: String = std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .to_uppercase();
            for taken in ["DROP TABLE", "DROP COLUMN", "RENAME", "ALTER COLUMN"] {
                assert!(!sql.contains(taken), "{name}: {taken}");
            }
            // A column the release still serving does not write must be nullable or
            // have a default.
            for statement in sql.split(';').filter(|s| s.contains("ADD COLUMN")) {
                assert!(
                    !statement.contains("NOT NULL") || statement.contains("DEFAULT"),
                    "{name}: {statement}"
                );
            }
            checked += 1;
        }
        assert!(checked >= 2, "migrations 24 and 25 at least");
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("mypage-url-{}", new_id()));
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(sqlite_url_with_create(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        assert_eq!(sqlite_url_with_create("sqlite::memory:").unwrap(), "sqlite::memory:?mode=rwc");
        assert_eq!(sqlite_url_with_create("sqlite://x.db?mode=ro").unwrap(), "sqlite://x.db?mode=ro");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn ids_are_32_hex_digits_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
