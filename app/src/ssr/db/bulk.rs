//! Multi-row statements for batch work (the billing run, `server seed-load`): a batch's
//! rows in a few `INSERT … VALUES (…), (…)` instead of a round trip a row, and
//! `IN ($1, $2, …)` lists. Portable: the same SQL on SQLite and PostgreSQL, below
//! both one's bound-parameter limit (SQLite 32,766, PostgreSQL 65,535).

use super::Conn;

/// Rows per statement at most, and bound parameters at most.
const MAX_ROWS: usize = 1_000;
const MAX_PARAMS: usize = 30_000;

/// One bound value: a BIGINT or a TEXT, either may be NULL. (Always i64 for integers:
/// PostgreSQL caches a statement with its parameters' types.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_string))
    }
}

/// `$from, $from+1, …` for `n` parameters.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The rows of one multi-row INSERT: `into` is `table (col, col, …)`, `tail` what follows
/// the VALUES (e.g. `ON CONFLICT DO NOTHING`).
pub struct Insert {
    into: &'static str,
    tail: &'static str,
    columns: usize,
    values: Vec<Value>,
}

impl Insert {
    pub fn new(into: &'static str, tail: &'static str) -> Self {
        let columns = into.split_once('(').map_or(0, |(_, cols)| cols.split(',').count());
        assert!(columns > 0, "`{into}` names its columns");
        Insert { into, tail, columns, values: Vec::new() }
    }

    /// Adds a row: one value a column, in the columns' order.
    pub fn row<const N: usize>(&mut self, row: [Value; N]) {
        assert_eq!(N, self.columns, "a value for each column of {}", self.into);
        self.values.extend(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.columns
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn rows_per_statement(&self) -> usize {
        (MAX_PARAMS / self.columns).clamp(1, MAX_ROWS)
    }

    fn sql(&self, rows: usize, returning: Option<&str>) -> String {
        let mut sql = format!("INSERT INTO {} VALUES ", self.into);
        for r in 0..rows {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&placeholders(r * self.columns + 1, self.columns));
            sql.push(')');
        }
        if !self.tail.is_empty() {
            sql.push(' ');
            sql.push_str(self.tail);
        }
        if let Some(column) = returning {
            sql.push_str(" RETURNING ");
            sql.push_str(column);
        }
        sql
    }

    /// Writes every row; returns the rows written.
    pub async fn execute(self, conn: &mut Conn) -> Result<u64, sqlx::Error> {
        let mut written = 0;
        let per = self.rows_per_statement();
        for chunk in self.values.chunks(per * self.columns) {
            let rows = chunk.len() / self.columns;
            let sql = self.sql(rows, None);
            written += bind_all(sqlx::query(&sql), chunk)
                // A full chunk's statement comes again; a last, shorter one seldom does.
                .persistent(rows == per)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
        Ok(written)
    }

    /// Writes every row; returns the text `column` of the rows written (with `ON
    /// CONFLICT DO NOTHING`, the rows that were not there yet).
    pub async fn returning(self, conn: &mut Conn, column: &str) -> Result<Vec<String>, sqlx::Error> {
        let mut written = Vec::new();
        let per = self.rows_per_statement();
        for chunk in self.values.chunks(per * self.columns) {
            let rows = chunk.len() / self.columns;
            let sql = self.sql(rows, Some(column));
            let got: Vec<(String,)> =
                bind_all(sqlx::query_as(&sql), chunk).persistent(rows == per).fetch_all(&mut *conn).await?;
            written.extend(got.into_iter().map(|(value,)| value));
        }
        Ok(written)
    }
}

/// Binds `values` in order to a query (the two query kinds share this).
pub trait BindValues: Sized {
    fn bind_int(self, v: Option<i64>) -> Self;
    fn bind_text(self, v: Option<String>) -> Self;
}

impl<'q> BindValues for sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    fn bind_int(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
    fn bind_text(self, v: Option<String>) -> Self {
        self.bind(v)
    }
}

impl<'q, O> BindValues for sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    fn bind_int(self, v: Option<i64>) -> Self {
        self.bind(v)
    }
    fn bind_text(self, v: Option<String>) -> Self {
        self.bind(v)
    }
}

pub fn bind_all<Q: BindValues>(mut q: Q, values: &[Value]) -> Q {
    for v in values {
        q = match v {
            Value::Int(i) => q.bind_int(*i),
            Value::Text(t) => q.bind_text(t.clone()),
        };
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_names_a_placeholder_for_each_value_and_stays_below_the_limits() {
        let mut insert = Insert::new("t (a, b, c)", "ON CONFLICT DO NOTHING");
        insert.row([1_i64.into(), "x".into(), Value::Text(None)]);
        insert.row([2_i64.into(), "y".into(), Some("z").into()]);
        assert_eq!(insert.len(), 2);
        assert_eq!(
            insert.sql(2, Some("a")),
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT DO NOTHING RETURNING a"
        );
        assert_eq!(insert.rows_per_statement(), 1_000);
        let wide = Insert::new("w (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36, c37, c38, c39, c40)", "");
        assert_eq!(wide.rows_per_statement(), 750, "30,000 parameters");
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
    }
}
