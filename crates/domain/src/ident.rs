//! Danish identifiers: CPR (a person), CVR (a company) and P-nummer (a production unit).
//!
//! Each is a newtype with a `parse()` constructor (CONVENTIONS.md "parse, don't validate").
//! A CPR number is personal data: its `Debug` shows only the masked form, it has no `Display`,
//! and no error message repeats the input (seed 003; CONVENTIONS.md).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;

const CPR_LAENGDE: &str = "CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)";
const CPR_DATO: &str = "CPR-nummeret indeholder ikke en gyldig fødselsdato";
const CVR_LAENGDE: &str = "CVR-nummeret skal have 8 cifre";
const CVR_NUL: &str = "CVR-nummeret kan ikke begynde med 0";
const CVR_KONTROL: &str = "CVR-nummeret er ikke gyldigt (kontrolcifferet passer ikke)";
const PNUMMER_LAENGDE: &str = "P-nummeret skal have 10 cifre";

/// A CPR number, stored as its 10 digits without the dash.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cpr(String);

impl Cpr {
    /// Accepts "DDMMYY-SSSS" and "DDMMYYSSSS", with surrounding spaces.
    pub fn parse(input: &str, felt: &str) -> Result<Cpr, FieldError> {
        let tegn: Vec<char> = input.trim().chars().collect();
        // A dash or a space may only stand between the date and the serial number.
        let cifre: String = match tegn.len() {
            // Issue 13 §7: people type a space there too ("010190 1234").
            11 if tegn[6] == '-' || tegn[6] == ' ' => tegn[..6].iter().chain(&tegn[7..]).collect(),
            10 => tegn.iter().collect(),
            _ => return Err(FieldError::new(felt, CPR_LAENGDE)),
        };
        if !cifre.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(felt, CPR_LAENGDE));
        }
        // Modulus 11 is deliberately NOT checked: dropped in 2007 (CONVENTIONS.md).
        if foedselsdato_af(&cifre).is_none() {
            return Err(FieldError::new(felt, CPR_DATO));
        }
        Ok(Cpr(cifre))
    }

    /// The 10 digits, without the dash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "DDMMYY-SSSS".
    pub fn formateret(&self) -> String {
        format!("{}-{}", &self.0[..6], &self.0[6..])
    }

    /// "DDMMYY-XXXX": the only form that may reach a log or a list (seed 003).
    pub fn maskeret(&self) -> String {
        format!("{}-XXXX", &self.0[..6])
    }

    /// The date of birth, with the century taken from the 7th digit.
    pub fn foedselsdato(&self) -> NaiveDate {
        // `parse` (the only constructor) has checked that the date exists.
        foedselsdato_af(&self.0).expect("Cpr::parse har kontrolleret fødselsdatoen")
    }

    /// Whole years of age on `dag`, from the birth date the number gives (the age rules of
    /// voksenlærling and IGU, DOMAIN.md "Facts").
    pub fn alder_paa(&self, dag: NaiveDate) -> i32 {
        use chrono::Datelike;
        let foedt = self.foedselsdato();
        let mut aar = dag.year() - foedt.year();
        if (dag.month(), dag.day()) < (foedt.month(), foedt.day()) {
            aar -= 1;
        }
        aar
    }
}

/// The date of birth of 10 ASCII digits, or `None` if it is not a calendar date.
fn foedselsdato_af(cifre: &str) -> Option<NaiveDate> {
    let tal = |fra: usize, til: usize| cifre.get(fra..til)?.parse::<u32>().ok();
    let dag = tal(0, 2)?;
    let maaned = tal(2, 4)?;
    let aar = tal(4, 6)?;
    let syvende = tal(6, 7)?;
    // The standard CPR century table (CPR-kontoret): the 7th digit and YY give the century.
    let aarhundrede = match syvende {
        0..=3 => 1900,
        4 | 9 => {
            if aar <= 36 {
                2000
            } else {
                1900
            }
        }
        _ => {
            if aar <= 57 {
                2000
            } else {
                1800
            }
        }
    };
    let aar = i32::try_from(aarhundrede + aar).ok()?;
    NaiveDate::from_ymd_opt(aar, maaned, dag)
}

/// HMAC-SHA256 of `data` with `noegle`, as 64 lower-case hex digits. The access log's CPR
/// hashes (storage::adgangslog, decision 79) and the statistics extract's pseudonyms
/// (`statistik_udtraek`, decision 129) share it.
pub fn hmac_hex(noegle: &[u8], data: &[u8]) -> String {
    match <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(noegle) {
        Ok(mut mac) => {
            hmac::Mac::update(&mut mac, data);
            hex::encode(hmac::Mac::finalize(mac).into_bytes())
        }
        // HMAC takes a key of any length; this arm is never taken.
        Err(_) => String::new(),
    }
}

impl fmt::Debug for Cpr {
    /// Masked: a full CPR number must never reach a log (seed 003).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cpr").field(&self.maskeret()).finish()
    }
}

/// A CVR number: 8 digits, first not 0, modulus 11 (CONVENTIONS.md).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cvr(String);

impl Cvr {
    pub fn parse(input: &str, felt: &str) -> Result<Cvr, FieldError> {
        let s = input.trim();
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(felt, CVR_LAENGDE));
        }
        // CVR numbers are issued from 10000000 (CONVENTIONS.md: first digit not 0).
        if s.starts_with('0') {
            return Err(FieldError::new(felt, CVR_NUL));
        }
        // Weights 2,7,6,5,4,3,2,1; the weighted sum is divisible by 11 (CONVENTIONS.md).
        const VAEGTE: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = s.bytes().zip(VAEGTE).map(|(b, v)| u32::from(b - b'0') * v).sum();
        if !sum.is_multiple_of(11) {
            return Err(FieldError::new(felt, CVR_KONTROL));
        }
        Ok(Cvr(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A P-nummer (production unit): exactly 10 digits (CVR-registret).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PNummer(String);

impl PNummer {
    pub fn parse(input: &str, felt: &str) -> Result<PNummer, FieldError> {
        let s = input.trim();
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(felt, PNUMMER_LAENGDE));
        }
        Ok(PNummer(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PNummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serde as the plain digit string; deserialising goes through `parse`, so a stored or
/// received value is checked exactly like a typed one.
macro_rules! serde_som_tekst {
    ($type:ident, $felt:literal) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                // The error text never contains the input (seed 003).
                $type::parse(&s, $felt).map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_som_tekst!(Cpr, "cpr");
serde_som_tekst!(Cvr, "cvr");
serde_som_tekst!(PNummer, "pnummer");

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn dato(a: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, d).unwrap()
    }

    fn besked<T: fmt::Debug>(r: Result<T, FieldError>) -> String {
        r.unwrap_err().besked
    }

    // ---- CVR ----

    #[test]
    fn cvr_gyldige_beregnet_i_haanden() {
        // 1234567x: 1·2+2·7+3·6+4·5+5·4+6·3+7·2 = 106 ≡ 7 (mod 11), so x = 4 (sum 110 = 10·11).
        // 1000000x: 1·2 = 2, so x = 9 (sum 11).
        // 2999999x: 2·2 + 9·(7+6+5+4+3+2) = 247 ≡ 5, so x = 6 (sum 253 = 23·11).
        // 1100000x: 1·2+1·7 = 9, so x = 2 (sum 11).
        for cvr in ["12345674", "10000009", "29999996", "11000002"] {
            let c = Cvr::parse(cvr, "cvr").unwrap();
            assert_eq!(c.as_str(), cvr);
            assert_eq!(c.to_string(), cvr);
        }
        assert_eq!(Cvr::parse("  12345674 ", "cvr").unwrap().as_str(), "12345674");
    }

    #[test]
    fn cvr_forkert_kontrolciffer() {
        for cvr in ["12345675", "12345673", "10000000", "29999997"] {
            assert_eq!(besked(Cvr::parse(cvr, "cvr")), CVR_KONTROL, "{cvr}");
        }
    }

    #[test]
    fn cvr_forkert_laengde_og_bogstaver() {
        for cvr in ["", "1234567", "123456740", "1234567A", "DK123456", "1234 5674", "١٢٣٤٥٦٧٤"] {
            let fejl = Cvr::parse(cvr, "virksomhed.cvr").unwrap_err();
            assert_eq!(fejl.felt, "virksomhed.cvr");
            assert_eq!(fejl.besked, CVR_LAENGDE, "{cvr}");
        }
    }

    #[test]
    fn cvr_maa_ikke_begynde_med_nul() {
        // 0123456x: 1·7+2·6+3·5+4·4+5·3+6·2 = 77 ≡ 0, so 01234560 passes modulus 11.
        assert_eq!(besked(Cvr::parse("01234560", "cvr")), CVR_NUL);
    }

    #[test]
    fn cvr_serde_gaar_gennem_parse() {
        let ok: StrDeserializer<'_, DeError> = "12345674".into_deserializer();
        assert_eq!(Cvr::deserialize(ok).unwrap().as_str(), "12345674");
        let forkert: StrDeserializer<'_, DeError> = "12345675".into_deserializer();
        assert!(Cvr::deserialize(forkert).is_err());
    }

    // ---- P-nummer ----

    #[test]
    fn pnummer() {
        assert_eq!(PNummer::parse(" 1012345678 ", "p").unwrap().as_str(), "1012345678");
        assert_eq!(PNummer::parse("1012345678", "p").unwrap().to_string(), "1012345678");
        for p in ["", "101234567", "10123456789", "101234567X", "1012-45678"] {
            assert_eq!(besked(PNummer::parse(p, "p")), PNUMMER_LAENGDE, "{p}");
        }
    }

    // ---- CPR ----

    #[test]
    fn cpr_med_og_uden_bindestreg() {
        let a = Cpr::parse("010203-1234", "cpr").unwrap();
        let b = Cpr::parse("  0102031234 ", "cpr").unwrap();
        assert_eq!(a, b);
        // Issue 13 §7: a space where the dash goes, as people type it.
        assert_eq!(Cpr::parse("010203 1234", "cpr").unwrap(), a);
        assert_eq!(a.as_str(), "0102031234");
        assert_eq!(a.formateret(), "010203-1234");
        assert_eq!(a.maskeret(), "010203-XXXX");
        assert_eq!(a.foedselsdato(), dato(1903, 2, 1));
    }

    #[test]
    fn cpr_forkert_form() {
        for cpr in [
            "",
            "010203123",
            "01020312345",
            "010203-123",
            "0102-031234",
            "010203  1234",
            "01020312a4",
            "010203–1234", // en dash
            "-0102031234",
        ] {
            let fejl = Cpr::parse(cpr, "borger.cpr").unwrap_err();
            assert_eq!(fejl.felt, "borger.cpr");
            assert_eq!(fejl.besked, CPR_LAENGDE, "{cpr:?}");
        }
    }

    #[test]
    fn cpr_aarhundrede_fra_syvende_ciffer() {
        let tilfaelde = [
            ("0101361000", dato(1936, 1, 1)),
            ("0101993999", dato(1999, 1, 1)),
            ("0101364000", dato(2036, 1, 1)),
            ("0101374000", dato(1937, 1, 1)),
            ("0101369000", dato(2036, 1, 1)),
            ("0101379000", dato(1937, 1, 1)),
            ("0101575000", dato(2057, 1, 1)),
            ("0101585000", dato(1858, 1, 1)),
            ("0101578999", dato(2057, 1, 1)),
            ("3112588999", dato(1858, 12, 31)),
        ];
        for (cpr, forventet) in tilfaelde {
            assert_eq!(Cpr::parse(cpr, "cpr").unwrap().foedselsdato(), forventet, "{cpr}");
        }
    }

    #[test]
    fn cpr_skuddag_290200_afhaenger_af_aarhundrede() {
        // 7th digit 0–3: 1900, not a leap year.
        for s in '0'..='3' {
            let cpr = format!("290200-{s}123");
            assert_eq!(besked(Cpr::parse(&cpr, "cpr")), CPR_DATO, "{cpr}");
        }
        // 7th digit 4–9 with YY = 00: 2000, a leap year.
        for s in '4'..='9' {
            let cpr = format!("290200-{s}123");
            assert_eq!(Cpr::parse(&cpr, "cpr").unwrap().foedselsdato(), dato(2000, 2, 29), "{cpr}");
        }
        // 1896 (7th digit 5–8, YY > 57) is a leap year; 1897 is not.
        assert_eq!(Cpr::parse("290296-5123", "cpr").unwrap().foedselsdato(), dato(1896, 2, 29));
        assert_eq!(besked(Cpr::parse("290297-5123", "cpr")), CPR_DATO);
    }

    #[test]
    fn cpr_ugyldige_datoer() {
        for cpr in ["300290-1234", "310490-1234", "000190-1234", "011390-1234", "010090-1234", "320190-1234"] {
            assert_eq!(besked(Cpr::parse(cpr, "cpr")), CPR_DATO, "{cpr}");
        }
    }

    #[test]
    fn cpr_der_fejler_modulus_11_accepteres() {
        let cpr = "0102031234";
        let vaegte = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = cpr.bytes().zip(vaegte).map(|(b, v)| u32::from(b - b'0') * v).sum();
        assert_ne!(sum % 11, 0, "the example must fail modulus 11");
        assert!(Cpr::parse(cpr, "cpr").is_ok());
    }

    #[test]
    fn cpr_fejlbesked_gentager_ikke_input() {
        let fejl = Cpr::parse("300290-1234", "cpr").unwrap_err();
        assert!(!fejl.to_string().contains("1234"));
        assert!(!fejl.to_string().contains("300290"));
    }

    #[test]
    fn cpr_serde() {
        let ok: StrDeserializer<'_, DeError> = "0102031234".into_deserializer();
        assert_eq!(Cpr::deserialize(ok).unwrap().formateret(), "010203-1234");
        let forkert: StrDeserializer<'_, DeError> = "3002901234".into_deserializer();
        let fejl = Cpr::deserialize(forkert).unwrap_err().to_string();
        assert!(fejl.contains(CPR_DATO));
        assert!(!fejl.contains("3002901234"));
    }

    proptest! {
        #[test]
        fn cpr_debug_viser_kun_maskeret_form(
            dag in 1u32..=28, maaned in 1u32..=12, aar in 0u32..=99, loebenr in 0u32..=9999
        ) {
            let dato_del = format!("{dag:02}{maaned:02}{aar:02}");
            let cpr = Cpr::parse(&format!("{dato_del}{loebenr:04}"), "cpr").unwrap();
            let debug = format!("{cpr:?}");
            prop_assert_eq!(&debug, &format!("Cpr(\"{dato_del}-XXXX\")"));
            prop_assert!(!debug.contains(cpr.as_str()));
            prop_assert!(!debug.contains(&cpr.formateret()));
            // Also inside a derived Debug of a containing struct, pretty or not.
            #[derive(Debug)]
            #[expect(dead_code, reason = "only read through Debug")]
            struct Borger { cpr: Cpr }
            let pretty = format!("{:#?}", Borger { cpr });
            let maskeret = format!("{dato_del}-XXXX");
            let fuld = format!("{dato_del}-{loebenr:04}");
            prop_assert!(pretty.contains(&maskeret));
            prop_assert!(!pretty.contains(&fuld));
        }
    }
}
