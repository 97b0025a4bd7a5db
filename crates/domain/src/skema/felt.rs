//! The static description of a form's steps and fields: what the wizard, the summary, the
//! PDF and the hearing page show, with no HTML (issue 13 §1). A scheme's module lists its
//! steps as constants built from these; the web crate renders them with one template.

/// What kind of input a field is. The value is stored as text (or a yes/no for the two
/// check boxes), so a half-filled step is saved as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feltart {
    /// One line of text.
    Tekst,
    Email,
    Telefon,
    /// A decimal number typed the Danish way ("37,5").
    Decimal,
    /// A date typed the Danish way ("01-03-2026").
    Dato,
    /// A longer text with a character limit.
    Tekstomraade {
        max: usize,
    },
    /// "Ja"/"Nej" as radio buttons, stored as "ja"/"nej".
    JaNej,
    /// One of the company's production units, from the CVR register.
    PEnhed,
    /// A check box, stored as a boolean.
    Afkrydsning,
    /// A CPR number, with the name looked up in DFDG beside it.
    Cpr,
    /// One of a fixed list of (code, text).
    Valg(&'static [(&'static str, &'static str)]),
}

/// One field: its JSON key in the stored form (`navn`), its label, its kind, its hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Felt {
    pub navn: &'static str,
    pub label: &'static str,
    pub art: Feltart,
    pub hjaelp: Option<&'static str>,
    /// Shown as "(valgfrit)"; a field that is required only sometimes is not optional.
    pub valgfri: bool,
}

impl Felt {
    pub const fn ny(navn: &'static str, label: &'static str, art: Feltart) -> Felt {
        Felt { navn, label, art, hjaelp: None, valgfri: false }
    }
    pub const fn hjaelp(mut self, tekst: &'static str) -> Felt {
        self.hjaelp = Some(tekst);
        self
    }
    pub const fn valgfri(mut self) -> Felt {
        self.valgfri = true;
        self
    }
    /// Whether the stored value is a boolean rather than text.
    pub const fn er_afkrydsning(&self) -> bool {
        matches!(self.art, Feltart::Afkrydsning)
    }
}

/// Something a step shows beside its fields that is not a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blok {
    /// The company's last 12 months of full-time employees from eIndkomst, fetched when the
    /// draft was made (seed 002 §3.2: the merbeskæftigelseskrav is judged against them).
    Eindkomst,
}

/// One step (Trin) of a form. Its fields come in groups, so steps that share a part (the
/// company, the citizen, the contacts) list the shared group rather than a copy of it.
#[derive(Debug, Clone, Copy)]
pub struct Trin {
    pub titel: &'static str,
    pub grupper: &'static [&'static [Felt]],
    pub blok: Option<Blok>,
}

impl Trin {
    pub fn felter(&self) -> impl Iterator<Item = &'static Felt> + use<> {
        self.grupper.iter().flat_map(|g| g.iter())
    }
}

/// The last step of every form: the summary, where the company may leave a remark and signs.
pub const OPSUMMERING: Trin = Trin { titel: "Opsummering", grupper: &[super::dele::OPSUMMERING], blok: None };
