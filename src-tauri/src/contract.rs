//! The typed contract between Rust and the UI: TypeScript declarations of the types that
//! cross the IPC boundary, generated from the Rust types themselves (ts-rs) into
//! `ui/src/lib/contract.ts`. A test fails when that file differs from what the Rust types
//! say, so the UI cannot drift from the commands; `STRIDE_BLESS=1 cargo test -p
//! stride-desktop --test contract` writes it again after a change.
//!
//! Every type a command returns or takes is here; `ui/src/lib/types.ts` only re-exports
//! them under the names the screens use.

use ts_rs::{Config, TS};

/// One declaration, exported.
fn export<T: TS>(cfg: &Config) -> String {
    format!("export {}", T::decl(cfg))
}

/// The contract as TypeScript: one `export type` per Rust type, in a stable order.
pub fn typescript() -> String {
    // Counts and ids are well inside a double; none is a 64-bit quantity.
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        // Errors
        export::<crate::error::ErrorKind>(&cfg),
        export::<crate::error::CommandError>(&cfg),
        // Events
        export::<crate::desk::DeskEvent>(&cfg),
        // The schedule
        export::<stride_chart::schedule::AppointmentStatus>(&cfg),
        export::<stride_chart::schedule::Appointment>(&cfg),
        export::<stride_chart::schedule::StatusStep>(&cfg),
        export::<stride_protocol::hours::ClinicHours>(&cfg),
        export::<stride_protocol::hours::Closure>(&cfg),
        export::<stride_chart::calendar::ClosedDay>(&cfg),
        export::<stride_chart::calendar::ClosureMade>(&cfg),
        // The chart
        export::<stride_chart::patients::Patient>(&cfg),
        export::<stride_chart::patients::Coverage>(&cfg),
        export::<stride_chart::episodes::Episode>(&cfg),
        export::<stride_chart::alerts::AlertKind>(&cfg),
        export::<stride_chart::alerts::Urgency>(&cfg),
        export::<stride_chart::alerts::Alert>(&cfg),
        export::<stride_chart::notes::NoteKind>(&cfg),
        export::<stride_chart::signing::NoteStatus>(&cfg),
        export::<stride_chart::signing::TimelineEntry>(&cfg),
        export::<crate::desk::ChartView>(&cfg),
        // Who is signed in, and the status bar
        export::<stride_chart::Role>(&cfg),
        export::<crate::desk::UserView>(&cfg),
        export::<crate::sync::SyncView>(&cfg),
        export::<crate::desk::DeskStatus>(&cfg),
        export::<stride_chart::sync::issues::SyncIssue>(&cfg),
        export::<stride_chart::sync::issues::RefusedOp>(&cfg),
        export::<crate::sync::SyncIssuesView>(&cfg),
        export::<stride_chart::payers::Payer>(&cfg),
        export::<crate::desk::DiagnosisOption>(&cfg),
        export::<crate::desk::MeasureForm>(&cfg),
        // Notes and their billing
        export::<stride_chart::notes::NoteEdit>(&cfg),
        export::<stride_coding::UnitMethod>(&cfg),
        export::<stride_coding::Cents>(&cfg),
        export::<stride_coding::ChargeLine>(&cfg),
        export::<stride_coding::Unbilled>(&cfg),
        export::<stride_coding::Severity>(&cfg),
        export::<stride_coding::FindingKind>(&cfg),
        export::<stride_coding::Finding>(&cfg),
        export::<stride_coding::request::CodingReport>(&cfg),
        export::<stride_chart::notes::EvalComplexity>(&cfg),
        export::<stride_chart::notes::ServiceRow>(&cfg),
        export::<stride_chart::notes::FlowsheetRow>(&cfg),
        export::<stride_chart::signing::StoredChargeLine>(&cfg),
        export::<stride_chart::signing::Addendum>(&cfg),
        export::<stride_chart::signing::NoteView>(&cfg),
        export::<crate::desk::NoteScreen>(&cfg),
        // Insurance
        export::<stride_chart::insured::Insured>(&cfg),
        export::<stride_chart::insured::CoverageTerms>(&cfg),
        export::<stride_chart::episodes::Authorization>(&cfg),
        export::<stride_chart::episodes::NewAuthorization>(&cfg),
        export::<crate::insurance::Choice>(&cfg),
        export::<crate::insurance::CodeLists>(&cfg),
        export::<crate::insurance::InsuranceView>(&cfg),
        // Plans of care and their goals
        export::<stride_chart::plans::NewPlan>(&cfg),
        export::<stride_chart::plans::Plan>(&cfg),
        export::<stride_chart::goals::GoalStatus>(&cfg),
        export::<stride_chart::goals::GoalAssessment>(&cfg),
        export::<stride_chart::goals::GoalProgress>(&cfg),
        export::<stride_chart::goals::GoalSummary>(&cfg),
        export::<crate::schedule::ScheduleQuery>(&cfg),
        export::<crate::schedule::Clinician>(&cfg),
        export::<crate::schedule::ScheduleRow>(&cfg),
        export::<crate::schedule::ScheduleView>(&cfg),
        export::<stride_chart::series::SeriesRequest>(&cfg),
        export::<crate::schedule::PlannedVisitView>(&cfg),
        export::<crate::schedule::SeriesPlanView>(&cfg),
        export::<stride_chart::series::BookedSeries>(&cfg),
        // Quick text
        export::<stride_chart::quicktext::QuickTextUse>(&cfg),
        export::<stride_chart::quicktext::QuickText>(&cfg),
        // The chart's overview and banner
        export::<stride_chart::plans::Goal>(&cfg),
        export::<crate::overview::NextVisit>(&cfg),
        export::<crate::trend::TrendPoint>(&cfg),
        export::<crate::trend::PlottedBand>(&cfg),
        export::<crate::trend::MeasureTrend>(&cfg),
        export::<crate::trend::MeasureHistory>(&cfg),
        export::<stride_chart::banner::DiagnosisView>(&cfg),
        export::<stride_chart::banner::EpisodeBanner>(&cfg),
        export::<stride_chart::banner::PatientBanner>(&cfg),
        // Outcome measures
        export::<stride_measures::Answers>(&cfg),
        export::<stride_measures::Activity>(&cfg),
        export::<stride_measures::ScoreUnit>(&cfg),
        export::<stride_measures::ScoreStatus>(&cfg),
        export::<stride_measures::Score>(&cfg),
        export::<stride_measures::Trend>(&cfg),
        export::<stride_measures::ThresholdCheck>(&cfg),
        export::<stride_measures::Change>(&cfg),
        export::<stride_chart::measures::MeasureResult>(&cfg),
        export::<crate::desk::ScoreView>(&cfg),
        // Billing
        export::<stride_billing::ClaimStatus>(&cfg),
        export::<stride_chart::billing::claims::ClaimSummary>(&cfg),
        export::<stride_chart::billing::claims::AdjustmentView>(&cfg),
        export::<stride_chart::billing::claims::ClaimLine>(&cfg),
        export::<stride_chart::billing::claims::ClaimEvent>(&cfg),
        export::<stride_chart::billing::claims::ClaimDetail>(&cfg),
        export::<stride_billing::scrub::Level>(&cfg),
        export::<stride_billing::scrub::Check>(&cfg),
        export::<stride_billing::scrub::FixAt>(&cfg),
        export::<stride_billing::scrub::ModifierFix>(&cfg),
        export::<stride_billing::scrub::Finding>(&cfg),
        export::<stride_chart::billing::scrub::ScrubReport>(&cfg),
        export::<crate::billing::ClaimScreen>(&cfg),
        export::<stride_chart::billing::reports::Buckets>(&cfg),
        export::<stride_chart::billing::reports::PayerAging>(&cfg),
        export::<stride_chart::billing::reports::PatientBalance>(&cfg),
        export::<stride_chart::billing::reports::Refund>(&cfg),
        export::<stride_chart::billing::reports::ArReport>(&cfg),
        export::<stride_chart::billing::reports::Denial>(&cfg),
        export::<crate::billing::BillingView>(&cfg),
        export::<stride_chart::billing::build::Skipped>(&cfg),
        export::<stride_chart::billing::build::BuildReport>(&cfg),
        export::<stride_chart::billing::remit::ProviderAdjustmentView>(&cfg),
        export::<stride_chart::billing::remit::Payment>(&cfg),
        export::<stride_chart::billing::remit::Posted>(&cfg),
        export::<stride_chart::billing::remit::Unmatched>(&cfg),
        export::<stride_chart::billing::remit::ImportReport>(&cfg),
        export::<crate::billing::ExportView>(&cfg),
        export::<stride_chart::billing::reports::ProductionRow>(&cfg),
        export::<stride_chart::billing::profile::BillingProfile>(&cfg),
        export::<stride_chart::billing::profile::PayerBilling>(&cfg),
        export::<stride_chart::billing::profile::PostalAddress>(&cfg),
        export::<crate::billing::BillingSetup>(&cfg),
    ];
    format!(
        "// Generated from the Rust types by src-tauri/src/contract.rs (ts-rs): do not edit.\n\
         // After changing a type: STRIDE_BLESS=1 cargo test -p stride-desktop --test contract\n\n{}\n",
        declarations.join("\n\n")
    )
}
