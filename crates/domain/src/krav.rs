//! The rimelighedskrav (ratio) and the merbeskæftigelseskrav (additional employment) for
//! løntilskud, virksomhedspraktik and nytteindsats (seed 004; DOMAIN.md "Facts from public STAR
//! material"). Both are counted in full-time equivalents, part-time as fractions (seed 004).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::timer::{DecimalFejl, parse_hundrededele};

const IKKE_TAL: &str = "Skriv antallet som et tal, fx 12,5";
const NEGATIV: &str = "Antallet kan ikke være negativt";
const DECIMALER: &str = "Antallet kan højst have 2 decimaler";
const FOR_STORT: &str = "Antallet er for stort";

/// Full-time equivalents (fuldtidspersoner) in hundredths: 12,5 → 1250 (seed 004).
/// Serde as the bare number of hundredths: every `u32` is a valid count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fuldtid(u32);

impl Fuldtid {
    /// Danish decimal ("12,5" or "12.5"), ≥ 0, at most 2 decimals. Empty is an error: the last
    /// month's count starts empty and the company must fill it (seed 002 §3.2).
    pub fn parse(input: &str, felt: &str) -> Result<Self, FieldError> {
        match parse_hundrededele(input) {
            Ok(h) => u32::try_from(h).map(Fuldtid).map_err(|_| FieldError::new(felt, FOR_STORT)),
            // seed 002 §3.2: "Mangler at blive udfyldt", never a silent 0,00.
            Err(DecimalFejl::Tom) => Err(FieldError::mangler(felt)),
            Err(DecimalFejl::IkkeTal) => Err(FieldError::new(felt, IKKE_TAL)),
            Err(DecimalFejl::Negativ) => Err(FieldError::new(felt, NEGATIV)),
            Err(DecimalFejl::ForMangeDecimaler) => Err(FieldError::new(felt, DECIMALER)),
            Err(DecimalFejl::ForStort) => Err(FieldError::new(felt, FOR_STORT)),
        }
    }

    pub fn from_hundredths(hundrededele: u32) -> Self {
        Fuldtid(hundrededele)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// Always two decimals with a Danish comma: "12,50", "0,00" (seed 002 §3.2 shows "0,00").
    pub fn to_decimal_string(self) -> String {
        hundrededele_tekst(u64::from(self.0))
    }
}

impl fmt::Display for Fuldtid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

fn hundrededele_tekst(h: u64) -> String {
    format!("{},{:02}", h / 100, h % 100)
}

/// The outcome of a rule check, with a Danish explanation that names the numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KravResultat {
    pub opfyldt: bool,
    pub forklaring: String,
}

/// How many persons in løntilskud, virksomhedspraktik or nytteindsats a workplace may have:
/// max(1, ⌊min(N,50)/5⌋ + ⌊max(N−50,0)/10⌋) for N ordinary full-time employees
/// (DOMAIN.md "Facts from public STAR material": Rimelighedskrav).
pub fn tilladte_stoettede(ordinaere: Fuldtid) -> u32 {
    let h = ordinaere.hundredths();
    // Exact floors on hundredths: N/5 = h/500 and N/10 = h/1000.
    let op_til_50 = h.min(5000) / 500;
    let over_50 = h.saturating_sub(5000) / 1000;
    (op_til_50 + over_50).max(1)
}

/// Rimelighedskrav: the new application counts as one more supported person
/// (DOMAIN.md "Facts…": løntilskud, virksomhedspraktik and nytteindsats all count).
pub fn rimelighedskrav(ordinaere: Fuldtid, allerede_stoettede: u32) -> KravResultat {
    let tilladte = tilladte_stoettede(ordinaere);
    let med_ansoegningen = allerede_stoettede.saturating_add(1);
    let personer = if tilladte == 1 { "person" } else { "personer" };
    KravResultat {
        opfyldt: med_ansoegningen <= tilladte,
        forklaring: format!(
            "Med {} ordinært ansatte (fuldtid) må der være {tilladte} {personer} i løntilskud, \
             virksomhedspraktik eller nytteindsats. Med denne ansøgning bliver der {med_ansoegningen}.",
            ordinaere.to_decimal_string()
        ),
    }
}

/// Merbeskæftigelseskrav: the last month's ordinary employees must be at least the average of
/// the months given (seed 004: "seneste måneds antal ordinært ansatte skal være lig med eller
/// større end gennemsnittet … inden for de seneste 12 mdr.").
///
/// The comparison is exact (`seneste · antal ≥ sum`). The average is shown rounded UP to two
/// decimals: since the last month is itself in hundredths, "≥ the shown average" then says the
/// same as "≥ the exact average", so the text never contradicts the result.
pub fn merbeskaeftigelseskrav(seneste_maaned: Fuldtid, foregaaende_12: &[Fuldtid]) -> KravResultat {
    if foregaaende_12.is_empty() {
        return KravResultat {
            opfyldt: true,
            forklaring: "Der findes ingen eIndkomst-data om ordinært ansatte for de seneste \
                         12 måneder, så der er intet gennemsnit at sammenligne med. Kravet \
                         regnes som opfyldt."
                .to_owned(),
        };
    }
    let antal = foregaaende_12.len() as u64;
    let sum: u64 = foregaaende_12.iter().map(|f| u64::from(f.hundredths())).sum();
    let seneste = u64::from(seneste_maaned.hundredths());
    let opfyldt = seneste * antal >= sum;
    let gennemsnit = hundrededele_tekst(sum.div_ceil(antal));
    let periode = if antal == 1 { "den seneste måned".to_owned() } else { format!("de seneste {antal} måneder") };
    let seneste = seneste_maaned.to_decimal_string();
    let forklaring = if opfyldt {
        format!(
            "Seneste måneds antal ordinært ansatte (fuldtid) er {seneste}, og gennemsnittet for \
             {periode} er {gennemsnit}. Kravet om merbeskæftigelse er opfyldt."
        )
    } else {
        format!(
            "Seneste måneds antal ordinært ansatte (fuldtid) er {seneste}, men gennemsnittet for \
             {periode} er {gennemsnit}. Antallet skal være lig med eller større end \
             gennemsnittet."
        )
    };
    KravResultat { opfyldt, forklaring }
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use crate::error::MANGLER;
    use proptest::prelude::*;

    fn ft(h: u32) -> Fuldtid {
        Fuldtid::from_hundredths(h)
    }

    #[test]
    fn fuldtid_parse() {
        assert_eq!(Fuldtid::parse("12,5", "f"), Ok(ft(1250)));
        assert_eq!(Fuldtid::parse("12.5", "f"), Ok(ft(1250)));
        assert_eq!(Fuldtid::parse(" 0,00 ", "f"), Ok(ft(0)));
        assert_eq!(Fuldtid::parse("3", "f"), Ok(ft(300)));
        assert_eq!(Fuldtid::parse("0,07", "f"), Ok(ft(7)));
        assert_eq!(Fuldtid::parse("42949672,95", "f"), Ok(ft(u32::MAX)));
    }

    #[test]
    fn fuldtid_tom_er_en_fejl() {
        // seed 002 §3.2: the empty field is not 0,00.
        let fejl = Fuldtid::parse("  ", "trin2.seneste_maaned").unwrap_err();
        assert_eq!(fejl.felt, "trin2.seneste_maaned");
        assert_eq!(fejl.besked, MANGLER);
    }

    #[test]
    fn fuldtid_afviser() {
        let besked = |s| Fuldtid::parse(s, "f").unwrap_err().besked;
        assert_eq!(besked("-1"), NEGATIV);
        assert_eq!(besked("1,234"), DECIMALER);
        assert_eq!(besked("abc"), IKKE_TAL);
        assert_eq!(besked("1.000,5"), IKKE_TAL);
        assert_eq!(besked("42949672,96"), FOR_STORT);
    }

    #[test]
    fn fuldtid_serde_som_hundrededele() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error as DeError, U32Deserializer};
        let d: U32Deserializer<DeError> = 1250u32.into_deserializer();
        assert_eq!(Fuldtid::deserialize(d), Ok(ft(1250)));
    }

    #[test]
    fn fuldtid_tekst_altid_to_decimaler() {
        assert_eq!(ft(1250).to_decimal_string(), "12,50");
        assert_eq!(ft(1200).to_decimal_string(), "12,00");
        assert_eq!(ft(0).to_decimal_string(), "0,00");
        assert_eq!(ft(5).to_decimal_string(), "0,05");
        assert_eq!(ft(123_456).to_string(), "1234,56");
    }

    #[test]
    fn tilladte_stoettede_haandregnede() {
        let tilfaelde = [
            (0, 1),
            (499, 1),     // 4,99 / 5 = 0 → at least 1
            (500, 1),     // 5 / 5 = 1
            (999, 1),     // 9,99 / 5 = 1
            (1000, 2),    // 10 / 5
            (1200, 2),    // 12 / 5 = 2
            (2500, 5),    // 25 / 5
            (4999, 9),    // 49,99 / 5 = 9
            (5000, 10),   // 50 / 5
            (5999, 10),   // 10 + 9,99 / 10 = 10
            (6000, 11),   // 10 + 10 / 10
            (10_000, 15), // 10 + 50 / 10
            (10_999, 15), // 10 + 59,99 / 10 = 15
        ];
        for (h, forventet) in tilfaelde {
            assert_eq!(tilladte_stoettede(ft(h)), forventet, "N = {}", ft(h));
        }
    }

    #[test]
    fn rimelighedskrav_overskredet() {
        let r = rimelighedskrav(ft(1200), 2);
        assert!(!r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Med 12,00 ordinært ansatte (fuldtid) må der være 2 personer i løntilskud, \
             virksomhedspraktik eller nytteindsats. Med denne ansøgning bliver der 3."
        );
    }

    #[test]
    fn rimelighedskrav_graense() {
        assert!(rimelighedskrav(ft(1200), 1).opfyldt); // 2 with this one, 2 allowed
        assert!(rimelighedskrav(ft(0), 0).opfyldt); // always room for 1
        assert!(!rimelighedskrav(ft(0), 1).opfyldt);
        let r = rimelighedskrav(ft(499), 0);
        assert!(r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Med 4,99 ordinært ansatte (fuldtid) må der være 1 person i løntilskud, \
             virksomhedspraktik eller nytteindsats. Med denne ansøgning bliver der 1."
        );
        assert!(rimelighedskrav(ft(6000), 10).opfyldt);
        assert!(!rimelighedskrav(ft(5999), 10).opfyldt);
        assert!(!rimelighedskrav(ft(6000), u32::MAX).opfyldt);
    }

    #[test]
    fn merbeskaeftigelse_lig_med_gennemsnit() {
        // (9 + 11) / 2 = 10
        let r = merbeskaeftigelseskrav(ft(1000), &[ft(900), ft(1100)]);
        assert!(r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Seneste måneds antal ordinært ansatte (fuldtid) er 10,00, og gennemsnittet for de \
             seneste 2 måneder er 10,00. Kravet om merbeskæftigelse er opfyldt."
        );
    }

    #[test]
    fn merbeskaeftigelse_lige_under_gennemsnit() {
        // 11 × 10,00 + 10,01 = 110,01; / 12 = 10,000833…: 10,00 is below, shown as 10,01.
        let mut maaneder = vec![ft(1000); 11];
        maaneder.push(ft(1001));
        let r = merbeskaeftigelseskrav(ft(1000), &maaneder);
        assert!(!r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Seneste måneds antal ordinært ansatte (fuldtid) er 10,00, men gennemsnittet for de \
             seneste 12 måneder er 10,01. Antallet skal være lig med eller større end \
             gennemsnittet."
        );
        assert!(merbeskaeftigelseskrav(ft(1001), &maaneder).opfyldt);
    }

    #[test]
    fn merbeskaeftigelse_en_maaned_og_ingen() {
        let r = merbeskaeftigelseskrav(ft(250), &[ft(300)]);
        assert!(!r.opfyldt);
        assert!(r.forklaring.contains("gennemsnittet for den seneste måned er 3,00"), "{}", r.forklaring);
        let ingen = merbeskaeftigelseskrav(ft(0), &[]);
        assert!(ingen.opfyldt);
        assert!(ingen.forklaring.contains("ingen eIndkomst-data"));
    }

    proptest! {
        #[test]
        fn tilladte_stoettede_monoton_og_mindst_en(a in 0u32..=2_000_000, b in 0u32..=2_000_000) {
            let (lav, hoej) = (a.min(b), a.max(b));
            prop_assert!(tilladte_stoettede(ft(lav)) <= tilladte_stoettede(ft(hoej)));
            prop_assert!(tilladte_stoettede(ft(a)) >= 1);
        }

        #[test]
        fn merbeskaeftigelse_mod_min_max_og_middel(
            maaneder in proptest::collection::vec(0u32..=100_000, 1..=12),
            ekstra in 0u32..=1000
        ) {
            let min = maaneder.iter().copied().min().unwrap();
            let max = maaneder.iter().copied().max().unwrap();
            let liste: Vec<Fuldtid> = maaneder.iter().copied().map(ft).collect();
            // At or above every month: at or above the average.
            prop_assert!(merbeskaeftigelseskrav(ft(max + ekstra), &liste).opfyldt);
            // Below every month: below the average.
            if min > 0 {
                prop_assert!(!merbeskaeftigelseskrav(ft(min - 1), &liste).opfyldt);
            }
            // A flat year: equal to the average.
            prop_assert!(merbeskaeftigelseskrav(ft(min), &vec![ft(min); maaneder.len()]).opfyldt);
            // A whole mean (in hundredths) is the exact threshold.
            let sum: u32 = maaneder.iter().sum();
            let len = u32::try_from(maaneder.len()).unwrap();
            if sum.is_multiple_of(len) {
                let middel = sum / len;
                prop_assert!(merbeskaeftigelseskrav(ft(middel), &liste).opfyldt);
                if middel > 0 {
                    prop_assert!(!merbeskaeftigelseskrav(ft(middel - 1), &liste).opfyldt);
                }
            }
        }
    }
}
