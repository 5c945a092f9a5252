//! The superbill: a statement of services a self-pay patient sends to their insurer,
//! with everything a claim would carry (provider NPI and tax id, diagnoses, codes,
//! modifiers, units, charges), as a PDF in the standard Helvetica font.

use crate::x12::amount;
use chrono::NaiveDate;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use serde::Serialize;
use stride_coding::Modifier;

/// One service on the superbill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuperbillLine {
    /// Date of service.
    pub date: NaiveDate,
    /// CPT or HCPCS code.
    pub code: String,
    /// What the code is.
    pub description: String,
    /// Modifiers.
    pub modifiers: Vec<Modifier>,
    /// Units.
    pub units: u32,
    /// Charge for all units.
    pub charge_cents: i64,
}

/// Everything on a superbill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Superbill {
    /// Clinic name.
    pub clinic_name: String,
    /// Clinic address lines.
    pub clinic_address: Vec<String>,
    /// Clinic (type 2) NPI.
    pub clinic_npi: String,
    /// Clinic tax id.
    pub tax_id: String,
    /// Clinic phone.
    pub phone: String,
    /// Rendering therapist and NPI.
    pub therapist: String,
    /// Referring provider and NPI, if any.
    pub referring: Option<String>,
    /// Patient's name.
    pub patient_name: String,
    /// Patient's date of birth.
    pub patient_dob: NaiveDate,
    /// Patient's address lines.
    pub patient_address: Vec<String>,
    /// ICD-10-CM codes.
    pub diagnoses: Vec<String>,
    /// Services.
    pub lines: Vec<SuperbillLine>,
    /// Paid by the patient.
    pub paid_cents: i64,
    /// When issued.
    pub issued_on: NaiveDate,
}

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 54.0;
const LINE: f32 = 14.0;

/// Text as the standard fonts' WinAnsi encoding: Latin-1 characters as themselves,
/// anything else as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u32::from(c) {
            0x20..=0x7e | 0xa0..=0xff => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            _ => b'?',
        })
        .collect()
}

fn dollars(cents: i64) -> String {
    let s = amount(cents.abs());
    let s = match s.split_once('.') {
        Some((d, c)) => format!("{d}.{c:0<2}"),
        None => format!("{s}.00"),
    };
    if cents < 0 { format!("-${s}") } else { format!("${s}") }
}

/// Lays text out on pages, top to bottom, starting a page when one is full.
struct Layout {
    pages: Vec<Content>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Content::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        let page = self.pages.last_mut().expect("a layout always has a page");
        page.begin_text();
        page.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        page.next_line(x, self.y);
        page.show(Str(&win_ansi(text)));
        page.end_text();
    }

    fn line(&mut self, size: f32, bold: bool, text: &str) {
        self.room(1);
        self.text(MARGIN, size, bold, text);
        self.y -= LINE.max(size + 4.0);
    }

    fn columns(&mut self, bold: bool, cells: &[(f32, &str)]) {
        self.room(1);
        for (x, text) in cells {
            self.text(MARGIN + x, 10.0, bold, text);
        }
        self.y -= LINE;
    }

    fn gap(&mut self) {
        self.y -= LINE / 2.0;
    }

    /// Starts a new page unless `lines` more fit on this one.
    fn room(&mut self, lines: u32) {
        #[allow(clippy::cast_precision_loss)] // a handful of lines
        let needed = lines as f32 * LINE;
        if self.y - needed < MARGIN {
            self.pages.push(Content::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }
}

/// Renders a superbill as PDF bytes.
pub fn render(s: &Superbill) -> Vec<u8> {
    let mut l = Layout::new();
    l.line(16.0, true, &s.clinic_name);
    for a in &s.clinic_address {
        l.line(10.0, false, a);
    }
    l.line(
        10.0,
        false,
        &format!("NPI {}   Tax ID {}   Phone {}", s.clinic_npi, s.tax_id, s.phone),
    );
    l.gap();
    l.line(
        14.0,
        true,
        "Superbill: statement of services for insurance reimbursement",
    );
    l.line(10.0, false, &format!("Issued {}", s.issued_on));
    l.gap();
    l.line(11.0, true, "Patient");
    l.line(
        10.0,
        false,
        &format!("{}   Date of birth {}", s.patient_name, s.patient_dob),
    );
    for a in &s.patient_address {
        l.line(10.0, false, a);
    }
    l.gap();
    l.line(10.0, false, &format!("Rendering provider: {}", s.therapist));
    if let Some(r) = &s.referring {
        l.line(10.0, false, &format!("Referring provider: {r}"));
    }
    l.line(
        10.0,
        false,
        &format!("Diagnoses (ICD-10-CM): {}", s.diagnoses.join(", ")),
    );
    l.line(10.0, false, "Place of service: 11 (office)");
    l.gap();
    let header = [
        (0.0, "Date"),
        (70.0, "Code"),
        (115.0, "Modifiers"),
        (180.0, "Service"),
        (400.0, "Units"),
        (440.0, "Charge"),
    ];
    l.columns(true, &header);
    for line in &s.lines {
        let date = line.date.to_string();
        let modifiers = Modifier::join(&line.modifiers);
        let description: String = line.description.chars().take(44).collect();
        let units = line.units.to_string();
        let charge = dollars(line.charge_cents);
        l.columns(
            false,
            &[
                (0.0, &date),
                (70.0, &line.code),
                (115.0, &modifiers),
                (180.0, &description),
                (400.0, &units),
                (440.0, &charge),
            ],
        );
    }
    let total: i64 = s.lines.iter().map(|x| x.charge_cents).sum();
    l.gap();
    l.columns(true, &[(330.0, "Total charges"), (440.0, &dollars(total))]);
    l.columns(false, &[(330.0, "Paid by patient"), (440.0, &dollars(s.paid_cents))]);
    l.columns(true, &[(330.0, "Balance"), (440.0, &dollars(total - s.paid_cents))]);
    l.gap();
    l.line(
        9.0,
        false,
        "Send this statement with your insurer's claim form to ask for reimbursement.",
    );
    l.line(
        9.0,
        false,
        "Physical therapy services; GP: services under an outpatient physical therapy plan of care.",
    );
    write_pdf(l.pages)
}

fn write_pdf(pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let first_page = 5;
    let page_refs: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(0)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (content, page_ref) in pages.into_iter().zip(&page_refs) {
        let content_ref = Ref::new(page_ref.get() + 1);
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_ref);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_ref, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_text_are_printable() {
        assert_eq!(dollars(12550), "$125.50");
        assert_eq!(dollars(12500), "$125.00");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(win_ansi("Núñez 日"), b"N\xfa\xf1ez ?".to_vec());
    }
}
