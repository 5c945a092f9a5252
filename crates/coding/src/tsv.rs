//! The small tab-separated format of Stride's own rule tables: `#` comments, one header
//! row, then data rows with exactly the header's number of fields.

use crate::error::DataError;

/// One data row: its 1-based line number and its fields.
pub(crate) struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

/// Splits `text` into data rows, checking each has as many fields as the header names.
pub(crate) fn rows<'a>(source_name: &str, text: &'a str, header: &[&str]) -> Result<Vec<Row<'a>>, DataError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let Some((header_line, found)) = lines.next() else {
        return Err(DataError::Empty {
            source_name: source_name.to_owned(),
        });
    };
    let found: Vec<&str> = found.split('\t').collect();
    if found != header {
        return Err(DataError::malformed(
            source_name,
            header_line,
            format!("expected the header {header:?}, found {found:?}"),
        ));
    }
    lines
        .map(|(line, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            if fields.len() == header.len() {
                Ok(Row { line, fields })
            } else {
                Err(DataError::malformed(
                    source_name,
                    line,
                    format!("expected {} tab-separated fields, found {}", header.len(), fields.len()),
                ))
            }
        })
        .collect()
}
