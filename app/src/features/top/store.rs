//! The top page's queries (server only).

use super::{ServiceSummary, TopNotice, TopSummary};
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

    // The services in force today, each at the plan in force today (one query for the
    // contract page and this summary).
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let in_force = crate::features::contract::store::services(conn, &customer_no, today).await?;
    let requests: Vec<TopNotice> = in_force
        .iter()
        .filter_map(|s| {
            let r = s.request.as_ref()?;
            let (to_name, effective_on) = (r.to_name.clone(), r.effective_on.clone());
            Some(TopNotice::PlanRequest { kind: s.kind.clone(), to_name, effective_on })
        })
        .collect();
    let mut services: Vec<ServiceSummary> = in_force
        .into_iter()
        .map(|s| ServiceSummary { kind: s.kind, plan_name: s.plan_name, monthly_fee: s.monthly_fee })
        .collect();
    // The add-ons in force, after the services they need.
    let addons = crate::features::contract::store::addons_in_force(conn, &customer_no, today).await?;
    services.extend(addons.into_iter().map(|a| ServiceSummary {
        kind: "addon".into(),
        plan_name: a.name,
        monthly_fee: a.monthly_fee,
    }));

    // The year the statement screen lists: its unpaid months are the first notices (an
    // older one unpaid is the customer center's to chase, as the statement no longer
    // lists it either).
    let months = crate::features::billing::store::months(conn, &customer_no, 12, today).await?;
    let unpaid = months.iter().filter(|m| m.status == crate::domain::billing::InvoiceStatus::Overdue);
    let unpaid = unpaid.map(|m| TopNotice::Unpaid { month: m.month.clone(), total: m.total });
    let notices: Vec<TopNotice> = unpaid.chain(requests).collect();
    let latest_invoice = months.into_iter().next();
    let this_month = crate::domain::billing::Month::of(today).to_string();
    let latest_is_this_month = latest_invoice.as_ref().is_some_and(|i| i.month == this_month);

    Ok(Some(TopSummary { customer_no, name, services, latest_invoice, latest_is_this_month, notices }))
}
