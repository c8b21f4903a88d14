//! Arbitrary bytes (read as lossy UTF-8) through the normalizer: never panics, and the map
//! back to the original is in range and monotonic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use visitgraph::page::normalize::normalize;

fuzz_target!(|data: &[u8]| {
    let original = String::from_utf8_lossy(data);
    let orig_len = original.chars().count();
    let n = normalize(&original);
    let len = n.char_len();
    assert_eq!(len, n.text.chars().count());
    assert_eq!(n.orig_char(len), orig_len);
    let mut prev = 0;
    for i in 0..len {
        let o = n.orig_char(i);
        assert!(o < orig_len, "normalized {i} maps to {o} past {orig_len}");
        assert!(i == 0 || o > prev, "map not strictly increasing at {i}");
        prev = o;
        let b = n.byte_of_char(i);
        assert!(n.text.is_char_boundary(b));
        assert_eq!(n.char_at_byte(b), i);
        let (s, e) = n.orig_span(i, i + 1);
        assert!(s <= e && e <= orig_len);
    }
    let _ = n.slice(0, len);
});
