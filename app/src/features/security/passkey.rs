//! パスキー (WebAuthn) through `webauthn-rs`: the relying party from `PUBLIC_URL`, an
//! account's user handle, and the ceremonies' state kept in the database between their
//! two requests (a start and its finish may reach different processes).

use crate::error::AppError;
use crate::ssr::config::Settings;
use webauthn_rs::prelude::{Url, Uuid, Webauthn, WebauthnBuilder};

/// How long a ceremony waits for its finish.
pub const CEREMONY_SECS: i64 = 300;
/// The cookie naming this browser's ceremony under way.
pub const CEREMONY_COOKIE: &str = "mypage_webauthn";

/// The relying party of `PUBLIC_URL`: its host is the RP ID. Browsers refuse WebAuthn
/// on an IP address, so development on a loopback address (`127.0.0.1`) serves
/// passkeys at `localhost` on the same port.
pub fn relying_party(settings: &Settings) -> Result<Webauthn, AppError> {
    let mut origin = settings.public_url.clone();
    origin.set_path("");
    let loopback_ip = matches!(origin.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(origin.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    if settings.env == crate::ssr::config::Environment::Development && loopback_ip {
        origin.set_host(Some("localhost")).map_err(|e| AppError::internal(format!("passkey origin: {e}")))?;
    }
    let rp_id = origin.host_str().unwrap_or("localhost").to_string();
    let origin: Url = origin;
    WebauthnBuilder::new(&rp_id, &origin)
        .and_then(|b| b.rp_name(&settings.brand).build())
        .map_err(|e| AppError::internal(format!("passkey relying party {rp_id}: {e}")))
}

/// The account's WebAuthn user handle: 16 bytes of the SHA-256 of its id (stable, and
/// names no customer).
pub fn user_handle(account_id: &str) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("webauthn-user:{account_id}").as_bytes());
    Uuid::from_slice(&digest[..16]).expect("16 bytes")
}

/// A credential id as stored: base64url without padding.
pub fn credential_key(id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let map: std::collections::HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned()).unwrap()
    }

    #[test]
    fn the_relying_party_is_the_public_host_and_localhost_in_development_on_a_loopback_ip() {
        let dev = settings(&[("MYPAGE_ENV", "development"), ("PUBLIC_URL", "http://127.0.0.1:3100")]);
        let (ccr, _) = relying_party(&dev)
            .unwrap()
            .start_passkey_registration(user_handle("a1"), "a", "a", None)
            .unwrap();
        assert_eq!(ccr.public_key.rp.id, "localhost");
        let prod = settings(&[("PUBLIC_URL", "https://mypage.itscom.net")]);
        let (ccr, _) = relying_party(&prod)
            .unwrap()
            .start_passkey_registration(user_handle("a1"), "a", "a", None)
            .unwrap();
        assert_eq!(ccr.public_key.rp.id, "mypage.itscom.net");
        assert_eq!(user_handle("a1"), user_handle("a1"));
        assert_ne!(user_handle("a1"), user_handle("a2"));
        assert_eq!(credential_key(&[0xfb, 0xff]), "-_8");
    }
}
