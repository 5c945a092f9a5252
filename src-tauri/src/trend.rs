//! An outcome measure's trend as the window plots it, on the chart's overview and on the
//! measures tab alike: each score by date, and the MCID band that `stride_measures` works
//! out from the first score with the rule its change sentences use. The window draws these
//! numbers; it computes none of them.

use serde::Serialize;
use stride_chart::measures::MeasureResult;
use stride_measures::{MeasureCatalog, MeasureDef, mcid_band};

/// One outcome measure's scores over an episode.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MeasureTrend {
    /// The measure's id, e.g. `lefs`.
    pub measure_id: String,
    /// Its short name, e.g. `LEFS`.
    pub short_name: String,
    /// The scores by date, oldest first (administrations with no score left out).
    pub points: Vec<TrendPoint>,
    /// The scores from the first one to an improvement as large as the MCID, to shade;
    /// `None` when the measure has no MCID or the first administration has no score.
    pub mcid_band: Option<PlottedBand>,
    /// The change since the first administration, in one sentence, once there are two.
    pub since_first: Option<String>,
}

/// A score on a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The score (for plotting only).
    pub value: f64,
}

/// The MCID band as numbers to plot (never to compare: `stride_measures::compare` judges
/// changes on the exact scores).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct PlottedBand {
    /// The first score.
    pub from: f64,
    /// The first score moved by the MCID in the better direction: a later score here or
    /// beyond is an important improvement.
    pub to: f64,
    /// The MCID that applies to the first score, in score units.
    pub mcid: f64,
}

/// An episode's history of one measure with its trend: what the measures tab shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MeasureHistory {
    /// Each administration, oldest first, with its change against the first and the previous.
    pub results: Vec<MeasureResult>,
    /// The same administrations as a trend.
    pub trend: MeasureTrend,
}

/// The trend of `def` over an episode's `history` of it (oldest first). The band is taken
/// from the first administration under the definition version it was scored with.
pub(crate) fn measure_trend(catalog: &MeasureCatalog, def: &MeasureDef, history: &[MeasureResult]) -> MeasureTrend {
    let band = history.first().and_then(|first| {
        let scored_with = catalog
            .get_version(&first.measure_id, &first.measure_version)
            .unwrap_or(def);
        mcid_band(scored_with, &first.score)
    });
    MeasureTrend {
        measure_id: def.id().to_owned(),
        short_name: def.short_name().to_owned(),
        points: history
            .iter()
            .filter_map(|h| {
                h.plotted.map(|value| TrendPoint {
                    date: h.administered_on.clone(),
                    value,
                })
            })
            .collect(),
        mcid_band: band.map(|b| PlottedBand {
            from: b.from.to_f64(),
            to: b.to.to_f64(),
            mcid: b.mcid.to_f64(),
        }),
        since_first: history
            .last()
            .and_then(|h| h.since_first.as_ref())
            .map(|c| c.sentence.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stride_measures::{Answers, compare, score};

    fn catalog() -> &'static MeasureCatalog {
        MeasureCatalog::builtin().expect("builtin catalog")
    }

    /// An administration of `measure` on `date` with `answers`, compared with `first`.
    fn given(measure: &str, date: &str, answers: Answers, first: Option<&MeasureResult>) -> MeasureResult {
        let def = catalog().get(measure).expect("measure");
        let scored = score(def, &answers).expect("valid answers");
        MeasureResult {
            id: format!("{measure}-{date}"),
            episode_id: "episode".to_owned(),
            note_id: None,
            measure_id: measure.to_owned(),
            measure_version: def.version().to_owned(),
            administered_on: date.to_owned(),
            answers,
            display: scored.display(),
            plotted: scored.value.map(|v| v.to_f64()),
            since_first: first.map(|f| compare(def, &f.score, &scored)),
            since_previous: None,
            score: scored,
        }
    }

    #[test]
    fn odi_band_runs_down_from_the_first_score_by_the_mcid() {
        // ODI, lower is better, MCID 6 percentage points: 40% (sum 20 of 50) shades to 34%.
        let odi = catalog().get("odi").expect("odi");
        let first = given("odi", "2026-11-02", Answers::whole(&[Some(2); 10]), None);
        let later = given("odi", "2026-11-30", Answers::whole(&[Some(1); 10]), Some(&first));
        let trend = measure_trend(catalog(), odi, &[first, later]);
        assert_eq!(
            trend.mcid_band,
            Some(PlottedBand {
                from: 40.0,
                to: 34.0,
                mcid: 6.0
            })
        );
        assert_eq!(trend.points.iter().map(|p| p.value).collect::<Vec<_>>(), [40.0, 20.0]);
        assert_eq!(trend.points[1].date, "2026-11-30");
        assert!(trend.since_first.is_some_and(|s| s.contains("reaching the MCID")));
    }

    #[test]
    fn no_band_when_the_first_administration_has_no_score() {
        // LEFS with 10 of 20 items answered cannot be scored: no band, and no point for it.
        let lefs = catalog().get("lefs").expect("lefs");
        let mut half = vec![Some(2); 10];
        half.resize(20, None);
        let first = given("lefs", "2026-11-02", Answers::whole(&half), None);
        let later = given("lefs", "2026-11-30", Answers::whole(&[Some(3); 20]), Some(&first));
        let trend = measure_trend(catalog(), lefs, &[first, later]);
        assert_eq!(trend.mcid_band, None);
        assert_eq!(trend.points.len(), 1);
    }

    #[test]
    fn no_band_for_a_measure_without_an_mcid() {
        let berg = catalog().get("berg").expect("berg");
        let first = given("berg", "2026-11-02", Answers::whole(&[Some(3); 14]), None);
        assert_eq!(measure_trend(catalog(), berg, &[first]).mcid_band, None);
    }
}
