//! お支払い方法の変更 to a card, on My Page's side: a setup bound to the session opens
//! the gateway's page (`api::start_card_change`, the password again after 5 minutes);
//! the gateway sends the customer back to [`gateway_return`] with its result in the
//! query (checked, redeemed and settled there, for that session only), or posts it
//! from its own page to [`gateway_result`] (checked and settled there at once for the
//! setup's customer; the browser then goes on to [`gateway_return`]). Either way the
//! setup keeps brand, last 4, expiry and token only, and settles once: a replayed or
//! doubled return changes the method once.
//!
//! The gateway keeps the card from the moment it sends its result, so the verified
//! result is written first, on its own (received), and settled after, in a transaction
//! of its own: by the request that brought it, else by the maintenance task a minute
//! later ([`settle_received_results`]), or by the customer's return if it comes first.
//! A failure after the result is kept (the database away a moment, the process killed)
//! delays the change and loses nothing; a failure at keeping it asks the customer to
//! send the result again, from a page that posts it as it came (`send_again`).

use super::store::{self, Owner};
use super::{routes, PaymentMethod, PaymentStep};
use crate::ssr::auth::CurrentAccount;
use crate::ssr::db::Conn;
use crate::ssr::events::{self, Event, Subject};
use crate::ssr::payment::{CardToken, GatewayError, Outcome};
use crate::ssr::{flow, AppState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// Card setups an account may open: 10 an hour (each one creates a session at the
/// gateway; a stolen session must not flood it, nor test cards there without limit).
pub const SETUPS_PER_ACCOUNT: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("card-setup", 3600).free(10).then_wait(300, 3600);

/// A setup waits at the gateway at most this long.
pub const SETUP_SECS: i64 = 30 * 60;

/// The least time a setup is opened for: a card page a customer cannot finish before her
/// session ends is not opened (the card would reach the gateway, and not the portal).
pub const SETUP_AT_LEAST_SECS: i64 = 5 * 60;

/// A new setup for `account`'s session: its reference for the gateway. It waits
/// [`SETUP_SECS`] at most, and ends a minute before its session could (the session's
/// idle clock starts again now; `idle_secs`): a customer long at the gateway's page is
/// told her change expired, not refused as if her session had been ended. None, and
/// nothing written, when the session's absolute end (its 12 hours) leaves less than
/// [`SETUP_AT_LEAST_SECS`]; the idle end is the configuration's, and moves on.
pub async fn open_setup(
    conn: &mut Conn,
    account: &CurrentAccount,
    idle_secs: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let session_ends = crate::ssr::auth::session::touch(conn, &account.session_hash, now)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let expires_at = (now + SETUP_SECS).min(now + idle_secs - 60).min(session_ends - 60);
    if session_ends - 60 - now < SETUP_AT_LEAST_SECS {
        return Ok(None);
    }
    let id = crate::ssr::auth::random_token();
    store::insert_setup(conn, &id, account, now, expires_at).await?;
    Ok(Some(id))
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("{}{query}", routes::PAYMENT)).into_response()
}

/// On to the return of setup `reference`, without a result: it says how the change went,
/// to the session that opened it (and "expired" to any other).
fn to_return(reference: &str) -> Response {
    Redirect::to(&format!("{}?ref={reference}", routes::PAYMENT_RETURN)).into_response()
}

/// The setup `reference` while it waits at the gateway (not expired, its session not
/// ended), and whose it is.
async fn waiting(state: &AppState, reference: &str, now: i64) -> Result<Option<Owner>, sqlx::Error> {
    let mut conn = state.db.conn().await?;
    store::waiting_setup(&mut conn, reference, now).await
}

/// `GET /billing/payment/return?ref=…[&result…]`: where the customer's browser comes
/// back, with the session that opened the setup (another session's, or an expired
/// setup: nothing). A gateway that returns its result in the query (the test gateway)
/// has it checked, redeemed and settled here; one that posts it from its own page has
/// had it settled by [`gateway_result`] a moment before, and this says how it went.
pub async fn gateway_return(
    State(state): State<AppState>,
    account: CurrentAccount,
    Query(query): Query<HashMap<String, String>>,
    parts: http::request::Parts,
) -> Response {
    let t = crate::ssr::now();
    let client = crate::ssr::auth::client_address_of(Some(&parts), &state.settings);
    let reference = query.get("ref").filter(|r| crate::ssr::crypto::is_token(r)).cloned();
    let (Some(gateway), Some(reference)) = (state.payment_gateway.clone(), reference) else {
        return back("?error=expired");
    };
    let step: Result<Option<(PaymentStep, Option<String>)>, sqlx::Error> = async {
        let mut conn = state.db.conn().await?;
        store::setup_step(&mut conn, &reference, &account, t).await
    }
    .await;
    let step = match step {
        Ok(Some(at)) => at,
        // Another session's, or expired: nothing changes.
        Ok(None) => return back("?error=expired"),
        Err(e) => return internal(e),
    };
    let with_result = gateway.returns_by_query() && query.len() > 1;
    match step {
        (PaymentStep::AtGateway, None) if with_result => {}
        // The second of a double return (a doubled redirect, a reload): the first took the
        // result; this one says how the change went, not that it expired.
        _ if with_result => return to_return(&reference),
        // Settled from the gateway's own post (or not yet: back without a result).
        (PaymentStep::Done, _) => return back("?changed=1"),
        (PaymentStep::Declined, _) => return back("?error=declined"),
        // Received, and settling it failed a moment ago: settled now if it can be.
        (PaymentStep::AtGateway, Some(json)) => {
            return match serde_json::from_str::<Outcome>(&json) {
                Ok(outcome) => answer(&reference, &outcome, settle_received(&state, &reference, t).await),
                Err(e) => internal(e),
            };
        }
        _ => return back(""),
    }
    let outcome = match gateway.complete(&query).await {
        Ok(done) if done.reference == reference => done.outcome,
        // Redeemed a moment ago by the same return sent twice.
        Err(GatewayError::NotRedeemable) => return to_return(&reference),
        Ok(_) | Err(GatewayError::BadSignature) => {
            tracing::warn!("payment return refused: not the gateway's result for this setup");
            return back("?error=expired");
        }
        Err(e) => return internal(e),
    };
    match receive(&state, &reference, &outcome, &client, t).await {
        Ok(true) => answer(&reference, &outcome, settle_received(&state, &reference, t).await),
        Ok(false) => to_return(&reference),
        Err(e) => internal(e),
    }
}

/// `POST /billing/payment/result`: a gateway's signed result, posted by the browser
/// from the gateway's page (a cross-site form: no session cookie comes with it). The
/// result is checked (signature, the setup it names, the customer it is for) and
/// settled at once, once: the card is the gateway's from this moment, whether or not
/// the browser comes back. The browser is sent on to [`gateway_return`], which says
/// how it went to the session that opened the setup.
pub async fn gateway_result(
    State(state): State<AppState>,
    parts: http::request::Parts,
    axum::Form(params): axum::Form<HashMap<String, String>>,
) -> Response {
    let t = crate::ssr::now();
    let client = crate::ssr::auth::client_address_of(Some(&parts), &state.settings);
    let Some(gateway) = state.payment_gateway.clone() else {
        return back("?error=expired");
    };
    let done = match gateway.complete(&params).await {
        Ok(done) => done,
        Err(e @ (GatewayError::BadSignature | GatewayError::NotRedeemable)) => {
            tracing::warn!(error = %e, "payment result refused");
            return back("?error=expired");
        }
        Err(e) => return internal(e),
    };
    let owner = match waiting(&state, &done.reference, t).await {
        Ok(Some(owner)) => owner,
        // A replayed result, or one for a setup that ended or never was. Named in the log:
        // for a setup that expired first, the gateway holds a card the portal does not show.
        Ok(None) => {
            tracing::warn!(reference = %done.reference, "payment result for no setup waiting: refused");
            return too_late(&state, gateway.as_ref(), &done, &client, t).await;
        }
        Err(e) => {
            tracing::error!(error = %e, reference = %done.reference, "a verified gateway result could not be \
                read against its setup now: the customer is asked to send it again");
            return send_again(&params);
        }
    };
    // The card is kept under the customer the setup is for, nobody else.
    if done.member.is_some() && done.member != gateway.member_id(&owner.customer_no) {
        tracing::warn!("payment result refused: it names another customer than its setup's");
        return back("?error=expired");
    }
    match receive(&state, &done.reference, &done.outcome, &client, t).await {
        Ok(true) => {}
        // A replayed or doubled post: the first one took it. Or the setup ended since
        // it was read (expired, its session ended): then its owner is told.
        Ok(false) => {
            return too_late(&state, gateway.as_ref(), &done, &client, t).await;
        }
        Err(e) => {
            tracing::error!(error = %e, reference = %done.reference, "a verified gateway result could not \
                be kept now: the customer is asked to send it again");
            return send_again(&params);
        }
    }
    match settle_received(&state, &done.reference, t).await {
        // Straight to the page: the return would read the database that just failed.
        Err(e) => back(told(&done.outcome, Err(e))),
        Ok(_) => Redirect::to(&format!("{}?ref={}", routes::PAYMENT_RETURN, done.reference)).into_response(),
    }
}

/// The answer to a result for a setup that no longer waits: for one that had its result
/// in time (the same result posted again), its return, which says how the change went;
/// else (expired, or its session ended: perhaps a stolen one) expired. A card in it the gateway verified is not
/// applied, and the gateway may hold it now: once per setup, its owner is told (the
/// event, and the notice to the security addresses), and the operator by the log.
async fn too_late(
    state: &AppState,
    gateway: &dyn crate::ssr::payment::PaymentGateway,
    done: &crate::ssr::payment::Completion,
    client: &str,
    t: i64,
) -> Response {
    // The same result posted twice (the gateway's page sent again, Back): the first post
    // took it, and the change went through; the return says how, not that it expired.
    let digest = serde_json::to_string(&done.outcome).map(|json| crate::ssr::auth::sha256_hex(&json));
    let mut conn = state.db.conn().await;
    if let (Ok(conn), Ok(digest)) = (conn.as_mut(), digest) {
        if let Ok(true) = store::received_in_time(conn, &done.reference, &digest).await {
            return to_return(&done.reference);
        }
    }
    drop(conn);
    if let Outcome::Approved(card) = &done.outcome {
        if let Err(e) = tell_late_card(state, gateway, done, card, client, t).await {
            tracing::error!(error = %e, reference = %done.reference, "a late card could not be told");
        }
    }
    back("?error=expired")
}

async fn tell_late_card(
    state: &AppState,
    gateway: &dyn crate::ssr::payment::PaymentGateway,
    done: &crate::ssr::payment::Completion,
    card: &CardToken,
    client: &str,
    t: i64,
) -> Result<(), sqlx::Error> {
    let reference = done.reference.as_str();
    let mut tx = state.db.begin().await?;
    let Some(owner) = store::unreceived_setup(&mut tx, reference).await? else { return Ok(()) };
    if done.member.is_some() && done.member != gateway.member_id(&owner.customer_no) {
        return Ok(());
    }
    if !store::received_too_late(&mut tx, reference, client, t).await? {
        return Ok(());
    }
    let detail = serde_json::json!({ "brand": card.brand, "last4": card.last4 });
    events::record(&mut tx, Event::CardNotApplied, Subject::Account(&owner.account_id), client, detail, t)
        .await?;
    let told = super::mail::card_not_applied;
    tell_of_card(&mut tx, state, &owner.account_id, Event::CardNotApplied, card, told, t).await?;
    tx.commit().await?;
    tracing::error!(customer_no = %owner.customer_no, %reference,
        "a card the gateway verified came after its setup ended: not applied; the gateway may hold it");
    Ok(())
}

/// The answer to a verified result that could not be kept now (the database away a
/// moment): the card is the gateway's already, so the result is not dropped with an
/// error page, as it was (the gateway then held a card the portal did not show). A page
/// that works without JavaScript posts it again, as it came, at the customer's press;
/// keeping it is done once whatever the number of posts. 503, tried again in 10 s.
fn send_again(params: &HashMap<String, String>) -> Response {
    use crate::ssr::mail::escape_html as esc;
    let mut fields: Vec<_> = params.iter().collect();
    fields.sort();
    let hidden: String = fields
        .into_iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", esc(k), esc(v)))
        .collect();
    // Both languages: the gateway's cross-site post brings no language cookie.
    let (ja, en) = (super::texts::of(crate::i18n::Locale::Ja), super::texts::of(crate::i18n::Locale::En));
    let html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p>{body}</p>\
         <p lang=\"en\">{body_en}</p>\
         <form method=\"post\" action=\"{action}\" data-testid=\"send-again\">{hidden}\
         <button type=\"submit\">{button} / {button_en}</button></form></main></body></html>",
        title = esc(ja.send_again_title),
        body = esc(ja.send_again_body),
        body_en = esc(en.send_again_body),
        button = esc(ja.send_again_button),
        button_en = esc(en.send_again_button),
        action = routes::PAYMENT_RESULT,
    );
    let headers = [
        (http::header::CACHE_CONTROL, "no-store"),
        (http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (http::header::RETRY_AFTER, "10"),
    ];
    (http::StatusCode::SERVICE_UNAVAILABLE, headers, html).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    let _logged = crate::error::AppError::internal(e);
    back("?error=internal")
}

/// The customer's page once settling the received `outcome` of `reference` was tried;
/// settled by another request in between, the return reads how (another request may
/// have passed the card over).
fn answer(reference: &str, outcome: &Outcome, settled: Result<Option<PaymentStep>, sqlx::Error>) -> Response {
    match settled {
        Ok(None) => Redirect::to(&format!("{}?ref={reference}", routes::PAYMENT_RETURN)).into_response(),
        settled => back(told(outcome, settled)),
    }
}

/// What the customer's page says of `outcome`, received, once settling it was tried:
/// how it went, or, for a card that could not be settled yet, that it was received and
/// is settled in a moment.
fn told(outcome: &Outcome, settled: Result<Option<PaymentStep>, sqlx::Error>) -> &'static str {
    match (outcome, settled) {
        (Outcome::Approved(_), Err(e)) => {
            tracing::warn!(error = %e, "a card received could not be settled now; the maintenance task will");
            "?received=1"
        }
        // A card passed over for a newer change: nothing to say.
        (_, Ok(Some(PaymentStep::Cancelled))) | (Outcome::Cancelled, _) => "",
        (Outcome::Approved(_), Ok(_)) => "?changed=1",
        (Outcome::Declined, _) => "?error=declined",
    }
}

/// Writes the gateway's verified `outcome` for the setup `reference`, on its own, before
/// anything else: false when the setup no longer waits (a replay, a double post, expired).
async fn receive(
    state: &AppState,
    reference: &str,
    outcome: &Outcome,
    client: &str,
    t: i64,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(outcome).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut conn = state.db.conn().await?;
    store::receive(&mut conn, reference, &json, client, t).await
}

/// Settles the received result of the setup `reference` in one transaction: the setup
/// moves on once (to the step it moved to; None when it is not, or no longer,
/// received), and an approved card becomes the payment method, with the event and the
/// notice to the contact address, unless the method changed after the card was
/// received (a later change that settled first: the setup is then cancelled, as the
/// gateway's card is the later one too). The setup's answer stays for the customer's
/// return for [`SETUP_SECS`].
pub async fn settle_received(
    state: &AppState,
    reference: &str,
    t: i64,
) -> Result<Option<PaymentStep>, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let Some(received) = store::received_setup(&mut tx, reference).await? else { return Ok(None) };
    let outcome: Outcome =
        serde_json::from_str(&received.outcome).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let to = match &outcome {
        Outcome::Approved(_) => PaymentStep::Done,
        Outcome::Declined => PaymentStep::Declined,
        Outcome::Cancelled => PaymentStep::Cancelled,
    };
    let moved = flow::advance(PaymentStep::AtGateway, to)
        .clear("outcome")
        .set("expires_at", t + SETUP_SECS)
        .by("id", reference)
        .once(&mut tx)
        .await?;
    if !moved {
        return Ok(None);
    }
    let mut at = to;
    if let Outcome::Approved(card) = &outcome {
        if !use_card(&mut tx, state, &received, card, t).await? {
            tracing::info!(%reference, "a card received before a later change of method is passed over");
            flow::advance(to, PaymentStep::Cancelled).by("id", reference).once(&mut tx).await?;
            at = PaymentStep::Cancelled;
        }
    }
    tx.commit().await?;
    Ok(Some(at))
}

/// A result received is settled by its own request at once; one whose settling failed
/// (the database away a moment, the process killed between) is settled by the
/// maintenance task once it is this old.
pub const SETTLE_AFTER_SECS: i64 = 60;

/// At most this many results a run (each its own transaction): a backlog goes over the
/// next runs, within the tick's budget.
const SETTLE_BATCH: i64 = 100;

/// Settles the results received [`SETTLE_AFTER_SECS`] ago or more and left unsettled
/// (run by the maintenance task): how many. One that cannot be settled is named in the
/// log at each run, as an error once it has waited an hour: the gateway holds that card.
pub async fn settle_received_results(state: &AppState, now: i64) -> Result<usize, crate::error::AppError> {
    let started = std::time::Instant::now();
    let due = {
        let mut conn = state.db.conn().await?;
        store::received_before(&mut conn, now - SETTLE_AFTER_SECS, SETTLE_BATCH).await?
    };
    let mut settled = 0;
    for (reference, received_at) in due {
        if started.elapsed() > crate::ssr::maintenance::TICK_BUDGET / 2 {
            break;
        }
        match settle_received(state, &reference, now).await {
            Ok(Some(_)) => settled += 1,
            // Settled by a request in between.
            Ok(None) => {}
            Err(e) if now - received_at >= 3_600 => {
                tracing::error!(%reference, error = %e, "a gateway result received an hour ago is still not settled")
            }
            Err(e) => {
                tracing::warn!(%reference, error = %e, "a gateway result received could not be settled; next run")
            }
        }
    }
    Ok(settled)
}

/// Makes `card`, as `received` says it came, the payment method of its setup's
/// customer, with the event and the notice: false (nothing done) when the method
/// changed after the card was received.
async fn use_card(
    tx: &mut Conn,
    state: &AppState,
    received: &store::Received,
    card: &CardToken,
    t: i64,
) -> Result<bool, sqlx::Error> {
    if !store::set_card(tx, &received.customer_no, card, received.received_at).await? {
        return Ok(false);
    }
    let (account, client) = (&received.account_id, received.received_from.as_str());
    events::record(
        tx,
        Event::PaymentMethodChanged,
        Subject::Account(account),
        client,
        serde_json::json!({ "kind": "card", "brand": card.brand, "last4": card.last4 }),
        t,
    )
    .await?;
    let told = super::mail::payment_method_changed;
    tell_of_card(tx, state, account, Event::PaymentMethodChanged, card, told, t).await?;
    Ok(true)
}

/// The security addresses of `account` are told of `card` (as printed: brand and last
/// 4) as `event`, in the words of `mail`; in the caller's transaction.
async fn tell_of_card(
    tx: &mut Conn,
    state: &AppState,
    account: &str,
    event: Event,
    card: &CardToken,
    mail: fn(&crate::ssr::config::Settings, crate::i18n::Locale, &str, &str, i64) -> crate::ssr::mail::Mail,
    t: i64,
) -> Result<(), sqlx::Error> {
    let method = PaymentMethod::Card {
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
    };
    let words = |locale, to: &str| {
        let described = super::texts::describe_payment(super::texts::of(locale), &method);
        mail(&state.settings, locale, to, &described, t)
    };
    crate::ssr::db::customers::notify(tx, account, event.name(), words, t).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a card is said to be received when settling fails: a decline or a cancel
    /// is told as it is (nothing to settle in the customer's favour, no notice coming).
    #[test]
    fn a_result_not_settled_yet_is_told_as_received_only_for_a_card() {
        let card = Outcome::Approved(crate::ssr::payment::CardToken {
            token: "t".into(),
            brand: "Visa".into(),
            last4: "4242".into(),
            exp_month: 12,
            exp_year: 2030,
        });
        let failed = || Err(sqlx::Error::PoolTimedOut);
        assert_eq!(told(&card, failed()), "?received=1");
        assert_eq!(told(&card, Ok(Some(PaymentStep::Done))), "?changed=1");
        assert_eq!(told(&card, Ok(Some(PaymentStep::Cancelled))), "", "passed over for a newer change");
        assert_eq!(told(&Outcome::Declined, failed()), "?error=declined");
        assert_eq!(told(&Outcome::Cancelled, failed()), "");
    }
}
