//! [`MeasureCatalog`]: every measure definition Stride knows, by id and version.
//!
//! The built-in catalog is `data/measures.json`, embedded in the binary and parsed once.
//! The file format:
//!
//! ```json
//! { "format": 1,
//!   "measures": [
//!     { "id": "lefs", "version": "1", "short_name": "LEFS", "name": "…", "unit": "points",
//!       "items": [{"label": "…"}, …],            // or "activities": {"min": 3, "max": 5}
//!       "response": {"min": 0, "max": 4, "step": 1, "anchors": "…"},
//!       "scoring": "sum",                        // see ScoringRule
//!       "missing": {"max_missing": 4, "note": "…"},
//!       "direction": "higher_is_better",
//!       "score_range": {"min": 0, "max": 80},
//!       "mcid": {"value": 9, "note": "…"},       // optional
//!       "mdc": {"by_baseline": [{"from": 0, "value": 5}, …], "note": "…"},  // optional
//!       "notes": "…",                            // optional
//!       "licence": "…", "sources": ["…"] } ] }
//! ```
//!
//! Several versions of one measure may be listed, oldest first; [`MeasureCatalog::get`]
//! returns the last one listed, [`MeasureCatalog::get_version`] any of them, so old scores
//! can still be compared under the definition that made them.

use crate::definition::{DefinitionData, MeasureDef};
use crate::error::{CatalogError, MeasureError};
use crate::score::Score;
use serde::Deserialize;
use std::sync::LazyLock;

/// The definitions Stride ships.
const BUILTIN_JSON: &str = include_str!("../data/measures.json");

/// A validated set of measure definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureCatalog {
    measures: Vec<MeasureDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogData {
    format: u32,
    measures: Vec<DefinitionData>,
}

impl MeasureCatalog {
    /// The catalog Stride ships (`data/measures.json`), parsed on first use.
    pub fn builtin() -> Result<&'static MeasureCatalog, CatalogError> {
        static BUILTIN: LazyLock<Result<MeasureCatalog, CatalogError>> =
            LazyLock::new(|| MeasureCatalog::parse(BUILTIN_JSON));
        BUILTIN.as_ref().map_err(Clone::clone)
    }

    /// Reads and validates a catalog in the format above.
    pub fn parse(json: &str) -> Result<MeasureCatalog, CatalogError> {
        let data: CatalogData =
            serde_json::from_str(json).map_err(|e| CatalogError::Json { message: e.to_string() })?;
        if data.format != 1 {
            return Err(CatalogError::UnsupportedFormat { format: data.format });
        }
        let mut measures: Vec<MeasureDef> = Vec::with_capacity(data.measures.len());
        for d in data.measures {
            let def = MeasureDef::try_from(d)?;
            if measures
                .iter()
                .any(|m| m.id() == def.id() && m.version() == def.version())
            {
                return Err(CatalogError::Duplicate {
                    id: def.id().to_owned(),
                    version: def.version().to_owned(),
                });
            }
            measures.push(def);
        }
        Ok(MeasureCatalog { measures })
    }

    /// The current (last listed) version of a measure.
    pub fn get(&self, id: &str) -> Option<&MeasureDef> {
        self.measures.iter().rev().find(|m| m.id() == id)
    }

    /// One version of a measure.
    pub fn get_version(&self, id: &str, version: &str) -> Option<&MeasureDef> {
        self.measures.iter().find(|m| m.id() == id && m.version() == version)
    }

    /// Like [`MeasureCatalog::get`], with an error that lists the known measures.
    pub fn require(&self, id: &str) -> Result<&MeasureDef, MeasureError> {
        self.get(id).ok_or_else(|| self.unknown(id, String::new()))
    }

    /// The definition (id and version) a score was made with; compare scores under it.
    pub fn definition_of(&self, score: &Score) -> Result<&MeasureDef, MeasureError> {
        self.get_version(&score.measure, &score.version)
            .ok_or_else(|| self.unknown(&score.measure, format!(" in version {}", score.version)))
    }

    /// Every definition, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &MeasureDef> {
        self.measures.iter()
    }

    fn unknown(&self, id: &str, version_note: String) -> MeasureError {
        let mut known: Vec<&str> = self.measures.iter().map(MeasureDef::id).collect();
        known.dedup();
        MeasureError::UnknownMeasure {
            id: id.to_owned(),
            version_note,
            known: known.join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small valid definition, as JSON, with one field replaced.
    fn catalog_with(field: &str, value: &str) -> String {
        let mut def = serde_json::json!({
            "id": "toy", "version": "1", "short_name": "TOY", "name": "Toy scale", "unit": "points",
            "items": [{"label": "One"}, {"label": "Two"}],
            "response": {"min": 0, "max": 4, "step": 1},
            "scoring": "sum",
            "missing": {"max_missing": 0, "note": "all needed"},
            "direction": "higher_is_better",
            "score_range": {"min": 0, "max": 8},
            "licence": "ours"
        });
        if let Some(obj) = def.as_object_mut() {
            obj.insert(field.to_owned(), serde_json::from_str(value).expect("test JSON"));
        }
        serde_json::json!({"format": 1, "measures": [def]}).to_string()
    }

    fn invalid_message(field: &str, value: &str) -> String {
        match MeasureCatalog::parse(&catalog_with(field, value)) {
            Err(CatalogError::Invalid { message, .. }) => message,
            other => panic!("expected an invalid definition for {field}={value}, got {other:?}"),
        }
    }

    #[test]
    fn builtin_catalog_parses_and_holds_the_eight_measures() {
        let c = MeasureCatalog::builtin().expect("builtin catalog");
        let ids: Vec<&str> = c.iter().map(MeasureDef::id).collect();
        assert_eq!(ids, ["lefs", "odi", "ndi", "quickdash", "psfs", "berg", "tug", "6mwt"]);
        assert!(c.iter().all(|m| m.version() == "1"));
        assert_eq!(c.get("lefs").map(|m| m.items().len()), Some(20));
        assert_eq!(c.get("berg").map(|m| m.items().len()), Some(14));
        assert_eq!(c.get("quickdash").map(|m| m.items().len()), Some(11));
    }

    #[test]
    fn a_valid_toy_catalog_parses() {
        let c = MeasureCatalog::parse(&catalog_with("id", "\"toy\"")).expect("valid");
        assert_eq!(c.get("toy").map(MeasureDef::short_name), Some("TOY"));
    }

    #[test]
    fn inconsistent_definitions_are_refused_with_the_reason() {
        assert!(invalid_message("score_range", r#"{"min": 0, "max": 80}"#).contains("does not match"));
        assert!(invalid_message("id", "\"Toy\"").contains("lowercase"));
        assert!(invalid_message("response", r#"{"min": 0, "max": 4, "step": 0}"#).contains("step"));
        assert!(invalid_message("response", r#"{"min": 0, "max": 4, "step": 3}"#).contains("whole number"));
        assert!(invalid_message("response", r#"{"min": 4, "max": 4, "step": 1}"#).contains("below max"));
        assert!(invalid_message("missing", r#"{"max_missing": 2, "note": "x"}"#).contains("no answer"));
        assert!(invalid_message("scoring", "\"quickdash\"").contains("1 to 5"));
        assert!(invalid_message("scoring", "\"single_value\"").contains("exactly one item"));
        assert!(invalid_message("activities", r#"{"min": 3, "max": 5}"#).contains("not both"));
        assert!(invalid_message("items", "[]").contains("items or activities"));
        assert!(invalid_message("items", r#"[{"label": " "}, {"label": "x"}]"#).contains("no label"));
        assert!(invalid_message("mcid", r#"{"value": 0, "note": "x"}"#).contains("mcid"));
        assert!(invalid_message("licence", "\"\"").contains("licence"));
    }

    #[test]
    fn bad_json_duplicates_and_formats_are_refused() {
        assert!(matches!(MeasureCatalog::parse("{"), Err(CatalogError::Json { .. })));
        assert!(matches!(
            MeasureCatalog::parse(&catalog_with("colour", "\"blue\"")),
            Err(CatalogError::Json { .. })
        ));
        assert_eq!(
            MeasureCatalog::parse(r#"{"format": 2, "measures": []}"#),
            Err(CatalogError::UnsupportedFormat { format: 2 })
        );
        let value: serde_json::Value = serde_json::from_str(&catalog_with("id", "\"toy\"")).expect("json");
        let def = value["measures"][0].clone();
        let doubled = serde_json::json!({"format": 1, "measures": [def.clone(), def]}).to_string();
        assert_eq!(
            MeasureCatalog::parse(&doubled),
            Err(CatalogError::Duplicate {
                id: "toy".into(),
                version: "1".into()
            })
        );
    }

    #[test]
    fn get_returns_the_last_listed_version_and_get_version_any() {
        let value: serde_json::Value = serde_json::from_str(&catalog_with("id", "\"toy\"")).expect("json");
        let v1 = value["measures"][0].clone();
        let mut v2 = v1.clone();
        v2["version"] = "2".into();
        let c = MeasureCatalog::parse(&serde_json::json!({"format": 1, "measures": [v1, v2]}).to_string())
            .expect("two versions");
        assert_eq!(c.get("toy").map(MeasureDef::version), Some("2"));
        assert_eq!(c.get_version("toy", "1").map(MeasureDef::version), Some("1"));
        assert_eq!(c.get_version("toy", "3"), None);
        let err = c.require("lefs").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "there is no outcome measure \"lefs\"; the measures Stride knows are toy"
        );
    }
}
