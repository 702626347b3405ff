use crate::error::AppError;
use crate::features::top::TopSummary;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn require_development() -> Result<crate::ssr::AppState, AppError> {
    let state = crate::ssr::state()?;
    if state.settings.env.is_production() {
        crate::ssr::set_status(404);
        return Err(AppError::NotFound);
    }
    Ok(state)
}

/// The customers a developer can preview: (customer number, name).
#[server(endpoint = "dev/customers")]
pub async fn list_demo_customers() -> Result<Vec<(String, String)>, AppError> {
    let state = require_development()?;
    let mut conn = state.db.conn().await?;
    Ok(crate::ssr::db::customers::list_brief(&mut conn).await?)
}

/// The top-page summary of any customer, for the development preview.
#[server(endpoint = "dev/preview")]
pub async fn get_preview_summary(customer_no: String) -> Result<TopSummary, AppError> {
    let state = require_development()?;
    let customer_no = crate::domain::CustomerNumber::parse(&customer_no).map_err(|error| {
        crate::ssr::set_status(422);
        AppError::Invalid { field: "customer_no".into(), error }
    })?;
    let mut conn = state.db.conn().await?;
    match crate::features::top::store::top_summary(&mut conn, customer_no.as_str()).await? {
        Some(summary) => Ok(summary),
        None => {
            crate::ssr::set_status(404);
            Err(AppError::NotFound)
        }
    }
}

/// The latest mails of the outbox, for the development mailbox.
#[server(endpoint = "dev/mail")]
pub async fn list_dev_mail() -> Result<Vec<crate::features::dev::DevMail>, AppError> {
    let state = require_development()?;
    let mut conn = state.db.conn().await?;
    Ok(crate::ssr::mail::list_recent(&mut conn, 100)
        .await?
        .into_iter()
        .map(|m| crate::features::dev::DevMail {
            topic: m.topic,
            sent_at: m.sent_at,
            mail: crate::features::dev::DevMailBody {
                to: m.mail.to,
                subject: m.mail.subject,
                text: m.mail.text,
            },
        })
        .collect())
}
