//! The top page's queries (server only).

use super::{ServiceSummary, TopSummary};
use crate::domain::Yen;
use crate::ssr::db::Conn;

/// The top-page summary of one customer, or None when there is no such customer.
pub async fn top_summary(conn: &mut Conn, customer_no: &str) -> Result<Option<TopSummary>, sqlx::Error> {
    let Some((customer_no, name)) = sqlx::query_as::<_, (String, String)>(
        "SELECT customer_no, name FROM customers WHERE customer_no = $1",
    )
    .bind(customer_no)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };

    let services = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT kind, plan_name, monthly_fee FROM services
         WHERE customer_no = $1 AND ended_on IS NULL
         ORDER BY CASE kind WHEN 'internet' THEN 1 WHEN 'tv' THEN 2 ELSE 3 END",
    )
    .bind(&customer_no)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(kind, plan_name, fee)| ServiceSummary { kind, plan_name, monthly_fee: Yen(fee) })
    .collect();

    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let latest_invoice =
        crate::features::billing::store::months(conn, &customer_no, 1, today).await?.into_iter().next();

    Ok(Some(TopSummary { customer_no, name, services, latest_invoice }))
}
