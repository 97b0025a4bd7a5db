//! The typed JSON of a case record (`sagselement.data`), one type per record kind (issue 13
//! §1): written and read through these types, never by string keys. Field names are the
//! stored camelCase keys, so records stored before keep reading.

use crate::afgoerelse::{Afgoerelsesfelt, Arbejdsintensitet};
use crate::tilskud::Tilskudsloft;
use serde::{Deserialize, Serialize};

/// One ratio rule as the company saw it on the summary when it signed (DOMAIN.md "Facts":
/// a failed rule shows in red, and the company may send anyway with a remark).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kravlinje {
    pub krav: String,
    pub opfyldt: bool,
    pub forklaring: String,
}

/// The application record: who signed, when and how, and the ratio rules at signing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Ansoegningsdata {
    pub underskrevet_af: String,
    /// RFC 3339, UTC.
    pub underskrevet: String,
    pub signeringsmetode: String,
    pub krav: Vec<Kravlinje>,
}

/// The grant record (bevilling, for fleksjob the vurdering): what the caseworker decided
/// besides "yes" (`afgoerelse::Afgoerelsesfelt`, from the scheme's profile).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Bevillingsdata {
    /// The subsidy cap as shown ("50 %"), kept beside the number for the case page and the
    /// letters of grants stored before this type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tilskudsloft: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tilskudsloft_procent: Option<u32>,
    /// Seed 002 §4.2: the jobcentre's assessment of the work intensity (fleksjob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arbejdsintensitet: Option<Arbejdsintensitet>,
}

impl Bevillingsdata {
    /// Read a stored grant record; `None` for data that is not this record's (an error the
    /// caller reports, never an empty grant).
    pub fn laes(json: &str) -> Option<Bevillingsdata> {
        serde_json::from_str(json).ok()
    }

    pub fn tilskudsloft(&self) -> Option<Tilskudsloft> {
        self.tilskudsloft_procent.and_then(Tilskudsloft::fra_procent)
    }

    pub fn saet_tilskudsloft(&mut self, loft: Tilskudsloft) {
        self.tilskudsloft = Some(format!("{} %", loft.procent()));
        self.tilskudsloft_procent = Some(loft.procent());
    }

    /// The decision's facts as the case page and the letter show them: (label, value).
    pub fn visning(&self) -> Vec<(&'static str, String)> {
        let mut v = Vec::new();
        if let Some(t) = &self.tilskudsloft {
            v.push((Afgoerelsesfelt::Tilskudsloft.felt().label, t.clone()));
        }
        if let Some(a) = self.arbejdsintensitet {
            v.push((Afgoerelsesfelt::Arbejdsintensitet.felt().label, a.tekst()));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bevillingen_laeser_de_gemte_noegler() {
        let gammel = r#"{"tilskudsloft":"75 %","tilskudsloftProcent":75}"#;
        let d = Bevillingsdata::laes(gammel).expect("json");
        assert_eq!(d.tilskudsloft(), Some(Tilskudsloft::Femoghalvfjerds));
        assert_eq!(serde_json::to_string(&d).expect("json"), gammel);
        assert_eq!(Bevillingsdata::laes("{}"), Some(Bevillingsdata::default()));
        assert_eq!(Bevillingsdata::laes(r#"{"tilskudsloftProcent":"x"}"#), None);
        let f = Bevillingsdata { arbejdsintensitet: Arbejdsintensitet::parse("42,5", "a").ok(), ..Default::default() };
        let json = serde_json::to_string(&f).expect("json");
        assert_eq!(json, r#"{"arbejdsintensitet":4250}"#);
        assert_eq!(f.visning(), [("Jobcentrets vurdering af arbejdsintensitet (i %)", "42,5 %".to_string())]);
    }

    #[test]
    fn laeser_de_gemte_noegler() {
        let json = r#"{"underskrevetAf":"Karen","underskrevet":"2026-12-04T13:05:09Z","signeringsmetode":"demo","krav":[{"krav":"Rimelighedskravet","opfyldt":false,"forklaring":"x"}]}"#;
        let d: Ansoegningsdata = serde_json::from_str(json).expect("json");
        assert_eq!(d.underskrevet_af, "Karen");
        assert!(!d.krav[0].opfyldt);
        assert_eq!(
            serde_json::to_value(&d).expect("json"),
            serde_json::from_str::<serde_json::Value>(json).expect("json")
        );
    }
}
