//! The company's requests on a running grant, whatever its scheme: an extension and the
//! registration of its end (seed 004 "Forlængelse" and "Ophør").

use crate::FieldError;
use crate::periode::parse_dato;
use crate::skema::dele::paakraevet_tekst;
use crate::tekst::FRITEKST_MAX;
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
}
