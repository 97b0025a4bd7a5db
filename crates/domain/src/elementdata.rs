//! The typed JSON of a case record (`sagselement.data`), one type per record kind (issue 13
//! §1): written and read through these types, never by string keys. Field names are the
//! stored camelCase keys, so records stored before keep reading.

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
    /// The citizen's signature on an agreement the citizen signs too (DOMAIN.md "Actors";
    /// decision 97): who, when (RFC 3339, UTC) and how; empty until then, and not stored.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub borger_underskrevet_af: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub borger_underskrevet: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub borger_signeringsmetode: String,
}

#[cfg(test)]
mod tests {
    use super::*;

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
