//! The stored form of a case (`sag.skemadata`): a tagged enum with one variant per scheme
//! whose form is built, so a case can never be read as another scheme's form (issue 13 §1).
//!
//! The JSON carries its scheme as `"ordning"` (the scheme's code), and [`Skemadata::laes`]
//! checks it against the case's own `ordning` column before the form is read. Data that does
//! not fit is an error, never an empty form.

use crate::loentilskud::LoentilskudAnsoegning;
use crate::ordning::Ordning;
use serde::{Deserialize, Serialize};

/// The JSON key that names the scheme of a stored form.
pub const TAG: &str = "ordning";

/// A scheme's filled-in form, as stored. The variant's name in snake case is the scheme's
/// code (`Ordning::kode`), checked by a test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "ordning", rename_all = "snake_case")]
pub enum Skemadata {
    Loentilskud(LoentilskudAnsoegning),
}

/// Why a stored form could not be read. The texts go to the log and to the operator, not to
/// the company.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkemaFejl {
    #[error("skemadata er ikke et JSON-objekt: {0}")]
    IkkeEtObjekt(String),
    #[error("skemadata siger ikke, hvilken ordning de hører til")]
    UdenOrdning,
    #[error("skemadata hører til ordningen »{fundet}«, men sagen er en {sag}-sag")]
    AndenOrdning { fundet: String, sag: &'static str },
    #[error("ordningen {0} har endnu ingen formular, men skemadata har felter")]
    UdenFormular(&'static str),
    #[error("skemadata for {ordning} kan ikke læses: {fejl}")]
    Ulaeselig { ordning: &'static str, fejl: String },
}

impl Skemadata {
    /// The scheme the form belongs to.
    pub fn ordning(&self) -> Ordning {
        match self {
            Skemadata::Loentilskud(_) => Ordning::Loentilskud,
        }
    }

    /// A new draft's form for `ordning`, with what VITAS fetched when the draft was made (the
    /// conflict register's answer, eIndkomst's months). `None` for a scheme whose form is not
    /// built: the caller refuses it as the policy does.
    pub fn ny(
        ordning: Ordning,
        konflikt_registreret: bool,
        eindkomst: Vec<crate::loentilskud::EindkomstMaaned>,
    ) -> Option<Skemadata> {
        match ordning {
            Ordning::Loentilskud => {
                Some(Skemadata::Loentilskud(LoentilskudAnsoegning::ny(konflikt_registreret, eindkomst)))
            }
            _ => None,
        }
    }

    /// The stored JSON of a case whose scheme has no form yet (a bulk case, a grant the
    /// jobcentre made): the tag alone.
    pub fn tom_json(ordning: Ordning) -> String {
        serde_json::json!({ TAG: ordning.kode() }).to_string()
    }

    /// The JSON to store. A form of strings, booleans and lists does not fail to serialise; if
    /// one ever did, the caller gets the error rather than an empty form being stored.
    pub fn json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Read the stored form of a case whose `ordning` column says `ordning`. `Ok(None)` for a
    /// scheme without a built form, whose JSON must hold nothing but the tag.
    pub fn laes(ordning: Ordning, json: &str) -> Result<Option<Skemadata>, SkemaFejl> {
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| SkemaFejl::IkkeEtObjekt(e.to_string()))?;
        let obj = v.as_object().ok_or_else(|| SkemaFejl::IkkeEtObjekt("ikke et objekt".into()))?;
        let tag = obj.get(TAG).and_then(|t| t.as_str()).ok_or(SkemaFejl::UdenOrdning)?;
        if tag != ordning.kode() {
            return Err(SkemaFejl::AndenOrdning { fundet: tag.chars().take(40).collect(), sag: ordning.kode() });
        }
        if !ordning.bygget() {
            return if obj.len() == 1 { Ok(None) } else { Err(SkemaFejl::UdenFormular(ordning.kode())) };
        }
        serde_json::from_value(v)
            .map(Some)
            .map_err(|e| SkemaFejl::Ulaeselig { ordning: ordning.kode(), fejl: e.to_string() })
    }

    /// The form's scheme-neutral facts that the case page shows beside the case row's
    /// columns: (label, value), empty values left out by the caller.
    pub fn sagsfelter(&self) -> Vec<(&'static str, String)> {
        match self {
            Skemadata::Loentilskud(a) => {
                vec![("Stillingsbetegnelse", a.stillingsbetegnelse.clone()), ("Jobindhold", a.jobindhold.clone())]
            }
        }
    }

    /// The company's answer that it is hit by a labour conflict, with its comment: `Some` when
    /// it answered yes (seed 002 §2.1; the scheme's profile says whether it asks).
    pub fn konflikt(&self) -> Option<String> {
        match self {
            Skemadata::Loentilskud(a) => (a.konfliktramt == "ja").then(|| a.konflikt_kommentar.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loentilskud() -> Skemadata {
        Skemadata::Loentilskud(LoentilskudAnsoegning {
            stillingsbetegnelse: "Lagermedarbejder".into(),
            ..LoentilskudAnsoegning::default()
        })
    }

    #[test]
    fn rundtur_med_ordningen_i_json() {
        let s = loentilskud();
        let json = s.json().expect("json");
        assert!(json.contains(r#""ordning":"loentilskud""#), "{json}");
        assert_eq!(Skemadata::laes(Ordning::Loentilskud, &json), Ok(Some(s)));
    }

    /// One form of every variant: add a line with each new scheme.
    fn en_af_hver() -> Vec<Skemadata> {
        vec![loentilskud()]
    }

    #[test]
    fn varianternes_navne_er_ordningernes_koder() {
        for s in en_af_hver() {
            let v = serde_json::to_value(&s).expect("json");
            assert_eq!(v[TAG], s.ordning().kode());
        }
    }

    /// Issue 13 §1: a case stored as one scheme can never be read as another's form.
    #[test]
    fn en_sag_laeses_aldrig_som_en_anden_ordnings_formular() {
        let json = loentilskud().json().expect("json");
        for o in Ordning::ALLE.into_iter().filter(|o| *o != Ordning::Loentilskud) {
            assert!(
                matches!(Skemadata::laes(o, &json), Err(SkemaFejl::AndenOrdning { .. })),
                "en løntilskudsformular blev læst som {o:?}"
            );
            // And the other way: another scheme's JSON on a løntilskud case.
            let anden = Skemadata::tom_json(o);
            assert!(matches!(Skemadata::laes(Ordning::Loentilskud, &anden), Err(SkemaFejl::AndenOrdning { .. })));
        }
    }

    #[test]
    fn ulaeselige_data_er_en_fejl_aldrig_en_tom_formular() {
        let l = Ordning::Loentilskud;
        assert_eq!(Skemadata::laes(l, "{}"), Err(SkemaFejl::UdenOrdning));
        assert_eq!(Skemadata::laes(l, r#"{"cpr":"0101901234"}"#), Err(SkemaFejl::UdenOrdning));
        assert!(matches!(Skemadata::laes(l, "[]"), Err(SkemaFejl::IkkeEtObjekt(_))));
        assert!(matches!(Skemadata::laes(l, "ikke json"), Err(SkemaFejl::IkkeEtObjekt(_))));
        assert!(matches!(Skemadata::laes(l, r#"{"ordning":7}"#), Err(SkemaFejl::UdenOrdning)));
        // A field of the wrong type is not dropped silently.
        assert!(matches!(
            Skemadata::laes(l, r#"{"ordning":"loentilskud","cpr":12}"#),
            Err(SkemaFejl::Ulaeselig { .. })
        ));
        // A scheme without a form: the tag alone is fine, anything more is an error.
        let m = Ordning::Mentor;
        assert_eq!(Skemadata::laes(m, &Skemadata::tom_json(m)), Ok(None));
        assert_eq!(Skemadata::laes(m, r#"{"ordning":"mentor","cpr":"x"}"#), Err(SkemaFejl::UdenFormular("mentor")));
    }

    #[test]
    fn en_ny_kladde_findes_for_netop_de_byggede_ordninger() {
        for o in Ordning::ALLE {
            let ny = Skemadata::ny(o, false, vec![]);
            assert_eq!(ny.is_some(), o.bygget(), "{o:?}");
            if let Some(s) = ny {
                assert_eq!(s.ordning(), o);
            }
        }
    }

    #[test]
    fn en_bygget_ordning_med_kun_maerket_er_en_tom_kladde() {
        // A bulk case of a built scheme holds the tag alone: an untouched draft.
        let json = Skemadata::tom_json(Ordning::Loentilskud);
        assert_eq!(
            Skemadata::laes(Ordning::Loentilskud, &json),
            Ok(Some(Skemadata::Loentilskud(LoentilskudAnsoegning::default())))
        );
    }
}
