//! Amounts of money in yen (tax included unless a name says otherwise).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Yen(pub i64);

impl Yen {
    /// "6,380" — digits grouped by thousands; the UI adds 円 or ¥ by locale.
    pub fn grouped(self) -> String {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// The consumption tax contained in a tax-included amount at `rate_pct` percent,
    /// rounded down as Japanese invoices do (内消費税).
    pub fn included_tax(self, rate_pct: i64) -> Yen {
        Yen(self.0 * rate_pct / (100 + rate_pct))
    }
}

impl std::ops::Add for Yen {
    type Output = Yen;
    fn add(self, rhs: Yen) -> Yen {
        Yen(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Yen {
    fn sum<I: Iterator<Item = Yen>>(iter: I) -> Yen {
        Yen(iter.map(|y| y.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(Yen(0).grouped(), "0");
        assert_eq!(Yen(627).grouped(), "627");
        assert_eq!(Yen(6380).grouped(), "6,380");
        assert_eq!(Yen(1234567).grouped(), "1,234,567");
        assert_eq!(Yen(-1000).grouped(), "-1,000");
    }

    #[test]
    fn included_tax_rounds_down() {
        assert_eq!(Yen(627).included_tax(10), Yen(57));
        assert_eq!(Yen(1100).included_tax(10), Yen(100));
        assert_eq!(Yen(1099).included_tax(10), Yen(99));
    }
}
