//! Reading an interchange: find the separators in the ISA header, split segments and
//! elements, and check the envelope (every ST has its SE with the right count, every
//! GS its GE, the ISA its IEA) before anything reads the content.

/// The largest X12 file Stride reads: 64 MiB, far above any real remittance (a
/// 10,000-claim 835 is about 10 MB), so a hostile file cannot exhaust memory.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Why an X12 file cannot be read. Every message says what is wrong in words, and
/// where; nothing is imported from a file that has any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum X12Error {
    /// Nothing in the file.
    #[error("the file is empty")]
    Empty,
    /// Too big to be a real file.
    #[error("the file is {size} bytes; Stride reads X12 files up to {max} bytes", max = MAX_FILE_BYTES)]
    TooLarge {
        /// Its size.
        size: usize,
    },
    /// Not text, or not X12 at all.
    #[error("this is not an X12 file: {0}")]
    NotX12(&'static str),
    /// The ISA header's separators are missing or clash.
    #[error("the ISA header is damaged: {0}")]
    BadHeader(String),
    /// The file stops before its trailers.
    #[error("the file ends before its {missing} segment: it was cut short or damaged")]
    Truncated {
        /// The trailer that is missing.
        missing: &'static str,
    },
    /// One segment is wrong.
    #[error("segment {index} ({id}): {reason}")]
    Bad {
        /// Its place in the file, from 1.
        index: usize,
        /// Its id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The right format, the wrong transaction.
    #[error("this file holds {found}; expected {expected}")]
    WrongTransaction {
        /// What Stride expected.
        expected: &'static str,
        /// What the file holds.
        found: String,
    },
}

/// One segment: its id and elements, borrowed from the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The segment id (`CLP`, `SVC`).
    pub id: &'a str,
    /// Its place in the file, from 1.
    pub index: usize,
    elements: Vec<&'a str>,
    component: char,
}

impl<'a> Segment<'a> {
    /// Element `n` (from 1), or `""` when absent.
    pub fn element(&self, n: usize) -> &'a str {
        self.elements.get(n.wrapping_sub(1)).copied().unwrap_or("")
    }

    /// The components of element `n`.
    pub fn components(&self, n: usize) -> Vec<&'a str> {
        let e = self.element(n);
        if e.is_empty() {
            Vec::new()
        } else {
            e.split(self.component).collect()
        }
    }

    /// How many elements it has.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Whether it has no elements.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// An error about this segment.
    pub fn error(&self, reason: impl Into<String>) -> X12Error {
        X12Error::Bad {
            index: self.index,
            id: self.id.to_owned(),
            reason: reason.into(),
        }
    }

    /// Element `n` as an amount in cents; an error naming the element when it is not one.
    pub fn amount(&self, n: usize, what: &str) -> Result<i64, X12Error> {
        super::parse_amount(self.element(n)).ok_or_else(|| {
            self.error(format!(
                "{what} ({:?}) is not an amount (dollars with at most two decimals, under $100 billion)",
                self.element(n)
            ))
        })
    }

    /// Element `n` as an amount, or zero when it is empty.
    pub fn amount_or_zero(&self, n: usize, what: &str) -> Result<i64, X12Error> {
        if self.element(n).is_empty() {
            Ok(0)
        } else {
            self.amount(n, what)
        }
    }
}

/// Splits an interchange into segments and checks its envelope.
pub fn segments(bytes: &[u8]) -> Result<Vec<Segment<'_>>, X12Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(X12Error::TooLarge { size: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| X12Error::NotX12("it is not plain text"))?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.is_empty() {
        return Err(X12Error::Empty);
    }
    if !text.starts_with("ISA") {
        return Err(X12Error::NotX12("it does not begin with an ISA segment"));
    }
    let (element, component, terminator) = separators(text)?;
    let mut out = Vec::new();
    for (i, raw) in text.split(terminator).enumerate() {
        let raw = raw.trim_matches(['\r', '\n']);
        if raw.is_empty() {
            continue;
        }
        let mut parts = raw.split(element);
        let id = parts.next().unwrap_or_default();
        let index = i + 1;
        if !(2..=3).contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(X12Error::Bad {
                index,
                id: id.chars().take(8).collect(),
                reason: "this is not a segment id: the separators may be wrong".into(),
            });
        }
        out.push(Segment {
            id,
            index,
            elements: parts.collect(),
            component,
        });
    }
    check_envelope(&out)?;
    Ok(out)
}

/// The element separator (the 4th character), the component separator (ISA16) and the
/// segment terminator (right after ISA16).
fn separators(text: &str) -> Result<(char, char, char), X12Error> {
    let header: Vec<char> = text.chars().take(106).collect();
    if header.len() < 106 {
        return Err(X12Error::Truncated { missing: "ISA" });
    }
    let element = header[3];
    let fields = header[..105].iter().filter(|c| **c == element).count();
    if fields != 16 {
        return Err(X12Error::BadHeader(format!(
            "it should have 16 elements separated by {element:?}, and has {fields}"
        )));
    }
    let (component, terminator) = (header[104], header[105]);
    for (name, c) in [("element", element), ("component", component), ("segment", terminator)] {
        if c.is_ascii_alphanumeric() || (c.is_whitespace() && c != '\n' && c != '\r') {
            return Err(X12Error::BadHeader(format!("{c:?} cannot be the {name} separator")));
        }
    }
    if element == component || element == terminator || component == terminator {
        return Err(X12Error::BadHeader("two separators are the same character".into()));
    }
    Ok((element, component, terminator))
}

/// ISA..IEA around GS..GE groups around ST..SE transactions, with matching control
/// numbers and SE01 counting the transaction's segments.
fn check_envelope(segments: &[Segment<'_>]) -> Result<(), X12Error> {
    let Some(last) = segments.last() else {
        return Err(X12Error::Empty);
    };
    if last.id != "IEA" {
        return Err(X12Error::Truncated { missing: "IEA" });
    }
    let mut group: Option<&Segment<'_>> = None;
    let mut transaction: Option<(&Segment<'_>, usize)> = None;
    for (i, s) in segments.iter().enumerate() {
        match s.id {
            "ISA" if i != 0 => return Err(s.error("a second ISA header inside the interchange")),
            "ISA" => {}
            "GS" if group.is_some() => return Err(s.error("a group begins inside another group")),
            "GS" => group = Some(s),
            "ST" if transaction.is_some() => return Err(s.error("a transaction begins inside another")),
            "ST" if group.is_none() => return Err(s.error("a transaction outside any group")),
            "ST" => transaction = Some((s, i)),
            "SE" => {
                let Some((st, start)) = transaction.take() else {
                    return Err(s.error("SE without its ST"));
                };
                let count = i - start + 1;
                if s.element(1) != count.to_string() {
                    return Err(s.error(format!(
                        "SE01 says {} segments, the transaction has {count}: the file is damaged or cut short",
                        s.element(1)
                    )));
                }
                if s.element(2) != st.element(2) {
                    return Err(s.error("SE02 does not match the ST control number"));
                }
            }
            "GE" => {
                let Some(gs) = group.take() else {
                    return Err(s.error("GE without its GS"));
                };
                if transaction.is_some() {
                    return Err(s.error("the group ends inside a transaction"));
                }
                if s.element(2) != gs.element(6) {
                    return Err(s.error("GE02 does not match the GS control number"));
                }
            }
            "IEA" => {
                if group.is_some() || transaction.is_some() {
                    return Err(X12Error::Truncated { missing: "GE" });
                }
                if s.element(2).trim() != segments[0].element(13).trim() {
                    return Err(s.error("IEA02 does not match the ISA control number"));
                }
            }
            _ if transaction.is_none() => return Err(s.error("a segment outside any transaction")),
            _ => {}
        }
    }
    if transaction.is_some() {
        return Err(X12Error::Truncated { missing: "SE" });
    }
    Ok(())
}

/// The implementation guide of the file's first functional group (GS08).
pub(crate) fn version(segments: &[Segment<'_>]) -> String {
    segments
        .iter()
        .find(|s| s.id == "GS")
        .map(|s| s.element(8).to_owned())
        .unwrap_or_default()
}
