//! The Get web services municipal case systems call, and the schemes each one serves
//! (seed 002 §1.1, DOMAIN.md "Web services to municipal systems").

use crate::ordning::Ordning;

/// A Get method of the web services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GetService {
    Ansoegning,
    Bevilling,
    Forlaengelse,
    Ophoer,
    Aftale,
    Mentor,
    Hjaelpemiddel,
}

impl GetService {
    pub const ALLE: [GetService; 7] = [
        GetService::Ansoegning,
        GetService::Bevilling,
        GetService::Forlaengelse,
        GetService::Ophoer,
        GetService::Aftale,
        GetService::Mentor,
        GetService::Hjaelpemiddel,
    ];

    /// The method's name as seed 002 writes it.
    pub fn navn(self) -> &'static str {
        match self {
            GetService::Ansoegning => "GetAnsøgning",
            GetService::Bevilling => "GetBevilling",
            GetService::Forlaengelse => "GetForlængelse",
            GetService::Ophoer => "GetOphør",
            GetService::Aftale => "GetAftale",
            GetService::Mentor => "GetMentor",
            GetService::Hjaelpemiddel => "GetHjælpemiddel",
        }
    }

    /// The method's last path segment: `/api/v1/sager/{eksterntId}/{sti}`.
    pub fn sti(self) -> &'static str {
        match self {
            GetService::Ansoegning => "ansoegning",
            GetService::Bevilling => "bevilling",
            GetService::Forlaengelse => "forlaengelse",
            GetService::Ophoer => "ophoer",
            GetService::Aftale => "aftale",
            GetService::Mentor => "mentor",
            GetService::Hjaelpemiddel => "hjaelpemiddel",
        }
    }

    /// The schemes the method serves. Seed 002 §1.1's table.
    pub fn ordninger(self) -> &'static [Ordning] {
        use Ordning::*;
        match self {
            GetService::Ansoegning => {
                &[Loentilskud, Virksomhedspraktik, Nytteindsats, Fleksjob, Voksenlaerling, Jobrotation]
            }
            GetService::Bevilling => &[
                Loentilskud,
                Virksomhedspraktik,
                Nytteindsats,
                Fleksjob,
                Voksenlaerling,
                Mentor,
                PersonligAssistent,
                Hjaelpemiddel,
            ],
            GetService::Forlaengelse => &[
                Loentilskud,
                Virksomhedspraktik,
                Nytteindsats,
                Voksenlaerling,
                Mentor,
                PersonligAssistent,
                Hjaelpemiddel,
            ],
            GetService::Ophoer => &[Loentilskud, Virksomhedspraktik, Nytteindsats, Voksenlaerling],
            GetService::Aftale => &[Igu],
            GetService::Mentor => &[Mentor],
            GetService::Hjaelpemiddel => &[Hjaelpemiddel],
        }
    }

    /// Whether the method answers only for a supplementary grant (tillægsbevilling), not for
    /// a grant of the same scheme of its own. Seed 002 §1.1: GetMentor and GetHjælpemiddel
    /// serve "tillægsbevilling".
    pub fn kun_tillaeg(self) -> bool {
        matches!(self, GetService::Mentor | GetService::Hjaelpemiddel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingen_metode_er_uden_ordninger_og_alle_ordninger_har_en_metode() {
        for s in GetService::ALLE {
            assert!(!s.ordninger().is_empty(), "{}", s.navn());
        }
        // Every scheme is reachable through at least one Get method (seed 002 §1.1).
        for o in Ordning::ALLE {
            assert!(GetService::ALLE.iter().any(|s| s.ordninger().contains(&o)), "{o:?}");
        }
    }

    #[test]
    fn tabellen_som_seed_002() {
        use Ordning::*;
        assert!(!GetService::Ophoer.ordninger().contains(&Fleksjob));
        assert!(!GetService::Ansoegning.ordninger().contains(&Mentor));
        assert!(GetService::Bevilling.ordninger().contains(&PersonligAssistent));
        assert!(!GetService::Forlaengelse.ordninger().contains(&Fleksjob));
        assert_eq!(GetService::Aftale.ordninger(), &[Igu]);
        assert!(GetService::Mentor.kun_tillaeg() && !GetService::Bevilling.kun_tillaeg());
    }
}
