//! One description of a form field, rendered by one template (templates/felt.html) for
//! every form in VITAS: labels, hints, errors and ARIA wiring are written once.

use domain::FieldError;

#[derive(Debug, Clone)]
pub enum FeltArt {
    Tekst,
    Email,
    Telefon,
    /// A decimal number typed the Danish way ("37,5").
    Decimal,
    Dato,
    Tekstomraade {
        max: usize,
    },
    Valg(Vec<(String, String)>),
    Radio(Vec<(String, String)>),
    Afkrydsning {
        markeret: bool,
    },
    /// Read-only text (e.g. a name looked up in DFDG).
    Visning,
}

#[derive(Debug, Clone)]
pub struct Felt {
    /// The posted name: a form field's own, or a repeatable group's row field's
    /// (`vikarer-0-cpr`, `domain::skema::felt::Gruppe`).
    pub navn: std::borrow::Cow<'static, str>,
    pub label: String,
    pub hjaelp: Option<String>,
    pub art: FeltArt,
    pub vaerdi: String,
    pub fejl: Option<String>,
    pub paakraevet: bool,
    pub laast: bool,
}

impl Felt {
    pub fn ny(
        navn: impl Into<std::borrow::Cow<'static, str>>,
        label: impl Into<String>,
        art: FeltArt,
        vaerdi: impl Into<String>,
    ) -> Self {
        Felt {
            navn: navn.into(),
            label: label.into(),
            hjaelp: matches!(art, FeltArt::Dato).then(|| "Skriv datoen som dd-mm-åååå, fx 01-03-2026.".to_string()),
            art,
            vaerdi: vaerdi.into(),
            fejl: None,
            paakraevet: true,
            laast: false,
        }
    }
    pub fn hjaelp(mut self, tekst: impl Into<String>) -> Self {
        self.hjaelp = Some(tekst.into());
        self
    }
    pub fn valgfri(mut self) -> Self {
        self.paakraevet = false;
        self
    }
    pub fn laast(mut self, laast: bool) -> Self {
        self.laast = laast;
        self
    }
    /// The id of the element that describes the field (hint and error), for aria-describedby.
    pub fn beskrevet_af(&self) -> String {
        let mut ids = Vec::new();
        if self.hjaelp.is_some() {
            ids.push(format!("hjaelp-{}", self.navn));
        }
        if self.fejl.is_some() {
            ids.push(format!("fejl-{}", self.navn));
        }
        ids.join(" ")
    }
    pub fn er_valgt(&self, vaerdi: &str) -> bool {
        self.vaerdi == vaerdi
    }
}

/// Put each error on its field (the first error per field wins).
pub fn med_fejl(mut felter: Vec<Felt>, fejl: &[FieldError]) -> Vec<Felt> {
    for f in &mut felter {
        if let Some(e) = fejl.iter().find(|e| e.felt == f.navn) {
            f.fejl = Some(e.besked.clone());
        }
    }
    felter
}

impl FeltArt {
    /// The HTML input type. Dates and decimals are text ("01-03-2026", "37,5"), so a
    /// browser never rejects Danish input before the server can explain what is wrong.
    pub fn input_type(&self) -> &'static str {
        match self {
            FeltArt::Email => "email",
            FeltArt::Telefon => "tel",
            _ => "text",
        }
    }
    pub fn inputmode(&self) -> Option<&'static str> {
        match self {
            FeltArt::Decimal => Some("decimal"),
            FeltArt::Dato => Some("numeric"),
            _ => None,
        }
    }
    pub fn autocomplete(&self) -> Option<&'static str> {
        match self {
            FeltArt::Email => Some("email"),
            FeltArt::Telefon => Some("tel"),
            _ => None,
        }
    }
    pub fn er_smal(&self) -> bool {
        matches!(self, FeltArt::Decimal | FeltArt::Dato)
    }
}
