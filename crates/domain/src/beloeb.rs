//! Money as integer øre (CONVENTIONS.md rule 1: never Decimal, SQLite would store it as REAL).

use std::fmt;

use crate::FieldError;

const IKKE_TAL: &str = "Skriv beløbet som et tal, fx 12.345,67";
const NEGATIV: &str = "Beløbet kan ikke være negativt";
const DECIMALER: &str = "Beløbet kan højst have 2 decimaler";
const FOR_STORT: &str = "Beløbet er for stort";

/// An amount in øre (12.345,67 kr. → 1_234_567).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Beloeb(i64);

impl Beloeb {
    /// Danish forms: "12.345,67", "12345,67", "12345", "12345.67", optionally followed by
    /// "kr." The amount must be ≥ 0 and have at most 2 decimals.
    ///
    /// Without a comma, a single dot followed by exactly two digits at the end is a decimal
    /// point ("12345.67"); any other dot is a thousands separator and must then separate
    /// groups of three ("12.345"). A malformed grouping ("12.3") is refused rather than guessed.
    pub fn parse(input: &str, felt: &str) -> Result<Self, FieldError> {
        let mut s = input.trim();
        if let Some(uden) = s.strip_suffix("kr.").or_else(|| s.strip_suffix("kr")) {
            s = uden.trim_end();
        }
        if s.is_empty() {
            // Every required field that is empty shows the same text (seed 002 §3.2).
            return Err(FieldError::mangler(felt));
        }
        if let Some(rest) = s.strip_prefix('-') {
            return match oere_af(rest) {
                Ok(_) | Err(BeloebFejl::Decimaler | BeloebFejl::ForStort) => Err(FieldError::new(felt, NEGATIV)),
                Err(BeloebFejl::IkkeTal) => Err(FieldError::new(felt, IKKE_TAL)),
            };
        }
        match oere_af(s) {
            Ok(oere) => Ok(Beloeb(oere)),
            Err(BeloebFejl::IkkeTal) => Err(FieldError::new(felt, IKKE_TAL)),
            Err(BeloebFejl::Decimaler) => Err(FieldError::new(felt, DECIMALER)),
            Err(BeloebFejl::ForStort) => Err(FieldError::new(felt, FOR_STORT)),
        }
    }

    /// From stored øre; not checked.
    pub fn from_oere(oere: i64) -> Self {
        Beloeb(oere)
    }

    pub fn oere(self) -> i64 {
        self.0
    }

    /// An amount known in øre, e.g. from a rate table.
    pub const fn fra_oere(oere: i64) -> Beloeb {
        Beloeb(oere)
    }

    /// "12.345,67 kr.": dots between thousands, a comma before the øre.
    pub fn formateret(self) -> String {
        let fortegn = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let kroner = (abs / 100).to_string();
        let mut grupperet = String::with_capacity(kroner.len() + kroner.len() / 3);
        for (i, c) in kroner.chars().enumerate() {
            if i > 0 && (kroner.len() - i).is_multiple_of(3) {
                grupperet.push('.');
            }
            grupperet.push(c);
        }
        format!("{fortegn}{grupperet},{:02} kr.", abs % 100)
    }
}

impl fmt::Display for Beloeb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formateret())
    }
}

enum BeloebFejl {
    IkkeTal,
    Decimaler,
    ForStort,
}

/// Reads an unsigned Danish amount (no sign, no "kr.") into øre.
fn oere_af(s: &str) -> Result<i64, BeloebFejl> {
    let (kroner, oere) = if let Some((k, o)) = s.split_once(',') {
        (k, Some(o))
    } else {
        match s.split_once('.') {
            // The single dot followed by exactly two digits at the end: a decimal point.
            Some((k, o)) if o.len() == 2 && !o.contains('.') => (k, Some(o)),
            _ => (s, None),
        }
    };
    let kun_cifre = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let oere = match oere {
        None => 0,
        Some(o) if !kun_cifre(o) => return Err(BeloebFejl::IkkeTal),
        Some(o) if o.len() > 2 => return Err(BeloebFejl::Decimaler),
        Some(o) => {
            let v: i64 = o.parse().map_err(|_| BeloebFejl::IkkeTal)?;
            if o.len() == 1 { v * 10 } else { v }
        }
    };
    // Thousands separators: the first group 1–3 digits, every later group exactly 3.
    let mut grupper = kroner.split('.');
    let foerste = grupper.next().unwrap_or_default();
    let mut cifre = String::with_capacity(kroner.len());
    if kroner.contains('.') {
        if !kun_cifre(foerste) || foerste.len() > 3 {
            return Err(BeloebFejl::IkkeTal);
        }
        cifre.push_str(foerste);
        for gruppe in grupper {
            if !kun_cifre(gruppe) || gruppe.len() != 3 {
                return Err(BeloebFejl::IkkeTal);
            }
            cifre.push_str(gruppe);
        }
    } else {
        if !kun_cifre(kroner) {
            return Err(BeloebFejl::IkkeTal);
        }
        cifre.push_str(kroner);
    }
    let mut kr: i64 = 0;
    for b in cifre.bytes() {
        kr = kr.checked_mul(10).and_then(|k| k.checked_add(i64::from(b - b'0'))).ok_or(BeloebFejl::ForStort)?;
    }
    kr.checked_mul(100).and_then(|k| k.checked_add(oere)).ok_or(BeloebFejl::ForStort)
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use crate::error::MANGLER;
    use proptest::prelude::*;

    fn oere(s: &str) -> i64 {
        Beloeb::parse(s, "beloeb").unwrap().oere()
    }

    fn besked(s: &str) -> String {
        Beloeb::parse(s, "beloeb").unwrap_err().besked
    }

    #[test]
    fn danske_former() {
        assert_eq!(oere("12.345,67"), 1_234_567);
        assert_eq!(oere("12345,67"), 1_234_567);
        assert_eq!(oere("12345"), 1_234_500);
        assert_eq!(oere("12345.67"), 1_234_567);
        assert_eq!(oere("12.345"), 1_234_500);
        assert_eq!(oere("1.234.567"), 123_456_700);
        assert_eq!(oere("1.234.567,8"), 123_456_780);
        assert_eq!(oere("12.345,67 kr."), 1_234_567);
        assert_eq!(oere(" 12.345,67kr. "), 1_234_567);
        assert_eq!(oere("100 kr"), 10_000);
        assert_eq!(oere("0"), 0);
        assert_eq!(oere("0,05"), 5);
        assert_eq!(oere("1.23"), 123);
        assert_eq!(oere("12345,6"), 1_234_560);
    }

    #[test]
    fn afviser() {
        assert_eq!(besked("-1"), NEGATIV);
        assert_eq!(besked("-12.345,67 kr."), NEGATIV);
        assert_eq!(besked("12345,678"), DECIMALER);
        assert_eq!(besked("92233720368547758,08"), FOR_STORT);
        for s in [
            "abc",
            "12.3",
            "12.34.56",
            "1234.567.89",
            "12,34,5",
            "12,",
            ",50",
            "1.2345",
            "12 345",
            "12,3a",
            "kr.",
            "--1",
        ] {
            if s == "kr." {
                assert_eq!(besked(s), MANGLER);
            } else {
                assert_eq!(besked(s), IKKE_TAL, "{s:?}");
            }
        }
        assert_eq!(besked(""), MANGLER);
        assert_eq!(Beloeb::parse("x", "ophoer.samlet_loen").unwrap_err().felt, "ophoer.samlet_loen");
    }

    #[test]
    fn storste_beloeb() {
        assert_eq!(oere("92.233.720.368.547.758,07"), i64::MAX);
    }

    #[test]
    fn formateret() {
        assert_eq!(Beloeb::from_oere(1_234_567).formateret(), "12.345,67 kr.");
        assert_eq!(Beloeb::from_oere(0).formateret(), "0,00 kr.");
        assert_eq!(Beloeb::from_oere(5).formateret(), "0,05 kr.");
        assert_eq!(Beloeb::from_oere(99_999).formateret(), "999,99 kr.");
        assert_eq!(Beloeb::from_oere(100_000).formateret(), "1.000,00 kr.");
        assert_eq!(Beloeb::from_oere(11_000_000).formateret(), "110.000,00 kr.");
        assert_eq!(Beloeb::from_oere(12_345_678_900).formateret(), "123.456.789,00 kr.");
        assert_eq!(Beloeb::from_oere(-150).formateret(), "-1,50 kr.");
        assert_eq!(Beloeb::from_oere(i64::MIN).formateret(), "-92.233.720.368.547.758,08 kr.");
        assert_eq!(Beloeb::from_oere(6_000_000).to_string(), "60.000,00 kr.");
    }

    proptest! {
        #[test]
        fn formateret_og_parse_er_omvendte(o in 0i64..=i64::MAX) {
            let b = Beloeb::from_oere(o);
            prop_assert_eq!(Beloeb::parse(&b.formateret(), "beloeb"), Ok(b));
        }

        #[test]
        fn uden_tusindtalsseparator(kr in 0i64..=9_999_999_999, o in 0i64..=99) {
            let forventet = kr * 100 + o;
            prop_assert_eq!(oere(&format!("{kr},{o:02}")), forventet);
            prop_assert_eq!(oere(&format!("{kr}.{o:02}")), forventet);
            prop_assert_eq!(oere(&format!("{kr}")), kr * 100);
        }
    }
}
