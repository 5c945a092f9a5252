//! Reads CMS's ICD-10-CM tabular list (`icd10cm-tabular-*.xml`): every `diag` element is
//! a code, nested as the list nests them; a `sevenChrDef` on a code applies to every code
//! below it that has none of its own.

use crate::{CodeSet, CodeSetError, Entry, dotted};
use quick_xml::Reader;
use quick_xml::events::Event;

/// A `diag` element being read.
struct Frame {
    /// Where its code goes in the list (its children follow it).
    slot: usize,
    name: String,
    description: String,
    /// Its own 7th characters, (character, meaning), if it defines them.
    seventh: Option<Vec<(String, String)>>,
    has_children: bool,
}

/// What the text being read belongs to.
enum Capture {
    Nothing,
    Version,
    Name,
    Description,
    Extension(String),
}

/// Reads the tabular list.
pub fn parse_tabular(xml: &str) -> Result<CodeSet, CodeSetError> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut codes = Codes::default();
    let mut version = String::new();
    let mut capture = Capture::Nothing;
    let mut text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| CodeSetError::Xml(e.to_string()))?;
        match event {
            Event::Start(e) => {
                let tag: String = e.name().as_ref().to_owned();
                if path.is_empty() && tag != "ICD10CM.tabular" {
                    return Err(CodeSetError::NotTabular(format!("its root element is <{tag}>")));
                }
                let parent = path.last().map(String::as_str);
                let grandparent = path.len().checked_sub(2).and_then(|i| path.get(i)).map(String::as_str);
                capture = match (tag.as_str(), parent, grandparent) {
                    ("version", Some("ICD10CM.tabular"), _) => Capture::Version,
                    ("name", Some("diag"), _) => Capture::Name,
                    ("desc", Some("diag"), _) => Capture::Description,
                    ("extension", Some("sevenChrDef"), Some("diag")) => {
                        let character = e
                            .try_get_attribute("char")
                            .ok()
                            .flatten()
                            .map(|a| a.value.to_string())
                            .unwrap_or_default();
                        Capture::Extension(character)
                    }
                    _ => Capture::Nothing,
                };
                text.clear();
                if tag == "diag" {
                    if let Some(parent) = frames.last_mut() {
                        parent.has_children = true;
                    }
                    frames.push(Frame {
                        slot: codes.entries.len(),
                        name: String::new(),
                        description: String::new(),
                        seventh: None,
                        has_children: false,
                    });
                    codes.entries.push(Entry {
                        start: 0,
                        code_len: 0,
                        description_len: 0,
                        billable: false,
                    });
                }
                path.push(tag);
            }
            Event::Text(t) if !matches!(capture, Capture::Nothing) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if !matches!(capture, Capture::Nothing) => {
                text.push_str(&entity(&r.xml10_content()));
            }
            Event::End(_) => {
                let Some(tag) = path.pop() else {
                    return Err(CodeSetError::Xml("an end tag without its start".into()));
                };
                let captured = std::mem::replace(&mut capture, Capture::Nothing);
                let value = text.trim().to_owned();
                match (captured, frames.last_mut()) {
                    (Capture::Version, _) => version = value,
                    (Capture::Name, Some(frame)) => frame.name = value,
                    (Capture::Description, Some(frame)) => frame.description = value,
                    (Capture::Extension(character), Some(frame)) => {
                        frame.seventh.get_or_insert_with(Vec::new).push((character, value));
                    }
                    _ => {}
                }
                text.clear();
                if tag == "diag" {
                    let Some(frame) = frames.pop() else {
                        return Err(CodeSetError::Xml("a diag ended that never started".into()));
                    };
                    close(&frame, &frames, &mut codes)?;
                }
            }
            Event::Eof => {
                if let Some(open) = path.last() {
                    return Err(CodeSetError::Xml(format!("the file ends inside <{open}>")));
                }
                break;
            }
            _ => {}
        }
    }
    if codes.entries.is_empty() {
        return Err(CodeSetError::NotTabular("it holds no codes".into()));
    }
    Ok(CodeSet::from_parts(version, codes.text, codes.entries))
}

/// The codes read so far: their text, and where each code's lies.
#[derive(Default)]
struct Codes {
    text: String,
    entries: Vec<Entry>,
}

impl Codes {
    /// Appends a code's text and description; returns where they lie.
    fn append(&mut self, code: &str, description: &str, billable: bool) -> Result<Entry, CodeSetError> {
        let too_long = |what: &str| CodeSetError::NotTabular(format!("{what} is too long to be an ICD-10-CM code's"));
        let entry = Entry {
            start: u32::try_from(self.text.len()).map_err(|_| too_long("the list"))?,
            code_len: u8::try_from(code.len()).map_err(|_| too_long("a code"))?,
            description_len: u16::try_from(description.len()).map_err(|_| too_long("a description"))?,
            billable,
        };
        self.text.push_str(code);
        self.text.push_str(description);
        Ok(entry)
    }
}

/// Writes a finished code into its slot and, for a leaf that takes a 7th character, the
/// codes its 7th characters complete.
fn close(frame: &Frame, ancestors: &[Frame], codes: &mut Codes) -> Result<(), CodeSetError> {
    if frame.name.is_empty() {
        return Err(CodeSetError::NotTabular("a diag has no name".into()));
    }
    let seventh = frame
        .seventh
        .as_ref()
        .or_else(|| ancestors.iter().rev().find_map(|a| a.seventh.as_ref()));
    let leaf = !frame.has_children;
    codes.entries[frame.slot] = codes.append(&dotted(&frame.name), &frame.description, leaf && seventh.is_none())?;
    if let (true, Some(seventh)) = (leaf, seventh) {
        let mut base: String = frame.name.chars().filter(|&c| c != '.').collect();
        while base.len() < 6 {
            base.push('X');
        }
        for (character, meaning) in seventh.iter().filter(|(c, _)| !excluded(&base, c)) {
            let completed = codes.append(
                &dotted(&format!("{base}{character}")),
                &format!("{}, {meaning}", frame.description),
                true,
            )?;
            codes.entries.push(completed);
        }
    }
    Ok(())
}

/// 7th characters the tabular list rules out in prose rather than in a `sevenChrDef`. One
/// rule in the FY2026 release, in the notes of category S06: "7th characters D and S do
/// not apply to codes in category S06 with 6th character 7 - death due to brain injury
/// prior to regaining consciousness, or 8 - death due to other cause prior to regaining
/// consciousness." (A new release's rules would show as disagreements in the agreement
/// test against simple-icd-10-cm, which checks every completed code against its own list
/// of the release's codes.)
fn excluded(base: &str, seventh: &str) -> bool {
    base.starts_with("S06") && matches!(base.as_bytes().get(5), Some(b'7' | b'8')) && matches!(seventh, "D" | "S")
}

/// The text an entity reference stands for (`amp`, `#39`, `#x27`); unknown ones kept as
/// written.
fn entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => name
            .strip_prefix("#x")
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32)
            .map_or_else(|| format!("&{name};"), String::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_list_reads_with_its_seventh_characters() {
        let xml = r#"<?xml version="1.0"?>
<ICD10CM.tabular><version>2099</version>
 <chapter><name>19</name><desc>Injury</desc>
  <section id="T15-T19"><desc>Foreign body</desc>
   <diag><name>T15</name><desc>Foreign body on external eye</desc>
    <sevenChrDef><extension char="A">initial encounter</extension><extension char="D">subsequent encounter</extension></sevenChrDef>
    <diag><name>T15.0</name><desc>Foreign body in cornea</desc>
     <diag><name>T15.00</name><desc>Foreign body in cornea, unspecified eye</desc></diag>
    </diag>
   </diag>
   <diag><name>Z99</name><desc>Dependence on machines &amp; devices</desc></diag>
  </section>
 </chapter>
</ICD10CM.tabular>"#;
        let set = parse_tabular(xml).expect("parses");
        assert_eq!(set.version, "2099");
        let listed: Vec<(&str, bool)> = set.iter().map(|c| (c.code, c.billable)).collect();
        assert_eq!(
            listed,
            [
                ("T15", false),
                ("T15.0", false),
                ("T15.00", false),
                ("T15.00XA", true),
                ("T15.00XD", true),
                ("Z99", true),
            ]
        );
        assert_eq!(
            set.get("T15.00XD").map(|c| c.description),
            Some("Foreign body in cornea, unspecified eye, subsequent encounter")
        );
        assert_eq!(
            set.get("Z99").map(|c| c.description),
            Some("Dependence on machines & devices")
        );
    }

    #[test]
    fn other_files_are_refused_in_words() {
        assert!(matches!(
            parse_tabular("<html></html>"),
            Err(CodeSetError::NotTabular(_))
        ));
        assert!(matches!(
            parse_tabular("<ICD10CM.tabular><version>1</version></ICD10CM.tabular>"),
            Err(CodeSetError::NotTabular(_))
        ));
        assert!(matches!(
            parse_tabular("<ICD10CM.tabular><diag>"),
            Err(CodeSetError::Xml(_))
        ));
    }
}
