//! Text encodings the mail protocols need and std lacks: base64 (SMTP AUTH) and IMAP's modified UTF-7
//! (mailbox names, RFC 3501 section 5.1.3), so tests can use folder names such as `Fatture/Già pagate`; and
//! the CRLF line endings both protocols require.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Modified base64 of IMAP mailbox names: `,` instead of `/`, no padding.
const IMAP: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Standard padded base64, as SMTP `AUTH PLAIN` wants it.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = encode_base64(bytes, STANDARD);
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

fn encode_base64(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Encodes a mailbox name for the wire: printable ASCII stays, `&` becomes `&-`, anything else becomes
/// `&` + modified base64 of its UTF-16 + `-`.
pub fn mutf7_encode(name: &str) -> String {
    fn flush(out: &mut String, pending: &mut Vec<u16>) {
        if !pending.is_empty() {
            let bytes: Vec<u8> = pending.iter().flat_map(|unit| unit.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&encode_base64(&bytes, IMAP));
            out.push('-');
            pending.clear();
        }
    }
    let mut out = String::new();
    let mut pending = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut pending);
            match c {
                '&' => out.push_str("&-"),
                _ => out.push(c),
            }
        } else {
            pending.extend_from_slice(c.encode_utf16(&mut [0; 2]));
        }
    }
    flush(&mut out, &mut pending);
    out
}

/// Decodes a mailbox name as the server sent it; `Err` says what is malformed.
pub fn mutf7_decode(wire: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = wire;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('-').ok_or_else(|| format!("unterminated '&' in mailbox name {wire:?}"))?;
        if end == 0 {
            out.push('&');
        } else {
            let mut bits = 0u32;
            let mut nbits = 0;
            let mut bytes = Vec::new();
            for c in after[..end].bytes() {
                let value =
                    IMAP.iter().position(|&a| a == c).ok_or_else(|| format!("bad byte {c:?} in {wire:?}"))?;
                bits = (bits << 6) | value as u32;
                nbits += 6;
                if nbits >= 8 {
                    nbits -= 8;
                    bytes.push((bits >> nbits) as u8);
                    bits &= (1 << nbits) - 1;
                }
            }
            let units: Vec<u16> =
                bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])).collect();
            out.push_str(&String::from_utf16(&units).map_err(|e| format!("{e} in mailbox name {wire:?}"))?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `raw` with every line ending (`\r\n`, bare `\n` or bare `\r`) made `\r\n`, as SMTP, LMTP and IMAP APPEND
/// require; fixtures written with an editor usually have bare `\n`. A last line without an ending gets one.
pub fn crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32 + 2);
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'\r' => {
                bytes.next_if_eq(&b'\n');
                out.extend_from_slice(b"\r\n");
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            _ => out.push(b),
        }
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}
