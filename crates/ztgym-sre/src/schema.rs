//! JSON Schemas of the types whose JSON form is written by hand (`Serialize` impls in
//! `siem.rs` and `observation.rs`), for the server's `/schema` (feature `schema`). The other
//! types derive theirs. `ztgym-server`'s tests check every observation, info and state of real
//! episodes against these schemas, so a change to a `Serialize` impl that is not made here too
//! fails there.

use crate::judge::Reason;
use crate::observation::{ActionMask, Event};
use crate::siem::{Alert, LogLine};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

fn names(description: &str) -> serde_json::Value {
    serde_json::json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

impl JsonSchema for Alert {
    fn schema_name() -> Cow<'static, str> {
        "Alert".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let string = serde_json::json!({ "type": "string" });
        json_schema!({
            "description": "One SIEM alert, in the Elastic Common Schema's field names.",
            "type": "object",
            "properties": {
                "@timestamp": { "type": "string", "format": "date-time" },
                "event": {
                    "type": "object",
                    "properties": {
                        "id": { "type": "string", "description": "ALR-0001, ..." },
                        "kind": { "const": "alert" },
                        "severity": { "type": "integer", "description": "1, 21, 47, 73 or 99" },
                        "step": { "type": "integer", "minimum": 0 },
                        "reference": string
                    },
                    "required": ["id", "kind", "severity", "step"]
                },
                "log": {
                    "type": "object",
                    "properties": {
                        "level": { "enum": ["info", "low", "medium", "high", "critical"] }
                    },
                    "required": ["level"]
                },
                "host": {
                    "type": "object",
                    "properties": { "name": string },
                    "required": ["name"]
                },
                "source": {
                    "type": "object",
                    "properties": { "ip": string },
                    "required": ["ip"]
                },
                "rule": {
                    "type": "object",
                    "properties": { "name": string },
                    "required": ["name"]
                },
                "vulnerability": {
                    "type": "object",
                    "properties": {
                        "id": string,
                        "score": {
                            "type": "object",
                            "properties": { "base": { "type": "number" } },
                            "required": ["base"]
                        },
                        "description": string
                    },
                    "required": ["id", "score", "description"]
                },
                "threat": {
                    "type": "object",
                    "properties": {
                        "technique": {
                            "type": "object",
                            "properties": { "id": string },
                            "required": ["id"]
                        }
                    },
                    "required": ["technique"]
                },
                "message": string
            },
            "required": ["@timestamp", "event", "log", "host", "source", "rule", "message"]
        })
    }
}

/// A reason is a string in JSON: the same schema as before it was written lazily.
impl JsonSchema for Reason {
    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

impl JsonSchema for LogLine {
    fn schema_name() -> Cow<'static, str> {
        "LogLine".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "One log line as key=value text: `2026-01-01T00:00:00Z SERVICE=payment EVENT=...`.",
            "type": "string"
        })
    }
}

impl JsonSchema for Event {
    fn schema_name() -> Cow<'static, str> {
        "Event".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "One thing that happened in a step, with its share of the reward and cost.",
            "type": "object",
            "properties": {
                "kind": { "type": "string", "description": "A stable snake_case name: queried, ticket_filed, violation, contained, ..." },
                "reward": { "type": "number" },
                "cost": { "type": "number" },
                "message": { "type": "string", "description": "The sentence shown to people." }
            },
            "required": ["kind", "reward", "cost", "message"],
            "additionalProperties": false
        })
    }
}

impl JsonSchema for ActionMask {
    fn schema_name() -> Cow<'static, str> {
        "ActionMask".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The well-formed actions now (rule-breaking ones included): the nodes each tool may name, the tickets whose verdict can be checked, the CVEs seen in logs.",
            "type": "object",
            "properties": {
                "query_siem_logs": names("nodes"),
                "file_ticket": names("nodes"),
                "check_approval": names("ticket ids"),
                "isolate_node": names("nodes"),
                "restore_node": names("nodes"),
                "patch_node": names("nodes"),
                "patch_cves": names("CVE ids seen in logs, for patch_node"),
                "wait": { "const": true }
            },
            "required": ["query_siem_logs", "file_ticket", "check_approval", "isolate_node",
                         "restore_node", "patch_node", "patch_cves", "wait"],
            "additionalProperties": false
        })
    }
}
