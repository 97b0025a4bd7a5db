//! Who may log in, and as what: the three login services and what their claims make of a
//! person (issue 14 §1, decision 70). Pure: the caller fetches the claims from the OpenID
//! provider and looks the organisation up in the registers.

use crate::ident::{Cpr, Cvr};
use crate::policy::Rolle;

/// The three kinds of login, one OpenID provider each (DOMAIN.md "Actors and roles").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loginprofil {
    /// Companies (and Anden Aktør and STAR staff, by their CVR): MitID Erhverv through NemLog-in.
    Erhverv,
    /// Jobcentre staff: Fælleskommunal Adgangsstyring (seed 002 §1.2).
    Fka,
    /// Citizens, and employee representatives answering a hearing: MitID.
    MitId,
}

impl Loginprofil {
    pub const ALLE: [Loginprofil; 3] = [Loginprofil::Erhverv, Loginprofil::Fka, Loginprofil::MitId];

    /// In the address: `/log-ind/{slug}`.
    pub fn slug(self) -> &'static str {
        match self {
            Loginprofil::Erhverv => "erhverv",
            Loginprofil::Fka => "fka",
            Loginprofil::MitId => "mitid",
        }
    }

    pub fn fra_slug(s: &str) -> Option<Loginprofil> {
        Loginprofil::ALLE.into_iter().find(|p| p.slug() == s)
    }

    /// The button on the front page.
    pub fn knap(self) -> &'static str {
        match self {
            Loginprofil::Erhverv => "Log ind som virksomhed med MitID Erhverv",
            Loginprofil::Fka => "Log ind som kommune (FKA)",
            Loginprofil::MitId => "Log ind som borger med MitID",
        }
    }

    /// The environment variables' middle part: `VITAS_OIDC_{ERHVERV|FKA|MITID}_ISSUER` …
    pub fn miljoe(self) -> &'static str {
        match self {
            Loginprofil::Erhverv => "ERHVERV",
            Loginprofil::Fka => "FKA",
            Loginprofil::MitId => "MITID",
        }
    }
}

/// Seed 002 §1.2: the two FKA roles. Administrators also work as caseworkers, so a person
/// with both roles is an administrator.
pub const FKA_SAGSBEHANDLER: &str = "Star-VITAS-CaseWorker";
/// Seed 002 §1.2: "Medarbejdere med denne rolle får en ekstra menu med Administrationsmuligheder".
pub const FKA_ADMINISTRATOR: &str = "Star-VITAS-Administrator";

/// The VITAS role FKA's roles give, or None (seed 002 §1.3: then the municipality's FKA
/// administrator must assign the right roles).
pub fn fka_rolle(roller: &[String]) -> Option<Rolle> {
    // FKA may send a role as a URI whose last segment is the name; compare that segment.
    let har = |navn: &str| roller.iter().any(|r| r.rsplit(['/', ':']).next().is_some_and(|s| s == navn));
    if har(FKA_ADMINISTRATOR) {
        Some(Rolle::Administrator)
    } else if har(FKA_SAGSBEHANDLER) {
        Some(Rolle::Sagsbehandler)
    } else {
        None
    }
}

/// A person as the provider's verified ID token describes them.
#[derive(Clone, PartialEq, Eq)]
pub struct Identitet {
    pub profil: Loginprofil,
    /// `issuer` and `sub` together: the person at that provider, stable across logins.
    pub emne: String,
    pub navn: String,
    pub cvr: Option<String>,
    pub cpr: Option<String>,
    pub kommunekode: Option<String>,
    pub roller: Vec<String>,
}

impl std::fmt::Debug for Identitet {
    // Never a CPR in a log line (CONVENTIONS.md).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identitet")
            .field("profil", &self.profil)
            .field("cvr", &self.cvr)
            .field("cpr", &self.cpr.as_ref().map(|_| "**********"))
            .field("kommunekode", &self.kommunekode)
            .field("roller", &self.roller)
            .finish_non_exhaustive()
    }
}

/// What the registers know of the CVR an Erhverv login carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cvrkendskab {
    /// The Danish Agency for Labour Market and Recruitment itself.
    Styrelse,
    /// An Anden Aktør organisation (DOMAIN.md "Anden Aktør": bound to its organisation).
    AndenAktoer(i64),
    /// A company in the CVR register.
    Virksomhed,
    Ukendt,
}

/// What a login makes of a person: the role and what binds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tilknytning {
    Virksomhed { cvr: String },
    AndenAktoer { organisation_id: i64 },
    Styrelse,
    Jobcenter { jobcenter_id: i64, rolle: Rolle },
    Borger { cpr: String },
}

impl Tilknytning {
    pub fn rolle(&self) -> Rolle {
        match self {
            Tilknytning::Virksomhed { .. } => Rolle::Virksomhed,
            Tilknytning::AndenAktoer { .. } => Rolle::AndenAktoer,
            Tilknytning::Styrelse => Rolle::Styrelse,
            Tilknytning::Jobcenter { rolle, .. } => *rolle,
            Tilknytning::Borger { .. } => Rolle::Borger,
        }
    }
}

/// Why a login is refused; each has a Danish message for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loginafvisning {
    /// The token lacks a claim this kind of login needs (e.g. no CVR from MitID Erhverv).
    ManglerOplysning(&'static str),
    UkendtCvr(String),
    UkendtKommune(String),
    IngenRolle,
    /// The person is known, but an administrator has closed their user.
    Spaerret,
}

impl Loginafvisning {
    pub fn besked(&self) -> String {
        match self {
            Loginafvisning::ManglerOplysning(hvad) => {
                format!("Login-tjenesten sendte ikke {hvad}, så VITAS ved ikke, hvem du logger ind som.")
            }
            Loginafvisning::UkendtCvr(cvr) => format!(
                "Virksomheden med CVR-nummer {cvr} findes ikke i CVR, så du kan ikke logge ind i VITAS for den."
            ),
            Loginafvisning::UkendtKommune(k) => {
                format!("Kommunen med kommunekode {k} har ikke et jobcenter i VITAS, så du kan ikke logge ind.")
            }
            // Seed 002 §1.3.
            Loginafvisning::IngenRolle => "Du har ingen rolle til VITAS i FKA. Kontakt din kommunes \
                FKA-administrator, så de korrekte roller kan blive påført."
                .into(),
            Loginafvisning::Spaerret => "Din bruger er spærret i VITAS. Kontakt din administrator.".into(),
        }
    }
}

/// A full name as first name, middle names and surname (the user table's three columns).
pub fn navnedele(navn: &str) -> (String, String, String) {
    let mut dele: Vec<&str> = navn.split_whitespace().collect();
    match dele.len() {
        0 => (String::new(), String::new(), String::new()),
        1 => (dele[0].to_string(), String::new(), String::new()),
        _ => {
            let efternavn = dele.pop().unwrap_or_default().to_string();
            let fornavn = dele.remove(0).to_string();
            (fornavn, dele.join(" "), efternavn)
        }
    }
}

/// The binding an Erhverv login gets: STAR, an Anden Aktør or a company, by its CVR.
pub fn erhverv(id: &Identitet, kendskab: Cvrkendskab) -> Result<Tilknytning, Loginafvisning> {
    let cvr = gyldigt_cvr(id)?;
    match kendskab {
        Cvrkendskab::Styrelse => Ok(Tilknytning::Styrelse),
        Cvrkendskab::AndenAktoer(organisation_id) => Ok(Tilknytning::AndenAktoer { organisation_id }),
        Cvrkendskab::Virksomhed => Ok(Tilknytning::Virksomhed { cvr }),
        Cvrkendskab::Ukendt => Err(Loginafvisning::UkendtCvr(cvr)),
    }
}

/// The CVR of an Erhverv login, checked for form (eight digits).
pub fn gyldigt_cvr(id: &Identitet) -> Result<String, Loginafvisning> {
    let raa = id.cvr.as_deref().ok_or(Loginafvisning::ManglerOplysning("et CVR-nummer"))?;
    Cvr::parse(raa, "cvr").map(|c| c.as_str().to_string()).map_err(|_| Loginafvisning::UkendtCvr(raa.to_string()))
}

/// The binding an FKA login gets: the jobcentre of the municipality, in the role FKA gives.
/// `jobcenter` is the caller's lookup of the municipality code.
pub fn fka(id: &Identitet, jobcenter: Option<i64>) -> Result<Tilknytning, Loginafvisning> {
    let kode = id.kommunekode.as_deref().ok_or(Loginafvisning::ManglerOplysning("en kommunekode"))?;
    let jobcenter_id = jobcenter.ok_or_else(|| Loginafvisning::UkendtKommune(kode.to_string()))?;
    let rolle = fka_rolle(&id.roller).ok_or(Loginafvisning::IngenRolle)?;
    Ok(Tilknytning::Jobcenter { jobcenter_id, rolle })
}

/// The binding a MitID login gets: the citizen with the CPR.
pub fn mitid(id: &Identitet) -> Result<Tilknytning, Loginafvisning> {
    let raa = id.cpr.as_deref().ok_or(Loginafvisning::ManglerOplysning("et CPR-nummer"))?;
    let cpr = Cpr::parse(raa, "cpr").map_err(|_| Loginafvisning::ManglerOplysning("et gyldigt CPR-nummer"))?;
    Ok(Tilknytning::Borger { cpr: cpr.as_str().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(profil: Loginprofil) -> Identitet {
        Identitet {
            profil,
            emne: "https://udbyder|abc".into(),
            navn: "Jens Hansen".into(),
            cvr: None,
            cpr: None,
            kommunekode: None,
            roller: vec![],
        }
    }

    #[test]
    fn fka_roller_giver_vitas_roller() {
        let r = |v: &[&str]| fka_rolle(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(r(&["Star-VITAS-CaseWorker"]), Some(Rolle::Sagsbehandler));
        assert_eq!(r(&["Star-VITAS-CaseWorker", "Star-VITAS-Administrator"]), Some(Rolle::Administrator));
        assert_eq!(r(&["http://fka.kombit.dk/roles/Star-VITAS-Administrator"]), Some(Rolle::Administrator));
        assert_eq!(r(&["Star-VITAS-CaseWorkerX", "Andet"]), None);
        assert_eq!(r(&[]), None);
    }

    #[test]
    fn fka_kraever_kommune_jobcenter_og_rolle() {
        let mut i = id(Loginprofil::Fka);
        assert_eq!(fka(&i, Some(1)), Err(Loginafvisning::ManglerOplysning("en kommunekode")));
        i.kommunekode = Some("999".into());
        assert_eq!(fka(&i, None), Err(Loginafvisning::UkendtKommune("999".into())));
        assert_eq!(fka(&i, Some(4)), Err(Loginafvisning::IngenRolle));
        i.roller = vec![FKA_SAGSBEHANDLER.into()];
        assert_eq!(fka(&i, Some(4)), Ok(Tilknytning::Jobcenter { jobcenter_id: 4, rolle: Rolle::Sagsbehandler }));
    }

    #[test]
    fn erhverv_efter_cvr_kendskab() {
        let mut i = id(Loginprofil::Erhverv);
        assert_eq!(erhverv(&i, Cvrkendskab::Virksomhed), Err(Loginafvisning::ManglerOplysning("et CVR-nummer")));
        i.cvr = Some("12x".into());
        assert_eq!(erhverv(&i, Cvrkendskab::Virksomhed), Err(Loginafvisning::UkendtCvr("12x".into())));
        i.cvr = Some("25348710".into());
        assert_eq!(erhverv(&i, Cvrkendskab::Ukendt), Err(Loginafvisning::UkendtCvr("25348710".into())));
        assert_eq!(erhverv(&i, Cvrkendskab::Virksomhed), Ok(Tilknytning::Virksomhed { cvr: "25348710".into() }));
        assert_eq!(erhverv(&i, Cvrkendskab::AndenAktoer(3)), Ok(Tilknytning::AndenAktoer { organisation_id: 3 }));
        assert_eq!(erhverv(&i, Cvrkendskab::Styrelse), Ok(Tilknytning::Styrelse));
    }

    #[test]
    fn navnet_deles_i_tre() {
        assert_eq!(navnedele("  Anna  Marie Bak Holm "), ("Anna".into(), "Marie Bak".into(), "Holm".into()));
        assert_eq!(navnedele("Bo Holm"), ("Bo".into(), String::new(), "Holm".into()));
        assert_eq!(navnedele("Cher"), ("Cher".into(), String::new(), String::new()));
        assert_eq!(navnedele(""), (String::new(), String::new(), String::new()));
    }

    #[test]
    fn mitid_kraever_gyldigt_cpr_og_logger_det_aldrig() {
        let mut i = id(Loginprofil::MitId);
        assert!(mitid(&i).is_err());
        i.cpr = Some("0101901234".into());
        assert_eq!(mitid(&i), Ok(Tilknytning::Borger { cpr: "0101901234".into() }));
        assert!(!format!("{i:?}").contains("0101901234"));
    }
}
