//! The per-client rate limit of the external API (issue 14 §1 "API clients"): a token bucket
//! per API client, held in this process's memory (docs/decisions.md 61).
//!
//! A bucket holds at most one minute's allowance and refills evenly, so a client may send a
//! burst of `pr_minut` calls and then `pr_minut / 60` a second. A call that finds the bucket
//! empty is answered 429 with `Retry-After` ([`super::fejl::ApiFejl::ForMangeKald`]) before
//! anything else happens: a refused Get call does not use up its `x-requestId`.
//!
//! The bucket is taken after the client is known (a valid bearer token, or the token
//! endpoint's client authentication), so nobody but the client itself can empty it. There is
//! one bucket per client id, so memory grows with the number of clients, not of callers.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Object, OpenApi, Ref, RefOr, ResponseBuilder, Type};

/// The default: ten calls a second on average, a minute's worth at once.
pub const STANDARD_PR_MINUT: u32 = 600;

/// The buckets of every API client in this process, by client id.
pub type Kaldsgraense = crate::graense::Graense<i64>;

/// The name of the 429 answer under `components.responses`.
const SVAR_NAVN: &str = "ForMangeKald";

/// Add the 429 answer to every operation of the API's document: each one is called by an
/// authenticated client, so each one can be limited. Called by `crate::router::openapi`, once
/// every route is in the document.
pub fn dokumenter(doc: &mut OpenApi) {
    let svar = ResponseBuilder::new()
        .description(
            "For mange kald: klientens grænse for kald pr. minut er nået. Vent det antal sekunder, Retry-After angiver.",
        )
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(Object::with_type(Type::Integer)))
                .description(Some("Sekunder til klienten må kalde igen"))
                .build(),
        )
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiFejlSvar"))).build(),
        )
        .build();
    doc.components.get_or_insert_with(Default::default).responses.insert(SVAR_NAVN.into(), RefOr::T(svar));
    for sti in doc.paths.paths.values_mut() {
        let operationer: [&mut Option<Operation>; 5] =
            [&mut sti.get, &mut sti.post, &mut sti.put, &mut sti.delete, &mut sti.patch];
        for op in operationer.into_iter().flatten() {
            op.responses
                .responses
                .insert("429".into(), RefOr::Ref(Ref::new(format!("#/components/responses/{SVAR_NAVN}"))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn et_minuts_kald_paa_en_gang_derefter_jaevnt() {
        let g = Kaldsgraense::ny(60);
        let t0 = Instant::now();
        for _ in 0..60 {
            assert_eq!(g.tag(1, t0), Ok(()));
        }
        // Empty: one call a second comes back.
        assert_eq!(g.tag(1, t0), Err(1));
        assert_eq!(g.tag(1, t0 + Duration::from_millis(500)), Err(1));
        assert_eq!(g.tag(1, t0 + Duration::from_secs(1)), Ok(()));
        assert_eq!(g.tag(1, t0 + Duration::from_secs(1)), Err(1));
        // Refilled, but never above a minute's allowance.
        let senere = t0 + Duration::from_secs(3600);
        for _ in 0..60 {
            assert_eq!(g.tag(1, senere), Ok(()));
        }
        assert!(g.tag(1, senere).is_err());
    }

    #[test]
    fn hver_klient_har_sin_egen_spand() {
        let g = Kaldsgraense::ny(2);
        let t0 = Instant::now();
        assert!(g.tag(1, t0).is_ok() && g.tag(1, t0).is_ok());
        // Two a minute: the next in 30 s.
        assert_eq!(g.tag(1, t0), Err(30));
        assert_eq!(g.tag(2, t0), Ok(()));
    }

    #[test]
    fn nul_er_ingen_graense() {
        let g = Kaldsgraense::ny(0);
        let t0 = Instant::now();
        assert!((0..10_000).all(|_| g.tag(1, t0).is_ok()));
    }

    #[test]
    fn et_ur_der_gaar_baglaens_giver_ikke_ekstra_kald() {
        let g = Kaldsgraense::ny(1);
        let t0 = Instant::now() + Duration::from_secs(10);
        assert_eq!(g.tag(1, t0), Ok(()));
        assert!(g.tag(1, t0 - Duration::from_secs(5)).is_err());
        assert!(g.tag(1, t0).is_err());
    }
}
