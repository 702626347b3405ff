//! The billing engine's lines, pure: one customer's invoice for a month from what their
//! contract held that month, by the rules of `domain::billing` (each plan for its days,
//! 日割り, equipment rental with its service, add-ons, usage and adjustments). The
//! monthly run (`store`) loads contracts a batch at a time and asks this; `server
//! seed-load` builds synthetic contracts and asks the same.

use crate::domain::billing::{days_in_force, prorate, totals, Date, Line, Month, STANDARD_RATE};
use crate::domain::Yen;
use std::collections::HashMap;

/// A service under contract, its plan changes oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub kind: String,
    /// The plan on the contract now (in force after the last change).
    pub plan_name: String,
    pub monthly_fee: i64,
    pub started_on: Date,
    /// The last day in force; None while it runs.
    pub ended_on: Option<Date>,
    /// Each change, oldest first.
    pub plan_changes: Vec<PlanChange>,
}

/// A plan change: the day the new plan applies from, and the plan before it with the fee
/// it was billed at (None: the catalogue's, for changes recorded before the fee was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub on: Date,
    pub from_plan: Option<String>,
    pub from_fee: Option<i64>,
}

/// Rented equipment with a fee, billed with its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    pub kind: String,
    pub service_id: Option<String>,
    pub monthly_fee: i64,
}

/// An add-on subscription, in force from `started_on` to `ended_on`, and no longer than
/// a service of kind `requires` (`internet`, `tv`), which it goes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addon {
    pub name: String,
    pub monthly_fee: i64,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub requires: String,
}

/// The earlier of two last days (None: no end).
fn earlier(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A usage or adjustment item of the month, tax-included at `rate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub description: String,
    pub amount: i64,
    pub rate: i64,
}

/// What a customer's invoice is computed from, each list in the order it is printed:
/// services (internet, TV, phone), equipment, add-ons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contract {
    pub services: Vec<Service>,
    pub equipment: Vec<Equipment>,
    pub addons: Vec<Addon>,
}

/// The plan catalogue: code → (name, monthly fee).
pub type Plans = HashMap<String, (String, i64)>;

/// One invoice line as the run computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedLine {
    pub line: Line,
    pub service_id: Option<String>,
    /// Prorated: (days billed, days of the month).
    pub days: Option<(u8, u8)>,
}

/// A plan code that a change names and the catalogue lacks: the run fails loudly
/// rather than bill a guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlan(pub String);

/// Whether the customer had a service in force in `month` (who gets an invoice).
pub fn billed_in(contract: &Contract, month: Month) -> bool {
    contract.services.iter().any(|s| days_in_force(month, s.started_on, s.ended_on) > 0)
}

/// The lines of the invoice for `month`, in the order they are printed: services, each
/// plan for its days, equipment, add-ons, then `items` (usage first, then adjustments,
/// as given).
pub fn lines(
    contract: &Contract,
    items: &[Item],
    month: Month,
    plans: &Plans,
) -> Result<Vec<ComputedLine>, UnknownPlan> {
    let of_days = month.days();
    let mut lines = Vec::new();
    let mut service_days = Vec::new();
    for s in &contract.services {
        let (start, end) = (s.started_on, s.ended_on);
        service_days.push((s.id.as_str(), days_in_force(month, start, end)));
        // The plan periods: the first change's `from` plan from the start, each change's
        // `to` plan from its day, and the plan on the contract now after the last.
        // A plan before a change is billed at the fee it had on the contract (the one
        // quoted), or the catalogue's where none was recorded.
        let mut periods: Vec<(Date, Option<Date>, Option<&PlanChange>)> = Vec::new();
        let mut from = start;
        for change in &s.plan_changes {
            periods.push((from, Some(change.on.previous_day()), Some(change)));
            from = change.on;
        }
        periods.push((from, None, None));
        for (p_start, p_end, change) in periods {
            let days = days_in_force(month, p_start, earlier(p_end, end));
            if days == 0 {
                continue;
            }
            let (name, fee) = match change {
                Some(PlanChange { from_plan: Some(code), from_fee, .. }) => {
                    let (name, fee) =
                        plans.get(code).cloned().ok_or_else(|| UnknownPlan(code.to_string()))?;
                    (name, from_fee.unwrap_or(fee))
                }
                _ => (s.plan_name.clone(), s.monthly_fee),
            };
            lines.push(ComputedLine {
                line: Line {
                    description: name,
                    amount: prorate(Yen(fee), days, of_days),
                    rate: STANDARD_RATE,
                },
                service_id: Some(s.id.clone()),
                days: (days < of_days).then_some((days, of_days)),
            });
        }
    }
    for e in &contract.equipment {
        // Rented with its service: billed for the days the service was in force.
        let days = service_days
            .iter()
            .find(|(id, _)| Some(*id) == e.service_id.as_deref())
            .map_or(of_days, |(_, d)| *d);
        if days == 0 {
            continue;
        }
        let description = match e.kind.as_str() {
            "stb" => "STBレンタル料",
            "hitpot" => "Hit potレンタル料",
            _ => "モデムレンタル料",
        };
        lines.push(ComputedLine {
            line: Line {
                description: description.into(),
                amount: prorate(Yen(e.monthly_fee), days, of_days),
                rate: STANDARD_RATE,
            },
            service_id: e.service_id.clone(),
            days: (days < of_days).then_some((days, of_days)),
        });
    }
    // Add-ons (security, option channels) for the days they were in force with a
    // service they go with: a service that ends (its end set after the subscription)
    // ends them; one replacing it the next day (a move) goes on with them; two at once
    // count each day once.
    for a in &contract.addons {
        let mut covered = 0u64; // bit d: day d of the month
        for s in contract.services.iter().filter(|s| s.kind == a.requires) {
            let from = a.started_on.max(s.started_on).max(month.first());
            let to = earlier(a.ended_on, s.ended_on).map_or(month.last(), |e| e.min(month.last()));
            if from <= to {
                covered |= ((1u64 << (to.day + 1)) - 1) & !((1u64 << from.day) - 1);
            }
        }
        let days = covered.count_ones() as u8;
        if days == 0 {
            continue;
        }
        lines.push(ComputedLine {
            line: Line {
                description: a.name.clone(),
                amount: prorate(Yen(a.monthly_fee), days, of_days),
                rate: STANDARD_RATE,
            },
            service_id: None,
            days: (days < of_days).then_some((days, of_days)),
        });
    }
    for i in items {
        lines.push(ComputedLine {
            line: Line { description: i.description.clone(), amount: Yen(i.amount), rate: i.rate },
            service_id: None,
            days: None,
        });
    }
    Ok(lines)
}

/// An invoice's total and the consumption tax in it (once per rate, `totals`).
pub fn total_and_tax(lines: &[ComputedLine]) -> (Yen, Yen) {
    let plain: Vec<Line> = lines.iter().map(|l| l.line.clone()).collect();
    let (total, per_rate) = totals(&plain);
    (total, per_rate.iter().map(|r| r.tax).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::lit::d;

    #[test]
    fn a_plan_change_bills_each_plan_for_its_days_and_equipment_follows_its_service() {
        let plans: Plans = [("net-300m".to_string(), ("300M".to_string(), 5_280))].into_iter().collect();
        let contract = Contract {
            services: vec![
                Service {
                    id: "s-net".into(),
                    kind: "internet".into(),
                    plan_name: "1G".into(),
                    monthly_fee: 6_380,
                    started_on: d("2019-04-01"),
                    ended_on: None,
                    plan_changes: vec![PlanChange {
                        on: d("2026-10-16"),
                        from_plan: Some("net-300m".into()),
                        from_fee: None,
                    }],
                },
                Service {
                    id: "s-tv".into(),
                    kind: "tv".into(),
                    plan_name: "TV".into(),
                    monthly_fee: 5_478,
                    started_on: d("2026-11-16"),
                    ended_on: None,
                    plan_changes: vec![],
                },
            ],
            equipment: vec![Equipment {
                kind: "stb".into(),
                service_id: Some("s-tv".into()),
                monthly_fee: 550,
            }],
            addons: vec![],
        };
        let oct = Month::parse("2026-10").unwrap();
        let got: Vec<_> = lines(&contract, &[], oct, &plans)
            .unwrap()
            .into_iter()
            .map(|l| (l.line.description, l.line.amount.0, l.days))
            .collect();
        assert_eq!(
            got,
            vec![("300M".into(), 2554, Some((15, 31))), ("1G".into(), 3292, Some((16, 31)))],
            "no TV and no STB before the TV started"
        );
        let nov = Month::parse("2026-11").unwrap();
        let got =
            lines(&contract, &[Item { description: "通話料".into(), amount: 320, rate: 10 }], nov, &plans)
                .unwrap();
        assert_eq!(got.iter().map(|l| l.line.amount.0).collect::<Vec<_>>(), vec![6380, 2739, 275, 320]);
        assert_eq!(total_and_tax(&got), (Yen(9714), Yen(883)));
        assert!(billed_in(&contract, nov));
        assert!(!billed_in(&contract, Month::parse("2019-03").unwrap()));
        assert_eq!(lines(&contract, &[], oct, &Plans::new()), Err(UnknownPlan("net-300m".into())));
    }

    #[test]
    fn an_add_on_is_billed_for_the_days_a_service_it_goes_with_is_in_force() {
        let tv = |id: &str, started_on: &str, ended_on: Option<&str>| Service {
            id: id.into(),
            kind: "tv".into(),
            plan_name: "TV".into(),
            monthly_fee: 0,
            started_on: d(started_on),
            ended_on: ended_on.map(d),
            plan_changes: vec![],
        };
        let channel = Addon {
            name: "ch".into(),
            monthly_fee: 3_100,
            started_on: d("2026-01-01"),
            ended_on: None,
            requires: "tv".into(),
        };
        let bill = |services: Vec<Service>| {
            let contract = Contract { services, equipment: vec![], addons: vec![channel.clone()] };
            let got = lines(&contract, &[], Month::parse("2026-10").unwrap(), &Plans::new()).unwrap();
            got.into_iter()
                .filter(|l| l.line.description == "ch")
                .map(|l| (l.line.amount.0, l.days))
                .collect::<Vec<_>>()
        };
        // The TV ends on the 15th: 15 days of 31; a TV of another kind is no help.
        assert_eq!(bill(vec![tv("a", "2019-04-01", Some("2026-10-15"))]), [(1_500, Some((15, 31)))]);
        // Replaced the next day (a move): the whole month.
        let moved = vec![tv("a", "2019-04-01", Some("2026-10-15")), tv("b", "2026-10-16", None)];
        assert_eq!(bill(moved), [(3_100, None)]);
        // Ended before the month: nothing.
        assert_eq!(bill(vec![tv("a", "2019-04-01", Some("2026-09-30"))]), []);
        // Two at once (the new one from the 10th, the old one to the 20th): each day once.
        let overlapping = vec![tv("a", "2019-04-01", Some("2026-10-20")), tv("b", "2026-10-10", None)];
        assert_eq!(bill(overlapping), [(3_100, None)]);
        let contract = Contract {
            services: vec![tv("a", "2019-04-01", Some("2026-10-20")), tv("b", "2026-10-10", None)],
            equipment: vec![],
            addons: vec![Addon { started_on: d("2026-10-20"), ..channel.clone() }],
        };
        let got = lines(&contract, &[], Month::parse("2026-10").unwrap(), &Plans::new()).unwrap();
        let days: Vec<_> = got.iter().filter(|l| l.line.description == "ch").map(|l| l.days).collect();
        assert_eq!(days, [Some((12, 31))], "from the 20th: 12 days, not 1 + 12");
    }
}
