//! The 标识码 `BSM`: 20 characters, the 12-digit village code followed by an 8-digit
//! sequence number (docs/domain.md §9.3). A feature keeps the project's own where it already
//! has that form (and no other feature took it); the others get the next free sequence
//! number of their village, so kept and new codes never collide.

use std::collections::{BTreeMap, BTreeSet};

/// The codes of one delivered layer.
#[derive(Debug, Default)]
pub struct BsmNumbering {
    /// Per village: the sequence numbers kept from the project.
    kept: BTreeMap<String, BTreeSet<u64>>,
    /// Per village: the last sequence number given.
    next: BTreeMap<String, u64>,
    /// Codes assigned so far (a second feature with the same own code is renumbered).
    used: BTreeSet<String>,
}

/// The sequence number of `own` if it is a well-formed code of `village`.
fn sequence_of(village: &str, own: &str) -> Option<u64> {
    let well_formed = own.len() == 20 && own.bytes().all(|b| b.is_ascii_digit());
    (well_formed && own.starts_with(village))
        .then(|| own[12..].parse().ok())
        .flatten()
}

impl BsmNumbering {
    /// First pass: every feature's village and own code, so new numbers avoid kept ones.
    pub fn offer(&mut self, village: &str, own: Option<&str>) {
        if let Some(seq) = own.and_then(|o| sequence_of(village, o)) {
            self.kept
                .entry(village.to_string())
                .or_default()
                .insert(seq);
        }
    }

    /// Second pass: the feature's code, and whether it is new.
    pub fn assign(&mut self, village: &str, own: Option<&str>) -> (String, bool) {
        if let Some(own) = own
            && sequence_of(village, own).is_some()
            && self.used.insert(own.to_string())
        {
            return (own.to_string(), false);
        }
        let kept = self.kept.get(village);
        let next = self.next.entry(village.to_string()).or_insert(0);
        loop {
            *next += 1;
            let code = format!("{village:0<12.12}{:08}", *next);
            if !kept.is_some_and(|k| k.contains(next)) && self.used.insert(code.clone()) {
                return (code, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "530921106201";

    #[test]
    fn own_codes_are_kept_and_new_ones_skip_them() {
        let mut n = BsmNumbering::default();
        let own = format!("{V}00000001");
        for o in [Some(own.as_str()), None, Some("12345"), Some(own.as_str())] {
            n.offer(V, o);
        }
        assert_eq!(n.assign(V, Some(&own)), (own.clone(), false));
        assert_eq!(n.assign(V, None), (format!("{V}00000002"), true));
        // Too short: renumbered.
        assert_eq!(n.assign(V, Some("12345")), (format!("{V}00000003"), true));
        // The same own code a second time: renumbered, never duplicated.
        assert_eq!(n.assign(V, Some(&own)), (format!("{V}00000004"), true));
    }

    #[test]
    fn a_code_of_another_village_is_not_kept() {
        let mut n = BsmNumbering::default();
        let other = "53092110620200000001";
        n.offer(V, Some(other));
        let (code, new) = n.assign(V, Some(other));
        assert!(new);
        assert_eq!(code.len(), 20);
        assert!(code.starts_with(V));
    }
}
