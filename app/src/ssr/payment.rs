//! The payment gateway My Page changes cards through. The card is entered on the
//! gateway's own hosted page, never on My Page: My Page opens a session for its
//! reference, sends the customer there, and on the way back has the gateway check its
//! signed result and redeem it, once, for the outcome: a token with the card's brand,
//! last 4 digits and expiry, which is all My Page keeps.
//!
//! The built-in test gateway (the server's `test_gateway`, under `/pgw/test/`) is the
//! default; a real gateway (GMO-PG's link type, Stripe Checkout in setup mode) is
//! another implementation of this trait.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A card as the gateway keeps it for us: never its number or security code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: u8,
    pub exp_year: u16,
}

/// What the customer did on the gateway's page.
#[derive(Debug, Clone, PartialEq, Eq)]
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

pub trait PaymentGateway: Send + Sync {
    /// Open the hosted card page for `merchant_ref` (ours, unique): the URL to send the
    /// customer to. The gateway sends them back to `return_url` with its result.
    fn begin<'a>(
        &'a self,
        merchant_ref: &'a str,
        return_url: &'a str,
    ) -> BoxFuture<'a, Result<String, GatewayError>>;

    /// The result the customer came back with (the return URL's query): verified and
    /// redeemed once for the outcome.
    fn complete<'a>(
        &'a self,
        merchant_ref: &'a str,
        query: &'a HashMap<String, String>,
    ) -> BoxFuture<'a, Result<Outcome, GatewayError>>;
}
