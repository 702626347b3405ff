//! お友だち紹介 (SPEC §2 menu B): the customer's personal referral code and link, a QR
//! code of the link (an SVG drawn on the server), how the programme works, and the
//! friends who applied with the code, each 申込受付 → 開通 → 特典付与 with its reward.
//! The link opens a public page that explains the offer and never names the referrer.

mod api;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

pub use api::*;
pub use page::{InvitePage, ReferralPage};

use crate::domain::Yen;
use serde::{Deserialize, Serialize};

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferralState {
    /// 申込受付: the friend applied with the code.
    Applied,
    /// 開通: the friend's service is connected.
    Connected,
    /// 特典付与: the reward is given to the referrer.
    Rewarded,
}

impl ReferralState {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "applied" => Some(Self::Applied),
            "connected" => Some(Self::Connected),
            "rewarded" => Some(Self::Rewarded),
            _ => None,
        }
    }
}

/// One friend who applied with the code (their name masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub friend: String,
    pub service_kind: String,
    pub applied_on: String,
    pub connected_on: Option<String>,
    pub rewarded_on: Option<String>,
    pub reward: Yen,
    pub state: ReferralState,
}

/// お友だち紹介: the code, its link and QR code, and the referrals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralOverview {
    /// As printed: `XXXX-XXXX`.
    pub code: String,
    pub link: String,
    /// The QR code of `link`, an `<svg>` element.
    pub qr_svg: String,
    pub referrals: Vec<Referral>,
    /// The reward a connected friend earns the referrer, and the total given so far.
    pub reward_each: Yen,
    pub rewarded_total: Yen,
}

/// The referrer's reward a connected friend earns (tax included, off the invoice).
pub const REWARD: Yen = Yen(5_000);

/// The code's alphabet: no 0/O, 1/I/L, so it is read out and typed without doubt.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A code as typed (any case, spaces or hyphens) in its stored form (8 characters of
/// the alphabet, upper case), or None.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String =
        input.chars().filter(|c| !matches!(c, '-' | ' ' | '　')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == 8 && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A stored code as printed: `ABCD-EFGH`.
pub fn print_code(code: &str) -> String {
    if code.len() == 8 {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_any_case_with_or_without_the_hyphen() {
        assert_eq!(normalize_code("hana-k7q4").as_deref(), Some("HANAK7Q4"));
        assert_eq!(normalize_code(" HANA K7Q4 ").as_deref(), Some("HANAK7Q4"));
        assert_eq!(print_code("HANAK7Q4"), "HANA-K7Q4");
        for bad in ["HANA-K7Q", "HANA-K7Q45", "HANA-K0Q4", "HANA-KIQ4", "ＨＡＮＡ-K7Q4", "", "<script>"] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
    }
}
