//! The portable kernels: SWAR (eight bytes in a `u64`) searches in safe code, for every
//! architecture.

#[inline]
pub(crate) fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of the word that are `"`, `\` or a control character, as their high bits. The
/// lowest set bit is exact (borrows only spill into higher bytes), which is all the callers use.
#[inline]
pub(crate) fn special_bytes(word: u64) -> u64 {
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

/// Where the run of plain string bytes starting at `i` ends, looked for eight bytes at a time:
/// at the first `"`, `\` or control character, or where fewer than eight bytes are left (the
/// callers' byte-wise checks take it from there).
#[inline]
pub(crate) fn plain_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = word_at(bytes, i) {
        let special = special_bytes(word);
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// The length of the string body starting at `i` when it ends with a quote within the next
/// sixteen bytes and holds no escape or control character, with its bytes as two
/// little-endian words, zero after the body.
#[inline(always)]
pub(crate) fn plain_short_key(bytes: &[u8], i: usize) -> Option<(usize, [u64; 2])> {
    let first = word_at(bytes, i)?;
    let in_first = (special_bytes(first).trailing_zeros() / 8) as usize;
    let (len, words) = if in_first < 8 {
        (in_first, [first & ((1u64 << (8 * in_first)) - 1), 0])
    } else {
        let second = word_at(bytes, i + 8)?;
        let in_second = (special_bytes(second).trailing_zeros() / 8) as usize;
        if in_second == 8 {
            return None;
        }
        (
            8 + in_second,
            [first, second & ((1u64 << (8 * in_second)) - 1)],
        )
    };
    (bytes.get(i + len) == Some(&b'"')).then_some((len, words))
}

/// Eight bytes at `i`, little-endian, when there are that many.
#[inline]
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Where the run of bytes starting at `i` with no `"`, `[`, `]`, `{` or `}` ends, looked for
/// eight bytes at a time: at the first of them, or where fewer than eight bytes are left (the
/// caller's byte-wise loop takes it from there). What trusted-input skipping looks for.
#[inline]
pub(crate) fn structural_run_end(bytes: &[u8], mut i: usize) -> usize {
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    while let Some(word) = word_at(bytes, i) {
        // `[` and `]` are `{` and `}` without bit 0x20, and no other byte becomes either.
        let folded = word | (ONES * 0x20);
        // Each mask's lowest marked byte is exact, so the lowest of all three is.
        let found = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(folded ^ (ONES * u64::from(b'{')))
            | zero_bytes(folded ^ (ONES * u64::from(b'}')));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// The position after the run of ASCII digits starting at `i`.
#[inline]
pub(crate) fn digits_from(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = word_at(bytes, i) {
        // Per byte: high nibble 3 and low nibble at most 9 (adding 6 must not carry into
        // the high nibble). Bytes that fail have their marker bit set.
        let not_digit = ((word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
            | ((word.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
                ^ 0x3030_3030_3030_3030);
        if not_digit != 0 {
            return i + (not_digit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// The first eight bytes of `bytes` (fewer: zero-padded), little-endian, without a byte loop:
/// short slices are read as two overlapping loads whose shared bytes agree.
#[inline]
pub(crate) fn load_word(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let get = |at: usize, n: usize| -> u64 {
        let mut word = [0u8; 8];
        if let (Some(to), Some(from)) = (word.get_mut(..n), bytes.get(at..at + n)) {
            to.copy_from_slice(from);
        }
        u64::from_le_bytes(word)
    };
    match len {
        8.. => word_at(bytes, 0).unwrap_or(0),
        4..=7 => get(0, 4) | get(len - 4, 4) << (8 * (len - 4)),
        2..=3 => get(0, 2) | get(len - 2, 2) << (8 * (len - 2)),
        1 => get(0, 1),
        _ => 0,
    }
}

/// The position of the first `.` in `key`, a word at a time.
#[inline]
pub(crate) fn find_dot(key: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = word_at(key, i) {
        let v = word ^ (ONES * u64::from(b'.'));
        let dots = v.wrapping_sub(ONES) & !v & HIGHS;
        if dots != 0 {
            // The lowest marked byte is exact (borrows only spill upwards).
            return Some(i + (dots.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    // Fewer than eight bytes left; the zero padding holds no dot.
    let v = load_word(key.get(i..)?) ^ (ONES * u64::from(b'.'));
    let dots = v.wrapping_sub(ONES) & !v & HIGHS;
    (dots != 0).then(|| i + (dots.trailing_zeros() / 8) as usize)
}
