//! Free-text fields and their length limit.

use crate::FieldError;

/// DFDG accepts free texts of at most 2000 characters, so VITAS limits its own (seed 001 §1.8).
pub const FRITEKST_MAX: usize = 2000; // seed 001 §1.8

/// A whole number as Danes write it, a point between thousands: 1234567 → "1.234.567",
/// -1234 → "-1.234". Every page, table, chart and download uses this one.
pub fn tusinder(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let cifre = n.unsigned_abs().to_string();
    let mut ud = String::with_capacity(cifre.len() + cifre.len() / 3 + 1);
    if n < 0 {
        ud.push('-');
    }
    for (i, c) in cifre.chars().enumerate() {
        if i > 0 && (cifre.len() - i).is_multiple_of(3) {
            ud.push('.');
        }
        ud.push(c);
    }
    ud
}

/// Checks a free-text field: trims it, turns browser line endings ("\r\n", and a lone "\r")
/// into "\n", and counts characters (`chars()`: æ, ø and å count as one each).
///
/// Empty (after trimming) gives `Ok(None)`, or "Mangler at blive udfyldt" when the field is
/// required (seed 002 §3.2). Returns the normalised text.
pub fn fritekst(input: &str, felt: &str, max: usize, paakraevet: bool) -> Result<Option<String>, FieldError> {
    // A textarea posts line breaks as CRLF; a line break is one character to the user.
    let normaliseret = input.replace("\r\n", "\n").replace('\r', "\n");
    let tekst = normaliseret.trim();
    if tekst.is_empty() {
        return if paakraevet { Err(FieldError::mangler(felt)) } else { Ok(None) };
    }
    let antal = tekst.chars().count();
    // seed 001 §1.8: at most `max` characters (FRITEKST_MAX for new cases).
    if antal > max {
        return Err(FieldError::new(felt, format!("Teksten må højst være {max} tegn (du har skrevet {antal})")));
    }
    Ok(Some(tekst.to_owned()))
}

/// The text without control characters other than line break and tab. The edge refuses them
/// in new input (web::graensevagt); this keeps a text already stored with one (a NUL in a name
/// from before the edge checked) from failing every later write on PostgreSQL, which refuses
/// NUL in text (issue 14 §2).
pub fn uden_kontroltegn(tekst: &str) -> std::borrow::Cow<'_, str> {
    if tekst.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        std::borrow::Cow::Owned(tekst.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect())
    } else {
        std::borrow::Cow::Borrowed(tekst)
    }
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;

    #[test]
    fn tusinder_med_punktum() {
        assert_eq!(tusinder(0u64), "0");
        assert_eq!(tusinder(999i64), "999");
        assert_eq!(tusinder(2_000i64), "2.000");
        assert_eq!(tusinder(1_234_567i64), "1.234.567");
        assert_eq!(tusinder(-1_234i64), "-1.234");
        assert_eq!(tusinder(u64::MAX), "18.446.744.073.709.551.615");
        assert_eq!(tusinder(i64::MIN), "-9.223.372.036.854.775.808");
    }
    use crate::error::MANGLER;

    #[test]
    fn praecis_2000_ae_er_ok() {
        let tekst = "æ".repeat(2000);
        assert_eq!(tekst.len(), 4000, "æ is two bytes in UTF-8");
        assert_eq!(fritekst(&tekst, "jobindhold", FRITEKST_MAX, true), Ok(Some(tekst.clone())));
    }

    #[test]
    fn tegn_nummer_2001_afvises() {
        let fejl = fritekst(&"ø".repeat(2001), "jobindhold", FRITEKST_MAX, false).unwrap_err();
        assert_eq!(fejl.felt, "jobindhold");
        assert_eq!(fejl.besked, "Teksten må højst være 2000 tegn (du har skrevet 2001)");
    }

    #[test]
    fn andet_maksimum() {
        assert_eq!(fritekst("abcd", "f", 4, false), Ok(Some("abcd".to_owned())));
        assert_eq!(
            fritekst("abcde", "f", 4, false).unwrap_err().besked,
            "Teksten må højst være 4 tegn (du har skrevet 5)"
        );
    }

    #[test]
    fn crlf_taeller_som_et_tegn_og_normaliseres() {
        // 1000 + CRLF + 999 = 2001 characters as posted, 2000 after normalising.
        let input = format!("{}\r\n{}", "a".repeat(1000), "b".repeat(999));
        let forventet = format!("{}\n{}", "a".repeat(1000), "b".repeat(999));
        assert_eq!(fritekst(&input, "f", FRITEKST_MAX, true), Ok(Some(forventet)));
        assert_eq!(fritekst("a\r\nb\rc\nd", "f", 100, true), Ok(Some("a\nb\nc\nd".to_owned())));
    }

    #[test]
    fn trimmes_og_tom() {
        assert_eq!(fritekst("  hej med dig \r\n", "f", 11, false), Ok(Some("hej med dig".to_owned())));
        // Trailing spaces do not count against the limit.
        assert_eq!(fritekst("abc    ", "f", 3, true), Ok(Some("abc".to_owned())));
        assert_eq!(fritekst(" \r\n\t ", "f", 10, false), Ok(None));
        assert_eq!(fritekst("", "f", 10, false), Ok(None));
        let fejl = fritekst(" \r\n ", "bemaerkning", 10, true).unwrap_err();
        assert_eq!((fejl.felt.as_str(), fejl.besked.as_str()), ("bemaerkning", MANGLER));
    }

    #[test]
    fn kontroltegn_fjernes_linjeskift_bliver() {
        assert_eq!(uden_kontroltegn("Ab\u{0}c\u{1b}d"), "Abcd");
        assert_eq!(uden_kontroltegn("linje 1\nlinje\t2\r"), "linje 1\nlinje\t2");
        assert!(matches!(uden_kontroltegn("Søren"), std::borrow::Cow::Borrowed(_)));
    }
}
