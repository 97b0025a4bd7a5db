//! Errors that reach a person: always Danish, always naming the field.

use serde::Serialize;

/// One invalid field: `felt` is the form field's name (its path), `besked` the Danish message
/// shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{felt}: {besked}")]
pub struct FieldError {
    pub felt: String,
    pub besked: String,
}

impl FieldError {
    pub fn new(felt: impl Into<String>, besked: impl Into<String>) -> Self {
        Self { felt: felt.into(), besked: besked.into() }
    }

    /// The message every empty required field shows (seed 002 §3.2).
    pub fn mangler(felt: impl Into<String>) -> Self {
        Self::new(felt, MANGLER)
    }
}

/// "Mangler at blive udfyldt": the text of an empty or invalid required field (seed 002 §3.2).
pub const MANGLER: &str = "Mangler at blive udfyldt";
/// The text of a step (Trin) that is not complete (seed 002 §3.2).
pub const TRIN_UFULDSTAENDIGT: &str = "Du mangler at udfylde data korrekt";
