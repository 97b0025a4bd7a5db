//! Hours per week (seed 002 §2.5): entered as a decimal number, sent to the municipal systems
//! as hours and minutes with the minutes rounded up to the next quarter.

use std::fmt;

use crate::FieldError;

const IKKE_TAL: &str = "Skriv timer som et tal, fx 37,5";
const NUL: &str = "Timer pr. uge skal være større end 0";
const FOR_MANGE: &str = "Timer pr. uge kan højst være 168";
const DECIMALER: &str = "Timer pr. uge kan højst have 2 decimaler";

/// The most hours a week holds: 7 × 24.
const MAKS_HUNDREDEDELE: u64 = 168 * 100;

/// Hours per week in hundredths of an hour (37,3 timer → 3730).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerPrUge(u32);

impl TimerPrUge {
    /// Accepts "37,5", "37.5" and "37": more than 0, at most 168, at most 2 decimals.
    pub fn parse(input: &str, felt: &str) -> Result<Self, FieldError> {
        let hundrededele = match parse_hundrededele(input) {
            Ok(h) => h,
            // Every required field that is empty shows the same text (seed 002 §3.2).
            Err(DecimalFejl::Tom) => return Err(FieldError::mangler(felt)),
            Err(DecimalFejl::IkkeTal) => return Err(FieldError::new(felt, IKKE_TAL)),
            Err(DecimalFejl::Negativ) => return Err(FieldError::new(felt, NUL)),
            Err(DecimalFejl::ForMangeDecimaler) => return Err(FieldError::new(felt, DECIMALER)),
            Err(DecimalFejl::ForStort) => return Err(FieldError::new(felt, FOR_MANGE)),
        };
        if hundrededele == 0 {
            return Err(FieldError::new(felt, NUL));
        }
        // A week has 168 hours.
        if hundrededele > MAKS_HUNDREDEDELE {
            return Err(FieldError::new(felt, FOR_MANGE));
        }
        let h = u32::try_from(hundrededele).map_err(|_| FieldError::new(felt, FOR_MANGE))?;
        Ok(TimerPrUge(h))
    }

    /// From stored hundredths; not checked (the stored value was checked when entered).
    pub fn from_hundredths(hundrededele: u32) -> Self {
        TimerPrUge(hundrededele)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// Danish form with no trailing zeros: "37,5", "37", "37,25".
    pub fn to_decimal_string(self) -> String {
        let (hele, rest) = (self.0 / 100, self.0 % 100);
        if rest == 0 {
            format!("{hele}")
        } else if rest % 10 == 0 {
            format!("{hele},{}", rest / 10)
        } else {
            format!("{hele},{rest:02}")
        }
    }

    /// Hours and minutes, the minutes always rounded UP to the next quarter (seed 002 §2.5):
    /// 37,3 → (37, 30); 37,01 → (37, 15); 37,76 → (38, 0).
    pub fn timer_og_minutter(self) -> (u32, u32) {
        let timer = self.0 / 100;
        // The exact minutes are rest·60/100; in hundredths of a minute that is rest·60, and a
        // quarter is 1500 of those. Integer ceiling keeps it exact.
        let kvarterer = (self.0 % 100 * 60).div_ceil(1500);
        let minutter = kvarterer * 15;
        if minutter == 60 { (timer + 1, 0) } else { (timer, minutter) }
    }
}

impl fmt::Display for TimerPrUge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

/// Why a Danish decimal number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecimalFejl {
    /// Empty or only spaces.
    Tom,
    /// Not of the form `123`, `123,4` or `123.45`.
    IkkeTal,
    /// A well-formed number with a leading minus.
    Negativ,
    /// Three or more decimals.
    ForMangeDecimaler,
    /// Does not fit in a `u64` of hundredths.
    ForStort,
}

/// Reads a non-negative decimal number with comma or dot as the decimal separator and at most
/// two decimals, into hundredths ("37,5" → 3750). No thousands separators. Shared by
/// [`TimerPrUge`] and [`crate::krav::Fuldtid`].
pub(crate) fn parse_hundrededele(input: &str) -> Result<u64, DecimalFejl> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DecimalFejl::Tom);
    }
    if let Some(rest) = s.strip_prefix('-') {
        return match parse_hundrededele(rest) {
            Ok(_) | Err(DecimalFejl::ForMangeDecimaler | DecimalFejl::ForStort) => Err(DecimalFejl::Negativ),
            Err(_) => Err(DecimalFejl::IkkeTal),
        };
    }
    let (hele, decimaler) = match s.split_once([',', '.']) {
        Some((h, d)) => (h, d),
        None => (s, ""),
    };
    let kun_cifre = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if hele.is_empty() || !kun_cifre(hele) || !kun_cifre(decimaler) {
        return Err(DecimalFejl::IkkeTal);
    }
    if s.len() != hele.len() && decimaler.is_empty() {
        // "37," or "37.": a separator with nothing after it.
        return Err(DecimalFejl::IkkeTal);
    }
    if decimaler.len() > 2 {
        return Err(DecimalFejl::ForMangeDecimaler);
    }
    let mut resultat: u64 = 0;
    for b in hele.bytes() {
        resultat =
            resultat.checked_mul(10).and_then(|r| r.checked_add(u64::from(b - b'0'))).ok_or(DecimalFejl::ForStort)?;
    }
    let brok = match decimaler.as_bytes() {
        [] => 0,
        [a] => u64::from(a - b'0') * 10,
        [a, b] => u64::from(a - b'0') * 10 + u64::from(b - b'0'),
        _ => return Err(DecimalFejl::ForMangeDecimaler),
    };
    resultat.checked_mul(100).and_then(|r| r.checked_add(brok)).ok_or(DecimalFejl::ForStort)
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use crate::error::MANGLER;
    use proptest::prelude::*;

    fn t(s: &str) -> TimerPrUge {
        TimerPrUge::parse(s, "timer").unwrap()
    }

    fn besked(s: &str) -> String {
        TimerPrUge::parse(s, "timer").unwrap_err().besked
    }

    #[test]
    fn parse_komma_punktum_og_heltal() {
        assert_eq!(t("37,5").hundredths(), 3750);
        assert_eq!(t("37.5").hundredths(), 3750);
        assert_eq!(t("37").hundredths(), 3700);
        assert_eq!(t(" 37,25 ").hundredths(), 3725);
        assert_eq!(t("0,01").hundredths(), 1);
        assert_eq!(t("168").hundredths(), 16800);
        assert_eq!(t("168,00").hundredths(), 16800);
        assert_eq!(t("007,3").hundredths(), 730);
    }

    #[test]
    fn parse_afviser() {
        assert_eq!(besked("0"), NUL);
        assert_eq!(besked("0,00"), NUL);
        assert_eq!(besked("-5"), NUL);
        assert_eq!(besked("168,01"), FOR_MANGE);
        assert_eq!(besked("1000"), FOR_MANGE);
        assert_eq!(besked("99999999999999999999999"), FOR_MANGE);
        assert_eq!(besked("37,125"), DECIMALER);
        for s in ["abc", "37,5,5", "37.5.5", "37,", ",5", "37 timer", "3 7", "+37", "37,-5", "1e2", "-"] {
            assert_eq!(besked(s), IKKE_TAL, "{s:?}");
        }
        assert_eq!(besked("   "), MANGLER);
        assert_eq!(TimerPrUge::parse("x", "ansaettelse.timer").unwrap_err().felt, "ansaettelse.timer");
    }

    #[test]
    fn decimal_streng() {
        assert_eq!(TimerPrUge::from_hundredths(3750).to_decimal_string(), "37,5");
        assert_eq!(TimerPrUge::from_hundredths(3700).to_decimal_string(), "37");
        assert_eq!(TimerPrUge::from_hundredths(3725).to_decimal_string(), "37,25");
        assert_eq!(TimerPrUge::from_hundredths(3705).to_decimal_string(), "37,05");
        assert_eq!(TimerPrUge::from_hundredths(5).to_decimal_string(), "0,05");
        assert_eq!(TimerPrUge::from_hundredths(3730).to_string(), "37,3");
    }

    #[test]
    fn timer_og_minutter_seed_eksempler() {
        let tm = |h| TimerPrUge::from_hundredths(h).timer_og_minutter();
        assert_eq!(tm(3730), (37, 30)); // seed 002 §2.5's own example: 37,3 → 37 t 30 min
        assert_eq!(tm(3700), (37, 0));
        assert_eq!(tm(3701), (37, 15));
        assert_eq!(tm(3725), (37, 15)); // exactly 15 minutes: not rounded further
        assert_eq!(tm(3726), (37, 30));
        assert_eq!(tm(3750), (37, 30));
        assert_eq!(tm(3751), (37, 45));
        assert_eq!(tm(3775), (37, 45));
        assert_eq!(tm(3776), (38, 0));
        assert_eq!(tm(3799), (38, 0));
        assert_eq!(tm(1), (0, 15));
        // Issue 4's examples: 37,10 → 37 t 15 min; 37,0 → 37 t 0 min; 7,76 → 8 t 0 min.
        assert_eq!(tm(3710), (37, 15));
        assert_eq!(tm(776), (8, 0));
        assert_eq!(tm(16800), (168, 0));
    }

    #[test]
    fn delt_decimal_parser() {
        assert_eq!(parse_hundrededele("12,5"), Ok(1250));
        assert_eq!(parse_hundrededele("0"), Ok(0));
        assert_eq!(parse_hundrededele(""), Err(DecimalFejl::Tom));
        assert_eq!(parse_hundrededele("-1,5"), Err(DecimalFejl::Negativ));
        assert_eq!(parse_hundrededele("-1,555"), Err(DecimalFejl::Negativ));
        assert_eq!(parse_hundrededele("--1"), Err(DecimalFejl::IkkeTal));
        assert_eq!(parse_hundrededele("1,555"), Err(DecimalFejl::ForMangeDecimaler));
        // u64::MAX = 18_446_744_073_709_551_615 hundredths.
        assert_eq!(parse_hundrededele("184467440737095516,15"), Ok(u64::MAX));
        assert_eq!(parse_hundrededele("184467440737095516,16"), Err(DecimalFejl::ForStort));
        assert_eq!(parse_hundrededele("184467440737095517"), Err(DecimalFejl::ForStort));
    }

    proptest! {
        #[test]
        fn minutter_er_kvarterer_og_oprundet(h in 0u32..=100_000) {
            let (timer, minutter) = TimerPrUge::from_hundredths(h).timer_og_minutter();
            prop_assert!([0, 15, 30, 45].contains(&minutter));
            // Compare in hundredths of a minute: the exact value is h·60/100 minutes = h·60.
            let resultat = u64::from(timer * 60 + minutter) * 100;
            let eksakt = u64::from(h) * 60;
            prop_assert!(resultat >= eksakt);
            prop_assert!(resultat < eksakt + 1500);
        }

        #[test]
        fn parse_af_decimal_streng_giver_samme(h in 1u32..=16_800) {
            let timer = TimerPrUge::from_hundredths(h);
            prop_assert_eq!(TimerPrUge::parse(&timer.to_decimal_string(), "timer"), Ok(timer));
        }

        #[test]
        fn parse_med_punktum_som_komma(hele in 0u32..=167, rest in 0u32..=99) {
            prop_assume!(hele + rest > 0);
            let forventet = hele * 100 + rest;
            prop_assert_eq!(t(&format!("{hele}.{rest:02}")).hundredths(), forventet);
            prop_assert_eq!(t(&format!("{hele},{rest:02}")).hundredths(), forventet);
        }
    }
}
