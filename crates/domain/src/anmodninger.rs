//! The company's requests on a running grant, whatever its scheme: an extension and the
//! registration of its end (seed 004 "Forlængelse" and "Ophør").

use crate::FieldError;
use crate::beloeb::Beloeb;
use crate::elementdata::Ophoersdata;
use crate::krav::KravResultat;
use crate::ophoer::{Ophoersaarsag, Undervalg};
use crate::ordning::Ordning;
use crate::periode::{GodkendtForlaengelse, OphoerVirkning, Periode, dansk_dato, parse_dato};
use crate::skema::dele::paakraevet_tekst;
use crate::tekst::FRITEKST_MAX;
use crate::tilskud::{Tilskudsloft, tjek_tilskudsloft};
use serde::{Deserialize, Serialize};

/// The company's request for an extension (seed 004 "Forlængelse").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForlaengelseAnmodning {
    pub ny_slutdato: String,
    /// "Om ansættelsesbrev og ansættelsesforhold stadig er gældende" (seed 004).
    pub ansaettelsesbrev_gaelder: bool,
    /// The job content, validated ≤ 2000 characters even for old cases (seed 001 §1.8).
    pub jobindhold: String,
}

impl ForlaengelseAnmodning {
    pub fn fejl(&self, aktuel_slut: chrono::NaiveDate) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        match parse_dato(&self.ny_slutdato, "ny_slutdato") {
            Ok(d) => {
                if let Err(e) = crate::periode::forlaengelse(aktuel_slut, d, "ny_slutdato") {
                    fejl.push(e);
                }
            }
            Err(e) => fejl.push(e),
        }
        if !self.ansaettelsesbrev_gaelder {
            fejl.push(FieldError::new(
                "ansaettelsesbrev_gaelder",
                "Bekræft, at ansættelsesbrev og ansættelsesforhold stadig er gældende",
            ));
        }
        paakraevet_tekst(&self.jobindhold, "jobindhold", FRITEKST_MAX, &mut fejl);
        fejl
    }
}

/// The company's registration of the end of a grant (seed 004 "Ophør").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OphoerRegistrering {
    pub ophoersdato: String,
    /// The reason's id within the scheme (seed 001 §2.1).
    pub aarsag: String,
    /// The sub-choice for "ophørt før tid".
    pub undervalg: String,
    /// Subsidy and other public support received in the last 12 months.
    pub modtaget_tilskud: String,
    /// Total wage and labour cost in the last 12 months.
    pub samlet_loenudgift: String,
}

/// A posted form: field name to value (the web layer's `Formular`).
pub type Post = std::collections::HashMap<String, String>;

fn post(f: &Post, navn: &str) -> String {
    f.get(navn).cloned().unwrap_or_default()
}

/// The extension request as posted, read at the edge (a check box not posted is unticked).
impl From<&Post> for ForlaengelseAnmodning {
    fn from(f: &Post) -> Self {
        ForlaengelseAnmodning {
            ny_slutdato: post(f, "ny_slutdato"),
            ansaettelsesbrev_gaelder: f.contains_key("ansaettelsesbrev_gaelder"),
            jobindhold: post(f, "jobindhold"),
        }
    }
}

/// The termination as posted, read at the edge; [`OphoerRegistrering::vurder`] checks it.
impl From<&Post> for OphoerRegistrering {
    fn from(f: &Post) -> Self {
        OphoerRegistrering {
            ophoersdato: post(f, "ophoersdato"),
            aarsag: post(f, "aarsag"),
            undervalg: post(f, "undervalg"),
            modtaget_tilskud: post(f, "modtaget_tilskud"),
            samlet_loenudgift: post(f, "samlet_loenudgift"),
        }
    }
}

/// What the termination's rules need besides the company's registration.
#[derive(Debug, Clone, Copy)]
pub struct OphoerGrundlag<'a> {
    pub ordning: Ordning,
    /// The grant's period: its start and its current end.
    pub bevilling: Periode,
    pub oprindelig_slut: Option<chrono::NaiveDate>,
    pub godkendte_forlaengelser: &'a [GodkendtForlaengelse],
    /// A public employer: the subsidy cap does not apply (seed 004: "for private arbejdsgivere").
    pub offentlig_arbejdsgiver: bool,
    /// The cap the caseworker chose on the grant (`elementdata::Bevillingsdata`).
    pub bevillingens_loft: Tilskudsloft,
}

/// A termination that passed its rules: what it does to the grant, and what is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Ophoer {
    pub virkning: OphoerVirkning,
    pub aarsag: &'static Ophoersaarsag,
    pub undervalg: Option<&'static Undervalg>,
    /// The cap's verdict for a private employer of a scheme with a cap (seed 004).
    pub loft: Option<KravResultat>,
    /// The termination record's data.
    pub data: Ophoersdata,
}

impl Ophoer {
    /// The history line: the reason, and the cap's verdict where there is one.
    pub fn bemaerkning(&self) -> String {
        match &self.loft {
            Some(l) => format!("{} {}", self.aarsag.tekst, l.forklaring),
            None => self.aarsag.tekst.to_string(),
        }
    }
}

impl OphoerRegistrering {
    /// The termination's rules (seed 004 "Ophør"; seed 001 §2.1; seed 002 §2.2): a date within
    /// the grant's current period, a reason of the scheme, the sub-choice where the reason has
    /// them, and for a scheme with a subsidy cap the two amounts, checked against the cap for
    /// a private employer. Every error at once, each on its field.
    pub fn vurder(&self, g: &OphoerGrundlag<'_>) -> Result<Ophoer, Vec<FieldError>> {
        let mut fejl = Vec::new();
        let virkning = parse_dato(&self.ophoersdato, "ophoersdato")
            .and_then(|d| crate::periode::ophoer(g.bevilling, g.godkendte_forlaengelser, d, "ophoersdato"))
            .map_err(|e| fejl.push(e))
            .ok();
        let aarsag = self.aarsag.trim().parse::<u32>().ok().and_then(|i| crate::ophoer::aarsag(g.ordning, i));
        if aarsag.is_none() {
            fejl.push(FieldError::new("aarsag", "Vælg en årsag til ophøret"));
        }
        let undervalg =
            aarsag.and_then(|a| self.undervalg.trim().parse::<u32>().ok().and_then(|u| a.undervalg_med_id(u)));
        if aarsag.is_some_and(|a| !a.undervalg.is_empty()) && undervalg.is_none() {
            fejl.push(FieldError::new("undervalg", "Vælg, hvorfor ansættelsen er ophørt før tid"));
        }
        // Seed 004: the amounts are asked where the grant has a cap.
        let med_loft = g.ordning.profil().tilskudsloft();
        let mut beloeb = |v: &str, felt: &str| -> Option<Beloeb> {
            if !med_loft {
                return None;
            }
            Beloeb::parse(v, felt).map_err(|e| fejl.push(e)).ok()
        };
        let modtaget = beloeb(&self.modtaget_tilskud, "modtaget_tilskud");
        let samlet = beloeb(&self.samlet_loenudgift, "samlet_loenudgift");
        let (Some(virkning), Some(aarsag), true) = (virkning, aarsag, fejl.is_empty()) else {
            return Err(fejl);
        };
        // Seed 004: private employers at most 50 % (in some cases 75 %) of 12 months' wage
        // cost; the grant carries the cap the caseworker chose.
        let loft = match (modtaget, samlet) {
            (Some(m), Some(t)) if !g.offentlig_arbejdsgiver => Some(tjek_tilskudsloft(m, t, g.bevillingens_loft)),
            _ => None,
        };
        let data = Ophoersdata {
            aarsag: aarsag.tekst.to_string(),
            aarsag_id: Some(aarsag.id),
            undervalg: undervalg.map(|u| u.tekst.to_string()),
            // None: not reported to DFDG (seed 001 §2.1 "Mappes ikke").
            dfdg: aarsag.dfdg.as_ref().map(|d| format!("{} – {}", d.id, d.tekst)),
            systemophoer: None,
            modtaget_tilskud: modtaget.map(Beloeb::formateret),
            samlet_loenudgift: samlet.map(Beloeb::formateret),
            tilskudsloft: match (&loft, med_loft) {
                (Some(l), _) => Some(l.forklaring.clone()),
                (None, true) => Some("Offentlig arbejdsgiver: loftet gælder ikke".to_string()),
                (None, false) => None,
            },
            aktuel_slutdato: Some(dansk_dato(virkning.aktuel_slut)),
            oprindelig_slutdato: g.oprindelig_slut.map(dansk_dato),
        };
        Ok(Ophoer { virkning, aarsag, undervalg, loft, data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forlaengelse_validerer_jobindhold_for_gamle_sager() {
        let d = parse_dato("2026-06-30", "x").expect("dato");
        let f = ForlaengelseAnmodning {
            ny_slutdato: "2026-09-30".into(),
            ansaettelsesbrev_gaelder: true,
            jobindhold: "y".repeat(2001),
        };
        assert_eq!(f.fejl(d).len(), 1);
        let f = ForlaengelseAnmodning { jobindhold: "kort".into(), ..f };
        assert!(f.fejl(d).is_empty());
    }

    fn grundlag(ordning: Ordning, offentlig: bool) -> OphoerGrundlag<'static> {
        let d = |s: &str| parse_dato(s, "x").expect("dato");
        OphoerGrundlag {
            ordning,
            bevilling: Periode { start: d("2027-01-01"), slut: d("2027-06-30") },
            oprindelig_slut: Some(d("2027-06-30")),
            godkendte_forlaengelser: &[],
            offentlig_arbejdsgiver: offentlig,
            bevillingens_loft: Tilskudsloft::Halvtreds,
        }
    }

    /// Seed 004 and seed 001 §2.1: every error at once, each on its field; a valid termination
    /// records the reason, its DFDG code, both end dates and the cap's verdict.
    #[test]
    fn ophoerets_regler() {
        let tom = OphoerRegistrering::default();
        let fejl = tom.vurder(&grundlag(Ordning::Loentilskud, false)).expect_err("tom");
        let felter: Vec<&str> = fejl.iter().map(|e| e.felt.as_str()).collect();
        assert_eq!(felter, ["ophoersdato", "aarsag", "modtaget_tilskud", "samlet_loenudgift"]);
        // Praktik has no cap: no amounts asked.
        assert_eq!(tom.vurder(&grundlag(Ordning::Virksomhedspraktik, false)).expect_err("tom").len(), 2);

        let r = OphoerRegistrering {
            ophoersdato: "31-03-2027".into(),
            aarsag: "2".into(),
            undervalg: String::new(),
            modtaget_tilskud: "60.000,00".into(),
            samlet_loenudgift: "100.000,00".into(),
        };
        let fejl = r.vurder(&grundlag(Ordning::Loentilskud, false)).expect_err("undervalg mangler");
        assert_eq!(fejl[0].felt, "undervalg");
        let r = OphoerRegistrering { aarsag: "3".into(), ..r };
        let o = r.vurder(&grundlag(Ordning::Loentilskud, false)).expect("gyldig");
        assert_eq!(o.data.aarsag_id, Some(3));
        assert_eq!(o.data.dfdg.as_deref(), Some("1 – Fejloprettet"));
        assert_eq!(o.data.aktuel_slutdato.as_deref(), Some("31-03-2027"));
        assert_eq!(o.data.oprindelig_slutdato.as_deref(), Some("30-06-2027"));
        assert!(o.loft.as_ref().is_some_and(|l| !l.opfyldt), "60 % er over loftet på 50 %");
        assert!(o.bemaerkning().starts_with("Fejlregistrering"));
        // A public employer: the cap does not apply, and the record says so.
        let o = r.vurder(&grundlag(Ordning::Loentilskud, true)).expect("gyldig");
        assert_eq!(o.loft, None);
        assert_eq!(o.data.tilskudsloft.as_deref(), Some("Offentlig arbejdsgiver: loftet gælder ikke"));
        // A date outside the grant's period.
        let r = OphoerRegistrering { ophoersdato: "01-07-2027".into(), ..r };
        assert_eq!(r.vurder(&grundlag(Ordning::Loentilskud, false)).expect_err("efter")[0].felt, "ophoersdato");
    }
}
