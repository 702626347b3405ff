//! The payment gateway My Page changes cards through. The card is entered on the
//! gateway's own hosted page, never on My Page: My Page opens a session for its
//! reference, sends the customer there, and on the way back has the gateway check its
//! signed result and redeem it, once, for the outcome: a token with the card's brand,
//! last 4 digits and expiry, which is all My Page keeps.
//!
//! `PAYMENT_GATEWAY` chooses the implementation: the built-in test gateway (the server's
//! `test_gateway`, under `/pgw/test/`, development only) or GMO Payment Gateway's
//! リンクタイプPlus ([`gmo`]); with none, a change to a card is not offered online.

pub mod gmo;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A card as the gateway keeps it for us: never its number or security code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: u8,
    pub exp_year: u16,
}

/// What the customer did on the gateway's page (kept as JSON from its arrival until it
/// is settled).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    Approved(CardToken),
    /// The card company refused the card.
    Declined,
    /// The customer went back without entering a card.
    Cancelled,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GatewayError {
    /// The return's signature does not verify: not the gateway's, or altered.
    #[error("the gateway's result is not signed by it")]
    BadSignature,
    /// The result was redeemed before (a replayed return), or never existed.
    #[error("the gateway's result was used before or does not exist")]
    NotRedeemable,
    /// The gateway could not be reached or failed.
    #[error("gateway failure: {0}")]
    Unavailable(String),
}

/// What My Page asks a gateway to open a card page for.
#[derive(Debug, Clone)]
pub struct Setup<'a> {
    /// Ours, unique per setup: the gateway hands it back with its result.
    pub reference: &'a str,
    /// The customer at the gateway (a gateway keeps the card under it).
    pub customer_no: &'a str,
    /// Where the customer's browser comes back by GET (with this session's cookie).
    pub return_url: &'a str,
    /// Where a gateway that answers with a form POST from its own site posts its result
    /// (cross-site: no session cookie; My Page records it and sends the browser on to
    /// `return_url`).
    pub result_url: &'a str,
    /// The language of the gateway's page.
    pub locale: crate::i18n::Locale,
}

/// A verified result: which setup it is for, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub reference: String,
    pub outcome: Outcome,
    /// The customer at the gateway the result is for, when the gateway names one: it
    /// must be the setup's ([`PaymentGateway::member_id`]).
    pub member: Option<String>,
}

pub trait PaymentGateway: Send + Sync {
    /// The origin of the gateway's card page, when it is not My Page's own: pages allow
    /// forms to lead there (CSP `form-action`).
    fn origin(&self) -> Option<String>;

    /// Whether the gateway returns its result in the return's query (the browser's GET);
    /// otherwise only its posted form is taken (a result in a URL would be logged by
    /// whatever proxies it).
    fn returns_by_query(&self) -> bool {
        false
    }

    /// The customer's name at the gateway, when it keeps cards under one: a result for
    /// another is refused.
    fn member_id(&self, _customer_no: &str) -> Option<String> {
        None
    }

    /// Open the hosted card page for `setup`: the URL to send the customer to. The
    /// gateway sends them back with its result.
    fn begin<'a>(&'a self, setup: Setup<'a>) -> BoxFuture<'a, Result<String, GatewayError>>;

    /// The result the customer came back with (the return's query or the posted form):
    /// its signature verified (and, where the gateway redeems results, redeemed once),
    /// for the setup it names.
    fn complete<'a>(
        &'a self,
        params: &'a HashMap<String, String>,
    ) -> BoxFuture<'a, Result<Completion, GatewayError>>;
}
