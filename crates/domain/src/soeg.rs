//! Search and sort keys computed in Rust, so both databases filter and order alike
//! (CONVENTIONS.md rules 3 and 4).

/// The lower-cased text that case-insensitive search compares against (rule 3).
pub fn soegetekst(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A key whose byte order is Danish alphabetical order: Æ, Ø, Å after Z, and "Aa" as Å
/// (Retskrivningsordbogen §1; CONVENTIONS.md rule 4).
pub fn sorteringsnoegle(s: &str) -> String {
    let lav = soegetekst(s);
    let mut ud = String::with_capacity(lav.len() + 4);
    let mut tegn = lav.chars().peekable();
    while let Some(c) = tegn.next() {
        match c {
            // "Aa" sorts as Å, except inside words where it is two letters; names are the
            // common case in lists, so it is treated as Å throughout.
            'a' if tegn.peek() == Some(&'a') => {
                tegn.next();
                ud.push_str("{c");
            }
            'æ' | 'ä' => ud.push_str("{a"),
            'ø' | 'ö' => ud.push_str("{b"),
            'å' => ud.push_str("{c"),
            'é' | 'è' => ud.push('e'),
            'ü' => ud.push('y'),
            c => ud.push(c),
        }
    }
    ud
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dansk_alfabetisk_raekkefoelge() {
        let mut navne = vec!["Åse", "Øster", "Zacharias", "Ærø", "Aage", "Anders", "Bent", "ærlig"];
        navne.sort_by_key(|n| sorteringsnoegle(n));
        assert_eq!(navne, vec!["Anders", "Bent", "Zacharias", "ærlig", "Ærø", "Øster", "Aage", "Åse"]);
    }

    #[test]
    fn soegetekst_er_smaa_bogstaver() {
        assert_eq!(soegetekst("  ÅSE   Østergård "), "åse østergård");
    }
}
