//! Add-ons (SPEC §4 and the option channels of §2, issue 14): a subscription starts on
//! the day it is applied for (the first month prorated by the billing engine) and a
//! cancel takes effect at the end of the month, or at the end of the minimum term
//! (最低利用期間) when that is later: the months up to it are still billed, which the
//! page says before the customer cancels; but never after the services it goes with
//! end (their ends set ahead): it ends with them ([`cancel_end_with`]).

use super::billing::{days_in_force, prorate, Date, Month};
use super::Yen;

/// The last day in force of a subscription that started on `started` with a minimum
/// term of `min_months` (counted from its first month; 0: none), cancelled on `today`.
pub fn cancel_end(started: Date, min_months: u32, today: Date) -> Date {
    let this_month = Month::of(today);
    let term_end = Month::of(started).plus(min_months as i32 - 1);
    if min_months > 0 && term_end > this_month {
        term_end.last()
    } else {
        this_month.last()
    }
}

/// What cancelling on `today` costs beyond this month: the months still billed up to
/// the end of the minimum term, at `fee` each.
pub fn cancel_cost(started: Date, min_months: u32, today: Date, fee: Yen) -> Yen {
    fees_after_this_month(fee, today, cancel_end(started, min_months, today))
}

/// [`cancel_end`] of a subscription whose services of the kind it goes with all have
/// their end set, the last on `service_ends` (None: one runs on): the subscription
/// ends with them (the maintenance job ends it then, and the billing engine bills no
/// day after), so a cancel never ends later, minimum term or not.
pub fn cancel_end_with(started: Date, min_months: u32, today: Date, service_ends: Option<Date>) -> Date {
    let end = cancel_end(started, min_months, today);
    service_ends.map_or(end, |s| end.min(s.max(today)))
}

/// What the months after `today`'s up to `end` cost at `fee` each, as the billing
/// engine bills them: a last month that ends before its last day by the day.
pub fn fees_after_this_month(fee: Yen, today: Date, end: Date) -> Yen {
    let mut month = Month::of(today).next();
    let mut total = 0;
    while month <= Month::of(end) {
        total += prorate(fee, days_in_force(month, month.first(), Some(end)), month.days()).0;
        month = month.next();
    }
    Yen(total)
}

/// The first month of a subscription started on `on`: the amount billed and (days, of
/// the month's days).
pub fn first_month(fee: Yen, on: Date) -> (Yen, (u8, u8)) {
    first_month_until(fee, on, None)
}

/// [`first_month`] of a subscription that ends on `ends` at the latest (the last day of
/// the services it goes with, once set: it is billed no day after).
pub fn first_month_until(fee: Yen, on: Date, ends: Option<Date>) -> (Yen, (u8, u8)) {
    let month = Month::of(on);
    let days = days_in_force(month, on, ends);
    (prorate(fee, days, month.days()), (days, month.days()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::lit::d;

    #[test]
    fn a_cancel_ends_the_month_or_the_minimum_term_whichever_is_later() {
        // No minimum term: the end of this month, the last day included.
        assert_eq!(cancel_end(d("2026-11-10"), 0, d("2026-11-26")), d("2026-11-30"));
        assert_eq!(cancel_end(d("2026-01-10"), 0, d("2026-02-28")), d("2026-02-28"));
        // 6 months from 2026-09 run to 2027-02: cancelled in November, billed to then.
        assert_eq!(cancel_end(d("2026-09-15"), 6, d("2026-11-26")), d("2027-02-28"));
        assert_eq!(cancel_cost(d("2026-09-15"), 6, d("2026-11-26"), Yen(1_320)), Yen(3 * 1_320));
        // In the term's last month: the end of this month, nothing more.
        assert_eq!(cancel_end(d("2026-09-15"), 6, d("2027-02-01")), d("2027-02-28"));
        assert_eq!(cancel_cost(d("2026-09-15"), 6, d("2027-02-01"), Yen(1_320)), Yen(0));
        // After it: the month's end.
        assert_eq!(cancel_end(d("2026-09-15"), 6, d("2027-03-05")), d("2027-03-31"));
        // A one-month term is the start month itself.
        assert_eq!(cancel_end(d("2026-11-02"), 1, d("2026-11-02")), d("2026-11-30"));
        assert_eq!(cancel_cost(d("2026-11-02"), 0, d("2026-11-02"), Yen(627)), Yen(0));
    }

    #[test]
    fn a_cancel_never_ends_after_the_services_the_add_on_goes_with() {
        // 6 months from 2026-09 run to 2027-02, but the TV ends on 2026-12-15: the
        // channel ends with it, and December is billed by the day (15 of 31).
        let tv_ends = Some(d("2026-12-15"));
        assert_eq!(cancel_end_with(d("2026-09-15"), 6, d("2026-11-26"), tv_ends), d("2026-12-15"));
        let end = cancel_end_with(d("2026-09-15"), 6, d("2026-11-26"), tv_ends);
        assert_eq!(fees_after_this_month(Yen(1_320), d("2026-11-26"), end), Yen(1_320 * 15 / 31));
        // Ending after the term: the term's end, as without.
        let late = Some(d("2027-05-31"));
        assert_eq!(cancel_end_with(d("2026-09-15"), 6, d("2026-11-26"), late), d("2027-02-28"));
        assert_eq!(cancel_end_with(d("2026-09-15"), 6, d("2026-11-26"), None), d("2027-02-28"));
        // Ending this month: that day; nothing after this month.
        let soon = Some(d("2026-11-28"));
        assert_eq!(cancel_end_with(d("2026-09-15"), 6, d("2026-11-26"), soon), d("2026-11-28"));
        assert_eq!(fees_after_this_month(Yen(1_320), d("2026-11-26"), d("2026-11-28")), Yen(0));
        // Whole months are whole fees.
        assert_eq!(fees_after_this_month(Yen(1_320), d("2026-11-26"), d("2027-02-28")), Yen(3 * 1_320));
    }

    #[test]
    fn the_first_month_is_prorated_from_the_day_applied() {
        assert_eq!(first_month(Yen(627), d("2026-11-01")), (Yen(627), (30, 30)));
        assert_eq!(first_month(Yen(627), d("2026-11-16")), (Yen(313), (15, 30)));
        assert_eq!(first_month(Yen(627), d("2026-11-30")), (Yen(20), (1, 30)));
    }

    #[test]
    fn a_first_month_ends_with_the_service_it_goes_with() {
        // Ending with its service on the 15th: billed to then.
        assert_eq!(
            first_month_until(Yen(1_320), d("2026-12-01"), Some(d("2026-12-15"))),
            (Yen(638), (15, 31))
        );
        assert_eq!(first_month_until(Yen(1_320), d("2026-12-15"), Some(d("2026-12-15"))), (Yen(42), (1, 31)));
        // An end in a later month leaves the first month whole.
        assert_eq!(
            first_month_until(Yen(1_320), d("2026-12-01"), Some(d("2027-01-15"))),
            (Yen(1_320), (31, 31))
        );
    }
}
