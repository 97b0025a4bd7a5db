//! The schemes (ordninger) and the kinds of record a case holds (DOMAIN.md "Schemes").

use serde::{Deserialize, Serialize};

/// Every scheme VITAS handles. The code (`kode`) is what the database and the API store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ordning {
    Loentilskud,
    Virksomhedspraktik,
    Nytteindsats,
    Voksenlaerling,
    Fleksjob,
    Jobrotation,
    Igu,
    Mentor,
    Hjaelpemiddel,
    PersonligAssistent,
}

/// Who starts a case of a scheme (DOMAIN.md "Schemes": "who starts it").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiativ {
    /// The company applies (or a jobcentre/AA drafts it for the company in virksomhedssupport).
    Virksomhed,
    /// The jobcentre creates the grant directly: the compensating schemes.
    Jobcenter,
}

impl Ordning {
    pub const ALLE: [Ordning; 10] = [
        Ordning::Loentilskud,
        Ordning::Virksomhedspraktik,
        Ordning::Nytteindsats,
        Ordning::Voksenlaerling,
        Ordning::Fleksjob,
        Ordning::Jobrotation,
        Ordning::Igu,
        Ordning::Mentor,
        Ordning::Hjaelpemiddel,
        Ordning::PersonligAssistent,
    ];

    /// Stable storage and API code.
    pub fn kode(self) -> &'static str {
        match self {
            Ordning::Loentilskud => "loentilskud",
            Ordning::Virksomhedspraktik => "virksomhedspraktik",
            Ordning::Nytteindsats => "nytteindsats",
            Ordning::Voksenlaerling => "voksenlaerling",
            Ordning::Fleksjob => "fleksjob",
            Ordning::Jobrotation => "jobrotation",
            Ordning::Igu => "igu",
            Ordning::Mentor => "mentor",
            Ordning::Hjaelpemiddel => "hjaelpemiddel",
            Ordning::PersonligAssistent => "personlig_assistent",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Ordning> {
        Ordning::ALLE.into_iter().find(|o| o.kode() == kode)
    }

    /// The Danish name shown in the UI.
    pub fn navn(self) -> &'static str {
        match self {
            Ordning::Loentilskud => "Løntilskud",
            Ordning::Virksomhedspraktik => "Virksomhedspraktik",
            Ordning::Nytteindsats => "Nytteindsats",
            Ordning::Voksenlaerling => "Voksenlærling",
            Ordning::Fleksjob => "Fleksjob",
            Ordning::Jobrotation => "Jobrotation",
            Ordning::Igu => "IGU",
            Ordning::Mentor => "Mentor",
            Ordning::Hjaelpemiddel => "Hjælpemiddel",
            Ordning::PersonligAssistent => "Personlig assistent",
        }
    }

    /// DOMAIN.md "Schemes": the compensating schemes are created by the jobcentre.
    pub fn initiativ(self) -> Initiativ {
        if self.kompenserende() { Initiativ::Jobcenter } else { Initiativ::Virksomhed }
    }

    /// Mentor, hjælpemiddel and personlig assistent (seed 001 §4, seed 002 §5).
    pub fn kompenserende(self) -> bool {
        matches!(self, Ordning::Mentor | Ordning::Hjaelpemiddel | Ordning::PersonligAssistent)
    }

    /// Only mentor and hjælpemiddel can hang on a main grant as a tillægsbevilling (seed 001 §1.4).
    pub fn kan_vaere_tillaeg(self) -> bool {
        matches!(self, Ordning::Mentor | Ordning::Hjaelpemiddel)
    }

    /// Schemes whose application asks about labour conflict (seed 002 §2.1).
    pub fn spoerger_om_konflikt(self) -> bool {
        matches!(
            self,
            Ordning::Loentilskud | Ordning::Virksomhedspraktik | Ordning::Nytteindsats | Ordning::Jobrotation
        )
    }

    /// Schemes whose application goes to the employee representative for consultation
    /// (seed 004 "Hav følgende parat"; seed 001 §1.2.3).
    pub fn kraever_hoering(self) -> bool {
        matches!(self, Ordning::Loentilskud | Ordning::Virksomhedspraktik | Ordning::Nytteindsats)
    }

    /// Hours per week are entered as a decimal for these schemes (seed 002 §2.5).
    pub fn registrerer_timer(self) -> bool {
        matches!(
            self,
            Ordning::Loentilskud
                | Ordning::Virksomhedspraktik
                | Ordning::Nytteindsats
                | Ordning::Fleksjob
                | Ordning::Mentor
                | Ordning::PersonligAssistent
                | Ordning::Jobrotation
        )
    }

    /// Whether filtering lists on hours includes the scheme: fleksjob is included, the
    /// compensating schemes are not (seed 001 §1.2.2).
    pub fn i_timefilter(self) -> bool {
        self.registrerer_timer() && !self.kompenserende()
    }

    /// The citizen signs too: IGU agreements and personal-assistant grants (DOMAIN.md "Actors").
    pub fn borger_underskriver(self) -> bool {
        matches!(self, Ordning::Igu | Ordning::PersonligAssistent)
    }
}

/// The kinds of record a case holds (DOMAIN.md "Facts from public STAR material": record kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sagsart {
    /// A company's application (ansøgning).
    Ansoegning,
    /// An offer created by the jobcentre, e.g. on the national list (DOMAIN.md "Case life cycle").
    Tilbud,
    /// The fleksjob request (fleksjobanmodning), which leads to a vurdering.
    Fleksjobanmodning,
    /// An IGU agreement (aftale), signed by company and citizen.
    Aftale,
    /// A grant created directly by the jobcentre (compensating schemes, tillægsbevillinger).
    Bevilling,
}

impl Sagsart {
    pub fn kode(self) -> &'static str {
        match self {
            Sagsart::Ansoegning => "ansoegning",
            Sagsart::Tilbud => "tilbud",
            Sagsart::Fleksjobanmodning => "fleksjobanmodning",
            Sagsart::Aftale => "aftale",
            Sagsart::Bevilling => "bevilling",
        }
    }
    /// The Danish name the UI and the Excel export show.
    pub fn navn(self) -> &'static str {
        match self {
            Sagsart::Ansoegning => "Ansøgning",
            Sagsart::Tilbud => "Tilbud",
            Sagsart::Fleksjobanmodning => "Fleksjobanmodning",
            Sagsart::Aftale => "Aftale",
            Sagsart::Bevilling => "Bevilling",
        }
    }
    pub fn fra_kode(kode: &str) -> Option<Sagsart> {
        [Sagsart::Ansoegning, Sagsart::Tilbud, Sagsart::Fleksjobanmodning, Sagsart::Aftale, Sagsart::Bevilling]
            .into_iter()
            .find(|a| a.kode() == kode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn koder_er_entydige_og_vender_tilbage() {
        for o in Ordning::ALLE {
            assert_eq!(Ordning::fra_kode(o.kode()), Some(o));
        }
        // Seed 001 §1.1: virksomhedspraktik and nytteindsats are never merged.
        assert_ne!(Ordning::Virksomhedspraktik.kode(), Ordning::Nytteindsats.kode());
    }

    #[test]
    fn timefilter_med_fleksjob_uden_kompenserende() {
        assert!(Ordning::Fleksjob.i_timefilter());
        assert!(Ordning::Mentor.registrerer_timer());
        assert!(!Ordning::Mentor.i_timefilter());
        assert!(!Ordning::PersonligAssistent.i_timefilter());
        assert!(!Ordning::Hjaelpemiddel.registrerer_timer());
    }
}
