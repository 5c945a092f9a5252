//! Writing segments: the separators Stride uses, text made safe for X12, and segment
//! counting for SE01.

use chrono::NaiveDate;

/// Stride writes `*` between elements, `:` between components, `^` between repetitions
/// and `~` after each segment, one segment per line for people reading the file.
pub(crate) const ELEMENT: char = '*';
pub(crate) const COMPONENT: char = ':';
pub(crate) const REPETITION: char = '^';
pub(crate) const TERMINATOR: &str = "~\n";

/// Segments of one interchange being written.
pub(crate) struct SegmentWriter {
    out: String,
    /// Segments since the last ST (for SE01).
    in_transaction: usize,
}

impl SegmentWriter {
    pub fn new() -> SegmentWriter {
        SegmentWriter {
            out: String::with_capacity(64 * 1024),
            in_transaction: 0,
        }
    }

    /// Writes one segment; trailing empty elements are left off, as X12 requires.
    pub fn segment(&mut self, id: &str, elements: &[&str]) {
        let used = elements.iter().rposition(|e| !e.is_empty()).map_or(0, |i| i + 1);
        self.out.push_str(id);
        for e in &elements[..used] {
            self.out.push(ELEMENT);
            self.out.push_str(e);
        }
        self.out.push_str(TERMINATOR);
        self.in_transaction += 1;
    }

    /// Starts counting a transaction set's segments (call before writing ST).
    pub fn begin_transaction(&mut self) {
        self.in_transaction = 0;
    }

    /// Segments written since [`SegmentWriter::begin_transaction`], SE included once written.
    pub fn transaction_segments(&self) -> usize {
        self.in_transaction
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Text made safe for an X12 element: upper case, accents folded, separators and
/// anything outside printable ASCII replaced by a space, runs of spaces collapsed,
/// trimmed and cut to `max` characters.
pub(crate) fn text(value: &str, max: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max));
    let mut last_space = true;
    for c in value.chars() {
        let c = fold(c).to_ascii_uppercase();
        let c = if c.is_ascii_graphic() && ![ELEMENT, COMPONENT, REPETITION, '~'].contains(&c) {
            c
        } else {
            ' '
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(c);
    }
    let trimmed: String = out.trim_end().chars().take(max).collect();
    trimmed.trim_end().to_owned()
}

/// Latin letters with accents as their plain letter; anything else unchanged.
fn fold(c: char) -> char {
    match c {
        'À'..='Å' | 'à'..='å' => 'A',
        'Ç' | 'ç' => 'C',
        'È'..='Ë' | 'è'..='ë' => 'E',
        'Ì'..='Ï' | 'ì'..='ï' => 'I',
        'Ñ' | 'ñ' => 'N',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => 'O',
        'Ù'..='Ü' | 'ù'..='ü' => 'U',
        'Ý' | 'ý' | 'ÿ' => 'Y',
        '’' | '‘' => '\'',
        _ => c,
    }
}

/// The interchange and group headers (ISA, GS) of a file with one functional group.
pub(crate) struct Header<'a> {
    /// Functional identifier: HC (claims) or HP (payments).
    pub functional_id: &'a str,
    /// Implementation guide (GS08).
    pub guide: &'a str,
    /// Sender and receiver ids.
    pub sender: &'a str,
    pub receiver: &'a str,
    /// Interchange control number (also the group's).
    pub control: u32,
    /// When the file was made.
    pub created: chrono::NaiveDateTime,
    /// Production (`P`) or test (`T`) data.
    pub production: bool,
}

impl SegmentWriter {
    /// Writes ISA and GS.
    pub fn headers(&mut self, h: &Header<'_>) {
        let time = h.created.format("%H%M").to_string();
        self.segment(
            "ISA",
            &[
                "00",
                "          ",
                "00",
                "          ",
                "ZZ",
                &format!("{:<15}", text(h.sender, 15)),
                "ZZ",
                &format!("{:<15}", text(h.receiver, 15)),
                &h.created.format("%y%m%d").to_string(),
                &time,
                &REPETITION.to_string(),
                "00501",
                &format!("{:09}", h.control),
                "0",
                if h.production { "P" } else { "T" },
                &COMPONENT.to_string(),
            ],
        );
        self.segment(
            "GS",
            &[
                h.functional_id,
                &text(h.sender, 15),
                &text(h.receiver, 15),
                &h.created.format("%Y%m%d").to_string(),
                &time,
                &h.control.to_string(),
                "X",
                h.guide,
            ],
        );
    }

    /// Writes GE and IEA for `transactions` transaction sets.
    pub fn trailers(&mut self, transactions: usize, control: u32) {
        self.segment("GE", &[&transactions.to_string(), &control.to_string()]);
        self.segment("IEA", &["1", &format!("{control:09}")]);
    }
}

/// Only the digits of `value` (phone numbers, ZIP codes, tax ids).
pub(crate) fn digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// A date as CCYYMMDD.
pub(crate) fn date8(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A composite element from its components, trailing empty components left off.
pub(crate) fn composite(parts: &[&str]) -> String {
    let used = parts.iter().rposition(|e| !e.is_empty()).map_or(0, |i| i + 1);
    parts[..used].join(&COMPONENT.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_made_safe() {
        assert_eq!(text("José  O'Néill~*:^", 60), "JOSE O'NEILL");
        assert_eq!(text("  a\tb\nc ", 60), "A B C");
        assert_eq!(text("abcdef", 3), "ABC");
        assert_eq!(text("ab cdef", 3), "AB");
        assert_eq!(text("日本", 10), "");
    }

    #[test]
    fn trailing_empty_elements_are_dropped() {
        let mut w = SegmentWriter::new();
        w.segment("NM1", &["85", "2", "CLINIC", "", "", "", "", "XX", "1234567893"]);
        w.segment("REF", &["EI", "123", "", ""]);
        assert_eq!(w.finish(), "NM1*85*2*CLINIC*****XX*1234567893~\nREF*EI*123~\n");
        assert_eq!(composite(&["HC", "97110", "GP", "", ""]), "HC:97110:GP");
    }
}
