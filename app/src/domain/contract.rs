//! Contract terms (SPEC §2 menu B, issue 13): a plan with a term of N months runs from
//! the month it started; the month after each full term is its 更新月, the month in
//! which it can end (or change plan) without the early-termination fee, and the
//! month customers look for before changing.

use super::billing::Month;

impl Month {
    /// `n` months later (or earlier, for a negative `n`).
    pub fn plus(self, n: i32) -> Month {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        Month { year: index.div_euclid(12), month: (index.rem_euclid(12) + 1) as u8 }
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.year * 12 + i32::from(later.month)) - (self.year * 12 + i32::from(self.month))
    }
}

/// The next 更新月 on or after `today` of a contract that started in `started` with a
/// term of `term_months` (0: no term, so None): `started + k × term` for the smallest
/// k ≥ 1 that is not before `today`.
pub fn next_renewal(started: Month, term_months: u32, today: Month) -> Option<Month> {
    if term_months == 0 {
        return None;
    }
    let term = term_months as i32;
    let elapsed = started.months_until(today);
    let k = if elapsed <= term { 1 } else { (elapsed + term - 1) / term };
    Some(started.plus(k * term))
}

/// Whether ending or changing in `month` is inside the term (the fee applies): any
/// month that is not a 更新月 once the contract has a term.
pub fn inside_term(started: Month, term_months: u32, month: Month) -> bool {
    term_months != 0 && next_renewal(started, term_months, month) != Some(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn months_add_across_years_both_ways() {
        assert_eq!(m("2026-11").plus(2), m("2027-01"));
        assert_eq!(m("2026-01").plus(-1), m("2025-12"));
        assert_eq!(m("2019-04").plus(24), m("2021-04"));
        assert_eq!(m("2019-04").months_until(m("2021-04")), 24);
        assert_eq!(m("2021-04").months_until(m("2019-04")), -24);
    }

    #[test]
    fn the_renewal_month_is_the_month_after_each_full_term() {
        let start = m("2019-04");
        // A 24-month term: 2019-04 … 2021-03, then 更新月 2021-04, 2023-04, 2025-04, 2027-04.
        assert_eq!(next_renewal(start, 24, m("2019-04")), Some(m("2021-04")));
        assert_eq!(next_renewal(start, 24, m("2021-04")), Some(m("2021-04")), "the month itself");
        assert_eq!(next_renewal(start, 24, m("2021-05")), Some(m("2023-04")), "the day after, the next");
        assert_eq!(next_renewal(start, 24, m("2026-11")), Some(m("2027-04")));
        assert_eq!(next_renewal(start, 24, m("2025-04")), Some(m("2025-04")));
        assert_eq!(next_renewal(start, 0, m("2026-11")), None, "no term");
        assert!(!inside_term(start, 24, m("2027-04")));
        assert!(inside_term(start, 24, m("2027-03")));
        assert!(inside_term(start, 24, m("2027-05")));
        assert!(!inside_term(start, 0, m("2027-05")));
    }
}
