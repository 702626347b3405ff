//! The login mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// A login from a browser this account has not used before: when, from where
/// (`place`: browser, OS and the shortened address), and the link to the security
/// centre.
pub fn new_browser_login(
    settings: &Settings,
    locale: Locale,
    to: &str,
    itscom_id: &str,
    at: i64,
    place: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let link = settings
        .public_url
        .join(crate::features::security::routes::SECURITY)
        .map(String::from)
        .unwrap_or_default();
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_new_browser_subject,
        &(w.mail_new_browser)(itscom_id, &format_time(locale, at), place, &link, &phone, &hours),
    )
}

/// To the contact address: 100 failed logins in a row; login needs a password reset.
/// `by_codes`: the last of them was a wrong code after the right password (which may
/// then be known to someone else).
pub fn login_locked(settings: &Settings, locale: Locale, to: &str, at: i64, by_codes: bool) -> Mail {
    let w = super::texts::of(locale);
    let words = if by_codes { w.mail_locked_codes } else { w.mail_locked };
    wrap(settings, locale, to, w.mail_locked_subject, &words(&format_time(locale, at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::from_lookup(|_| None).unwrap()
    }

    #[test]
    fn subjects_never_carry_line_breaks() {
        let m =
            new_browser_login(&settings(), Locale::Ja, "a@example.com", "evil\r\nBcc: x@example.com", 0, "-");
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
        assert!(m.subject.starts_with("【iTSCOM マイページ】"));
    }

    #[test]
    fn user_text_is_escaped_in_html_but_kept_in_text() {
        let m = new_browser_login(&settings(), Locale::En, "a@example.com", "<b>x</b>@example.com", 0, "-");
        assert!(m.html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!m.html.contains("<b>x</b>"));
        assert!(m.text.contains("<b>x</b>@example.com"));
    }
}
