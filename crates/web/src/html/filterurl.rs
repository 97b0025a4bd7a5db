//! A list's filter, order and page as a URL query, and back (issue 3: the filters live in the
//! URL, so a search can be shared and the back button works). Several values of one field
//! repeat the key: `?ordning=loentilskud&ordning=fleksjob`.
//!
//! Except a person (issue 14 §3 "not in URLs"; decision 80): a CPR number or a name never
//! stands in an address. The filter form posts; [`adresse`] keeps those fields in
//! `storage::soegefilter` and puts only `ref=<key>` in the list's address, and [`laes`] puts
//! them back when the list is drawn. Every other filter stays in the address.

use domain::ordning::Ordning;
use domain::periode::parse_dato;
use domain::timer::TimerPrUge;
use storage::lister::{Filter, Kolonne, Sortering};

/// Everything a list URL says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListeQuery {
    pub filter: Filter,
    pub sortering: Option<Sortering>,
    pub side: u64,
    pub stoerrelse: u64,
    /// What the user typed in each text field, to show it again (valid or not).
    pub indtastet: Vec<(String, String)>,
    /// Danish messages for fields that could not be read; those fields are left out.
    pub fejl: Vec<String>,
    /// The key of the stored personal fields (`ref=`), when the search has any.
    pub reference: Option<String>,
}

/// The fields that name a person: never in an address (decision 80).
pub const PERSONFELTER: [&str; 2] = ["cpr", "navn"];

/// What a list says when its `ref=` is unknown: expired, another user's, or made up.
pub const UDLOEBET: &str = "Søgningen på CPR-nummer eller navn er udløbet. Skriv den igen, og tryk »Søg«.";

/// The most characters of a CPR or name field that are kept.
pub const MAKS_PERSONFELT: usize = 200;

fn er_personfelt(k: &str) -> bool {
    PERSONFELTER.contains(&k)
}

/// Whether a query or form holds a CPR number or a name with a value.
pub fn har_persondata(par: &[(String, String)]) -> bool {
    par.iter().any(|(k, v)| er_personfelt(k) && !v.trim().is_empty())
}

/// The address of a list searched with `par` (the filter form's fields, or an old address's
/// query): `sti` with every filter in the query but the personal ones, which are stored for
/// this user and named by `ref=`. Empty fields, the CSRF token and an earlier `ref` are left
/// out (a new search replaces the old one).
pub async fn adresse(
    db: &storage::Db,
    bruger_id: i64,
    sti: &str,
    par: Vec<(String, String)>,
) -> Result<String, storage::StorageError> {
    let (person, mut resten): (Vec<_>, Vec<_>) = par
        .into_iter()
        .filter(|(k, v)| k != "_csrf" && k != "ref" && !v.trim().is_empty())
        .partition(|(k, _)| er_personfelt(k));
    if !person.is_empty() {
        // No CPR or name is longer: a longer value finds nothing anyway, and a 1 MB field must
        // not become a 1 MB row.
        let person: Vec<(String, String)> =
            person.into_iter().map(|(k, v)| (k, v.chars().take(MAKS_PERSONFELT).collect())).collect();
        let indhold = serde_urlencoded::to_string(&person).unwrap_or_default();
        let noegle = storage::soegefilter::gem(db, bruger_id, &indhold, chrono::Utc::now()).await?;
        resten.push(("ref".into(), noegle));
    }
    let qs = serde_urlencoded::to_string(&resten).unwrap_or_default();
    Ok(if qs.is_empty() { sti.to_string() } else { format!("{sti}?{qs}") })
}

/// A list address as the filter form would have made it: unchanged without a CPR or name,
/// else with them stored and named by `ref=` ([`adresse`]).
pub async fn uden_persondata(db: &storage::Db, bruger_id: i64, url: &str) -> Result<String, storage::StorageError> {
    let (sti, qs) = url.split_once('?').unwrap_or((url, ""));
    let par: Vec<(String, String)> = serde_urlencoded::from_str(qs).unwrap_or_default();
    if har_persondata(&par) { adresse(db, bruger_id, sti, par).await } else { Ok(url.to_string()) }
}

/// Read a list's query as [`fra_query`] does, with the personal fields its `ref=` names put
/// back (only for the user who stored them). An unknown `ref` leaves them out with
/// [`UDLOEBET`].
pub async fn laes(db: &storage::Db, bruger_id: i64, query: &str) -> Result<ListeQuery, storage::StorageError> {
    let mut par: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let Some(noegle) = par.iter().find(|(k, v)| k == "ref" && !v.is_empty()).map(|(_, v)| v.clone()) else {
        return Ok(fra_query(query));
    };
    par.retain(|(k, _)| !er_personfelt(k));
    let gemt = storage::soegefilter::hent(db, &noegle, bruger_id, chrono::Utc::now()).await?;
    let fundet = gemt.is_some();
    if let Some(indhold) = gemt {
        par.extend(serde_urlencoded::from_str::<Vec<(String, String)>>(&indhold).unwrap_or_default());
    }
    let mut q = fra_query(&serde_urlencoded::to_string(&par).unwrap_or_default());
    if fundet {
        q.reference = Some(noegle);
    } else {
        q.fejl.push(UDLOEBET.into());
    }
    Ok(q)
}

/// The query string of a list's links (pages, sorts, Excel, the way back): [`til_query`]
/// without the personal fields, and the `ref=` that names them.
pub fn offentlig_query(q: &ListeQuery, sortering: Option<Sortering>, side: u64, stoerrelse: u64) -> String {
    let uden = Filter { cpr: None, navn: None, ..q.filter.clone() };
    let qs = til_query(&uden, sortering, side, stoerrelse);
    match &q.reference {
        None => qs,
        Some(r) => {
            let r = serde_urlencoded::to_string([("ref", r)]).unwrap_or_default();
            if qs.is_empty() { r } else { format!("{qs}&{r}") }
        }
    }
}

pub const STANDARD_STOERRELSE: u64 = 50;

fn dato_felt(navn: &str, label: &str, v: &str, fejl: &mut Vec<String>) -> Option<chrono::NaiveDate> {
    match parse_dato(v, navn) {
        Ok(d) => Some(d),
        Err(e) => {
            fejl.push(format!("{label}: {}.", e.besked.trim_end_matches('.')));
            None
        }
    }
}

/// Read a query string. Unknown keys are ignored; unreadable values give a Danish message.
pub fn fra_query(query: &str) -> ListeQuery {
    let par: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut q = ListeQuery { side: 1, stoerrelse: STANDARD_STOERRELSE, ..Default::default() };
    let mut sort: Option<Kolonne> = None;
    let mut faldende = false;
    for (k, v) in par {
        let v = v.trim().to_string();
        if v.is_empty() {
            continue;
        }
        let f = &mut q.filter;
        match k.as_str() {
            "ordning" => match Ordning::fra_kode(&v) {
                Some(o) if !f.ordninger.contains(&o) => f.ordninger.push(o),
                Some(_) => {}
                None => q.fejl.push(format!("Ukendt ordning »{v}«.")),
            },
            "status" if !f.statusser.contains(&v) => f.statusser.push(v),
            "status" => {}
            "tillaeg" => match Ordning::fra_kode(&v).filter(|o| o.kan_vaere_tillaeg()) {
                Some(o) if !f.tillaeg.contains(&o) => f.tillaeg.push(o),
                Some(_) => {}
                None => q.fejl.push(format!("Ukendt tillægsbevilling »{v}«.")),
            },
            "cpr" => {
                let cifre: String = v.chars().filter(char::is_ascii_digit).collect();
                if cifre.len() == 10 {
                    f.cpr = Some(cifre);
                } else {
                    q.fejl.push("CPR-nummer: skriv 10 cifre, fx 010190-1234.".into());
                }
                q.indtastet.push((k, v));
            }
            "navn" => {
                f.navn = Some(v.clone());
                q.indtastet.push((k, v));
            }
            "cvr" => {
                // Issue 13 §7: a wrong check digit says so, rather than finding nothing.
                match domain::ident::Cvr::parse(&v, "cvr") {
                    Ok(cvr) => f.cvr = Some(cvr.as_str().to_string()),
                    Err(e) => q.fejl.push(format!("CVR-nummer: {}.", e.besked.trim_end_matches('.'))),
                }
                q.indtastet.push((k, v));
            }
            "id" => {
                match v.parse::<i64>() {
                    Ok(id) if id > 0 => f.vitas_id = Some(id),
                    _ => q.fejl.push("VITAS-id: skriv et tal.".into()),
                }
                q.indtastet.push((k, v));
            }
            "modtaget_fra" | "modtaget_til" | "start_fra" | "start_til" | "slut_fra" | "slut_til" => {
                let label = match k.as_str() {
                    "modtaget_fra" => "Modtaget fra",
                    "modtaget_til" => "Modtaget til",
                    "start_fra" => "Startdato fra",
                    "start_til" => "Startdato til",
                    "slut_fra" => "Slutdato fra",
                    _ => "Slutdato til",
                };
                let d = dato_felt(&k, label, &v, &mut q.fejl);
                match k.as_str() {
                    "modtaget_fra" => f.modtaget_fra = d,
                    "modtaget_til" => f.modtaget_til = d,
                    "start_fra" => f.start_fra = d,
                    "start_til" => f.start_til = d,
                    "slut_fra" => f.slut_fra = d,
                    _ => f.slut_til = d,
                }
                q.indtastet.push((k, v));
            }
            "team" => match v.parse() {
                Ok(t) => f.team = Some(t),
                Err(_) => q.fejl.push("Ukendt team.".into()),
            },
            "medarbejder" => match v.parse() {
                Ok(m) => f.medarbejder = Some(m),
                Err(_) => q.fejl.push("Ukendt medarbejder.".into()),
            },
            "timer_min" | "timer_max" => {
                match TimerPrUge::parse(&v, &k) {
                    Ok(t) if k == "timer_min" => f.timer_min = Some(t.hundredths()),
                    Ok(t) => f.timer_max = Some(t.hundredths()),
                    Err(e) => q.fejl.push(format!("Timer pr. uge: {}.", e.besked.trim_end_matches('.'))),
                }
                q.indtastet.push((k, v));
            }
            "sort" => sort = Kolonne::fra_kode(&v),
            "retning" => faldende = v == "faldende",
            "side" => q.side = v.parse().unwrap_or(1).max(1),
            "antal" => q.stoerrelse = v.parse().unwrap_or(STANDARD_STOERRELSE).clamp(1, storage::lister::MAKS_SIDE),
            _ => {}
        }
    }
    q.sortering = sort.map(|kolonne| Sortering { kolonne, faldende });
    q
}

/// The query string for a filter, order, page and page size (without `?`). `fra_query` reads
/// it back to the same values.
pub fn til_query(f: &Filter, sortering: Option<Sortering>, side: u64, stoerrelse: u64) -> String {
    let mut par: Vec<(&str, String)> = Vec::new();
    par.extend(f.ordninger.iter().map(|o| ("ordning", o.kode().to_string())));
    par.extend(f.statusser.iter().map(|s| ("status", s.clone())));
    par.extend(f.tillaeg.iter().map(|o| ("tillaeg", o.kode().to_string())));
    let dato = |d: chrono::NaiveDate| domain::periode::dansk_dato(d);
    let valgfri: [(&str, Option<String>); 14] = [
        ("cpr", f.cpr.clone()),
        ("navn", f.navn.clone()),
        ("cvr", f.cvr.clone()),
        ("id", f.vitas_id.map(|i| i.to_string())),
        ("modtaget_fra", f.modtaget_fra.map(dato)),
        ("modtaget_til", f.modtaget_til.map(dato)),
        ("start_fra", f.start_fra.map(dato)),
        ("start_til", f.start_til.map(dato)),
        ("slut_fra", f.slut_fra.map(dato)),
        ("slut_til", f.slut_til.map(dato)),
        ("team", f.team.map(|t| t.to_string())),
        ("medarbejder", f.medarbejder.map(|m| m.to_string())),
        ("timer_min", f.timer_min.map(|t| TimerPrUge::from_hundredths(t).to_decimal_string())),
        ("timer_max", f.timer_max.map(|t| TimerPrUge::from_hundredths(t).to_decimal_string())),
    ];
    par.extend(valgfri.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    if let Some(s) = sortering {
        par.push(("sort", s.kolonne.kode().to_string()));
        par.push(("retning", if s.faldende { "faldende" } else { "stigende" }.to_string()));
    }
    if side > 1 {
        par.push(("side", side.to_string()));
    }
    if stoerrelse != STANDARD_STOERRELSE {
        par.push(("antal", stoerrelse.to_string()));
    }
    serde_urlencoded::to_string(&par).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_frem_og_tilbage() {
        let f = Filter {
            ordninger: vec![Ordning::Loentilskud, Ordning::Fleksjob],
            statusser: vec!["modtaget".into()],
            tillaeg: vec![Ordning::Mentor],
            cpr: Some("0101901234".into()),
            navn: Some("Åse Ø & co".into()),
            cvr: Some("25348710".into()),
            vitas_id: Some(1042),
            modtaget_fra: parse_dato("2026-01-01", "x").ok(),
            slut_til: parse_dato("2027-06-30", "x").ok(),
            team: Some(3),
            medarbejder: Some(9),
            timer_min: Some(1550),
            timer_max: Some(3700),
            ..Filter::default()
        };
        let s = Some(Sortering { kolonne: Kolonne::Godkendt, faldende: true });
        let q = fra_query(&til_query(&f, s, 3, 25));
        assert_eq!(q.filter, f);
        assert_eq!(q.sortering, s);
        assert_eq!(q.side, 3);
        assert_eq!(q.stoerrelse, 25);
        assert!(q.fejl.is_empty(), "{:?}", q.fejl);
    }

    #[test]
    fn forkerte_vaerdier_giver_danske_beskeder_og_udelades() {
        let q = fra_query("cpr=123&modtaget_fra=31-02-2026&timer_min=-4&ordning=ukendt&side=abc");
        assert_eq!(q.filter, Filter::default());
        assert_eq!(q.side, 1);
        assert_eq!(q.fejl.len(), 4, "{:?}", q.fejl);
        assert!(
            q.fejl.iter().any(|f| f == "Modtaget fra: Datoen 31-02-2026 findes ikke i kalenderen."),
            "{:?}",
            q.fejl
        );
        assert!(q.indtastet.iter().any(|(k, v)| k == "cpr" && v == "123"), "det indtastede vises igen");
        // A CVR with a wrong check digit is named as such, not searched for (issue 13 §7).
        let q = fra_query("cvr=25348711");
        assert_eq!(q.filter.cvr, None);
        assert!(
            q.fejl.iter().any(|f| f.starts_with("CVR-nummer: ") && f != "CVR-nummer: skriv 8 cifre."),
            "{:?}",
            q.fejl
        );
    }

    #[test]
    fn offentlige_links_har_hverken_cpr_eller_navn() {
        let mut q = fra_query("cpr=0101901234&navn=Anna&ordning=fleksjob&side=2");
        assert_eq!(q.filter.cpr.as_deref(), Some("0101901234"));
        q.reference = Some("abc".into());
        let qs = offentlig_query(&q, None, 2, STANDARD_STOERRELSE);
        assert_eq!(qs, "ordning=fleksjob&side=2&ref=abc");
        q.reference = None;
        assert_eq!(offentlig_query(&q, None, 1, STANDARD_STOERRELSE), "ordning=fleksjob");
        let par = |s: &str| serde_urlencoded::from_str::<Vec<(String, String)>>(s).unwrap_or_default();
        assert!(har_persondata(&par("fane=igu&cpr=0101901234")));
        assert!(har_persondata(&par("navn=a")));
        assert!(!har_persondata(&par("cpr=&navn=%20&ordning=fleksjob")));
    }
}
