//! IMAP sequence sets: sorted UIDs written as compact ranges (`1:5,9,12:14`), so one command covers a
//! whole batch instead of one round trip per message.

/// Writes `uids` (in any order, duplicates allowed) as an IMAP UID set.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_uids_become_ranges() {
        assert_eq!(uid_set(&[3, 1, 2, 5, 9, 10, 11]), "1:3,5,9:11");
    }

    #[test]
    fn a_single_uid_stays_a_number() {
        assert_eq!(uid_set(&[42]), "42");
    }

    #[test]
    fn duplicates_are_written_once() {
        assert_eq!(uid_set(&[7, 7, 8]), "7:8");
    }
}
