//! Byte-level lexing of JSON: strings (validation, escapes, unescaping), numbers, literals.
//!
//! This is the seam where a SIMD backend would plug in, the way memchr's `arch/` does: the
//! searching kernels (the end of a run of plain string bytes, of a run of digits, the next dot
//! of a key, whitespace) live in [`portable`], eight bytes at a time in safe code; a backend
//! for one architecture would be a sibling module with the same functions, chosen here by
//! `cfg` (and, for `unsafe` intrinsics, a benchmark showing it pays and a `// SAFETY:` note on
//! every block). Everything above (string.rs, number.rs, literal.rs, the scanner and the path
//! index) calls the kernels only through this module's re-exports.

mod literals;
mod number;
mod portable;
mod string;

pub(crate) use literals::literal;
pub(crate) use number::skip_number;
pub(crate) use portable::{
    find_dot, load_word, plain_short_key, skip_ws, structural_run_end, HIGHS, ONES,
};
pub(crate) use string::{read_string_into, scan_simple_escapes, skip_string, Escapes};
