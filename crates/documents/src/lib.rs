//! Documents produced by VITAS: Excel workbooks and PDF letters.
//!
//! Every function here turns plain data into bytes or files. The crate knows
//! nothing about the database or the web layer; the caller maps its rows to
//! the small value types of each module. The heavy dependencies live here so
//! that edits elsewhere do not rebuild them.

pub mod excel;
pub mod pdf;
