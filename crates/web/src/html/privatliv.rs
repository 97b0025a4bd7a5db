//! The privacy notice (seed 003, issue 14 §3), linked from every page's footer as on virk.dk.

use super::{Ramme, Svar};
use crate::auth::MaaskeBruger;
use askama::Template;
use askama_web::WebTemplate;
use axum::response::IntoResponse;

#[derive(Template, WebTemplate)]
#[template(path = "privatliv.html")]
pub struct Privatliv {
    pub ramme: Ramme,
}

/// GET `/privatliv`: open to everyone, logged in or not.
pub async fn vis(MaaskeBruger(b): MaaskeBruger) -> Svar {
    let ramme = Ramme::ny("Privatlivspolitik", b.as_ref()).paa("/privatliv");
    Ok(Privatliv { ramme }.into_response())
}
