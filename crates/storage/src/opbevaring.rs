//! Retention and deletion of a case's personal data (issue 14 §3, docs/decisions.md 75–78).
//!
//! The rules are data in `domain::opbevaring`; this module finds the cases they make due
//! ([`kandidater`]), removes the personal data of one case in one transaction
//! ([`fjern_persondata`]), keeps the holds ([`saet_hold`], [`ophaev_hold`]) and writes the
//! deletion log (`sletning`), which holds no personal data: the case id, the rule, and how many
//! values and rows were removed.
//!
//! What goes: the CPR, the citizen's name (the column then reads "Persondata er fjernet"), the
//! name search and sort keys, every personal or free-text field of the stored form and of the
//! sub-records (`domain::opbevaring::PERSONFELTER`), the names and texts of the case history,
//! the name on the consent rows, the case's hearing and draft links, and the address and text
//! of its e-mails. What stays, for statistics: scheme, kind, statuses, dates, hours, wage and
//! amounts, jobcentre, team, company (CVR, P-number), termination reasons and the sub-records'
//! other facts.

use crate::entity::{
    link, opbevaringshold, outbox, sag, sag_person, sag_skema, sagselement, sagshaendelse, samtykke, sletning,
};
use crate::{Db, StorageError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use domain::opbevaring::{FJERNET, Fakta, Vurdering};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde_json::Value;

/// The deletion log's `art` for a case.
pub const ART_SAG: &str = "sag";
/// The deletion log's `art` for a draft its company deleted (`sager::udfoer` with
/// `Handling::SletKladde`, decision 90); its `regel` is [`REGEL_SLETTET_AF_VIRKSOMHEDEN`].
pub const ART_KLADDE: &str = "kladde";
pub const REGEL_SLETTET_AF_VIRKSOMHEDEN: &str = "slettet_af_virksomheden";

/// The deletion log's row for one case whose personal data went (`art`: a case at the end of
/// its retention, or a draft its company deleted), in the deleting transaction. The time is
/// cut to microseconds, as both databases store it.
pub(crate) async fn log_sletning<C: ConnectionTrait>(
    c: &C,
    nu: DateTime<Utc>,
    art: &str,
    sag_id: i64,
    regel: &str,
    felter: i64,
    raekker: i64,
) -> Result<(), StorageError> {
    sletning::ActiveModel {
        tidspunkt: Set(nu.trunc_subsecs(6)),
        art: Set(art.into()),
        sag_id: Set(Some(sag_id)),
        regel: Set(regel.into()),
        felter: Set(felter),
        raekker: Set(raekker),
        til_log_id: Set(None),
        sidste_hash: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// What keeps a case's personal data past its period (docs/decisions.md 77). An open case is
/// not a hold row: it is a state, read from the case itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldArt {
    /// A complaint about the decision is being handled (a hold until it is decided).
    Klage,
    /// The archives (Rigsarkivet or the municipality's archive) have asked to keep the case.
    Arkiv,
}

impl HoldArt {
    pub fn kode(self) -> &'static str {
        match self {
            HoldArt::Klage => "klage",
            HoldArt::Arkiv => "arkiv",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<HoldArt> {
        [HoldArt::Klage, HoldArt::Arkiv].into_iter().find(|h| h.kode() == kode)
    }
}

/// Put a hold on a case. Setting the same kind again keeps the hold that is there. Returns
/// the hold's id.
pub async fn saet_hold(db: &Db, sag_id: i64, art: HoldArt, nu: DateTime<Utc>) -> Result<i64, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    sag::Entity::find_by_id(sag_id).lock_exclusive().one(&txn).await?.ok_or(StorageError::IkkeFundet)?;
    let findes = opbevaringshold::Entity::find()
        .filter(opbevaringshold::Column::SagId.eq(sag_id))
        .filter(opbevaringshold::Column::Art.eq(art.kode()))
        .filter(opbevaringshold::Column::Ophaevet.is_null())
        .one(&txn)
        .await?;
    let id = match findes {
        Some(h) => h.id,
        None => {
            opbevaringshold::ActiveModel {
                sag_id: Set(sag_id),
                art: Set(art.kode().into()),
                oprettet: Set(nu.trunc_subsecs(6)),
                ophaevet: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    txn.commit().await?;
    Ok(id)
}

/// Lift a case's active holds of a kind. Returns how many were lifted.
pub async fn ophaev_hold(db: &Db, sag_id: i64, art: HoldArt, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    let r = opbevaringshold::Entity::update_many()
        .col_expr(opbevaringshold::Column::Ophaevet, Expr::value(nu.trunc_subsecs(6)))
        .filter(opbevaringshold::Column::SagId.eq(sag_id))
        .filter(opbevaringshold::Column::Art.eq(art.kode()))
        .filter(opbevaringshold::Column::Ophaevet.is_null())
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected)
}

/// A case's active holds.
pub async fn aktive_hold(db: &Db, sag_id: i64) -> Result<Vec<opbevaringshold::Model>, StorageError> {
    Ok(opbevaringshold::Entity::find()
        .filter(opbevaringshold::Column::SagId.eq(sag_id))
        .filter(opbevaringshold::Column::Ophaevet.is_null())
        .order_by_asc(opbevaringshold::Column::Id)
        .all(&db.conn)
        .await?)
}

/// What the retention rules need from a stored case.
pub fn fakta(s: &sag::Model) -> Result<Fakta, StorageError> {
    Ok(Fakta {
        tilstand: crate::sager::tilstand(s)?,
        afgoerelse_dato: s.afgoerelse_dato,
        slutdato: s.slutdato,
        aendret: s.aendret.date_naive(),
    })
}

/// The end-state statuses (`domain::opbevaring::slutning`), as the query's coarse filter.
const SLUT_ANSOEGNING: [&str; 2] = ["afvist", "afvist_af_medarbejder_rep"];
const SLUT_AFGOERELSE: [&str; 3] = ["ikke_godkendt", "ophoert", "godkendt_af_virksomhed"];

/// Cases that may be due on `idag`, after id `efter`, at most `n`, in id order: their personal
/// data is still there, they are in (or may be in) an end state, a count-from date is older
/// than the shortest period, and no hold is active. The rules themselves are applied in Rust
/// ([`fjern_persondata`]); this only keeps the pass from reading every case.
pub async fn kandidater(db: &Db, idag: NaiveDate, efter: i64, n: u64) -> Result<Vec<sag::Model>, StorageError> {
    let graense = domain::opbevaring::seneste_mulige_dato(idag);
    let graense_tid = graense.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let hold = Query::select()
        .column(opbevaringshold::Column::SagId)
        .from(opbevaringshold::Entity)
        .and_where(opbevaringshold::Column::Ophaevet.is_null())
        .to_owned();
    Ok(sag::Entity::find()
        .filter(sag::Column::Id.gt(efter))
        .filter(sag::Column::PersondataFjernet.is_null())
        .filter(
            Condition::any()
                .add(sag::Column::AnsoegningStatus.is_in(SLUT_ANSOEGNING))
                .add(sag::Column::AfgoerelseStatus.is_in(SLUT_AFGOERELSE)),
        )
        .filter(
            Condition::any()
                .add(sag::Column::Aendret.lt(graense_tid))
                .add(sag::Column::AfgoerelseDato.lt(graense))
                .add(sag::Column::Slutdato.lt(graense)),
        )
        .filter(sag::Column::Id.not_in_subquery(hold))
        .order_by_asc(sag::Column::Id)
        .limit(n)
        .all(&db.conn)
        .await?)
}

/// What [`fjern_persondata`] removed from one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fjernet {
    pub sag_id: i64,
    /// The rule's code (`domain::opbevaring::Regel::kode`).
    pub regel: &'static str,
    /// Values removed.
    pub felter: i64,
    /// Rows changed or deleted.
    pub raekker: i64,
}

/// Blank every personal field in stored JSON (`domain::opbevaring::PERSONFELTER`), wherever it
/// sits. Returns how many non-empty values were removed.
pub fn skrub_json(v: &mut Value) -> i64 {
    match v {
        Value::Object(m) => {
            let mut n = 0;
            for (k, x) in m.iter_mut() {
                if domain::opbevaring::er_personfelt(k) {
                    match x {
                        Value::Null => {}
                        Value::String(s) if s.is_empty() => {}
                        Value::String(s) => {
                            s.clear();
                            n += 1;
                        }
                        _ => {
                            *x = Value::Null;
                            n += 1;
                        }
                    }
                } else {
                    n += skrub_json(x);
                }
            }
            n
        }
        Value::Array(a) => a.iter_mut().map(skrub_json).sum(),
        _ => 0,
    }
}

/// The stored text of a JSON column with its personal fields blanked, and how many went. Text
/// that is not JSON is free text: it is replaced as a whole.
pub(crate) fn skrub_tekst(tekst: &str) -> (String, i64) {
    match serde_json::from_str::<Value>(tekst) {
        Ok(mut v) => {
            let n = skrub_json(&mut v);
            (v.to_string(), n)
        }
        Err(_) if tekst.trim().is_empty() => (tekst.to_string(), 0),
        Err(_) => (String::new(), 1),
    }
}

/// Remove a case's personal data if its retention period is over on `idag` and nothing holds
/// it: one transaction, the case row locked, the deletion-log row in the same commit. A case
/// already done, open, held or within its period is left as it is (None), so running again
/// changes nothing.
pub async fn fjern_persondata(
    db: &Db,
    sag_id: i64,
    idag: NaiveDate,
    nu: DateTime<Utc>,
) -> Result<Option<Fjernet>, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    let Some(s) = sag::Entity::find_by_id(sag_id).lock_exclusive().one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    if s.persondata_fjernet.is_some() {
        txn.rollback().await?;
        return Ok(None);
    }
    let hold = opbevaringshold::Entity::find()
        .filter(opbevaringshold::Column::SagId.eq(sag_id))
        .filter(opbevaringshold::Column::Ophaevet.is_null())
        .one(&txn)
        .await?
        .is_some();
    let Vurdering::Slet { regel } = domain::opbevaring::vurder(&fakta(&s)?, hold, idag) else {
        txn.rollback().await?;
        return Ok(None);
    };
    let mut felter = 0i64;
    let mut raekker = 1i64;

    // The case row.
    felter += i64::from(s.cpr.is_some()) + i64::from(s.borger_navn.as_deref().is_some_and(|n| n != FJERNET));
    let (skema, n) = skrub_tekst(&crate::sager::skemajson(&txn, sag_id).await?);
    felter += n;
    let mut am: sag::ActiveModel = s.clone().into();
    am.cpr = Set(None);
    am.borger_navn = Set(s.borger_navn.as_ref().map(|_| FJERNET.to_string()));
    am.borger_navn_soeg = Set(None);
    am.borger_navn_sort = Set(None);
    am.persondata_fjernet = Set(Some(nu.trunc_subsecs(6)));
    am.version = Set(s.version + 1);
    am.update(&txn).await?;
    sag_skema::Entity::update_many()
        .col_expr(sag_skema::Column::Skemadata, Expr::value(skema))
        .filter(sag_skema::Column::SagId.eq(sag_id))
        .exec(&txn)
        .await?;
    // The other citizens the form named go with it (decision 106).
    let personer = sag_person::Entity::delete_many().filter(sag_person::Column::SagId.eq(sag_id)).exec(&txn).await?;
    felter += personer.rows_affected as i64;

    // The sub-records' facts.
    for e in sagselement::Entity::find().filter(sagselement::Column::SagId.eq(sag_id)).all(&txn).await? {
        let (data, n) = skrub_tekst(&e.data);
        if n > 0 {
            felter += n;
            raekker += 1;
            let mut am: sagselement::ActiveModel = e.into();
            am.data = Set(data);
            am.update(&txn).await?;
        }
    }

    // The history: who acted, and the texts (a remark may name anyone).
    let r = sagshaendelse::Entity::update_many()
        .col_expr(sagshaendelse::Column::Aktoer, Expr::value(FJERNET))
        .col_expr(sagshaendelse::Column::Tekst, Expr::value(FJERNET))
        .filter(sagshaendelse::Column::SagId.eq(sag_id))
        .exec(&txn)
        .await?;
    raekker += r.rows_affected as i64;
    felter += 2 * r.rows_affected as i64;

    // The consent rows keep when and which text; the name goes.
    let r = samtykke::Entity::update_many()
        .col_expr(samtykke::Column::Aktoer, Expr::value(FJERNET))
        .filter(samtykke::Column::SagId.eq(sag_id))
        .exec(&txn)
        .await?;
    raekker += r.rows_affected as i64;
    felter += r.rows_affected as i64;

    // Hearing and draft links would open the case: they go.
    let r = link::Entity::delete_many().filter(link::Column::SagId.eq(sag_id)).exec(&txn).await?;
    raekker += r.rows_affected as i64;

    // E-mails: the address and the text go, the subject (a fixed text and the VITAS id) stays;
    // one not sent yet is cancelled.
    for m in outbox::Entity::find()
        .filter(outbox::Column::SagId.eq(sag_id))
        .filter(outbox::Column::Art.eq("email"))
        .all(&txn)
        .await?
    {
        let mut v: Value = serde_json::from_str(&m.payload).unwrap_or(Value::Null);
        let mut n = 0;
        if let Value::Object(o) = &mut v {
            for (k, ny) in [("til", ""), ("tekst", FJERNET)] {
                if o.get(k).and_then(Value::as_str).is_some_and(|x| x != ny && !x.is_empty()) {
                    o.insert(k.into(), Value::String(ny.into()));
                    n += 1;
                }
            }
        }
        let afbryd = matches!(m.status.as_str(), "afventer" | "doed");
        if n == 0 && !afbryd {
            continue;
        }
        felter += n;
        raekker += 1;
        let mut am: outbox::ActiveModel = m.clone().into();
        am.payload = Set(v.to_string());
        if afbryd {
            am.status = Set("annulleret".into());
            am.fejl = Set(Some(format!("{FJERNET} (opbevaringsperioden er udløbet)")));
        }
        am.update(&txn).await?;
    }

    log_sletning(&txn, nu, ART_SAG, sag_id, regel.kode, felter, raekker).await?;
    txn.commit().await?;
    Ok(Some(Fjernet { sag_id, regel: regel.kode, felter, raekker }))
}

/// The deletion log, newest first, at most `n` rows.
pub async fn log<C: ConnectionTrait>(c: &C, n: u64) -> Result<Vec<sletning::Model>, StorageError> {
    Ok(sletning::Entity::find().order_by_desc(sletning::Column::Id).limit(n).all(c).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personfelter_toemmes_overalt_resten_bliver() {
        let mut v = serde_json::json!({
            "cpr": "010190-1234", "borger_navn": "Anna Jensen", "timer": "37", "startdato": "2026-01-01",
            "rep_navn": "", "samtykke": true,
            "krav": [{"krav": "rimelighed", "opfyldt": true, "underskrevetAf": "Lone Berg"}],
        });
        assert_eq!(skrub_json(&mut v), 3);
        assert_eq!(v["cpr"], "");
        assert_eq!(v["borger_navn"], "");
        assert_eq!(v["krav"][0]["underskrevetAf"], "");
        assert_eq!((v["timer"].as_str(), v["samtykke"].as_bool()), (Some("37"), Some(true)));
        assert_eq!(skrub_json(&mut v), 0, "anden gang er der intet at fjerne");
        assert_eq!(skrub_tekst("Anna skrev noget"), (String::new(), 1));
    }
}
