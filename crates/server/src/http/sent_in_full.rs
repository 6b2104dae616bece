//! Records the server always writes in full. Their `Option` fields are sent as `null` when
//! empty, never left out, but utoipa describes an `Option` field as one that may be absent.
//! For the records listed here the OpenAPI document says what is true (every property is
//! present), so the web's generated types need no `undefined` cases. A record that leaves a
//! field out (`skip_serializing_if`) must not be listed.

use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

const SENT_IN_FULL: &[&str] = &[
    "RunView",
    "RunResult",
    "TestResult",
    "RunSummary",
    "RunList",
    "RoomEvent",
    "CallMedia",
    "IceCandidate",
    "InterviewSummary",
    "SummaryInterview",
    "SummaryQuestion",
    "Scorecard",
    "Rating",
    "CriterionAggregate",
    "ScorecardList",
    "InterviewControls",
    "ExportScores",
    "Aggregate",
    "HistoryText",
    "HistoryEntryView",
];

/// Marks every property of the listed records (and of their variants) required.
pub fn require_every_field(doc: &mut OpenApi) {
    let schemas = &mut doc.components.as_mut().expect("the document has components").schemas;
    for name in SENT_IN_FULL {
        require_all(schemas.get_mut(*name).unwrap_or_else(|| panic!("{name} is in the OpenAPI document")));
    }
}

fn require_all(schema: &mut RefOr<Schema>) {
    match schema {
        RefOr::T(Schema::Object(object)) => object.required = object.properties.keys().cloned().collect(),
        RefOr::T(Schema::AllOf(all)) => all.items.iter_mut().for_each(require_all),
        RefOr::T(Schema::OneOf(one)) => one.items.iter_mut().for_each(require_all),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_listed_record_requires_each_of_its_properties() {
        let (_, doc) = crate::app::api();
        let json = serde_json::to_value(&doc).unwrap();
        let test_result = &json["components"]["schemas"]["TestResult"];
        let required: Vec<&str> =
            test_result["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        for property in ["reason", "time_ms", "expected_output", "output_truncated"] {
            assert!(required.contains(&property), "{property} is required: {required:?}");
        }
    }
}
