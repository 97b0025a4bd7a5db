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
    /// A repeatable group of rows after the step's own fields (issue 13 §2).
    Gruppe(&'static Gruppe),
}

/// The most rows a repeatable group takes: a post cannot make a form grow without bound.
pub const MAKS_RAEKKER: usize = 20;

/// A repeatable group of fields (issue 13 §2: jobrotation's employees on courses and its
/// substitutes), usable by any scheme. Stored as a list of objects under `noegle`, each row
/// holding the group's fields by their own names; posted as `{noegle}-{row}-{field}` (rows
/// from 0, e.g. `vikarer-0-cpr`) with `{noegle}-antal` giving the number of rows shown; a
/// row's validation error names the posted field, so it lands on the right input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gruppe {
    /// The JSON key of the list, and the prefix of the posted names.
    pub noegle: &'static str,
    /// One row's title, numbered when shown: "Vikar" → "Vikar 2".
    pub titel: &'static str,
    /// The add button's text, e.g. "Tilføj vikar".
    pub tilfoej: &'static str,
    /// The message when there are too few rows, e.g. "Tilføj mindst én vikar".
    pub for_faa: &'static str,
    pub felter: &'static [&'static [Felt]],
    /// The fewest rows a complete step has; the form shows at least this many.
    pub mindst: usize,
}

impl Gruppe {
    pub fn felter(&self) -> impl Iterator<Item = &'static Felt> + use<> {
        self.felter.iter().flat_map(|g| g.iter())
    }

    /// The posted name of `felt` in row `raekke`.
    pub fn feltnavn(&self, raekke: usize, felt: &str) -> String {
        format!("{}-{raekke}-{felt}", self.noegle)
    }

    /// The posted name that says how many rows the form showed.
    pub fn antal_navn(&self) -> String {
        format!("{}-antal", self.noegle)
    }

    /// A row's title as shown: "Vikar 2".
    pub fn raekketitel(&self, raekke: usize) -> String {
        format!("{} {}", self.titel, raekke + 1)
    }

    /// (row, field) of a posted or error name of this group, e.g. `vikarer-1-cpr` → (1, cpr).
    pub fn del_navn<'a>(&self, navn: &'a str) -> Option<(usize, &'a str)> {
        let rest = navn.strip_prefix(self.noegle)?.strip_prefix('-')?;
        let (raekke, felt) = rest.split_once('-')?;
        Some((raekke.parse().ok()?, felt))
    }

    /// Row `raekke`'s errors, each renamed to the posted name of its field.
    pub fn raekkefejl(&self, raekke: usize, fejl: Vec<crate::FieldError>, ud: &mut Vec<crate::FieldError>) {
        ud.extend(fejl.into_iter().map(|mut e| {
            e.felt = self.feltnavn(raekke, &e.felt);
            e
        }));
    }

    /// Too few rows: one error on the group itself.
    pub fn antalfejl(&self, antal: usize, ud: &mut Vec<crate::FieldError>) {
        if antal < self.mindst {
            ud.push(crate::FieldError::new(self.noegle, self.for_faa));
        }
    }
}

/// A press on a group's add or remove button, posted as `gruppe` = `tilfoej:{noegle}` or
/// `fjern:{noegle}:{row}` (issue 13 §2: rows are added and removed without JavaScript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gruppehandling {
    Tilfoej { noegle: String },
    Fjern { noegle: String, raekke: usize },
}

impl Gruppehandling {
    pub fn parse(v: &str) -> Option<Gruppehandling> {
        let mut dele = v.split(':');
        let h = match (dele.next()?, dele.next()?, dele.next()) {
            ("tilfoej", noegle, None) => Gruppehandling::Tilfoej { noegle: noegle.to_string() },
            ("fjern", noegle, Some(r)) => Gruppehandling::Fjern { noegle: noegle.to_string(), raekke: r.parse().ok()? },
            _ => return None,
        };
        dele.next().is_none().then_some(h)
    }

    pub fn noegle(&self) -> &str {
        match self {
            Gruppehandling::Tilfoej { noegle } | Gruppehandling::Fjern { noegle, .. } => noegle,
        }
    }
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

    /// The step's repeatable group, if it has one.
    pub fn gruppe(&self) -> Option<&'static Gruppe> {
        match self.blok {
            Some(Blok::Gruppe(g)) => Some(g),
            _ => None,
        }
    }

    /// A field's label as a reader of an error list needs it: the field's own label, or for a
    /// group's row "Vikar 2: CPR-nummer"; the group's own error gets the row title.
    pub fn label(&self, navn: &str) -> Option<String> {
        if let Some(f) = self.felter().find(|f| f.navn == navn) {
            return Some(f.label.to_string());
        }
        let g = self.gruppe()?;
        if navn == g.noegle {
            return Some(g.titel.to_string());
        }
        let (r, felt) = g.del_navn(navn)?;
        let f = g.felter().find(|f| f.navn == felt)?;
        Some(format!("{}: {}", g.raekketitel(r), f.label))
    }
}

/// The last step of every form: the summary, where the company may leave a remark and signs.
pub const OPSUMMERING: Trin = Trin { titel: "Opsummering", grupper: &[super::dele::OPSUMMERING], blok: None };
