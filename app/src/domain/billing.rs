//! The billing engine's rules (SPEC §2, issue 12), pure: months and days, 日割り
//! (proration by days), and the consumption tax a qualified invoice (適格請求書) states:
//! computed once per invoice per rate on the tax-included total of that rate, rounded
//! down. The monthly run (`server bill`) reads the contracts, asks these functions for
//! the lines, and stores them; an issued month is never rewritten.

use super::Yen;
use serde::{Deserialize, Serialize};

/// A calendar date (Japan), as stored: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A billing month: `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Month {
    /// `2026-11`; None for anything else (no sign, two-digit month 01–12).
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn days(self) -> u8 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(self.year) => 29,
            2 => 28,
            _ => 31,
        }
    }

    pub fn first(self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }

    pub fn last(self) -> Date {
        Date { year: self.year, month: self.month, day: self.days() }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    pub fn of(date: Date) -> Month {
        Month { year: date.year, month: date.month }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Date {
    /// `2026-11-25`; None for anything else, or a day the month does not have.
    pub fn parse(s: &str) -> Option<Date> {
        let (ym, d) = s.rsplit_once('-')?;
        let month = Month::parse(ym)?;
        if d.len() != 2 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let day: u8 = d.parse().ok()?;
        (1..=month.days()).contains(&day).then_some(Date { year: month.year, month: month.month, day })
    }
}

impl Date {
    /// The day before (the last day of a plan that changed on `self`).
    pub fn previous_day(self) -> Date {
        if self.day > 1 {
            Date { day: self.day - 1, ..self }
        } else {
            Month::of(self).previous().last()
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The days of `month` on which a service that started on `start` and ended on `end`
/// (its last day, inclusive; None while it runs) was in force.
pub fn days_in_force(month: Month, start: Date, end: Option<Date>) -> u8 {
    let from = start.max(month.first());
    let to = end.map_or(month.last(), |e| e.min(month.last()));
    if from > to {
        0
    } else {
        to.day - from.day + 1
    }
}

/// 日割り: the part of a tax-included monthly fee for `days` of a month of `of_days`,
/// rounded down (a whole month is the whole fee).
pub fn prorate(fee: Yen, days: u8, of_days: u8) -> Yen {
    if days >= of_days {
        fee
    } else {
        Yen(fee.0 * i64::from(days) / i64::from(of_days))
    }
}

impl Date {
    /// The date in Japan of a moment (unix seconds): civil-from-days (H. Hinnant).
    pub fn of_unix_jst(unix: i64) -> Date {
        let days = (unix + 9 * 3600).div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year: year as i32, month: month as u8, day: day as u8 }
    }
}

impl Date {
    /// Days since 1970-01-01 (days-from-civil, H. Hinnant).
    fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day of the week: 0 Monday … 6 Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }

    /// The day after.
    pub fn next_day(self) -> Date {
        if self.day < Month::of(self).days() {
            Date { day: self.day + 1, ..self }
        } else {
            Month::of(self).next().first()
        }
    }

    /// Whether the banks are closed, as a payment date on the 27th can meet it: a
    /// Saturday or a Sunday, or one of the holidays that lie between the 27th and the
    /// day a payment moves to (at most two days of weekend and a holiday after): 昭和の日
    /// (29 April) and the banks' year end (31 December to 3 January). No other national
    /// holiday falls on the 27th to the 31st of a month.
    fn bank_closed(self) -> bool {
        self.weekday() >= 5 || matches!((self.month, self.day), (4, 29) | (12, 31) | (1, 1..=3))
    }
}

/// The payment date of `month`'s invoice (口座振替・カード): the 27th of the next
/// month, or, when the banks are closed then, the next day they are open
/// (金融機関休業日の場合は翌営業日), as the bank debits it.
pub fn payment_date(month: Month) -> Date {
    let mut day = Date { day: 27, ..month.next().first() };
    while day.bank_closed() {
        day = day.next_day();
    }
    day
}

/// What the customer sees of an invoice's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    /// お支払い予定: not paid, the payment date not passed.
    Scheduled,
    /// お支払い確認中: the payment date passed, and the bank (口座振替) or the card
    /// company has not reported its result yet (`server payments`): neither paid nor,
    /// on no news, unpaid.
    Confirming,
    /// お支払い済み.
    Paid,
    /// 未払い: the debit or the card charge failed, as reported.
    Overdue,
    /// お支払いなし: a total of ¥0 or less (credits as large as the month's charges):
    /// nothing is collected, so it is never due nor unpaid.
    NothingDue,
}

/// What the bank or the card company reported of an invoice's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Collection {
    /// Nothing reported yet.
    Awaited,
    Paid,
    /// The debit or the charge failed.
    Failed,
}

impl InvoiceStatus {
    /// The status of an invoice whose payment is `collected` so far, due on `due_on`,
    /// seen on `today`: unpaid on its payment date is still お支払い予定 (the debit runs
    /// that day); after it, お支払い確認中 until the result is reported.
    pub fn of(collected: Collection, due_on: Date, today: Date) -> InvoiceStatus {
        match collected {
            Collection::Paid => InvoiceStatus::Paid,
            Collection::Failed => InvoiceStatus::Overdue,
            Collection::Awaited if today > due_on => InvoiceStatus::Confirming,
            Collection::Awaited => InvoiceStatus::Scheduled,
        }
    }

    /// [`of`](Self::of) an invoice of `total`: one of ¥0 or less has nothing to pay.
    pub fn of_invoice(collected: Collection, total: Yen, due_on: Date, today: Date) -> InvoiceStatus {
        if collected != Collection::Paid && total.0 <= 0 {
            InvoiceStatus::NothingDue
        } else {
            Self::of(collected, due_on, today)
        }
    }
}

/// One line of the payment results the bank (口座振替) or the card company sends back,
/// as `server payments` reads them: `customer_no,YYYY-MM,paid|failed,YYYY-MM-DD,amount`
/// (the billing month, what happened, the day it happened, the yen collected or
/// attempted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReport {
    pub customer_no: super::CustomerNumber,
    pub month: Month,
    pub paid: bool,
    pub on: Date,
    pub amount: Yen,
}

impl PaymentReport {
    /// A line of the results, or what is wrong with it (naming the field).
    pub fn parse(line: &str) -> Result<PaymentReport, String> {
        let fields: Vec<&str> = line.trim().split(',').map(str::trim).collect();
        let [customer, month, result, on, amount] = fields[..] else {
            return Err(format!(
                "{} fields: a line is customer_no,YYYY-MM,paid|failed,YYYY-MM-DD,amount",
                fields.len()
            ));
        };
        let customer_no = super::CustomerNumber::parse(customer)
            .map_err(|_| format!("customer_no {customer:?} is not 9 digits"))?;
        let month = Month::parse(month).ok_or_else(|| format!("billing month {month:?} is not YYYY-MM"))?;
        let paid = match result {
            "paid" => true,
            "failed" => false,
            other => return Err(format!("result {other:?} is neither paid nor failed")),
        };
        let on = Date::parse(on).ok_or_else(|| format!("date {on:?} is not YYYY-MM-DD"))?;
        let amount = match amount.parse::<i64>() {
            Ok(yen) if yen > 0 => Yen(yen),
            _ => return Err(format!("amount {amount:?} is not a whole number of yen above 0")),
        };
        Ok(PaymentReport { customer_no, month, paid, on, amount })
    }
}

/// How one line compares with the previous month's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineChange {
    /// On this invoice, not on the previous one.
    New { description: String, amount: Yen },
    /// On the previous invoice, not on this one.
    Ended { description: String, amount: Yen },
    /// On both, for a different amount.
    Changed { description: String, before: Yen, after: Yen },
}

/// Why this month's total differs from the previous month's: the lines that are new,
/// ended or changed, matched by description (lines of the same description summed),
/// in the order of this invoice, then the ended ones in the previous invoice's order.
pub fn explain_change(previous: &[Line], current: &[Line]) -> Vec<LineChange> {
    fn summed(lines: &[Line]) -> Vec<(String, Yen)> {
        let mut out: Vec<(String, Yen)> = Vec::new();
        for l in lines {
            match out.iter_mut().find(|(d, _)| *d == l.description) {
                Some((_, a)) => *a = *a + l.amount,
                None => out.push((l.description.clone(), l.amount)),
            }
        }
        out
    }
    let (before, after) = (summed(previous), summed(current));
    let mut changes = Vec::new();
    for (description, amount) in &after {
        match before.iter().find(|(d, _)| d == description) {
            None => changes.push(LineChange::New { description: description.clone(), amount: *amount }),
            Some((_, was)) if was != amount => changes.push(LineChange::Changed {
                description: description.clone(),
                before: *was,
                after: *amount,
            }),
            Some(_) => {}
        }
    }
    for (description, amount) in &before {
        if !after.iter().any(|(d, _)| d == description) {
            changes.push(LineChange::Ended { description: description.clone(), amount: *amount });
        }
    }
    changes
}

/// Consumption tax rates in percent. Telecom services are at the standard rate; the
/// reduced rate exists for completeness of the per-rate statement.
pub const STANDARD_RATE: i64 = 10;
pub const REDUCED_RATE: i64 = 8;

/// One line of an invoice: tax-included amount at a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub description: String,
    pub amount: Yen,
    pub rate: i64,
}

/// Per rate: the tax-included total of its lines and the consumption tax contained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTotal {
    pub rate: i64,
    pub total: Yen,
    pub tax: Yen,
}

/// The totals of an invoice's lines: the tax is computed once per rate on that rate's
/// total (never per line), rounded down; rates in descending order.
pub fn totals(lines: &[Line]) -> (Yen, Vec<RateTotal>) {
    let mut rates: Vec<i64> = lines.iter().map(|l| l.rate).collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    let per_rate: Vec<RateTotal> = rates
        .into_iter()
        .map(|rate| {
            let total: Yen = lines.iter().filter(|l| l.rate == rate).map(|l| l.amount).sum();
            RateTotal { rate, total, tax: total.included_tax(rate) }
        })
        .collect();
    (per_rate.iter().map(|r| r.total).sum(), per_rate)
}

/// Dates and months written out, for the tests of the billing rules.
#[cfg(test)]
pub(crate) mod lit {
    use super::{Date, Month};

    pub fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    pub fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::lit::d;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_payment_date_is_the_27th_or_the_next_day_the_banks_open() {
        use super::lit::m;
        assert_eq!(d("2026-11-27").weekday(), 4, "a Friday");
        assert_eq!(d("2000-02-29").weekday(), 1, "a Tuesday");
        assert_eq!(d("2026-12-31").next_day(), d("2027-01-01"));
        assert_eq!(d("2028-02-28").next_day(), d("2028-02-29"));
        // A Friday: the 27th itself.
        assert_eq!(payment_date(m("2026-10")), d("2026-11-27"));
        // A Sunday: the Monday after.
        assert_eq!(payment_date(m("2026-11")), d("2026-12-28"));
        // A Saturday, before a Sunday and a March: Monday 1 March.
        assert_eq!(payment_date(m("2027-01")), d("2027-03-01"));
        // A Saturday before 昭和の日 on the Monday: the Tuesday.
        assert_eq!(payment_date(m("2030-03")), d("2030-04-30"));
        // Every month for years lands on a weekday that is not 29 April, and within
        // three days of the 27th.
        let mut month = m("2026-01");
        for _ in 0..240 {
            let paid = payment_date(month);
            assert!(paid.weekday() < 5 && (paid.month, paid.day) != (4, 29), "{paid}");
            assert!(Month::of(paid) == month.next() || paid.day <= 2, "{paid}");
            month = month.next();
        }
    }

    #[test]
    fn months_and_dates_parse_only_real_ones() {
        assert_eq!(Month::parse("2026-11"), Some(Month { year: 2026, month: 11 }));
        for bad in ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", "+026-11", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(d("2028-02-29").to_string(), "2028-02-29");
        assert_eq!(Date::parse("2026-02-29"), None, "2026 is not a leap year");
        assert_eq!(Date::parse("2100-02-29"), None, "nor is 2100");
        assert!(Date::parse("2000-02-29").is_some());
        assert_eq!(Date::parse("2026-04-31"), None);
        assert_eq!(Month::parse("2026-12").unwrap().next().to_string(), "2027-01");
        assert_eq!(Month::parse("2026-01").unwrap().previous().to_string(), "2025-12");
        assert_eq!(d("2026-11-16").previous_day(), d("2026-11-15"));
        assert_eq!(d("2026-03-01").previous_day(), d("2026-02-28"));
        assert_eq!(d("2028-03-01").previous_day(), d("2028-02-29"));
        assert_eq!(d("2027-01-01").previous_day(), d("2026-12-31"));
    }

    #[test]
    fn days_in_force_count_both_ends() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(days_in_force(nov, d("2020-01-01"), None), 30);
        assert_eq!(days_in_force(nov, d("2026-11-16"), None), 15, "16th to 30th");
        assert_eq!(days_in_force(nov, d("2026-11-01"), Some(d("2026-11-15"))), 15);
        assert_eq!(days_in_force(nov, d("2026-11-30"), None), 1);
        assert_eq!(days_in_force(nov, d("2026-12-01"), None), 0, "not yet started");
        assert_eq!(days_in_force(nov, d("2020-01-01"), Some(d("2026-10-31"))), 0, "already ended");
    }

    #[test]
    fn proration_rounds_down_and_a_whole_month_is_the_fee() {
        assert_eq!(prorate(Yen(6380), 30, 30), Yen(6380));
        assert_eq!(prorate(Yen(6380), 15, 30), Yen(3190));
        assert_eq!(prorate(Yen(6380), 1, 31), Yen(205), "205.8 → 205");
        assert_eq!(prorate(Yen(6380), 0, 30), Yen(0));
    }

    #[test]
    fn the_tax_is_once_per_rate_on_its_total_rounded_down() {
        // Per line it would be 57 + 57 = 114; on the total 1,254 × 10 / 110 = 114.
        let lines = vec![
            Line { description: "a".into(), amount: Yen(627), rate: STANDARD_RATE },
            Line { description: "b".into(), amount: Yen(627), rate: STANDARD_RATE },
            Line { description: "c".into(), amount: Yen(108), rate: REDUCED_RATE },
        ];
        let (total, per_rate) = totals(&lines);
        assert_eq!(total, Yen(1362));
        assert_eq!(per_rate[0], RateTotal { rate: 10, total: Yen(1254), tax: Yen(114) });
        assert_eq!(per_rate[1], RateTotal { rate: 8, total: Yen(108), tax: Yen(8) });
        // 627 alone: 57.0 exactly; 628: 57.09 → 57; 639: 58.09 → 58.
        assert_eq!(Yen(627).included_tax(10), Yen(57));
        assert_eq!(Yen(628).included_tax(10), Yen(57));
        assert_eq!(Yen(639).included_tax(10), Yen(58));
    }

    proptest! {
        #[test]
        fn lines_sum_to_the_total(amounts in proptest::collection::vec((0i64..200_000, any::<bool>()), 0..20)) {
            let lines: Vec<Line> = amounts.iter().map(|(a, reduced)| Line {
                description: String::new(),
                amount: Yen(*a),
                rate: if *reduced { REDUCED_RATE } else { STANDARD_RATE },
            }).collect();
            let (total, per_rate) = totals(&lines);
            prop_assert_eq!(total, lines.iter().map(|l| l.amount).sum::<Yen>());
            for r in per_rate {
                prop_assert!(r.tax.0 * (100 + r.rate) <= r.total.0 * r.rate, "rounded down");
                prop_assert!((r.tax.0 + 1) * (100 + r.rate) > r.total.0 * r.rate, "by less than one yen");
            }
        }

        #[test]
        fn two_halves_of_a_month_never_bill_more_than_the_fee(fee in 0i64..100_000, days in 1u8..=31, split in 0u8..=31) {
            let split = split.min(days);
            let whole = prorate(Yen(fee), days, days);
            let parts = prorate(Yen(fee), split, days).0 + prorate(Yen(fee), days - split, days).0;
            prop_assert_eq!(whole, Yen(fee));
            prop_assert!(parts <= fee && parts >= fee - 1, "{} of {}", parts, fee);
        }
    }

    #[test]
    fn the_date_in_japan_turns_at_midnight_jst() {
        // 2026-11-25T14:59:59Z is 23:59:59 in Japan; a second later it is the 26th.
        assert_eq!(Date::of_unix_jst(1_795_618_799), Date { year: 2026, month: 11, day: 25 });
        assert_eq!(Date::of_unix_jst(1_795_618_800), Date { year: 2026, month: 11, day: 26 });
        assert_eq!(Date::of_unix_jst(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(Date::of_unix_jst(951_782_400 - 9 * 3600), Date { year: 2000, month: 2, day: 29 });
    }

    #[test]
    fn unpaid_is_scheduled_through_the_payment_date_then_confirming_until_its_result() {
        use Collection::*;
        let due = Date { year: 2026, month: 10, day: 27 };
        let day = |d| Date { year: 2026, month: 10, day: d };
        assert_eq!(InvoiceStatus::of(Awaited, due, day(26)), InvoiceStatus::Scheduled);
        assert_eq!(InvoiceStatus::of(Awaited, due, day(27)), InvoiceStatus::Scheduled);
        assert_eq!(InvoiceStatus::of(Awaited, due, day(28)), InvoiceStatus::Confirming);
        assert_eq!(InvoiceStatus::of(Failed, due, day(28)), InvoiceStatus::Overdue);
        assert_eq!(InvoiceStatus::of(Paid, due, day(28)), InvoiceStatus::Paid);
        assert_eq!(InvoiceStatus::of(Paid, due, day(1)), InvoiceStatus::Paid);
    }

    #[test]
    fn an_invoice_of_nothing_or_a_credit_is_never_due_nor_unpaid() {
        use Collection::*;
        let due = Date { year: 2026, month: 10, day: 27 };
        let day = |d| Date { year: 2026, month: 10, day: d };
        for total in [0, -1, -5_000] {
            assert_eq!(
                InvoiceStatus::of_invoice(Awaited, Yen(total), due, day(28)),
                InvoiceStatus::NothingDue
            );
            assert_eq!(
                InvoiceStatus::of_invoice(Awaited, Yen(total), due, day(1)),
                InvoiceStatus::NothingDue
            );
        }
        assert_eq!(InvoiceStatus::of_invoice(Awaited, Yen(1), due, day(28)), InvoiceStatus::Confirming);
        assert_eq!(InvoiceStatus::of_invoice(Failed, Yen(1), due, day(28)), InvoiceStatus::Overdue);
        assert_eq!(InvoiceStatus::of_invoice(Awaited, Yen(1), due, day(27)), InvoiceStatus::Scheduled);
        assert_eq!(InvoiceStatus::of_invoice(Paid, Yen(0), due, day(28)), InvoiceStatus::Paid);
    }

    #[test]
    fn a_payment_result_line_is_read_or_its_field_named() {
        let read = PaymentReport::parse(" 100000002, 2026-11 ,paid,2026-12-28,11858 ").unwrap();
        assert_eq!(read.customer_no.as_str(), "100000002");
        assert_eq!((read.month, read.paid, read.amount), (Month { year: 2026, month: 11 }, true, Yen(11858)));
        assert_eq!(read.on, Date { year: 2026, month: 12, day: 28 });
        assert!(!PaymentReport::parse("100000002,2026-11,failed,2026-12-28,1").unwrap().paid);
        for (line, named) in [
            ("100000002,2026-11,paid,2026-12-28", "4 fields"),
            ("100000002,2026-11,paid,2026-12-28,1,x", "6 fields"),
            ("10000000,2026-11,paid,2026-12-28,1", "customer_no"),
            ("100000002,2026-13,paid,2026-12-28,1", "billing month"),
            ("100000002,2026-11,refunded,2026-12-28,1", "result"),
            ("100000002,2026-11,paid,2026-02-30,1", "date"),
            ("100000002,2026-11,paid,2026-12-28,0", "amount"),
            ("100000002,2026-11,paid,2026-12-28,-5", "amount"),
            ("100000002,2026-11,paid,2026-12-28,1.5", "amount"),
        ] {
            let error = PaymentReport::parse(line).unwrap_err();
            assert!(error.contains(named), "{line}: {error}");
        }
    }

    #[test]
    fn the_change_names_new_ended_and_changed_lines_and_not_the_same_ones() {
        let l = |d: &str, a: i64| Line { description: d.into(), amount: Yen(a), rate: STANDARD_RATE };
        let previous = [l("300M", 5_280), l("TV", 3_300), l("通話料", 330), l("通話料", 110)];
        let current = [l("300M", 2_640), l("1G", 3_190), l("TV", 3_300), l("通話料", 440)];
        assert_eq!(
            explain_change(&previous, &current),
            vec![
                LineChange::Changed { description: "300M".into(), before: Yen(5_280), after: Yen(2_640) },
                LineChange::New { description: "1G".into(), amount: Yen(3_190) },
            ],
            "通話料 summed to the same 440 is no change"
        );
        assert_eq!(
            explain_change(&current, &[l("1G", 6_380), l("TV", 3_300)]),
            vec![
                LineChange::Changed { description: "1G".into(), before: Yen(3_190), after: Yen(6_380) },
                LineChange::Ended { description: "300M".into(), amount: Yen(2_640) },
                LineChange::Ended { description: "通話料".into(), amount: Yen(440) },
            ]
        );
        assert!(explain_change(&current, &current).is_empty());
    }
}
