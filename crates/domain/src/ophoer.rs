//! Termination reasons (ophørsårsager) and their mapping to DFDG's termination codes
//! (seed 001 §2.1; DOMAIN.md "Termination reasons and their DFDG mapping").
//!
//! Ids repeat across schemes, so a reason is keyed by (scheme, id). Seed 001 §2.1's table is
//! not unique within a scheme either: for virksomhedspraktik and løntilskud it lists id 4 both as
//! "Aflyst af jobcenter eller anden aktør" and as "Borgeren har ikke fulgt aktiviteten", and id 5
//! ("Borgeren er udeblevet fra aktivitet"), 10 and 11 next to id 2 "Den ansatte er ophørt før
//! tid (med flere undervalg)". We read those four rows as the sub-choices (undervalg) of id 2:
//! they are all "ended early" reasons, none is mapped to DFDG (the seed: ending early triggers a
//! sanction-relevant NUPH that a caseworker must register), and reading them as top-level reasons
//! would give one scheme two reasons with id 4. So the top-level ids stay the seed's ids where
//! they are unique (0–4), and the four rows become [`Undervalg`]s of id 2 that keep their seed
//! ids (10, 11, 5, 4); a sub-choice id is unique only within its reason.

use chrono::NaiveDate;
use serde::Serialize;

use crate::ordning::Ordning;

/// A termination code in DFDG's ActivityService (seed 001 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DfdgOphoer {
    pub id: u32,
    pub tekst: &'static str,
}

/// A sub-choice of a reason (only "Den ansatte er ophørt før tid" has them; seed 001 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Undervalg {
    pub id: u32,
    pub tekst: &'static str,
}

/// A VITAS termination reason of one scheme, with its DFDG code if it is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Ophoersaarsag {
    pub ordning: Ordning,
    pub id: u32,
    pub tekst: &'static str,
    /// `None`: not mapped ("Mappes ikke"); the jobcentre's caseworker registers it (seed 001 §2.1).
    pub dfdg: Option<DfdgOphoer>,
    /// Empty for every reason except "ophørt før tid".
    pub undervalg: &'static [Undervalg],
}

impl Ophoersaarsag {
    /// The sub-choice with this id, if the reason has one.
    pub fn undervalg_med_id(&self, id: u32) -> Option<&'static Undervalg> {
        self.undervalg.iter().find(|u| u.id == id)
    }
}

/// DFDG id 14: sent when the jobcentre, company or citizen did not approve a grant or withdrew
/// it; not for caseworkers to register (seed 001 §2.1).
pub const DFDG_BEVILLING_IKKE_GODKENDT: DfdgOphoer = DfdgOphoer { id: 14, tekst: "Bevilling ikke godkendt" };

/// DFDG id 15 as announced in seed 001 §2.1: sent when a grant closes after its ordinary end.
/// The same section's mapping table names id 15 "Bevillingen er lukket efter ordinært udløb";
/// both texts are kept as the seed writes them (the id is what DFDG reads).
pub const DFDG_ORDINAERT_UDLOEB: DfdgOphoer = DfdgOphoer { id: 15, tekst: "Aktivitetsperioden er afsluttet ordinært" };

/// An end of a grant that nobody registers with a reason: VITAS records it with its DFDG code
/// when the state machine makes the transition (`policy::Overgang::systemophoer`), so GetOphør
/// reports it like a registered termination (seed 001 §2.1: codes 14 and 15 "are sent in the
/// web-service message" and "are not for caseworkers to register"; decision 88).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Systemophoer {
    /// The company (or, in a life cycle with one, the citizen) did not approve the grant:
    /// "Bevilling ikke godkendt", DFDG 14.
    BevillingIkkeGodkendt,
    /// The grant reached its end date and VITAS closed it: DFDG 15.
    OrdinaertUdloeb,
}

impl Systemophoer {
    pub const ALLE: [Systemophoer; 2] = [Systemophoer::BevillingIkkeGodkendt, Systemophoer::OrdinaertUdloeb];

    /// Stable code, stored in the termination record's data (`systemophoer`).
    pub fn kode(self) -> &'static str {
        match self {
            Systemophoer::BevillingIkkeGodkendt => "bevilling_ikke_godkendt",
            Systemophoer::OrdinaertUdloeb => "ordinaert_udloeb",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Systemophoer> {
        Systemophoer::ALLE.into_iter().find(|s| s.kode() == kode)
    }

    /// The DFDG code sent (seed 001 §2.1).
    pub fn dfdg(self) -> DfdgOphoer {
        match self {
            Systemophoer::BevillingIkkeGodkendt => DFDG_BEVILLING_IKKE_GODKENDT,
            Systemophoer::OrdinaertUdloeb => DFDG_ORDINAERT_UDLOEB,
        }
    }

    /// What the case page and GetOphør say happened, in Danish.
    pub fn tekst(self) -> &'static str {
        match self {
            Systemophoer::BevillingIkkeGodkendt => "Bevillingen er ikke godkendt",
            Systemophoer::OrdinaertUdloeb => "Bevillingsperioden er udløbet",
        }
    }
}

/// Whether a grant with this end date has run out on `idag`: the end date is the grant's last
/// day, so it closes the day after (seed 001 §2.1 "lukket efter ordinært udløb"; decision 88).
/// A grant without an end date never runs out.
pub fn udloebet(slutdato: Option<NaiveDate>, idag: NaiveDate) -> bool {
    slutdato.is_some_and(|s| s < idag)
}

// The DFDG codes as the mapping table of seed 001 §2.1 names them.
const DFDG_15_TABEL: DfdgOphoer = DfdgOphoer { id: 15, tekst: "Bevillingen er lukket efter ordinært udløb" };
const DFDG_1_FEJLOPRETTET: DfdgOphoer = DfdgOphoer { id: 1, tekst: "Fejloprettet" };
const DFDG_3_AFLYST: DfdgOphoer = DfdgOphoer { id: 3, tekst: "Aflyst af jobcenter/AA/A-kasse/Kursusudbyder" };

/// The sub-choices of "Den ansatte er ophørt før tid", in the seed's order (seed 001 §2.1).
static OPHOERT_FOER_TID: [Undervalg; 4] = [
    Undervalg { id: 10, tekst: "Borgeren har opsagt sin ansættelse" },
    Undervalg { id: 11, tekst: "Borgeren er opsagt af virksomheden" },
    Undervalg { id: 5, tekst: "Borgeren er udeblevet fra aktivitet" },
    Undervalg { id: 4, tekst: "Borgeren har ikke fulgt aktiviteten" },
];

const fn aarsag_raekke(ordning: Ordning, id: u32, tekst: &'static str, dfdg: Option<DfdgOphoer>) -> Ophoersaarsag {
    Ophoersaarsag { ordning, id, tekst, dfdg, undervalg: &[] }
}

/// Ids 2–4, shared by virksomhedspraktik, nytteindsats and løntilskud (seed 001 §2.1).
const fn faelles_raekker(ordning: Ordning) -> [Ophoersaarsag; 3] {
    [
        Ophoersaarsag {
            ordning,
            id: 2,
            tekst: "Den ansatte er ophørt før tid",
            dfdg: None, // seed 001 §2.1: ending early is never mapped (NUPH)
            undervalg: &OPHOERT_FOER_TID,
        },
        aarsag_raekke(ordning, 3, "Fejlregistrering", Some(DFDG_1_FEJLOPRETTET)),
        aarsag_raekke(ordning, 4, "Aflyst af jobcenter eller anden aktør", Some(DFDG_3_AFLYST)),
    ]
}

/// The virksomhedspraktik rows of seed 001 §2.1, in the table's order.
const fn praktik_raekker(ordning: Ordning) -> [Ophoersaarsag; 5] {
    let [a, b, c] = faelles_raekker(ordning);
    [
        aarsag_raekke(ordning, 0, "Den ansatte stopper, da praktikperioden er udløbet", Some(DFDG_15_TABEL)),
        aarsag_raekke(ordning, 1, "Den ansatte vil fortsætte i virksomheden uden praktik", Some(DFDG_15_TABEL)),
        a,
        b,
        c,
    ]
}

pub(crate) static VIRKSOMHEDSPRAKTIK: [Ophoersaarsag; 5] = praktik_raekker(Ordning::Virksomhedspraktik);

/// Nytteindsats has no rows of its own in seed 001 §2.1; it is the same form family as
/// virksomhedspraktik (DOMAIN.md names praktik), so it uses the praktik rows.
pub(crate) static NYTTEINDSATS: [Ophoersaarsag; 5] = praktik_raekker(Ordning::Nytteindsats);

/// The løntilskud rows of seed 001 §2.1, in the same order as praktik's.
pub(crate) static LOENTILSKUD: [Ophoersaarsag; 5] = {
    let o = Ordning::Loentilskud;
    let [a, b, c] = faelles_raekker(o);
    [
        aarsag_raekke(o, 0, "Den ansatte stopper, da løntilskudsperioden er udløbet", Some(DFDG_15_TABEL)),
        aarsag_raekke(o, 1, "Den ansatte vil fortsætte i virksomheden uden løntilskud", Some(DFDG_15_TABEL)),
        a,
        b,
        c,
    ]
};

/// The voksenlærling rows of seed 001 §2.1, in the table's order.
pub(crate) static VOKSENLAERLING: [Ophoersaarsag; 5] = {
    let o = Ordning::Voksenlaerling;
    [
        aarsag_raekke(o, 3, "Fejlregistrering", Some(DFDG_1_FEJLOPRETTET)),
        aarsag_raekke(o, 4, "Aflyst af jobcenter eller anden aktør", Some(DFDG_3_AFLYST)),
        aarsag_raekke(o, 5, "Voksenlærlingen er udeblevet fra uddannelsen", None),
        aarsag_raekke(o, 6, "Voksenlærlingen har afbrudt uddannelsen", None),
        aarsag_raekke(o, 11, "Virksomheden har afbrudt voksenlærlingeforløbet", None),
    ]
};

/// Seed 001 §2.1 has no fleksjob rows. A fleksjob is an employment with a wage subsidy
/// (fleksløntilskud), and seed 002 §2.2 speaks of a fleksjob "ophørt før tid", so it has
/// løntilskud's family of reasons in its own words (decision 100).
pub(crate) static FLEKSJOB: [Ophoersaarsag; 5] = {
    let o = Ordning::Fleksjob;
    let [a, b, c] = faelles_raekker(o);
    [
        aarsag_raekke(o, 0, "Den ansatte stopper, da fleksjobperioden er udløbet", Some(DFDG_15_TABEL)),
        aarsag_raekke(o, 1, "Den ansatte fortsætter i virksomheden uden fleksjob", Some(DFDG_15_TABEL)),
        a,
        b,
        c,
    ]
};

/// Jobrotation has no rows in seed 001 §2.1 (decision 94): the praktik and løntilskud rows
/// (ids 0–4, the same DFDG codes, "ophørt før tid" with its sub-choices and never mapped),
/// worded for the substitute, who is the case's citizen (decision 95).
pub(crate) static JOBROTATION: [Ophoersaarsag; 5] = {
    let o = Ordning::Jobrotation;
    let [a, b, c] = faelles_raekker(o);
    [
        aarsag_raekke(o, 0, "Vikaren stopper, da vikariatet er udløbet", Some(DFDG_15_TABEL)),
        aarsag_raekke(o, 1, "Vikaren vil fortsætte i virksomheden uden tilskud", Some(DFDG_15_TABEL)),
        Ophoersaarsag { tekst: "Vikaren er ophørt før tid", ..a },
        b,
        c,
    ]
};

/// IGU's rows (decision 98): seed 001 §2.1 lists none for IGU, so it takes the rows the table
/// gives every scheme it covers: the period ran out (DFDG 15), ended early (never mapped, with
/// the same sub-choices), registration error (DFDG 1) and cancelled (DFDG 3).
pub(crate) static IGU: [Ophoersaarsag; 4] = {
    let o = Ordning::Igu;
    let [a, b, c] = faelles_raekker(o);
    [aarsag_raekke(o, 0, "Den ansatte stopper, da IGU-forløbet er udløbet", Some(DFDG_15_TABEL)), a, b, c]
};

/// The termination reasons of a scheme in table order; empty for schemes the table of seed 001
/// §2.1 does not cover. The scheme's profile names its rows (`ordning::Profil`).
pub fn aarsager(ordning: Ordning) -> Vec<&'static Ophoersaarsag> {
    ordning.profil().ophoersaarsager.iter().collect()
}

/// The reason with key (scheme, id).
pub fn aarsag(ordning: Ordning, id: u32) -> Option<&'static Ophoersaarsag> {
    aarsager(ordning).into_iter().find(|a| a.id == id)
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn dfdg_id(ordning: Ordning, id: u32) -> Option<u32> {
        aarsag(ordning, id).unwrap().dfdg.map(|d| d.id)
    }

    #[test]
    fn mapning_fra_seedet() {
        assert_eq!(dfdg_id(Ordning::Loentilskud, 0), Some(15));
        assert_eq!(dfdg_id(Ordning::Loentilskud, 1), Some(15));
        assert_eq!(dfdg_id(Ordning::Loentilskud, 2), None);
        assert_eq!(dfdg_id(Ordning::Loentilskud, 3), Some(1));
        assert_eq!(dfdg_id(Ordning::Loentilskud, 4), Some(3));
        assert_eq!(dfdg_id(Ordning::Virksomhedspraktik, 0), Some(15));
        assert_eq!(dfdg_id(Ordning::Virksomhedspraktik, 3), Some(1));
        assert_eq!(dfdg_id(Ordning::Voksenlaerling, 3), Some(1));
        assert_eq!(dfdg_id(Ordning::Voksenlaerling, 4), Some(3));
        assert_eq!(dfdg_id(Ordning::Voksenlaerling, 5), None);
        // Decision 94: jobrotation takes praktik's codes.
        assert_eq!(dfdg_id(Ordning::Jobrotation, 0), Some(15));
        assert_eq!(dfdg_id(Ordning::Jobrotation, 2), None);
        assert_eq!(dfdg_id(Ordning::Jobrotation, 3), Some(1));
        assert_eq!(dfdg_id(Ordning::Jobrotation, 4), Some(3));
        assert_eq!(dfdg_id(Ordning::Voksenlaerling, 6), None);
        assert_eq!(dfdg_id(Ordning::Voksenlaerling, 11), None);
        assert!(aarsag(Ordning::Voksenlaerling, 0).is_none());
        assert!(aarsag(Ordning::Loentilskud, 10).is_none());
        assert!(aarsag(Ordning::Loentilskud, 5).is_none());
    }

    #[test]
    fn tekster_fra_seedet() {
        let l0 = aarsag(Ordning::Loentilskud, 0).unwrap();
        assert_eq!(l0.tekst, "Den ansatte stopper, da løntilskudsperioden er udløbet");
        assert_eq!(l0.dfdg.unwrap().tekst, "Bevillingen er lukket efter ordinært udløb");
        let p0 = aarsag(Ordning::Virksomhedspraktik, 0).unwrap();
        assert_eq!(p0.tekst, "Den ansatte stopper, da praktikperioden er udløbet");
        let l3 = aarsag(Ordning::Loentilskud, 3).unwrap();
        assert_eq!((l3.tekst, l3.dfdg.unwrap().tekst), ("Fejlregistrering", "Fejloprettet"));
        let v4 = aarsag(Ordning::Voksenlaerling, 4).unwrap();
        assert_eq!(v4.tekst, "Aflyst af jobcenter eller anden aktør");
        assert_eq!(v4.dfdg.unwrap().tekst, "Aflyst af jobcenter/AA/A-kasse/Kursusudbyder");
        assert_eq!(aarsag(Ordning::Loentilskud, 2).unwrap().tekst, "Den ansatte er ophørt før tid");
        assert_eq!(
            aarsag(Ordning::Voksenlaerling, 11).unwrap().tekst,
            "Virksomheden har afbrudt voksenlærlingeforløbet"
        );
    }

    #[test]
    fn ophoert_foer_tid_har_undervalg_med_seedets_id() {
        for ordning in [Ordning::Loentilskud, Ordning::Virksomhedspraktik, Ordning::Nytteindsats] {
            let a = aarsag(ordning, 2).unwrap();
            let ids: Vec<u32> = a.undervalg.iter().map(|u| u.id).collect();
            assert_eq!(ids, [10, 11, 5, 4]);
            assert_eq!(a.undervalg_med_id(11).unwrap().tekst, "Borgeren er opsagt af virksomheden");
            assert_eq!(a.undervalg_med_id(4).unwrap().tekst, "Borgeren har ikke fulgt aktiviteten");
            assert!(a.undervalg_med_id(2).is_none());
        }
    }

    #[test]
    fn raekkefoelge() {
        let ids = |o| aarsager(o).iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(ids(Ordning::Loentilskud), [0, 1, 2, 3, 4]);
        assert_eq!(ids(Ordning::Virksomhedspraktik), [0, 1, 2, 3, 4]);
        assert_eq!(ids(Ordning::Voksenlaerling), [3, 4, 5, 6, 11]);
    }

    #[test]
    fn nytteindsats_bruger_praktikkens_raekker() {
        let praktik = aarsager(Ordning::Virksomhedspraktik);
        let nytte = aarsager(Ordning::Nytteindsats);
        assert_eq!(praktik.len(), nytte.len());
        for (p, n) in praktik.iter().zip(&nytte) {
            assert_eq!(n.ordning, Ordning::Nytteindsats);
            assert_eq!((p.id, p.tekst, p.dfdg, p.undervalg), (n.id, n.tekst, n.dfdg, n.undervalg));
        }
    }

    #[test]
    fn noegler_er_unikke_og_ordning_passer() {
        let mut set = HashSet::new();
        let mut antal = 0;
        for ordning in Ordning::ALLE {
            for a in aarsager(ordning) {
                assert_eq!(a.ordning, ordning);
                assert!(set.insert((a.ordning, a.id)), "({ordning:?}, {}) twice", a.id);
                antal += 1;
                let undervalg: HashSet<u32> = a.undervalg.iter().map(|u| u.id).collect();
                assert_eq!(undervalg.len(), a.undervalg.len());
                // Reasons with sub-choices are "ended early": never mapped (seed 001 §2.1).
                if !a.undervalg.is_empty() {
                    assert!(a.dfdg.is_none());
                }
            }
        }
        assert_eq!(antal, 34);
    }

    #[test]
    fn ordninger_uden_aarsager() {
        for ordning in [Ordning::Mentor, Ordning::Hjaelpemiddel, Ordning::PersonligAssistent] {
            assert!(aarsager(ordning).is_empty(), "{ordning:?}");
            assert!(aarsag(ordning, 0).is_none());
        }
    }

    #[test]
    fn systemophoer_har_seedets_koder_og_kan_laeses_igen() {
        assert_eq!(Systemophoer::BevillingIkkeGodkendt.dfdg().id, 14);
        assert_eq!(Systemophoer::OrdinaertUdloeb.dfdg().id, 15);
        for s in Systemophoer::ALLE {
            assert_eq!(Systemophoer::fra_kode(s.kode()), Some(s));
            assert!(!s.tekst().is_empty());
        }
        assert_eq!(Systemophoer::fra_kode("ophoert"), None);
    }

    #[test]
    fn udloebet_dagen_efter_slutdatoen() {
        let slut = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        let dag = |d: u32, m: u32| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert!(!udloebet(Some(slut), dag(30, 3)), "dagen før");
        assert!(!udloebet(Some(slut), slut), "slutdatoen er bevillingens sidste dag");
        assert!(udloebet(Some(slut), dag(1, 4)), "dagen efter");
        assert!(udloebet(Some(slut), dag(1, 6)), "senere");
        assert!(!udloebet(None, dag(1, 4)), "uden slutdato udløber intet");
    }

    #[test]
    fn dfdg_konstanter() {
        assert_eq!(DFDG_BEVILLING_IKKE_GODKENDT, DfdgOphoer { id: 14, tekst: "Bevilling ikke godkendt" });
        assert_eq!(DFDG_ORDINAERT_UDLOEB.id, 15);
        assert_eq!(DFDG_ORDINAERT_UDLOEB.tekst, "Aktivitetsperioden er afsluttet ordinært");
        assert_eq!(DFDG_ORDINAERT_UDLOEB.id, dfdg_id(Ordning::Loentilskud, 0).unwrap());
    }
}
