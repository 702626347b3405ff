//! QR codes drawn on the server as inline SVG (no image crate, no script): the
//! referral link, the authenticator app's `otpauth://` URL.

/// The QR code of `text` as an inline `<svg>` (no XML prolog), labelled for screen
/// readers (`label`) and tests (`testid`); error correction M, dark on white, with the
/// quiet zone.
pub fn svg(text: &str, label: &str, testid: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("QR code: {e}"))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    let svg = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => return Err("QR renderer gave no <svg>".into()),
    };
    let label = crate::ssr::mail::escape_html(label);
    Ok(svg.replacen("<svg", &format!("<svg role=\"img\" aria-label=\"{label}\" data-testid=\"{testid}\""), 1))
}
