//! The four menus of SPEC §2. An item without a route is shown as not yet available.

use crate::i18n::{use_locale, Locale, Texts};
use leptos::prelude::*;

pub struct MenuItem {
    pub label: fn(&Texts) -> &'static str,
    /// None until the screen exists: rendered as text marked 準備中, never a link.
    pub href: Option<&'static str>,
}

pub struct MenuSection {
    pub letter: char,
    pub label: fn(&Texts) -> &'static str,
    pub items: &'static [MenuItem],
}

pub const MENUS: &[MenuSection] = &[
    MenuSection {
        letter: 'A',
        label: |t| t.menu_billing,
        items: &[
            MenuItem {
                label: |t| t.menu_billing_invoices,
                href: Some(crate::features::billing::routes::INVOICES),
            },
            MenuItem {
                label: |t| t.menu_billing_payment,
                href: Some(crate::features::billing::routes::PAYMENT),
            },
        ],
    },
    MenuSection {
        letter: 'B',
        label: |t| t.menu_contract,
        items: &[
            MenuItem {
                label: |t| t.menu_contract_info,
                href: Some(crate::features::contract::routes::CONTRACT),
            },
            MenuItem {
                label: |t| t.menu_contract_history,
                href: Some(crate::features::contract::routes::HISTORY),
            },
            MenuItem {
                label: |t| t.menu_contract_document,
                href: Some(crate::features::contract::routes::DOCUMENT),
            },
            MenuItem {
                label: |t| t.menu_contract_referral,
                href: Some(crate::features::referral::routes::REFERRAL),
            },
            MenuItem {
                label: |t| t.menu_contract_option_channels,
                href: Some(crate::features::addons::routes::CHANNELS),
            },
        ],
    },
    MenuSection {
        letter: 'C',
        label: |t| t.menu_settings,
        items: &[
            MenuItem {
                label: |t| t.menu_settings_customer,
                href: Some(crate::features::account::routes::OVERVIEW),
            },
            MenuItem {
                label: |t| t.menu_settings_mail,
                href: Some(crate::features::mailboxes::routes::LIST),
            },
            MenuItem {
                label: |t| t.menu_settings_security,
                href: Some(crate::features::addons::routes::SECURITY),
            },
            MenuItem {
                label: |t| t.menu_settings_login_security,
                href: Some(crate::features::security::routes::SECURITY),
            },
        ],
    },
    MenuSection {
        letter: 'D',
        label: |t| t.menu_help,
        items: &[
            MenuItem { label: |t| t.menu_help_support, href: Some(crate::features::help::routes::HELP) },
            MenuItem {
                label: |t| t.menu_help_speedtest,
                href: Some(crate::features::speedtest::routes::SPEEDTEST),
            },
        ],
    },
];

/// The menu sections as lists; used by the desktop side navigation and the phone menu.
/// The same on every page of a language, so its HTML is built once per language and
/// reused (pages render on the server only); the item of the page's screen is marked
/// `aria-current` in it, for the eye and for a screen reader. `path` is the page's,
/// read by the frame as it is made: the menus render in a `Transition` that may resolve
/// after the router of a page answered otherwise (a redirect) is gone.
#[component]
pub fn MenuList(path: String) -> impl IntoView {
    match marked(menu_html(use_locale()), &path) {
        std::borrow::Cow::Borrowed(html) => {
            view! { <div class="space-y-5" inner_html=html></div> }.into_any()
        }
        std::borrow::Cow::Owned(html) => view! { <div class="space-y-5" inner_html=html></div> }.into_any(),
    }
}

/// The item of the screen at `path`: the one whose route is the path, or the longest
/// that leads to it (`/contract` for `/contract/change`).
pub fn current_item(path: &str) -> Option<&'static str> {
    let hrefs = MENUS.iter().flat_map(|s| s.items.iter().filter_map(|i| i.href));
    hrefs
        .filter(|href| path == *href || path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
        .max_by_key(|href| href.len())
}

/// `html` with the item of `path` marked current (a copy only when there is one).
fn marked(html: &'static str, path: &str) -> std::borrow::Cow<'static, str> {
    let Some(href) = current_item(path) else { return html.into() };
    // The screen's own item is the page; the item leading to it, where the page is.
    let current = if href == path { "page" } else { "true" };
    let link = format!("href=\"{href}\" class=\"menu-item\"");
    html.replacen(&link, &format!("{link} aria-current=\"{current}\""), 1).into()
}

fn menu_html(locale: Locale) -> &'static str {
    static HTML: [std::sync::OnceLock<String>; 2] = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let slot = match locale {
        Locale::Ja => &HTML[0],
        Locale::En => &HTML[1],
    };
    slot.get_or_init(|| menu_sections(locale.texts()).to_html())
}

fn menu_sections(tx: &'static Texts) -> impl IntoView {
    MENUS
        .iter()
        .map(|section| {
            view! {
                <section>
                    <h2 class="menu-heading">
                        <span class="menu-letter" aria-hidden="true">{section.letter.to_string()}</span>
                        {(section.label)(tx)}
                    </h2>
                    <ul class="mt-1">
                        {section.items.iter().map(|item| match item.href {
                            Some(href) => view! {
                                <li><a class="menu-item" href=href>{(item.label)(tx)}</a></li>
                            }.into_any(),
                            None => view! {
                                <li>
                                    <span class="menu-item menu-item-disabled" aria-disabled="true">
                                        <span>{(item.label)(tx)}</span>
                                        <span class="soon">{tx.not_yet_available}</span>
                                    </span>
                                </li>
                            }.into_any(),
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_current_item_is_the_screens_own_or_the_one_leading_to_it() {
        assert_eq!(super::current_item("/billing"), Some("/billing"));
        assert_eq!(super::current_item("/billing/payment"), Some("/billing/payment"));
        assert_eq!(super::current_item("/contract/change"), Some("/contract"));
        assert_eq!(super::current_item("/contract/history"), Some("/contract/history"));
        assert_eq!(super::current_item("/billingx"), None);
        assert_eq!(super::current_item("/"), None);
        assert_eq!(super::current_item("/login"), None);
    }
}
