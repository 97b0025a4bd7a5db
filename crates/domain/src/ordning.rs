//! The schemes (ordninger) and the kinds of record a case holds (DOMAIN.md "Schemes").

use crate::afgoerelse::Afgoerelsesfelt;
use crate::ophoer::{self, Ophoersaarsag};
use crate::periode::Periodegraenser;
use crate::webservice::GetService;
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

/// How a case of a scheme goes from its first record to an approved grant (issue 13 §1:
/// "Life cycles as data"; DOMAIN.md "Case life cycle"). It gives who starts a case, whether
/// there is a hearing and whether the citizen signs; `policy::overgang` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Livsforloeb {
    /// The company applies, and the employee representative is heard before the jobcentre
    /// decides (seed 004 "Hav følgende parat"; seed 001 §1.2.3).
    AnsoegningMedHoering,
    /// The company applies, with no hearing (seed 004: only the schemes above name one).
    AnsoegningUdenHoering,
    /// An agreement that the company and the citizen both sign (IGU; DOMAIN.md "Schemes"):
    /// the company signs and sends it to the citizen ("Sendt til borgeren"), the citizen
    /// signs (the jobcentre has it) or declines ("Afvist af borgeren"); then the grant path
    /// of an application (decision 97).
    AftaleMedBorger,
    /// The company's fleksjob request, which the jobcentre answers with a fleksjobvurdering
    /// (DOMAIN.md "Schemes"; docs/case-model.md "Fleksjob").
    Fleksjobvurdering,
    /// The jobcentre creates the grant; for personlig assistent the citizen approves too
    /// (DOMAIN.md "Schemes": compensating schemes).
    JobcenterBevilling { borger_godkender: bool },
}

impl Livsforloeb {
    /// Every life cycle, for tests that iterate them.
    pub const ALLE: [Livsforloeb; 6] = [
        Livsforloeb::AnsoegningMedHoering,
        Livsforloeb::AnsoegningUdenHoering,
        Livsforloeb::AftaleMedBorger,
        Livsforloeb::Fleksjobvurdering,
        Livsforloeb::JobcenterBevilling { borger_godkender: false },
        Livsforloeb::JobcenterBevilling { borger_godkender: true },
    ];

    /// Who starts a case with this life cycle.
    pub fn initiativ(self) -> Initiativ {
        match self {
            Livsforloeb::JobcenterBevilling { .. } => Initiativ::Jobcenter,
            _ => Initiativ::Virksomhed,
        }
    }

    /// Whether the application goes to the employee representative.
    pub fn hoering(self) -> bool {
        matches!(self, Livsforloeb::AnsoegningMedHoering)
    }

    /// What the decision is called: a grant, or for fleksjob an assessment (DOMAIN.md "Facts":
    /// "the decision's status (a bevilling, or for fleksjob a vurdering)").
    pub fn afgoerelsens_navn(self) -> &'static str {
        match self {
            Livsforloeb::Fleksjobvurdering => "Fleksjobvurdering",
            _ => "Bevilling",
        }
    }

    /// Whether the citizen signs or approves too.
    pub fn borger_underskriver(self) -> bool {
        matches!(self, Livsforloeb::AftaleMedBorger | Livsforloeb::JobcenterBevilling { borger_godkender: true })
    }
}

/// What the standard rejection text says the application was for, and the law it cites
/// (seed 002 §3.4: rejection texts cite the law).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hjemmel {
    /// "Jobcentret har behandlet jeres ansøgning om {hvad} …".
    pub hvad: &'static str,
    /// "Afgørelsen er truffet efter {lov}."
    pub lov: &'static str,
}

/// One scheme's profile: everything generic code needs to know about the scheme, as data
/// (issue 13 §1). The per-scheme `match`es elsewhere read this table; a new scheme is a new
/// row here, its form module, and its API answer.
#[derive(Debug)]
pub struct Profil {
    pub ordning: Ordning,
    /// Stable storage and API code.
    pub kode: &'static str,
    /// The Danish name shown in the UI.
    pub navn: &'static str,
    /// The life cycle, which also says who starts it, whether there is a hearing and whether
    /// the citizen signs.
    pub livsforloeb: Livsforloeb,
    /// The case kinds (sagsarter) a case of the scheme can be; the first is the usual one.
    pub sagsarter: &'static [Sagsart],
    /// The application asks about labour conflict, and STAR's register locks it (seed 002 §2.1).
    pub konfliktlaas: bool,
    /// Hours per week are entered, as a decimal (seed 002 §2.5).
    pub registrerer_timer: bool,
    /// The scheme can hang on a main grant as a tillægsbevilling (seed 001 §1.4).
    pub kan_vaere_tillaeg: bool,
    /// The web services carry the hourly subsidy rate (seed 002 §3.6: løntilskud and
    /// voksenlærling only; `tilskudssats::TimeTilskudsats`).
    pub timetilskudssats: bool,
    /// The scheme's termination reasons with their DFDG codes (seed 001 §2.1); empty where
    /// the seed's table has none.
    pub ophoersaarsager: &'static [Ophoersaarsag],
    /// What the caseworker decides besides "yes" when approving, as fields of the approval's
    /// form (`afgoerelse`): løntilskud's subsidy cap, fleksjob's work intensity.
    pub afgoerelsesfelter: &'static [Afgoerelsesfelt],
    /// The law the standard rejection text cites.
    pub hjemmel: Hjemmel,
    /// The bounds on the period one application or grant covers (issue 13 §7).
    pub periode: Periodegraenser,
    /// The whole life cycle is built: the form, the case page, the letters and the Get
    /// answers' data. The others are modelled (docs/case-model.md) and refused with
    /// "kan endnu ikke behandles" until their forms exist (the compensating schemes, issue 10).
    pub bygget: bool,
}

impl Profil {
    /// The grant carries a subsidy cap, chosen by the caseworker and checked at termination
    /// (seed 004; DOMAIN.md "Schemes": løntilskud only).
    pub fn tilskudsloft(&self) -> bool {
        self.afgoerelsesfelter.contains(&Afgoerelsesfelt::Tilskudsloft)
    }

    /// The scheme's name inside a sentence: "ansøgning om virksomhedspraktik"; an acronym
    /// (IGU) keeps its capitals.
    pub fn i_tekst(&self) -> String {
        if self.navn.chars().all(|c| c.is_uppercase()) { self.navn.to_string() } else { self.navn.to_lowercase() }
    }

    /// The decision letter's title: "Bevilling af løntilskud", or "Fleksjobvurdering".
    pub fn afgoerelsens_titel(&self) -> String {
        match self.livsforloeb {
            Livsforloeb::Fleksjobvurdering => self.livsforloeb.afgoerelsens_navn().to_string(),
            _ => format!("Bevilling af {}", self.i_tekst()),
        }
    }

    /// The title of the scheme's form, in the wizard and on the letter: "Ansøgning om
    /// virksomhedspraktik", "Aftale om IGU" (the case kind it is, `sagsart`).
    pub fn titel(&self) -> String {
        format!("{} om {}", self.sagsart().titelord(), self.i_tekst())
    }

    /// The case kind a new case of the scheme is (the first of `sagsarter`): an application,
    /// or an agreement for IGU.
    pub fn sagsart(&self) -> Sagsart {
        self.sagsarter.first().copied().unwrap_or(Sagsart::Ansoegning)
    }

    /// The Get web services that serve the scheme (seed 002 §1.1's table, kept per method in
    /// `webservice::GetService::ordninger`).
    pub fn get_services(&self) -> Vec<GetService> {
        GetService::ALLE.into_iter().filter(|s| s.ordninger().contains(&self.ordning)).collect()
    }
}

/// The rejection text's law for a scheme whose own chapter is not written in yet: the law
/// itself (seed 002 §3.4). Each scheme gets its chapter with its form (issue 13 §2).
const LAB_TILSKUD: Hjemmel = Hjemmel { hvad: "tilskud", lov: "lov om en aktiv beskæftigelsesindsats" };

/// The profiles, in [`Ordning::ALLE`]'s order (checked by a test).
static PROFILER: [Profil; 10] = [
    Profil {
        ordning: Ordning::Loentilskud,
        kode: "loentilskud",
        navn: "Løntilskud",
        livsforloeb: Livsforloeb::AnsoegningMedHoering,
        // Offers on the national list (seed 001 §2.2; docs/case-model.md "Offers").
        sagsarter: &[Sagsart::Ansoegning, Sagsart::Tilbud],
        konfliktlaas: true,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: true,
        ophoersaarsager: &ophoer::LOENTILSKUD,
        // LBK nr. 701 af 22/05/2022, kapitel 12 "Ansættelse med løntilskud". Seed 004: the
        // grant carries a cap on the subsidy as a share of the wage cost, checked at termination.
        afgoerelsesfelter: &[Afgoerelsesfelt::Tilskudsloft],
        hjemmel: Hjemmel {
            hvad: "ansættelse med løntilskud",
            lov: "lov om en aktiv beskæftigelsesindsats, kapitel 12 om ansættelse med løntilskud",
        },
        // DOMAIN.md "Facts": up to 12 months (sygedagpenge, ressourceforløb, jobafklaring).
        periode: Periodegraenser::laengst(366),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Virksomhedspraktik,
        kode: "virksomhedspraktik",
        navn: "Virksomhedspraktik",
        livsforloeb: Livsforloeb::AnsoegningMedHoering,
        sagsarter: &[Sagsart::Ansoegning, Sagsart::Tilbud],
        konfliktlaas: true,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        ophoersaarsager: &ophoer::VIRKSOMHEDSPRAKTIK,
        // LBK nr. 701 af 22/05/2022, kapitel 11 "Virksomhedspraktik".
        afgoerelsesfelter: &[],
        hjemmel: Hjemmel {
            hvad: "virksomhedspraktik",
            lov: "lov om en aktiv beskæftigelsesindsats, kapitel 11 om virksomhedspraktik",
        },
        // DOMAIN.md "Facts": 4, 8 or 13 weeks, extendable; the longest first period.
        periode: Periodegraenser::laengst(13 * 7),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Nytteindsats,
        kode: "nytteindsats",
        navn: "Nytteindsats",
        livsforloeb: Livsforloeb::AnsoegningMedHoering,
        sagsarter: &[Sagsart::Ansoegning, Sagsart::Tilbud],
        konfliktlaas: true,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        // Seed 001 §2.1 has no nytteindsats rows; the praktik rows apply (decision 15).
        ophoersaarsager: &ophoer::NYTTEINDSATS,
        afgoerelsesfelter: &[],
        hjemmel: Hjemmel {
            hvad: "virksomhedspraktik",
            lov: "lov om en aktiv beskæftigelsesindsats, kapitel 11 om virksomhedspraktik",
        },
        // LAB kapitel 11 as for virksomhedspraktik (decision 15): 13 weeks.
        periode: Periodegraenser::laengst(13 * 7),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Voksenlaerling,
        kode: "voksenlaerling",
        navn: "Voksenlærling",
        livsforloeb: Livsforloeb::AnsoegningUdenHoering,
        sagsarter: &[Sagsart::Ansoegning],
        konfliktlaas: false,
        registrerer_timer: false,
        kan_vaere_tillaeg: false,
        timetilskudssats: true,
        ophoersaarsager: &ophoer::VOKSENLAERLING,
        afgoerelsesfelter: &[],
        // LBK nr. 701 af 22/05/2022, kapitel 15 "Voksenlærlingeordningen".
        hjemmel: Hjemmel {
            hvad: "tilskud til voksenlærling",
            lov: "lov om en aktiv beskæftigelsesindsats, kapitel 15 om voksenlærlingeordningen",
        },
        // The whole education agreement (DOMAIN.md "Facts": "whole agreement"); at most 5 years.
        periode: Periodegraenser::laengst(5 * 366),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Fleksjob,
        kode: "fleksjob",
        navn: "Fleksjob",
        livsforloeb: Livsforloeb::Fleksjobvurdering,
        sagsarter: &[Sagsart::Fleksjobanmodning],
        konfliktlaas: false,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        // Seed 001 §2.1 has no fleksjob rows; decision 100.
        ophoersaarsager: &ophoer::FLEKSJOB,
        // Seed 002 §4.2: the assessment holds the jobcentre's work intensity in %.
        afgoerelsesfelter: &[Afgoerelsesfelt::Arbejdsintensitet],
        // LBK nr. 701 af 22/05/2022, kapitel 20 "Fleksjob m.v." (§ 116 ff.).
        hjemmel: Hjemmel { hvad: "fleksjob", lov: "lov om en aktiv beskæftigelsesindsats, kapitel 20 om fleksjob" },
        // A fleksjob is temporary for its first 5 years, after which it is reassessed (LAB
        // kapitel 20); the request covers at most that (decision 100).
        periode: Periodegraenser::laengst(5 * 366),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Jobrotation,
        kode: "jobrotation",
        navn: "Jobrotation",
        livsforloeb: Livsforloeb::AnsoegningUdenHoering,
        sagsarter: &[Sagsart::Ansoegning],
        konfliktlaas: true,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        // Seed 001 §2.1 has no jobrotation rows; praktik's pattern with the substitute's
        // words (decision 94).
        ophoersaarsager: &ophoer::JOBROTATION,
        afgoerelsesfelter: &[],
        // LBK nr. 701 af 22/05/2022, kapitel 16 "Jobrotation".
        hjemmel: Hjemmel {
            hvad: "tilskud til jobrotation",
            lov: "lov om en aktiv beskæftigelsesindsats, kapitel 16 om jobrotation",
        },
        // DOMAIN.md "Facts": a substitute for at most 6 months.
        periode: Periodegraenser::laengst(183),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Igu,
        kode: "igu",
        navn: "IGU",
        livsforloeb: Livsforloeb::AftaleMedBorger,
        sagsarter: &[Sagsart::Aftale],
        konfliktlaas: false,
        registrerer_timer: false,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        // Seed 001 §2.1 has no IGU rows; decision 98 gives it the rows every scheme shares.
        ophoersaarsager: &ophoer::IGU,
        afgoerelsesfelter: &[],
        // Lov om integrationsgrunduddannelse (igu), lov nr. 623 af 8. juni 2016 med senere
        // ændringer (L 202, 2020-21); LBK nr. 1131 af 07/06/2021 could not be verified here.
        hjemmel: Hjemmel { hvad: "integrationsgrunduddannelse (IGU)", lov: "lov om integrationsgrunduddannelse (igu)" },
        // DOMAIN.md "Facts": an IGU runs 24 months, so one agreement covers at most that.
        periode: Periodegraenser::laengst(2 * 366),
        bygget: true,
    },
    Profil {
        ordning: Ordning::Mentor,
        kode: "mentor",
        navn: "Mentor",
        livsforloeb: Livsforloeb::JobcenterBevilling { borger_godkender: false },
        sagsarter: &[Sagsart::Bevilling],
        konfliktlaas: false,
        registrerer_timer: true,
        kan_vaere_tillaeg: true,
        timetilskudssats: false,
        ophoersaarsager: &[],
        afgoerelsesfelter: &[],
        hjemmel: LAB_TILSKUD,
        // A compensating grant runs at most a year before it is reassessed (decision 92).
        periode: Periodegraenser::laengst(366),
        bygget: false,
    },
    Profil {
        ordning: Ordning::Hjaelpemiddel,
        kode: "hjaelpemiddel",
        navn: "Hjælpemiddel",
        livsforloeb: Livsforloeb::JobcenterBevilling { borger_godkender: false },
        sagsarter: &[Sagsart::Bevilling],
        konfliktlaas: false,
        registrerer_timer: false,
        kan_vaere_tillaeg: true,
        timetilskudssats: false,
        ophoersaarsager: &[],
        afgoerelsesfelter: &[],
        hjemmel: LAB_TILSKUD,
        // A compensating grant runs at most a year before it is reassessed (decision 92).
        periode: Periodegraenser::laengst(366),
        bygget: false,
    },
    Profil {
        ordning: Ordning::PersonligAssistent,
        kode: "personlig_assistent",
        navn: "Personlig assistent",
        livsforloeb: Livsforloeb::JobcenterBevilling { borger_godkender: true },
        sagsarter: &[Sagsart::Bevilling],
        konfliktlaas: false,
        registrerer_timer: true,
        kan_vaere_tillaeg: false,
        timetilskudssats: false,
        ophoersaarsager: &[],
        afgoerelsesfelter: &[],
        hjemmel: LAB_TILSKUD,
        // A compensating grant runs at most a year before it is reassessed (decision 92).
        periode: Periodegraenser::laengst(366),
        bygget: false,
    },
];

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

    /// The scheme's profile row.
    pub fn profil(self) -> &'static Profil {
        &PROFILER[self as usize]
    }

    /// Stable storage and API code.
    pub fn kode(self) -> &'static str {
        self.profil().kode
    }

    pub fn fra_kode(kode: &str) -> Option<Ordning> {
        PROFILER.iter().find(|p| p.kode == kode).map(|p| p.ordning)
    }

    /// The Danish name shown in the UI.
    pub fn navn(self) -> &'static str {
        self.profil().navn
    }

    /// DOMAIN.md "Schemes": the compensating schemes are created by the jobcentre.
    pub fn initiativ(self) -> Initiativ {
        self.profil().livsforloeb.initiativ()
    }

    /// Mentor, hjælpemiddel and personlig assistent (seed 001 §4, seed 002 §5): the schemes
    /// whose grant the jobcentre creates.
    pub fn kompenserende(self) -> bool {
        self.initiativ() == Initiativ::Jobcenter
    }

    /// Only mentor and hjælpemiddel can hang on a main grant as a tillægsbevilling (seed 001 §1.4).
    pub fn kan_vaere_tillaeg(self) -> bool {
        self.profil().kan_vaere_tillaeg
    }

    /// Schemes whose application asks about labour conflict (seed 002 §2.1).
    pub fn spoerger_om_konflikt(self) -> bool {
        self.profil().konfliktlaas
    }

    /// Schemes whose application goes to the employee representative for consultation
    /// (seed 004 "Hav følgende parat"; seed 001 §1.2.3).
    pub fn kraever_hoering(self) -> bool {
        self.profil().livsforloeb.hoering()
    }

    /// Hours per week are entered as a decimal for these schemes (seed 002 §2.5).
    pub fn registrerer_timer(self) -> bool {
        self.profil().registrerer_timer
    }

    /// Whether filtering lists on hours includes the scheme: fleksjob is included, the
    /// compensating schemes are not (seed 001 §1.2.2).
    pub fn i_timefilter(self) -> bool {
        self.registrerer_timer() && !self.kompenserende()
    }

    /// The citizen signs too: IGU agreements and personal-assistant grants (DOMAIN.md "Actors").
    pub fn borger_underskriver(self) -> bool {
        self.profil().livsforloeb.borger_underskriver()
    }

    /// The whole life cycle is built (see [`Profil::bygget`]).
    pub fn bygget(self) -> bool {
        self.profil().bygget
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
    /// The word a form's title starts with: "Ansøgning om løntilskud", "Anmodning om fleksjob",
    /// "Aftale om IGU".
    pub fn titelord(self) -> &'static str {
        match self {
            Sagsart::Fleksjobanmodning => "Anmodning",
            a => a.navn(),
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
    fn profilerne_staar_i_ordningernes_raekkefoelge() {
        for o in Ordning::ALLE {
            assert_eq!(o.profil().ordning, o, "profilen for {o:?} står et forkert sted i PROFILER");
            assert!(!o.profil().sagsarter.is_empty(), "{o:?} har ingen sagsart");
            // Every termination reason in a profile belongs to that scheme.
            assert!(o.profil().ophoersaarsager.iter().all(|a| a.ordning == o));
        }
    }

    #[test]
    fn livsforloebet_giver_initiativ_hoering_og_borgerens_underskrift() {
        // The values the scattered matches had before the profile (seed 004; seed 001 §1.2.3,
        // §4; seed 002 §5; DOMAIN.md "Actors").
        let hoering: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.kraever_hoering()).collect();
        assert_eq!(hoering, [Ordning::Loentilskud, Ordning::Virksomhedspraktik, Ordning::Nytteindsats]);
        let borger: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.borger_underskriver()).collect();
        assert_eq!(borger, [Ordning::Igu, Ordning::PersonligAssistent]);
        let jobcenter: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.kompenserende()).collect();
        assert_eq!(jobcenter, [Ordning::Mentor, Ordning::Hjaelpemiddel, Ordning::PersonligAssistent]);
        let tillaeg: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.kan_vaere_tillaeg()).collect();
        assert_eq!(tillaeg, [Ordning::Mentor, Ordning::Hjaelpemiddel]);
        let konflikt: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.spoerger_om_konflikt()).collect();
        assert_eq!(
            konflikt,
            [Ordning::Loentilskud, Ordning::Virksomhedspraktik, Ordning::Nytteindsats, Ordning::Jobrotation]
        );
        // Every scheme is served by some Get method; IGU only by GetAftale (seed 002 §1.1).
        assert!(Ordning::ALLE.iter().all(|o| !o.profil().get_services().is_empty()));
        assert_eq!(Ordning::Igu.profil().get_services(), [GetService::Aftale]);
        // Every life cycle is some scheme's.
        for l in Livsforloeb::ALLE {
            assert!(Ordning::ALLE.iter().any(|o| o.profil().livsforloeb == l), "{l:?} bruges ikke");
        }
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
