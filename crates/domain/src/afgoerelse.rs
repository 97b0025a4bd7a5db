//! What the caseworker decides besides "yes" when approving an application: the fields of the
//! decision, per scheme, as data (issue 13 §1). Løntilskud's grant carries the subsidy cap
//! (seed 004), fleksjob's assessment (fleksjobvurdering) the work intensity (seed 002 §4.2).
//! The case page renders the profile's fields on the approval button's form with the one
//! field template, and [`bevillingsdata`] reads the post into the grant record's typed data.

use crate::FieldError;
use crate::elementdata::Bevillingsdata;
use crate::ordning::Profil;
use crate::skema::felt::{Felt, Feltart};
use crate::tilskud::Tilskudsloft;
use crate::timer::{DecimalFejl, parse_hundrededele};
use serde::{Deserialize, Serialize};

/// One field of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Afgoerelsesfelt {
    /// Seed 004: the subsidy is at most 50 %, in some cases 75 %, of the wage cost.
    Tilskudsloft,
    /// Seed 002 §4.2: "Jobcentrets vurdering af arbejdsintensitet (i %)", with decimals.
    Arbejdsintensitet,
}

const LOFTER: &[(&str, &str)] = &[("50", "50 %"), ("75", "75 %")];

const TILSKUDSLOFT: Felt = Felt::ny("tilskudsloft", "Tilskudsloft for private arbejdsgivere", Feltart::Valg(LOFTER))
    .hjaelp("Løntilskuddet må højst udgøre denne andel af lønomkostningerne over 12 måneder.");

const ARBEJDSINTENSITET: Felt =
    Felt::ny("arbejdsintensitet", "Jobcentrets vurdering af arbejdsintensitet (i %)", Feltart::Decimal)
        .hjaelp("Et tal over 0 og under 100, gerne med decimaler, fx 42,5.");

impl Afgoerelsesfelt {
    pub const ALLE: [Afgoerelsesfelt; 2] = [Afgoerelsesfelt::Tilskudsloft, Afgoerelsesfelt::Arbejdsintensitet];

    /// A valid value, for the demo world's cases and the tests (like `skema::eksempel`).
    pub fn eksempel(self) -> &'static str {
        match self {
            Afgoerelsesfelt::Tilskudsloft => "50",
            Afgoerelsesfelt::Arbejdsintensitet => "42,5",
        }
    }

    /// The field's description, rendered like every other field.
    pub fn felt(self) -> &'static Felt {
        match self {
            Afgoerelsesfelt::Tilskudsloft => &TILSKUDSLOFT,
            Afgoerelsesfelt::Arbejdsintensitet => &ARBEJDSINTENSITET,
        }
    }

    /// The value the form starts with.
    pub fn standard(self) -> &'static str {
        match self {
            // Seed 004: 50 % is the rule, 75 % the exception.
            Afgoerelsesfelt::Tilskudsloft => "50",
            Afgoerelsesfelt::Arbejdsintensitet => "",
        }
    }

    /// Read the posted value into the grant's data.
    fn anvend(self, v: &str, data: &mut Bevillingsdata) -> Result<(), FieldError> {
        let navn = self.felt().navn;
        match self {
            Afgoerelsesfelt::Tilskudsloft => {
                let v = if v.trim().is_empty() { self.standard() } else { v.trim() };
                let loft = v
                    .parse()
                    .ok()
                    .and_then(Tilskudsloft::fra_procent)
                    .ok_or_else(|| FieldError::new(navn, "Vælg et tilskudsloft på 50 % eller 75 %"))?;
                data.saet_tilskudsloft(loft);
            }
            Afgoerelsesfelt::Arbejdsintensitet => {
                data.arbejdsintensitet = Some(Arbejdsintensitet::parse(v, navn)?);
            }
        }
        Ok(())
    }
}

/// The grant's data from the posted decision (`hent` gives a posted value by name), or every
/// field's error. A scheme without decision fields gets empty data.
pub fn bevillingsdata(
    profil: &Profil,
    hent: &dyn Fn(&str) -> Option<String>,
) -> Result<Bevillingsdata, Vec<FieldError>> {
    let mut data = Bevillingsdata::default();
    let fejl: Vec<FieldError> = profil
        .afgoerelsesfelter
        .iter()
        .filter_map(|f| f.anvend(&hent(f.felt().navn).unwrap_or_default(), &mut data).err())
        .collect();
    if fejl.is_empty() { Ok(data) } else { Err(fejl) }
}

/// A valid decision for `profil`, for the demo world's cases and the tests (like
/// `skema::eksempel` for the forms).
pub fn eksempel(profil: &Profil) -> Bevillingsdata {
    let vaerdi = |navn: &str| Afgoerelsesfelt::ALLE.iter().find(|a| a.felt().navn == navn).map(|a| a.eksempel().into());
    bevillingsdata(profil, &vaerdi).unwrap_or_default()
}

/// The work intensity the jobcentre assessed, in hundredths of a percent (42,5 % → 4250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Arbejdsintensitet(u32);

impl Arbejdsintensitet {
    pub fn parse(input: &str, felt: &str) -> Result<Self, FieldError> {
        let h = match parse_hundrededele(input) {
            Ok(h) => h,
            Err(DecimalFejl::Tom) => return Err(FieldError::mangler(felt)),
            Err(DecimalFejl::ForMangeDecimaler) => {
                return Err(FieldError::new(felt, "Skriv højst to decimaler, fx 42,25"));
            }
            Err(_) => return Err(FieldError::new(felt, "Skriv arbejdsintensiteten som et tal i procent, fx 42,5")),
        };
        // LAB § 116: a fleksjob is for a person with lasting and substantial limits on their
        // working capacity, so the assessed intensity is above 0 and below 100 %.
        if h == 0 || h >= 10_000 {
            return Err(FieldError::new(felt, "Arbejdsintensiteten skal være over 0 og under 100 %"));
        }
        u32::try_from(h).map(Arbejdsintensitet).map_err(|_| FieldError::new(felt, "Tallet er for stort"))
    }

    pub fn hundrededele(self) -> u32 {
        self.0
    }

    /// As a decimal number for the web services (42,5 % → 42.5).
    pub fn procent(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// "42,5 %".
    pub fn tekst(self) -> String {
        let (hele, rest) = (self.0 / 100, self.0 % 100);
        match rest {
            0 => format!("{hele} %"),
            r if r % 10 == 0 => format!("{hele},{} %", r / 10),
            r => format!("{hele},{r:02} %"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ordning::Ordning;

    fn post<'a>(par: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |n| par.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string())
    }

    #[test]
    fn arbejdsintensitet_med_decimaler() {
        let a = Arbejdsintensitet::parse("42,5", "a").expect("gyldig");
        assert_eq!(a.hundrededele(), 4250);
        assert_eq!(a.tekst(), "42,5 %");
        assert_eq!(Arbejdsintensitet::parse("33.33", "a").map(|a| a.tekst()), Ok("33,33 %".into()));
        assert_eq!(Arbejdsintensitet::parse("50", "a").map(|a| a.tekst()), Ok("50 %".into()));
        for ugyldig in ["0", "100", "100,5", "-3", "mange", "12,345"] {
            assert!(Arbejdsintensitet::parse(ugyldig, "a").is_err(), "{ugyldig}");
        }
        assert_eq!(Arbejdsintensitet::parse(" ", "a").map_err(|e| e.besked), Err(crate::error::MANGLER.into()));
    }

    /// Each scheme's decision takes its own fields and nothing else.
    #[test]
    fn afgoerelsen_efter_ordningens_profil() {
        let l = Ordning::Loentilskud.profil();
        let d = bevillingsdata(l, &post(&[("tilskudsloft", "75"), ("arbejdsintensitet", "40")])).expect("gyldig");
        assert_eq!(d.tilskudsloft(), Some(Tilskudsloft::Femoghalvfjerds));
        assert_eq!(d.arbejdsintensitet, None, "løntilskud har ingen arbejdsintensitet");
        assert_eq!(bevillingsdata(l, &post(&[])).expect("standard").tilskudsloft(), Some(Tilskudsloft::Halvtreds));
        assert!(bevillingsdata(l, &post(&[("tilskudsloft", "60")])).is_err());

        let f = Ordning::Fleksjob.profil();
        let d = bevillingsdata(f, &post(&[("arbejdsintensitet", "42,5"), ("tilskudsloft", "75")])).expect("gyldig");
        assert_eq!(d.arbejdsintensitet.map(Arbejdsintensitet::hundrededele), Some(4250));
        assert_eq!(d.tilskudsloft(), None);
        let fejl = bevillingsdata(f, &post(&[])).expect_err("påkrævet");
        assert_eq!(fejl[0].felt, "arbejdsintensitet");

        for o in Ordning::ALLE {
            let e = eksempel(o.profil());
            assert_eq!(e.tilskudsloft().is_some(), o.profil().tilskudsloft(), "{o:?}");
            assert_eq!(
                e.arbejdsintensitet.is_some(),
                o.profil().afgoerelsesfelter.contains(&Afgoerelsesfelt::Arbejdsintensitet)
            );
        }

        let p = Ordning::Virksomhedspraktik.profil();
        assert_eq!(bevillingsdata(p, &post(&[("tilskudsloft", "75")])), Ok(Bevillingsdata::default()));
    }
}
