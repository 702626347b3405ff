//! Contract terms (SPEC §2 menu B, issue 13): a plan with a term of N months runs from
//! the month it started; the month after each full term is its 更新月, the month in
//! which it can end (or change plan) without the early-termination fee, and the
//! month customers look for before changing.

use super::billing::{days_in_force, prorate, Date, Month};
use super::Yen;

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

/// What a plan change costs, shown before the customer confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanChangeQuote {
    /// The day the new plan starts: the 1st of the month after the request.
    pub effective_on: Date,
    /// The first month billed at the new plan, prorated (日割り) by [`split_month`].
    pub first_month: Yen,
    /// Days of that month at the new plan, of the month's days.
    pub first_month_days: (u8, u8),
    /// 契約解除料: a change to a cheaper plan in a month that is not the 更新月 ends
    /// the term early; a change to a dearer one (or in the 更新月) costs nothing.
    pub termination_fee: Yen,
}

/// The quote for changing, requested on `today`, a service that started in `started`
/// with a term of `term_months` (0: none), from a plan of `old_fee` to one of `new_fee`;
/// `termination_fee` is the current plan's fee for ending inside the term.
pub fn quote_change(
    today: Date,
    started: Month,
    term_months: u32,
    old_fee: Yen,
    new_fee: Yen,
    termination_fee: Yen,
) -> PlanChangeQuote {
    let effective_on = Month::of(today).plus(1).first();
    let month = Month::of(effective_on);
    let (_, first_month) = split_month(old_fee, new_fee, effective_on);
    let days = days_in_force(month, effective_on, None);
    // Judged by the month of the request, as customers read 更新月: a change asked for
    // in the 更新月 is free.
    let downgrade = new_fee < old_fee;
    let fee = if downgrade && inside_term(started, term_months, Month::of(today)) {
        termination_fee
    } else {
        Yen(0)
    };
    PlanChangeQuote {
        effective_on,
        first_month,
        first_month_days: (days, month.days()),
        termination_fee: fee,
    }
}

/// The month of a change on `on`, billed as the engine bills it: the old plan for the
/// days before, the new one from that day, each prorated (rounded down).
pub fn split_month(old_fee: Yen, new_fee: Yen, on: Date) -> (Yen, Yen) {
    let month = Month::of(on);
    let of_days = month.days();
    let new_days = days_in_force(month, on, None);
    (prorate(old_fee, of_days - new_days, of_days), prorate(new_fee, new_days, of_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::lit::{d, m};

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

    #[test]
    fn a_change_starts_on_the_first_of_next_month_and_a_downgrade_inside_the_term_costs_the_fee() {
        let start = m("2019-04");
        // 1G → 10G requested on 2026-11-26: from 2026-12-01, a full month, no fee.
        let q = quote_change(d("2026-11-26"), start, 24, Yen(6_380), Yen(7_480), Yen(11_000));
        assert_eq!(q.effective_on, d("2026-12-01"));
        assert_eq!((q.first_month, q.first_month_days), (Yen(7_480), (31, 31)));
        assert_eq!(q.termination_fee, Yen(0), "a dearer plan");
        // 1G → 300M: cheaper, and 2026-12 is not the 更新月 (2027-04): the fee.
        let q = quote_change(d("2026-11-30"), start, 24, Yen(6_380), Yen(5_280), Yen(11_000));
        assert_eq!(q.termination_fee, Yen(11_000));
        // Requested in the 更新月 2027-04 (effective 2027-05-01): no fee; the month
        // before it (effective in 2027-04): the fee.
        let q = quote_change(d("2027-04-30"), start, 24, Yen(6_380), Yen(5_280), Yen(11_000));
        assert_eq!(q.effective_on, d("2027-05-01"));
        assert_eq!(q.termination_fee, Yen(0));
        let q = quote_change(d("2027-03-31"), start, 24, Yen(6_380), Yen(5_280), Yen(11_000));
        assert_eq!(q.effective_on, d("2027-04-01"));
        assert_eq!(q.termination_fee, Yen(11_000));
        // December → January crosses the year; no term, no fee.
        let q = quote_change(d("2026-12-01"), start, 0, Yen(6_380), Yen(5_280), Yen(11_000));
        assert_eq!(q.effective_on, d("2027-01-01"));
        assert_eq!(q.termination_fee, Yen(0));
    }

    #[test]
    fn a_month_split_bills_each_plan_for_its_days() {
        // 16 November: 15 days at 5,280 and 15 at 6,380 (of 30).
        assert_eq!(split_month(Yen(5_280), Yen(6_380), d("2026-11-16")), (Yen(2_640), Yen(3_190)));
        assert_eq!(split_month(Yen(5_280), Yen(6_380), d("2026-11-01")), (Yen(0), Yen(6_380)));
        assert_eq!(split_month(Yen(5_280), Yen(6_380), d("2026-11-30")), (Yen(5_104), Yen(212)));
    }

    proptest::proptest! {
        /// The old and new plan's prorated amounts of a month never exceed a full
        /// month of the dearer plan.
        #[test]
        fn a_split_month_never_costs_more_than_the_dearer_plan(
            old in 0_i64..100_000, new in 0_i64..100_000,
            year in 2000_i32..2100, month in 1_u8..=12, day in 1_u8..=31,
        ) {
            let m = Month { year, month };
            let day = day.min(m.days());
            let on = Date::parse(&format!("{year:04}-{month:02}-{day:02}")).unwrap();
            let (a, b) = split_month(Yen(old), Yen(new), on);
            proptest::prop_assert!(a.0 + b.0 <= old.max(new), "{a:?} + {b:?} > {}", old.max(new));
            proptest::prop_assert!(a.0 >= 0 && b.0 >= 0);
        }
    }
}
