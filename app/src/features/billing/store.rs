//! The billing engine's queries and the monthly run (`server bill --month YYYY-MM`):
//! each customer's invoice for a month, computed by [`super::engine`] from what they had
//! that month. Idempotent: a month already issued for a customer is left as it is,
//! never rewritten.
//!
//! The run at a provider's scale (issue 26): it walks the customers in windows of
//! customer numbers (keyset: `customer_no > cursor`, never a list of them all), and
//! per window, in one transaction, claims the customers with a service in force and no
//! invoice for the month yet, loads their contracts with one query a table, and writes
//! their invoices, lines and mails with multi-row statements. On PostgreSQL the claim
//! locks the customer rows `FOR NO KEY UPDATE SKIP LOCKED` until the window's invoices
//! are committed, so several processes share the work; a second pass with waiting
//! locks then picks up whatever the first skipped (rows another run or a customer's
//! own change held). Each invoice is inserted `ON CONFLICT DO NOTHING` on (customer,
//! month): the final guard. A run killed at any point leaves whole windows; the next
//! one skips the customers already invoiced in its claim query.

use super::engine::{self, Contract, Item, Plans};
use super::{
    BillingOverview, MonthSummary, PaymentMethod, PaymentStep, RateSummary, Statement, StatementLine,
};
use crate::domain::billing::{explain_change, totals, Date, InvoiceStatus, Line, Month};
use crate::domain::Yen;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::Settings;
use crate::ssr::db::bulk::{bind_all, placeholders, Insert, Value};
use crate::ssr::db::{Backend, Conn, Db};
use crate::ssr::payment::CardToken;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use super::engine::ComputedLine;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Invoices written by this run.
    pub issued: u64,
    /// Customers whose invoice for the month existed already (left unchanged): when the
    /// run started, or written meanwhile by another run.
    pub already_issued: u64,
}

/// How a run goes through the customers.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Customer numbers a window (a transaction).
    pub batch_size: usize,
    /// A pause after each window (spares a database serving customers meanwhile).
    pub pause: std::time::Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { batch_size: 500, pause: std::time::Duration::ZERO }
    }
}

/// Where a run is, after each window.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub issued: u64,
    pub already_issued: u64,
    /// Customers with a service in force and no invoice when the run started.
    pub to_issue: u64,
    /// How far through the customer numbers the walk is, 0 to 1 (what every process
    /// walking at once covered: a window another process claimed is passed over).
    pub walked: f64,
}

fn bad_data(what: String) -> sqlx::Error {
    sqlx::Error::Protocol(format!("billing: {what}"))
}

fn date(s: &str) -> Result<Date, sqlx::Error> {
    Date::parse(s).ok_or_else(|| bad_data(format!("not a date: {s:?}")))
}

fn unknown_plan(e: engine::UnknownPlan) -> sqlx::Error {
    bad_data(format!("plan {:?} is not in the catalogue", e.0))
}

/// The plan catalogue (a few dozen rows), read once a run.
pub async fn catalogue(conn: &mut Conn) -> Result<Plans, sqlx::Error> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT code, name, monthly_fee FROM plans").fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(code, name, fee)| (code, (name, fee))).collect())
}

/// The rows of a query over a batch of customers: `{in}` in `sql` becomes their
/// placeholders, numbered after the values of `first`, bound first. None for no
/// customer. (Sent unprepared: a batch's length varies, and a cached statement for each
/// length would only crowd the cache.)
async fn over<T>(
    conn: &mut Conn,
    sql: &str,
    first: &[Value],
    customers: &[String],
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{in}", &placeholders(first.len() + 1, customers.len()));
    let values: Vec<Value> =
        first.iter().cloned().chain(customers.iter().map(|c| Value::from(c.as_str()))).collect();
    bind_all(sqlx::query_as(&sql), &values).persistent(false).fetch_all(conn).await
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    customer_no: String,
    id: String,
    kind: String,
    plan_name: String,
    monthly_fee: i64,
    started_on: String,
    ended_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlanChangeRow {
    service_id: String,
    changed_on: String,
    from_plan: Option<String>,
    from_fee: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EquipmentRow {
    customer_no: String,
    kind: String,
    service_id: Option<String>,
    monthly_fee: i64,
}

#[derive(sqlx::FromRow)]
struct AddonRow {
    customer_no: String,
    name: String,
    monthly_fee: i64,
    requires: String,
    started_on: String,
    ended_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    customer_no: String,
    description: String,
    amount: i64,
    rate: i64,
}

/// The contracts of `customers` (a batch): one query a table, each list in the order
/// the invoice prints it. A customer without any row gets an empty contract.
pub async fn contracts(
    conn: &mut Conn,
    customers: &[String],
) -> Result<HashMap<String, Contract>, sqlx::Error> {
    let mut out: HashMap<String, Contract> =
        customers.iter().map(|c| (c.clone(), Contract::default())).collect();
    if customers.is_empty() {
        return Ok(out);
    }
    let services: Vec<ServiceRow> = over(
        &mut *conn,
        "SELECT customer_no, id, kind, plan_name, monthly_fee, started_on, ended_on FROM services
         WHERE customer_no IN ({in})
         ORDER BY customer_no, CASE kind WHEN 'internet' THEN 0 WHEN 'tv' THEN 1 ELSE 2 END, started_on, id",
        &[],
        customers,
    )
    .await?;
    let changes: Vec<PlanChangeRow> = over(
        &mut *conn,
        "SELECT sc.service_id, sc.changed_on, sc.from_plan, sc.from_fee FROM service_changes sc
         JOIN services s ON s.id = sc.service_id
         WHERE s.customer_no IN ({in}) AND sc.change_kind = 'plan_change'
         ORDER BY sc.service_id, sc.changed_on, sc.id",
        &[],
        customers,
    )
    .await?;
    let mut changes_of: HashMap<String, Vec<engine::PlanChange>> = HashMap::new();
    for c in changes {
        let change =
            engine::PlanChange { on: date(&c.changed_on)?, from_plan: c.from_plan, from_fee: c.from_fee };
        changes_of.entry(c.service_id).or_default().push(change);
    }
    for s in services {
        let contract = out.entry(s.customer_no).or_default();
        contract.services.push(engine::Service {
            plan_changes: changes_of.remove(&s.id).unwrap_or_default(),
            id: s.id,
            kind: s.kind,
            plan_name: s.plan_name,
            monthly_fee: s.monthly_fee,
            started_on: date(&s.started_on)?,
            ended_on: s.ended_on.as_deref().map(date).transpose()?,
        });
    }
    let equipment: Vec<EquipmentRow> = over(
        &mut *conn,
        "SELECT customer_no, kind, service_id, monthly_fee FROM equipment
         WHERE customer_no IN ({in}) AND monthly_fee > 0 ORDER BY customer_no, equipment_id",
        &[],
        customers,
    )
    .await?;
    for e in equipment {
        out.entry(e.customer_no).or_default().equipment.push(engine::Equipment {
            kind: e.kind,
            service_id: e.service_id,
            monthly_fee: e.monthly_fee,
        });
    }
    let addons: Vec<AddonRow> = over(
        &mut *conn,
        "SELECT s.customer_no, a.name, a.monthly_fee, a.requires, s.started_on, s.ended_on FROM addon_subscriptions s
         JOIN addons a ON a.code = s.addon_code WHERE s.customer_no IN ({in})
         ORDER BY s.customer_no, s.started_on, s.id",
        &[],
        customers,
    )
    .await?;
    for a in addons {
        out.entry(a.customer_no).or_default().addons.push(engine::Addon {
            name: a.name,
            monthly_fee: a.monthly_fee,
            started_on: date(&a.started_on)?,
            ended_on: a.ended_on.as_deref().map(date).transpose()?,
            requires: a.requires,
        });
    }
    Ok(out)
}

/// The usage and adjustment items of `month` for `customers`, usage first.
pub async fn items(
    conn: &mut Conn,
    customers: &[String],
    month: Month,
) -> Result<HashMap<String, Vec<Item>>, sqlx::Error> {
    let mut out: HashMap<String, Vec<Item>> = HashMap::new();
    if customers.is_empty() {
        return Ok(out);
    }
    let rows: Vec<ItemRow> = over(
        conn,
        "SELECT customer_no, description, amount, rate FROM billing_items
         WHERE billing_month = $1 AND customer_no IN ({in})
         ORDER BY customer_no, CASE kind WHEN 'usage' THEN 0 ELSE 1 END, id",
        &[Value::from(month.to_string())],
        customers,
    )
    .await?;
    for r in rows {
        out.entry(r.customer_no).or_default().push(Item {
            description: r.description,
            amount: r.amount,
            rate: r.rate,
        });
    }
    Ok(out)
}

/// The lines of `customer_no`'s invoice for `month`, in the order they are printed:
/// services (internet, TV, phone), equipment, add-ons, usage, adjustments.
pub async fn compute_lines(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
) -> Result<Vec<ComputedLine>, sqlx::Error> {
    let plans = catalogue(conn).await?;
    let one = [customer_no.to_string()];
    let contract = contracts(conn, &one).await?.remove(customer_no).unwrap_or_default();
    let items = items(conn, &one, month).await?.remove(customer_no).unwrap_or_default();
    engine::lines(&contract, &items, month, &plans).map_err(unknown_plan)
}

/// The first month from `from` on that `customer_no` can still be invoiced for: after
/// their latest invoice, and not one whose billing run has begun while they have no
/// service in force in it (the run may have passed them over, and a charge put there
/// would never be billed; a customer in force is invoiced by the run, before or after
/// the change, under the row lock both take). Where a charge for a month already
/// issued goes.
pub async fn open_month(conn: &mut Conn, customer_no: &str, from: Month) -> Result<Month, sqlx::Error> {
    let latest: Option<String> = sqlx::query_scalar(
        "SELECT MAX(billing_month) FROM invoices WHERE customer_no = $1 AND billing_month >= $2",
    )
    .bind(customer_no)
    .bind(from.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let mut month = latest.as_deref().and_then(Month::parse).map_or(from, Month::next);
    // The customer has no invoice of it: the run of the newest month anyone has one of,
    // or of an earlier month, has begun (runs go month by month). Through the partial
    // index of migration 44 (its predicate, `status IN (…)`, is every invoice).
    let newest: Option<String> =
        sqlx::query_scalar("SELECT MAX(billing_month) FROM invoices WHERE status IN ('unpaid', 'paid')")
            .fetch_one(&mut *conn)
            .await?;
    let begun = newest.as_deref().and_then(Month::parse);
    while begun.is_some_and(|b| month <= b) && !in_force_in(conn, customer_no, month).await? {
        month = month.next();
    }
    Ok(month)
}

/// Whether `customer_no` has a service in force in `month` (the run invoices them).
async fn in_force_in(conn: &mut Conn, customer_no: &str, month: Month) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM services WHERE customer_no = $1 AND started_on <= $3 AND (ended_on IS NULL OR ended_on >= $2)
         LIMIT 1",
    )
    .bind(customer_no)
    .bind(month.first().to_string())
    .bind(month.last().to_string())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// What the months of `customer_no` from `from` on that are issued already compute to,
/// per tax rate, with the contract as it stands: taken in a change's transaction before
/// the change, and handed to [`true_up`] after it.
pub struct Issued {
    customer_no: String,
    months: Vec<(Month, BTreeMap<i64, i64>)>,
}

pub async fn issued(conn: &mut Conn, customer_no: &str, from: Month) -> Result<Issued, sqlx::Error> {
    let issued: Vec<String> = sqlx::query_scalar(
        "SELECT billing_month FROM invoices WHERE customer_no = $1 AND billing_month >= $2 ORDER BY billing_month",
    )
    .bind(customer_no)
    .bind(from.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut months = Vec::new();
    for month in issued.iter().filter_map(|m| Month::parse(m)) {
        months.push((month, due_by_rate(conn, customer_no, month).await?));
    }
    Ok(Issued { customer_no: customer_no.to_string(), months })
}

/// A month's lines as the contract computes them now, summed per tax rate.
async fn due_by_rate(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
) -> Result<BTreeMap<i64, i64>, sqlx::Error> {
    let mut due = BTreeMap::new();
    for l in compute_lines(conn, customer_no, month).await? {
        *due.entry(l.line.rate).or_default() += l.line.amount.0;
    }
    Ok(due)
}

/// After a change to a customer's contract, with what its issued months computed to
/// before it ([`issued`]): each such month the change makes compute differently is
/// corrected by the change's difference, per tax rate, as an adjustment on the first
/// month not yet issued (an issued month is never rewritten). Before and after are
/// computed with the same catalogue, so the correction is the change's alone: a fee
/// changed in the catalogue since a month was issued is not billed back to it. In the
/// change's transaction, after the customer's row lock, which the billing run's window
/// takes too: a change and a run of its month go one after the other.
pub async fn true_up(conn: &mut Conn, before: Issued) -> Result<(), sqlx::Error> {
    let Issued { customer_no, months } = before;
    let Some(last) = months.last().map(|(m, _)| *m) else {
        return Ok(());
    };
    let open = open_month(conn, &customer_no, last.next()).await?;
    for (month, was) in months {
        let mut difference = due_by_rate(conn, &customer_no, month).await?;
        for (rate, amount) in was {
            *difference.entry(rate).or_default() -= amount;
        }
        let description = crate::i18n::correction_line(&month.to_string());
        for (rate, difference) in difference.into_iter().filter(|(_, d)| *d != 0) {
            sqlx::query(
                "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate,
                    corrects_month)
                 VALUES ($1, $2, $3, 'adjustment', $4, $5, $6, $7)",
            )
            .bind(crate::ssr::db::new_id())
            .bind(&customer_no)
            .bind(open.to_string())
            .bind(&description)
            .bind(difference)
            .bind(rate)
            .bind(month.to_string())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// An invoice to write: its lines, how it is paid, and whether it is paid already
/// (on its payment date; the synthetic data's past months).
pub struct NewInvoice {
    pub customer_no: String,
    pub month: Month,
    pub lines: Vec<ComputedLine>,
    pub payment: Option<PaymentMethod>,
    pub paid: bool,
}

impl NewInvoice {
    pub fn id(&self) -> String {
        format!("inv-{}-{}", self.customer_no, self.month)
    }

    /// Issued on the 10th of its month.
    pub fn issued_on(month: Month) -> Date {
        Date { day: 10, ..month.first() }
    }

    /// Paid on the 27th of the next month, or the next day the banks open
    /// (口座振替・カード).
    pub fn due_on(month: Month) -> Date {
        crate::domain::billing::payment_date(month)
    }
}

/// Writes `invoices` with their lines, multi-row, each `ON CONFLICT DO NOTHING` on its
/// (customer, month): an invoice that exists already is left as it is, lines and all.
/// Returns the ids of the invoices written.
pub async fn write_invoices(
    conn: &mut Conn,
    invoices: &[NewInvoice],
) -> Result<HashSet<String>, sqlx::Error> {
    let mut rows = Insert::new(
        "invoices (id, customer_no, billing_month, issued_on, due_on, total, tax, status, paid_on, pay_kind, \
         pay_name, pay_last4, pay_exp_month, pay_exp_year, to_name, to_postal_code, to_address)",
        "ON CONFLICT DO NOTHING",
    );
    // Whom each is addressed to, as the customer is now: kept with the invoice.
    let mut customers: Vec<String> = invoices.iter().map(|i| i.customer_no.clone()).collect();
    customers.sort_unstable();
    customers.dedup();
    let addressees: HashMap<String, Addressee> = over::<Addressee>(
        &mut *conn,
        "SELECT customer_no, name, postal_code, address FROM customers WHERE customer_no IN ({in})",
        &[],
        &customers,
    )
    .await?
    .into_iter()
    .map(|a| (a.customer_no.clone(), a))
    .collect();
    for inv in invoices {
        let to = addressees.get(&inv.customer_no);
        let (total, tax) = engine::total_and_tax(&inv.lines);
        let due_on = NewInvoice::due_on(inv.month).to_string();
        // The payment method in force now: a change made before the run is used by it.
        let (kind, name, last4, exp) = match &inv.payment {
            Some(PaymentMethod::Bank { bank, last4 }) => {
                (Some("bank"), bank.clone(), Some(last4.clone()), None)
            }
            Some(PaymentMethod::Card { brand, last4, exp_month, exp_year }) => (
                Some("card"),
                Some(brand.clone()),
                Some(last4.clone()),
                Some((i64::from(*exp_month), i64::from(*exp_year))),
            ),
            None => (None, None, None, None),
        };
        rows.row([
            inv.id().into(),
            inv.customer_no.as_str().into(),
            inv.month.to_string().into(),
            NewInvoice::issued_on(inv.month).to_string().into(),
            due_on.as_str().into(),
            total.0.into(),
            tax.0.into(),
            (if inv.paid { "paid" } else { "unpaid" }).into(),
            inv.paid.then_some(due_on.as_str()).into(),
            kind.into(),
            name.into(),
            last4.into(),
            exp.map(|e| e.0).into(),
            exp.map(|e| e.1).into(),
            to.map(|a| a.name.as_str()).into(),
            to.map(|a| a.postal_code.as_str()).into(),
            to.map(|a| a.address.as_str()).into(),
        ]);
    }
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    let written: HashSet<String> = rows.returning(&mut *conn, "id").await?.into_iter().collect();
    let mut lines = Insert::new(
        "invoice_lines (invoice_id, line_no, description, amount, rate, service_id, days, of_days)",
        "",
    );
    for inv in invoices {
        let id = inv.id();
        if !written.contains(&id) {
            continue;
        }
        for (n, l) in inv.lines.iter().enumerate() {
            lines.row([
                id.as_str().into(),
                (n as i64 + 1).into(),
                l.line.description.as_str().into(),
                l.line.amount.0.into(),
                l.line.rate.into(),
                l.service_id.clone().into(),
                l.days.map(|(d, _)| i64::from(d)).into(),
                l.days.map(|(_, of)| i64::from(of)).into(),
            ]);
        }
    }
    if !lines.is_empty() {
        lines.execute(conn).await?;
    }
    Ok(written)
}

/// Who gets an invoice for month `$3`: customers `c` with a service in force between
/// `$1` (the month's first day) and `$2` (its last), or with an item put on it (a
/// correction or a 契約解除料 written after their services ended).
const IN_FORCE: &str = "(EXISTS (SELECT 1 FROM services s WHERE s.customer_no = c.customer_no \
    AND s.started_on <= $2 AND (s.ended_on IS NULL OR s.ended_on >= $1)) \
    OR EXISTS (SELECT 1 FROM billing_items b WHERE b.customer_no = c.customer_no AND b.billing_month = $3))";

/// Customers `c` without an invoice for month `$3`.
const NOT_INVOICED: &str =
    "NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_no = c.customer_no AND i.billing_month = $3)";

/// The run's claim: the customers of the window (`$4`, `$5`] in force in the month `$3`
/// (`$1`, `$2`: its first and last day) and not invoiced for it, with `lock` (the
/// [`Claim`]'s). Its cost must stay per customer: `NOT_INVOICED` is answered by the
/// unique (customer_no, billing_month) index for each, never by a walk of the month's
/// invoices, which grows with the run (scale.rs reads its plan).
pub fn claim_sql(lock: &str) -> String {
    format!(
        "SELECT c.customer_no FROM customers c
         WHERE c.customer_no > $4 AND c.customer_no <= $5 AND {IN_FORCE} AND {NOT_INVOICED}
         ORDER BY c.customer_no{lock}"
    )
}

/// How a window's customers are claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// SQLite: the window's transaction holds the database's write lock already.
    Plain,
    /// PostgreSQL, first pass: rows another transaction holds are left to it.
    SkipLocked,
    /// PostgreSQL, second pass: waits for them (another run's window, a customer's own
    /// change) and takes what is still not invoiced.
    Wait,
}

impl Claim {
    fn lock(self) -> &'static str {
        match self {
            Claim::Plain => "",
            Claim::SkipLocked => " FOR NO KEY UPDATE SKIP LOCKED",
            Claim::Wait => " FOR NO KEY UPDATE",
        }
    }
}

/// Issue `month`'s invoice for every customer who had a service in force in it. With
/// `notify`, each customer with an account is mailed ご請求金額確定のお知らせ (through
/// the outbox, in the invoice's transaction); the demo data is issued without mail.
pub async fn issue_month(db: &Db, month: Month, notify: Option<&Settings>) -> Result<RunReport, sqlx::Error> {
    issue_month_with(db, month, notify, &RunOptions::default(), |_| {}).await
}

/// [`issue_month`] in windows of `options.batch_size` customer numbers, telling
/// `progress` after each.
pub async fn issue_month_with(
    db: &Db,
    month: Month,
    notify: Option<&Settings>,
    options: &RunOptions,
    mut progress: impl FnMut(&Progress),
) -> Result<RunReport, sqlx::Error> {
    let (first, last) = (month.first().to_string(), month.last().to_string());
    let mut conn = db.conn().await?;
    let plans = catalogue(&mut conn).await?;
    // Once a run (linear in the customers, like the run itself): how many to issue, and
    // how many are issued already.
    let (in_force, issued_before): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*), COUNT(i.id) FROM customers c
         LEFT JOIN invoices i ON i.customer_no = c.customer_no AND i.billing_month = $3
         WHERE {IN_FORCE}"
    ))
    .bind(&first)
    .bind(&last)
    .bind(month.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let (lowest, highest): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT MIN(customer_no), MAX(customer_no) FROM customers")
            .fetch_one(&mut *conn)
            .await?;
    drop(conn);
    let span = lowest.as_deref().and_then(number).zip(highest.as_deref().and_then(number));
    let mut report = RunReport { issued: 0, already_issued: issued_before as u64 };
    let to_issue = (in_force - issued_before).max(0) as u64;
    let passes: &[Claim] = match db.backend() {
        Backend::Sqlite => &[Claim::Plain],
        Backend::Postgres => &[Claim::SkipLocked, Claim::Wait],
    };
    let batch_size = options.batch_size.max(1);
    for &claim in passes {
        let mut cursor = String::new();
        loop {
            let mut tx = db.begin().await?;
            // The window: the next `batch_size` customer numbers (an index range, whatever
            // the plan: its cost does not grow with the table).
            let end: Option<String> = sqlx::query_scalar(
                "SELECT MAX(customer_no) FROM
                 (SELECT customer_no FROM customers WHERE customer_no > $1 ORDER BY customer_no LIMIT $2) w",
            )
            .bind(&cursor)
            .bind(batch_size as i64)
            .fetch_one(&mut *tx)
            .await?;
            let Some(end) = end else {
                tx.commit().await?;
                break;
            };
            let claimed: Vec<String> = sqlx::query_scalar(&claim_sql(claim.lock()))
                .bind(&first)
                .bind(&last)
                .bind(month.to_string())
                .bind(&cursor)
                .bind(&end)
                .fetch_all(&mut *tx)
                .await?;
            let written = issue_claimed(&mut tx, &claimed, month, &plans, notify).await?;
            tx.commit().await?;
            report.issued += written;
            report.already_issued += claimed.len() as u64 - written;
            let walked = match (claim, span, number(&end)) {
                (Claim::Wait, ..) => 1.0,
                (_, Some((lo, hi)), Some(at)) if hi > lo => (at.saturating_sub(lo)) as f64 / (hi - lo) as f64,
                _ => 0.0,
            };
            progress(&Progress {
                issued: report.issued,
                already_issued: report.already_issued,
                to_issue,
                walked,
            });
            cursor = end;
            if !options.pause.is_zero() {
                tokio::time::sleep(options.pause).await;
            }
        }
    }
    Ok(report)
}

/// A customer number as a number (for the walk's progress).
fn number(customer_no: &str) -> Option<u64> {
    customer_no.parse().ok()
}

/// The invoices of the `claimed` customers for `month`, in the caller's transaction;
/// returns how many were written (the others existed already).
async fn issue_claimed(
    tx: &mut Conn,
    claimed: &[String],
    month: Month,
    plans: &Plans,
    notify: Option<&Settings>,
) -> Result<u64, sqlx::Error> {
    if claimed.is_empty() {
        return Ok(0);
    }
    let mut contracts = contracts(tx, claimed).await?;
    let mut items = items(tx, claimed, month).await?;
    let mut payments = payment_methods(tx, claimed).await?;
    let mut invoices = Vec::with_capacity(claimed.len());
    let mut in_force_next = HashSet::new();
    for customer_no in claimed {
        let contract = contracts.remove(customer_no).unwrap_or_default();
        let items = items.remove(customer_no).unwrap_or_default();
        if engine::billed_in(&contract, month.next()) {
            in_force_next.insert(customer_no.as_str());
        }
        invoices.push(NewInvoice {
            customer_no: customer_no.clone(),
            month,
            lines: engine::lines(&contract, &items, month, plans).map_err(unknown_plan)?,
            payment: payments.remove(customer_no),
            paid: false,
        });
    }
    let written = write_invoices(tx, &invoices).await?;
    for inv in invoices.iter().filter(|i| written.contains(&i.id())) {
        let (total, _) = engine::total_and_tax(&inv.lines);
        if total.0 < 0 {
            carry_credit(tx, inv, total, in_force_next.contains(inv.customer_no.as_str())).await?;
        }
    }
    if let Some(settings) = notify {
        let issued: Vec<String> =
            invoices.iter().filter(|i| written.contains(&i.id())).map(|i| i.customer_no.clone()).collect();
        let recipients = mail_recipients(tx, &issued).await?;
        let due_on = NewInvoice::due_on(month).to_string();
        let link = settings
            .public_url
            .join(&format!("{}?month={month}", super::INVOICES_PATH))
            .map_err(|e| bad_data(e.to_string()))?;
        let mut mails = Vec::new();
        for inv in invoices.iter().filter(|i| written.contains(&i.id())) {
            if let Some((to, locale)) = recipients.get(&inv.customer_no) {
                let (total, _) = engine::total_and_tax(&inv.lines);
                mails.push(super::mail::invoice_issued(
                    settings,
                    *locale,
                    to,
                    &month.to_string(),
                    total,
                    &due_on,
                    link.as_str(),
                ));
            }
        }
        crate::ssr::mail::enqueue_many(tx, "billing.issued", &mails, crate::ssr::now()).await?;
    }
    Ok(written.len() as u64)
}

/// The topic of the event that tells the back office of a credit to pay back.
pub const REFUND_TOPIC: &str = "billing.refund_due";

/// A credit larger than its month's charges (`total` below ¥0: お支払いなし) is not
/// lost: it is carried to the next month's invoice while a service is in force then
/// (`in_force_next`), as a line of its own, 不課税 (rate 0: a balance settled, not a
/// sale); a customer with none is owed it back, and the back office is told with an
/// event (`billing.refund_due`: `{"customer_no":…,"month":…,"amount":…}`, the yen owed).
/// Once per invoice, in the transaction that writes it.
async fn carry_credit(
    tx: &mut Conn,
    invoice: &NewInvoice,
    total: Yen,
    in_force_next: bool,
) -> Result<(), sqlx::Error> {
    let month = invoice.month.to_string();
    if in_force_next {
        sqlx::query(
            "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate)
             VALUES ($1, $2, $3, 'adjustment', $4, $5, 0)",
        )
        .bind(format!("carry-{}", invoice.id()))
        .bind(&invoice.customer_no)
        .bind(open_month(tx, &invoice.customer_no, invoice.month.next()).await?.to_string())
        .bind(crate::i18n::carried_line(&month))
        .bind(total.0)
        .execute(&mut *tx)
        .await?;
    } else {
        let event = serde_json::json!({
            "event": REFUND_TOPIC, "customer_no": invoice.customer_no, "month": month, "amount": -total.0,
        });
        crate::ssr::mail::enqueue_event(tx, REFUND_TOPIC, &event, crate::ssr::now()).await?;
    }
    Ok(())
}

/// What a line of the payment results did (`server payments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Marked お支払い済み (a failure reported before gives way: paid later, by slip).
    Paid,
    /// Marked 未払い, and the account holder mailed whom to call (`mailed`: false for a
    /// customer with no portal account).
    Failed { mailed: bool },
    /// Reported before, the same: nothing changed (the file read again).
    AlreadyReported,
    /// Refused: no invoice of that customer and month.
    NoInvoice,
    /// Refused: the amount is not the invoice's total (this many yen).
    AmountDiffers(i64),
    /// Refused: a failure reported of an invoice paid already.
    PaidAlready,
    /// Refused: a payment reported of an invoice paid on another day (this one): a second
    /// collection, perhaps, to refund.
    PaidOnAnotherDay(String),
}

/// Records one payment result in `tx`: the invoice of its customer and month, for its
/// total exactly, marked paid (`paid_on`) or failed (`failed_on`, mailed in the same
/// transaction, so once). Each change is one conditional write: two runs of the same
/// file, at once or one after the other, change and mail each invoice once.
pub async fn record_payment(
    tx: &mut Conn,
    settings: &Settings,
    report: &crate::domain::billing::PaymentReport,
) -> Result<Recorded, sqlx::Error> {
    let (customer_no, month, on) =
        (report.customer_no.as_str(), report.month.to_string(), report.on.to_string());
    let written = if report.paid {
        sqlx::query(
            "UPDATE invoices SET status = 'paid', paid_on = $3
             WHERE customer_no = $1 AND billing_month = $2 AND status = 'unpaid' AND total = $4",
        )
    } else {
        sqlx::query(
            "UPDATE invoices SET failed_on = $3
             WHERE customer_no = $1 AND billing_month = $2 AND status = 'unpaid' AND failed_on IS NULL
               AND total = $4",
        )
    }
    .bind(customer_no)
    .bind(&month)
    .bind(&on)
    .bind(report.amount.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        let found: Option<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT total, status, paid_on FROM invoices WHERE customer_no = $1 AND billing_month = $2",
        )
        .bind(customer_no)
        .bind(&month)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(match found {
            None => Recorded::NoInvoice,
            Some((total, _, _)) if total != report.amount.0 => Recorded::AmountDiffers(total),
            Some((_, status, _)) if status == "paid" && !report.paid => Recorded::PaidAlready,
            Some((_, _, Some(paid_on))) if report.paid && paid_on != on => {
                Recorded::PaidOnAnotherDay(paid_on)
            }
            Some(_) => Recorded::AlreadyReported,
        });
    }
    if report.paid {
        return Ok(Recorded::Paid);
    }
    let recipients = mail_recipients(tx, &[customer_no.to_string()]).await?;
    let Some((to, locale)) = recipients.get(customer_no) else {
        return Ok(Recorded::Failed { mailed: false });
    };
    let link = settings
        .public_url
        .join(&format!("{}?month={month}", super::INVOICES_PATH))
        .map_err(|e| bad_data(e.to_string()))?;
    let mail = super::mail::payment_failed(settings, *locale, to, &month, report.amount, &on, link.as_str());
    crate::ssr::mail::enqueue_many(tx, "billing.payment_failed", &[mail], crate::ssr::now()).await?;
    Ok(Recorded::Failed { mailed: true })
}

/// Where each of `customers`' invoice mail goes: the active account's contact address
/// (its iTSCOM ID when none), in the account's language. Customers without an active
/// account are not in the map.
async fn mail_recipients(
    conn: &mut Conn,
    customers: &[String],
) -> Result<HashMap<String, (String, crate::i18n::Locale)>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, String)> = over(
        &mut *conn,
        "SELECT a.customer_no, a.itscom_id, c.contact_email, a.locale FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no
         WHERE a.customer_no IN ({in}) AND a.state = 'active'",
        &[],
        customers,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|(customer_no, itscom_id, contact, locale)| {
            let locale = crate::i18n::Locale::from_code(&locale).unwrap_or_default();
            (customer_no, (contact.unwrap_or(itscom_id), locale))
        })
        .collect())
}

/// The columns of [`InvoiceRow`].
const INVOICE_COLUMNS: &str =
    "billing_month, issued_on, due_on, total, status, paid_on, failed_on, pay_kind, pay_name, \
    pay_last4, pay_exp_month, pay_exp_year";

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    billing_month: String,
    issued_on: String,
    due_on: String,
    total: i64,
    status: String,
    paid_on: Option<String>,
    failed_on: Option<String>,
    pay_kind: Option<String>,
    pay_name: Option<String>,
    pay_last4: Option<String>,
    pay_exp_month: Option<i64>,
    pay_exp_year: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    description: String,
    amount: i64,
    rate: i64,
    days: Option<i64>,
    of_days: Option<i64>,
}

fn status_of(row: &InvoiceRow, today: Date) -> Result<InvoiceStatus, sqlx::Error> {
    use crate::domain::billing::Collection;
    let collected = match (row.status.as_str(), &row.failed_on) {
        ("paid", _) => Collection::Paid,
        (_, Some(_)) => Collection::Failed,
        _ => Collection::Awaited,
    };
    Ok(InvoiceStatus::of_invoice(collected, Yen(row.total), date(&row.due_on)?, today))
}

/// The customer's invoices, newest first, at most `limit`.
pub async fn months(
    conn: &mut Conn,
    customer_no: &str,
    limit: i64,
    today: Date,
) -> Result<Vec<MonthSummary>, sqlx::Error> {
    let rows: Vec<InvoiceRow> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE customer_no = $1 ORDER BY billing_month DESC LIMIT $2"
    ))
    .bind(customer_no)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MonthSummary {
                month: r.billing_month.clone(),
                total: Yen(r.total),
                status: status_of(r, today)?,
            })
        })
        .collect()
}

async fn lines_of(
    conn: &mut Conn,
    customer_no: &str,
    month: &str,
) -> Result<Vec<StatementLine>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.description, l.amount, l.rate, l.days, l.of_days FROM invoice_lines l
         JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = $1 AND i.billing_month = $2 ORDER BY l.line_no",
    )
    .bind(customer_no)
    .bind(month)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatementLine {
            description: r.description,
            amount: Yen(r.amount),
            rate: r.rate,
            days: r.days.zip(r.of_days).map(|(d, of)| (d as u8, of as u8)),
        })
        .collect())
}

fn plain(lines: &[StatementLine]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| Line { description: l.description.clone(), amount: l.amount, rate: l.rate })
        .collect()
}

/// `customer_no`'s statement for `month`, None when that customer has no invoice for
/// it (another customer's month is the same None: a 404 either way).
pub async fn statement(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
    today: Date,
) -> Result<Option<Statement>, sqlx::Error> {
    let row: Option<InvoiceRow> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE customer_no = $1 AND billing_month = $2"
    ))
    .bind(customer_no)
    .bind(month.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let lines = lines_of(conn, customer_no, &row.billing_month).await?;
    let (_, per_rate) = totals(&plain(&lines));
    let previous_month = month.previous().to_string();
    let previous: Option<i64> =
        sqlx::query_scalar("SELECT total FROM invoices WHERE customer_no = $1 AND billing_month = $2")
            .bind(customer_no)
            .bind(&previous_month)
            .fetch_optional(&mut *conn)
            .await?;
    let changes = match previous {
        Some(_) => {
            explain_change(&plain(&lines_of(conn, customer_no, &previous_month).await?), &plain(&lines))
        }
        None => Vec::new(),
    };
    let payment = match (row.pay_kind.as_deref(), row.pay_last4.clone()) {
        (Some("bank"), Some(last4)) => Some(PaymentMethod::Bank { bank: row.pay_name.clone(), last4 }),
        (Some("card"), Some(last4)) => Some(PaymentMethod::Card {
            brand: row.pay_name.clone().unwrap_or_default(),
            last4,
            exp_month: row.pay_exp_month.unwrap_or_default() as u8,
            exp_year: row.pay_exp_year.unwrap_or_default() as u16,
        }),
        _ => None,
    };
    Ok(Some(Statement {
        status: status_of(&row, today)?,
        month: row.billing_month,
        issued_on: row.issued_on,
        due_on: row.due_on,
        paid_on: row.paid_on,
        rates: per_rate.iter().map(|r| RateSummary { rate: r.rate, total: r.total, tax: r.tax }).collect(),
        total: Yen(row.total),
        lines,
        payment,
        previous: previous.map(|t| (previous_month, Yen(t))),
        changes,
    }))
}

/// ご請求明細の確認 for `customer_no`: the last 12 months and the statement of `month`
/// (the newest when None). None when `month` is not one of the customer's invoices.
pub async fn overview(
    conn: &mut Conn,
    customer_no: &str,
    month: Option<Month>,
    today: Date,
) -> Result<Option<BillingOverview>, sqlx::Error> {
    let months = months(conn, customer_no, 12, today).await?;
    let wanted = match month {
        Some(m) => Some(m),
        None => months.first().and_then(|m| Month::parse(&m.month)),
    };
    let selected = match wanted {
        Some(m) => match statement(conn, customer_no, m, today).await? {
            Some(s) => Some(s),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(BillingOverview { months, selected }))
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    customer_no: String,
    kind: String,
    bank_name: Option<String>,
    account_last4: Option<String>,
    card_brand: Option<String>,
    card_last4: Option<String>,
    card_exp_month: Option<i64>,
    card_exp_year: Option<i64>,
}

const PAYMENT_COLUMNS: &str =
    "customer_no, kind, bank_name, account_last4, card_brand, card_last4, card_exp_month, card_exp_year";

impl PaymentRow {
    fn method(self) -> Option<PaymentMethod> {
        match self.kind.as_str() {
            "bank" => Some(PaymentMethod::Bank { bank: self.bank_name, last4: self.account_last4? }),
            _ => Some(PaymentMethod::Card {
                brand: self.card_brand.unwrap_or_default(),
                last4: self.card_last4?,
                exp_month: self.card_exp_month.unwrap_or_default() as u8,
                exp_year: self.card_exp_year.unwrap_or_default() as u16,
            }),
        }
    }
}

/// The customer's payment method now.
pub async fn payment_method(
    conn: &mut Conn,
    customer_no: &str,
) -> Result<Option<PaymentMethod>, sqlx::Error> {
    let row: Option<PaymentRow> =
        sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM payment_methods WHERE customer_no = $1"))
            .bind(customer_no)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(PaymentRow::method))
}

/// The payment methods of `customers` (a batch of the run).
async fn payment_methods(
    conn: &mut Conn,
    customers: &[String],
) -> Result<HashMap<String, PaymentMethod>, sqlx::Error> {
    let rows: Vec<PaymentRow> = over(
        &mut *conn,
        &format!("SELECT {PAYMENT_COLUMNS} FROM payment_methods WHERE customer_no IN ({{in}})"),
        &[],
        customers,
    )
    .await?;
    Ok(rows.into_iter().filter_map(|r| Some((r.customer_no.clone(), r.method()?))).collect())
}

/// Whom an invoice is addressed to: the customer's name and address.
#[derive(sqlx::FromRow)]
pub struct Addressee {
    pub customer_no: String,
    pub name: String,
    pub postal_code: String,
    pub address: String,
}

/// Whom the customer's invoice of `month` is addressed to: as at its issue (as the
/// customer is now for an invoice issued before that was kept). None: no such invoice.
pub async fn addressee(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
) -> Result<Option<Addressee>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.customer_no, COALESCE(i.to_name, c.name) AS name,
                COALESCE(i.to_postal_code, c.postal_code) AS postal_code,
                COALESCE(i.to_address, c.address) AS address
         FROM invoices i JOIN customers c ON c.customer_no = i.customer_no
         WHERE i.customer_no = $1 AND i.billing_month = $2",
    )
    .bind(customer_no)
    .bind(month.to_string())
    .fetch_optional(conn)
    .await
}

/// Writes a card setup `id` for `account`'s session, waiting at the gateway until
/// `expires_at`.
pub async fn insert_setup(
    conn: &mut Conn,
    id: &str,
    account: &CurrentAccount,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_setups (id, account_id, customer_no, session_hash, step, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(&account.account_id)
    .bind(&account.customer_no)
    .bind(&account.session_hash)
    .bind(PaymentStep::AtGateway)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whose a setup is: what a result settles it for.
#[derive(sqlx::FromRow)]
pub struct Owner {
    pub account_id: String,
    pub customer_no: String,
}

/// The setup `reference` while it waits at the gateway (not expired, and the session
/// that opened it not ended: a logout, 他の端末をすべてログアウト or a password reset
/// ends what a stolen session started), and whose it is.
pub async fn waiting_setup(conn: &mut Conn, reference: &str, now: i64) -> Result<Option<Owner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, customer_no FROM payment_setups p WHERE id = $1 AND step = $2 AND expires_at > $3
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.id_hash = p.session_hash)",
    )
    .bind(reference)
    .bind(PaymentStep::AtGateway)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Whose the setup `reference` is, while it has had no result (expired, or its session
/// ended, or still waiting).
pub async fn unreceived_setup(conn: &mut Conn, reference: &str) -> Result<Option<Owner>, sqlx::Error> {
    sqlx::query_as("SELECT account_id, customer_no FROM payment_setups WHERE id = $1 AND received_at IS NULL")
        .bind(reference)
        .fetch_optional(conn)
        .await
}

/// A result for the setup `reference` that came too late (expired, or its session
/// ended), from the client address `from`: the setup ends (cancelled) having had it,
/// once. Whether this call ended it.
pub async fn received_too_late(
    conn: &mut Conn,
    reference: &str,
    from: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE payment_setups SET step = $1, received_at = $2, received_from = $3 WHERE id = $4 AND received_at IS NULL",
    )
    .bind(PaymentStep::Cancelled)
    .bind(now)
    .bind(from)
    .bind(reference)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Whether the setup `reference` had this very result (its `digest`) in time (received,
/// settled or waiting to be): posted again, it is the same change, not an expired one.
pub async fn received_in_time(conn: &mut Conn, reference: &str, digest: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM payment_setups
         WHERE id = $1 AND received_digest = $5 AND received_at IS NOT NULL AND step IN ($2, $3, $4)",
    )
    .bind(reference)
    .bind(PaymentStep::AtGateway)
    .bind(PaymentStep::Done)
    .bind(PaymentStep::Declined)
    .bind(digest)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The `expires_at` of a setup whose result was received and is not settled: it does
/// not expire (nor is it deleted) before it is settled.
pub const UNTIL_SETTLED: i64 = i64::MAX;

/// Keeps the gateway's verified `outcome` (JSON) for the setup `reference` while it
/// waits and has none yet, from the client address `from`: whether it did (false: a
/// replay, a double post, an expired setup, or one whose session ended). The setup no
/// longer expires until it is settled.
pub async fn receive(
    conn: &mut Conn,
    reference: &str,
    outcome: &str,
    from: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE payment_setups SET outcome = $1, received_at = $2, received_from = $3, expires_at = $4,
                received_digest = $7
         WHERE id = $5 AND step = $6 AND received_at IS NULL AND expires_at > $2
           AND EXISTS (SELECT 1 FROM sessions s WHERE s.id_hash = payment_setups.session_hash)",
    )
    .bind(outcome)
    .bind(now)
    .bind(from)
    .bind(UNTIL_SETTLED)
    .bind(reference)
    .bind(PaymentStep::AtGateway)
    .bind(crate::ssr::auth::sha256_hex(outcome))
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A setup whose gateway result was received and is not settled yet.
#[derive(sqlx::FromRow)]
pub struct Received {
    pub account_id: String,
    pub customer_no: String,
    /// The verified outcome, as JSON.
    pub outcome: String,
    /// The client address the result came from.
    pub received_from: String,
    pub received_at: i64,
}

/// The setup `reference` if its result was received and is not settled.
pub async fn received_setup(conn: &mut Conn, reference: &str) -> Result<Option<Received>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, customer_no, outcome, received_from, received_at FROM payment_setups
         WHERE id = $1 AND step = $2 AND outcome IS NOT NULL",
    )
    .bind(reference)
    .bind(PaymentStep::AtGateway)
    .fetch_optional(conn)
    .await
}

/// Results received at `before` or earlier and still not settled, oldest first, at
/// most `limit`: each setup's reference and when its result came.
pub async fn received_before(
    conn: &mut Conn,
    before: i64,
    limit: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, received_at FROM payment_setups WHERE outcome IS NOT NULL AND step = $1 AND received_at <= $2
         ORDER BY received_at LIMIT $3",
    )
    .bind(PaymentStep::AtGateway)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The step of `account`'s session's setup `reference`, unless it expired, with the
/// outcome received and not settled yet (JSON), if any.
pub async fn setup_step(
    conn: &mut Conn,
    reference: &str,
    account: &CurrentAccount,
    now: i64,
) -> Result<Option<(PaymentStep, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT step, outcome FROM payment_setups
         WHERE id = $1 AND account_id = $2 AND session_hash = $3 AND expires_at > $4",
    )
    .bind(reference)
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Makes `card` the customer's payment method (the bank account, if any, forgotten),
/// as of `received_at`, when the gateway sent it: the method's `updated_at`. Unless the
/// method is of a later moment already (a card the gateway sent after this one, settled
/// first): the later one stands, as at the gateway, and this one is passed over
/// (false). Settling order does not matter; the order the gateway sent them in does.
pub async fn set_card(
    conn: &mut Conn,
    customer_no: &str,
    card: &CardToken,
    received_at: i64,
) -> Result<bool, sqlx::Error> {
    let set = sqlx::query(
        "INSERT INTO payment_methods (customer_no, kind, bank_name, account_last4, card_brand, card_last4,
            card_exp_month, card_exp_year, card_token, updated_at)
         VALUES ($1, 'card', NULL, NULL, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (customer_no) DO UPDATE SET kind = 'card', bank_name = NULL, account_last4 = NULL,
            card_brand = $2, card_last4 = $3, card_exp_month = $4, card_exp_year = $5, card_token = $6,
            updated_at = $7
         WHERE payment_methods.updated_at <= $8",
    )
    .bind(customer_no)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(i64::from(card.exp_month))
    .bind(i64::from(card.exp_year))
    .bind(&card.token)
    .bind(received_at)
    .bind(received_at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(set == 1)
}
