//! A software passkey for the tests: a P-256 key, `none` attestation, discoverable (it
//! answers with its user handle), user verified; written from the WebAuthn Level 3
//! formats (authenticator data, CBOR, COSE keys) apart from the portal's webauthn-rs,
//! so the two check each other.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use sha2::{Digest, Sha256};

pub struct SoftPasskey {
    key: p256::ecdsa::SigningKey,
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    pub counter: u32,
    rp_id: String,
    origin: String,
}

fn cbor_head(major: u8, n: usize) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=255 => vec![m | 24, n as u8],
        _ => vec![m | 25, (n >> 8) as u8, n as u8],
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    [cbor_head(2, b.len()), b.to_vec()].concat()
}

fn cbor_text(s: &str) -> Vec<u8> {
    [cbor_head(3, s.len()), s.as_bytes().to_vec()].concat()
}

fn field<'a>(json: &'a serde_json::Value, path: &[&str]) -> &'a str {
    path.iter().fold(json, |v, k| &v[*k]).as_str().unwrap_or_else(|| panic!("{path:?} in {json}"))
}

impl SoftPasskey {
    /// A new authenticator for the site `origin` (`http://localhost:3000` in the tests:
    /// the portal's relying party in development).
    pub fn new(origin: &str, seed: u8) -> Self {
        let mut secret = [7u8; 32];
        secret[0] = seed;
        let key = p256::ecdsa::SigningKey::from_slice(&secret).expect("a P-256 key");
        let rp_id = url::Url::parse(origin).unwrap().host_str().unwrap().to_string();
        SoftPasskey {
            key,
            credential_id: vec![seed; 32],
            user_handle: vec![],
            counter: 0,
            rp_id,
            origin: origin.trim_end_matches('/').to_string(),
        }
    }

    fn client_data(&self, kind: &str, options: &serde_json::Value) -> Vec<u8> {
        serde_json::json!({
            "type": kind,
            "challenge": field(options, &["publicKey", "challenge"]),
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    fn auth_data(&self, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }

    /// `navigator.credentials.create()` for `options` (the portal's JSON): the
    /// credential's JSON as a browser sends it.
    pub fn register(&mut self, options: &str) -> String {
        let options: serde_json::Value = serde_json::from_str(options).unwrap();
        self.user_handle = B64.decode(field(&options, &["publicKey", "user", "id"])).unwrap();
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        // COSE_Key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let cose = [
            vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21],
            cbor_bytes(&xy[..32]),
            vec![0x22],
            cbor_bytes(&xy[32..]),
        ]
        .concat();
        // UP | UV | AT
        let mut auth = self.auth_data(0x01 | 0x04 | 0x40);
        auth.extend_from_slice(&[0u8; 16]);
        auth.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth.extend_from_slice(&self.credential_id);
        auth.extend_from_slice(&cose);
        let attestation = [
            vec![0xa3],
            cbor_text("fmt"),
            cbor_text("none"),
            cbor_text("attStmt"),
            vec![0xa0],
            cbor_text("authData"),
            cbor_bytes(&auth),
        ]
        .concat();
        self.credential(serde_json::json!({
            "attestationObject": B64.encode(attestation),
            "clientDataJSON": B64.encode(self.client_data("webauthn.create", &options)),
        }))
    }

    /// `navigator.credentials.get()` for `options`: the assertion's JSON, its counter one
    /// up, signed by this key, answering with `user_handle`.
    pub fn assert_as(&mut self, options: &str, user_handle: &[u8]) -> String {
        let options: serde_json::Value = serde_json::from_str(options).unwrap();
        self.counter += 1;
        let auth = self.auth_data(0x01 | 0x04);
        let client_data = self.client_data("webauthn.get", &options);
        let signed = [auth.clone(), Sha256::digest(&client_data).to_vec()].concat();
        let signature: p256::ecdsa::Signature = self.key.sign(&signed);
        self.credential(serde_json::json!({
            "authenticatorData": B64.encode(auth),
            "clientDataJSON": B64.encode(client_data),
            "signature": B64.encode(signature.to_der().as_bytes()),
            "userHandle": B64.encode(user_handle),
        }))
    }

    /// A credential's JSON as a browser sends it, around its `response`.
    fn credential(&self, response: serde_json::Value) -> String {
        let id = B64.encode(&self.credential_id);
        serde_json::json!({ "id": id, "rawId": id, "type": "public-key", "response": response, "extensions": {} })
            .to_string()
    }

    /// The assertion with this credential's own user handle.
    pub fn assert(&mut self, options: &str) -> String {
        let user = self.user_handle.clone();
        self.assert_as(options, &user)
    }
}
