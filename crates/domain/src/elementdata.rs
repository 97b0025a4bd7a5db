//! The typed JSON of a case record (`sagselement.data`), one type per record kind (issue 13
//! §1): written and read through these types, never by string keys. Field names are the
//! stored camelCase keys, so records stored before keep reading.

use crate::afgoerelse::{Afgoerelsesfelt, Arbejdsintensitet};
use crate::status::Elementart;
use crate::tilskud::Tilskudsloft;
use serde::{Deserialize, Serialize};

/// A record's facts as the case page shows them: (label, value), empty values left out.
pub type Visning = Vec<(&'static str, String)>;

/// The facts of a stored record of kind `art`, read through its type; `None` when the data does
/// not fit the kind (the caller logs it; the page shows the record without facts).
pub fn visning(art: Elementart, json: &str) -> Option<Visning> {
    let v = match art {
        Elementart::Ansoegning => serde_json::from_str::<Ansoegningsdata>(json).ok()?.visning(),
        Elementart::Bevilling => Bevillingsdata::laes(json)?.visning(),
        Elementart::Forlaengelse => Forlaengelsesdata::laes(json)?.visning(),
        Elementart::Ophoer => Ophoersdata::laes(json)?.visning(),
    };
    Some(v.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect())
}

/// A time stored as RFC 3339 in UTC, as people read it: Danish time without seconds.
fn tidspunkt(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => crate::periode::dansk_tid(t.to_utc()).format("%d-%m-%Y kl. %H:%M").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

fn ja_nej(b: bool) -> String {
    if b { "Ja" } else { "Nej" }.to_string()
}

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

impl Ansoegningsdata {
    pub fn visning(&self) -> Visning {
        vec![
            ("Underskrevet af", self.underskrevet_af.clone()),
            ("Underskrevet", tidspunkt(&self.underskrevet)),
            ("Signering", self.signeringsmetode.clone()),
            ("Underskrevet af borgeren", self.borger_underskrevet_af.clone()),
            (
                "Borgeren underskrev",
                if self.borger_underskrevet.is_empty() { String::new() } else { tidspunkt(&self.borger_underskrevet) },
            ),
            ("Borgerens signering", self.borger_signeringsmetode.clone()),
        ]
    }
}

/// The extension record: the company confirms that the employment letter still applies
/// (seed 004 "Forlængelse": "Om ansættelsesbrev og ansættelsesforhold stadig er gældende").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Forlaengelsesdata {
    pub ansaettelsesbrev_gaelder: bool,
}

impl Forlaengelsesdata {
    pub fn laes(json: &str) -> Option<Forlaengelsesdata> {
        serde_json::from_str(json).ok()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "ansaettelsesbrevGaelder": self.ansaettelsesbrev_gaelder })
    }

    pub fn visning(&self) -> Visning {
        vec![("Ansættelsesbrev stadig gældende", ja_nej(self.ansaettelsesbrev_gaelder))]
    }
}

/// The termination record: the reason as registered, its DFDG code, and for a grant with a
/// subsidy cap the amounts and the cap's verdict (seed 001 §2.1; seed 004 "Ophør"); or the
/// reason VITAS itself ended the grant for (`systemophoer`, DFDG 14 or 15; decision 88).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Ophoersdata {
    /// The reason's text. Records stored before carry the id in brackets ("Fejlregistrering
    /// (3)"); [`Ophoersdata::visning`] leaves it out.
    pub aarsag: String,
    /// The reason's id within its scheme (`ophoer::aarsag`); `None` for a system termination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aarsag_id: Option<u32>,
    /// The sub-choice's text (only "ophørt før tid" has them).
    pub undervalg: Option<String>,
    /// "15 – …" as reported to DFDG; `None` (or "Mappes ikke" in old records): not reported.
    pub dfdg: Option<String>,
    /// `ophoer::Systemophoer::kode` when VITAS ended the grant itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systemophoer: Option<String>,
    /// Seed 004: the subsidy received and the wage cost over 12 months, and the cap's verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modtaget_tilskud: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samlet_loenudgift: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tilskudsloft: Option<String>,
    /// Seed 002 §2.2: both end dates, as shown (dd-mm-åååå).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aktuel_slutdato: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oprindelig_slutdato: Option<String>,
}

impl Ophoersdata {
    pub fn laes(json: &str) -> Option<Ophoersdata> {
        serde_json::from_str(json).ok()
    }

    pub fn json(&self) -> serde_json::Value {
        // A struct of strings and numbers always serialises.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The reason without an id in brackets, as stored before.
    pub fn aarsagstekst(&self) -> &str {
        match self.aarsag.rsplit_once(" (") {
            Some((foer, id))
                if id.strip_suffix(')').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
            {
                foer
            }
            _ => &self.aarsag,
        }
    }

    pub fn visning(&self) -> Visning {
        let dfdg = match self.dfdg.as_deref() {
            None | Some("Mappes ikke") => "Indberettes ikke til DFDG".to_string(),
            Some(d) => d.to_string(),
        };
        let valgfri = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("Årsag", self.aarsagstekst().to_string()),
            ("Undervalg", valgfri(&self.undervalg)),
            ("DFDG-ophørskode", dfdg),
            (crate::tilskud::MODTAGET_TILSKUD, valgfri(&self.modtaget_tilskud)),
            (crate::tilskud::SAMLET_LOENUDGIFT, valgfri(&self.samlet_loenudgift)),
            ("Tilskudsloft", valgfri(&self.tilskudsloft)),
            ("Aktuel slutdato", valgfri(&self.aktuel_slutdato)),
            ("Oprindelig slutdato", valgfri(&self.oprindelig_slutdato)),
        ]
    }
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
    pub fn visning(&self) -> Visning {
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

    /// Records stored before these types read unchanged, and show as people read them: a
    /// Danish time without seconds, a reason without its id, words for an unreported code.
    #[test]
    fn gamle_poster_vises_paa_dansk() {
        let a =
            r#"{"underskrevetAf":"Karen","underskrevet":"2026-12-04T13:05:09.123456789Z","signeringsmetode":"demo"}"#;
        let v = visning(Elementart::Ansoegning, a).expect("ansøgning");
        assert!(v.contains(&("Underskrevet", "04-12-2026 kl. 14:05".to_string())), "{v:?}");
        let o = r#"{"aarsag":"Fejlregistrering (3)","dfdg":"Mappes ikke","aarsagId":3,"undervalg":null,"modtagetTilskud":null}"#;
        let d = Ophoersdata::laes(o).expect("ophør");
        assert_eq!(d.aarsag_id, Some(3));
        let v = d.visning();
        assert!(v.contains(&("Årsag", "Fejlregistrering".to_string())), "{v:?}");
        assert!(v.contains(&("DFDG-ophørskode", "Indberettes ikke til DFDG".to_string())), "{v:?}");
        let vist = visning(Elementart::Ophoer, o).expect("ophør");
        assert!(!vist.iter().any(|(k, _)| *k == "Undervalg"), "tomme værdier udelades: {vist:?}");
        // A reason that ends in a parenthesis of its own keeps it.
        let egen = Ophoersdata { aarsag: "Aflyst (af jobcenter)".into(), ..Default::default() };
        assert_eq!(egen.aarsagstekst(), "Aflyst (af jobcenter)");
        let f = visning(Elementart::Forlaengelse, r#"{"ansaettelsesbrevGaelder":true}"#).expect("forlængelse");
        assert_eq!(f, [("Ansættelsesbrev stadig gældende", "Ja".to_string())]);
        // Data that does not fit its kind is not shown as an empty record.
        assert_eq!(visning(Elementart::Ophoer, r#"{"aarsagId":"tre"}"#), None);
        // A system termination: no reason id, the code VITAS reported.
        let s = r#"{"aarsag":"Bevillingen er ikke godkendt","systemophoer":"bevilling_ikke_godkendt","dfdg":"14 – Bevilling ikke godkendt"}"#;
        let d = Ophoersdata::laes(s).expect("systemophør");
        assert_eq!((d.aarsag_id, d.systemophoer.as_deref()), (None, Some("bevilling_ikke_godkendt")));
    }

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
