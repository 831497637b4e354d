//! SHA-256 digests in hex: the identity of a raw message, the seed of clerk's own Message-IDs.
//!
//! One implementation (ring's, assembly-optimised, already linked for TLS) so that every part of clerk
//! computes the same identity the same way, fast enough to hash every incoming message.

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// The first `n` bytes of SHA-256(`bytes`) in lower-case hex.
pub fn sha256_hex_prefix(bytes: &[u8], n: usize) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    hex(&digest.as_ref()[..n.min(32)])
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_published_value() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(sha256_hex_prefix(b"abc", 4), "ba7816bf");
    }
}
