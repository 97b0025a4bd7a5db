//! Work that runs beside a request: today the Excel export of a list (issue 3 §4). The
//! outbox worker and the other job kinds of issue 4 will be registered here beside it.

pub mod eksport;
