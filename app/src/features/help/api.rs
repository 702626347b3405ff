use super::HelpOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// お問い合わせ・サポート: the contacts, the customer's inquiries and the speed test
/// results they may attach.
#[server(endpoint = "help/overview")]
pub async fn get_help() -> Result<HelpOverview, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let inquiries = super::store::inquiries(&mut conn, &account.customer_no, 20).await?;
    // Only results the server's own count agrees with can be attached: of those the
    // speed test page lists (each verified one with its link to attach it here).
    let history = crate::features::speedtest::HISTORY;
    let results = crate::features::speedtest::store::results(&mut conn, &account.customer_no, history)
        .await?
        .into_iter()
        .filter(|r| r.verified)
        .collect();
    let limit_reached = super::store::sent_last_hour(&mut conn, &account.account_id, crate::ssr::now())
        .await?
        >= super::store::PER_HOUR;
    let submit_key = crate::ssr::auth::random_token();
    Ok(HelpOverview {
        contacts: state.settings.support.clone(),
        inquiries,
        results,
        limit_reached,
        submit_key,
    })
}

/// `送信する`: an inquiry (a category of the list, 1–2,000 characters, optionally one
/// of the customer's own speed test results); at most 5 an hour per account. The same
/// form sent again (`key`) answers with the inquiry it sent.
#[server(endpoint = "help/inquiry")]
pub async fn send_inquiry(
    category: String,
    message: String,
    result: Option<String>,
    key: Option<String>,
) -> Result<String, AppError> {
    use super::store::Sent;
    use crate::domain::inquiry::{InquiryCategory, InquiryMessage};
    use crate::domain::FieldError;
    use crate::ssr::{refuse, respond};
    let page = super::routes::HELP;
    respond(page, async {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = crate::ssr::now();
        let category = InquiryCategory::parse(&category).map_err(|e| AppError::invalid("category", e))?;
        let message = InquiryMessage::parse(&message).map_err(|e| AppError::invalid("message", e))?;
        let mut conn = state.db.conn().await?;
        let speed_test = match result.as_deref().filter(|r| !r.is_empty()) {
            None => None,
            // Only a result of the customer's own (another's is refused as if it
            // did not exist).
            // Nor one the server's own count contradicts: not evidence.
            Some(id) => {
                match crate::features::speedtest::store::result(&mut conn, &account.customer_no, id).await? {
                    Some(r) if r.verified => Some(r),
                    _ => return refuse(page, AppError::invalid("result", FieldError::InvalidFormat)),
                }
            }
        };
        drop(conn);
        let sent = super::store::send(
            &state.db,
            &state.settings,
            &account.customer_no,
            &account.account_id,
            category,
            &message,
            speed_test.as_ref(),
            key.as_deref().filter(|k| !k.is_empty() && k.len() <= 64),
            t,
        )
        .await?;
        match sent {
            Sent::Received(reference) => Ok(format!("{page}?sent={reference}")),
            Sent::Limit => refuse(page, AppError::TooManyAttempts),
        }
    })
    .await
}
