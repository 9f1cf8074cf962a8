//! `GET /openapi.json`: the HTTP routes as OpenAPI 3.1, with the default environment's
//! generated schemas as components (`openenv validate` reads `info.version` and the paths).

use crate::catalog::Catalog;
use serde_json::{json, Map, Value};

/// The version of the HTTP API: OpenEnv's validator maps 1.x to its `openenv-http/1.x` profile.
pub const API_VERSION: &str = "1.0.0";

/// Moves a schema's `$defs` into `components` and points its `$ref`s there.
fn hoist(mut schema: Value, components: &mut Map<String, Value>) -> Value {
    if let Some(Value::Object(defs)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in defs {
            let v = hoist(v, components);
            components.entry(k).or_insert(v);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    rewrite_refs(&mut schema);
    schema
}

fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/components/schemas/{name}");
                }
            }
            o.values_mut().for_each(rewrite_refs);
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

fn body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn answer(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn refused() -> Value {
    answer(
        "Refused: {\"detail\": {\"code\", \"message\"}} (422 malformed, 409 refused by the environment)",
        json!({"type": "object", "properties": {"detail": {"type": "object"}}}),
    )
}

/// The document.
pub fn document(catalog: &Catalog) -> Value {
    let e = &catalog.envs[catalog.default];
    let mut components = Map::new();
    let action = hoist(e.schemas.action.clone(), &mut components);
    let observation = hoist(e.schemas.observation.clone(), &mut components);
    let state = hoist(e.schemas.state.clone(), &mut components);
    let reset = hoist(e.schemas.reset.clone(), &mut components);
    components.insert("Action".into(), action);
    components.insert("WireObservation".into(), observation);
    components.insert("WireState".into(), state);
    components.insert("ResetRequest".into(), reset);
    components.insert(
        "StepRequest".into(),
        json!({
            "type": "object",
            "description": "The action, and the reset fields of the fresh episode it is the first step of.",
            "properties": {
                "action": {"$ref": "#/components/schemas/Action"},
                "timeout_s": {"type": ["number", "null"]},
                "request_id": {"type": ["string", "null"]},
                "seed": {"type": ["integer", "null"], "minimum": 0},
                "env": {"type": "string"},
                "scenario": {"type": "string"},
            },
            "required": ["action"],
        }),
    );
    components.insert(
        "StepResponse".into(),
        json!({
            "type": "object",
            "properties": {
                "observation": {"$ref": "#/components/schemas/WireObservation"},
                "reward": {"type": ["number", "null"]},
                "done": {"type": "boolean"},
            },
            "required": ["observation", "reward", "done"],
        }),
    );
    let step_response = json!({"$ref": "#/components/schemas/StepResponse"});
    let object = json!({"type": "object"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Zero Trust Gym (OpenEnv HTTP API)",
            "version": API_VERSION,
            "description": format!(
                "OpenEnv's protocol for every ztgym environment ({}). Episodes live on the \
                 WebSocket at /ws ({{\"type\": reset|step|state|close|mcp, \"data\"}}); the HTTP \
                 reset, step and state routes make a fresh environment per request. Schemas \
                 below are the default environment's ({}); GET /schema?env=ID gives any.",
                catalog.envs.iter().map(|e| e.info.id).collect::<Vec<_>>().join(", "),
                e.info.id
            ),
        },
        "paths": {
            "/reset": {"post": {
                "summary": "Reset a fresh environment",
                "requestBody": body("ResetRequest"),
                "responses": {"200": answer("The first observation", step_response.clone()), "422": refused()},
            }},
            "/step": {"post": {
                "summary": "Reset a fresh environment and take one step",
                "requestBody": body("StepRequest"),
                "responses": {"200": answer("The observation after the step", step_response), "409": refused(), "422": refused()},
            }},
            "/state": {"get": {
                "summary": "The state of a fresh environment (?env=ID&scenario=NAME)",
                "responses": {"200": answer("The state", json!({"$ref": "#/components/schemas/WireState"}))},
            }},
            "/health": {"get": {
                "summary": "Health check",
                "responses": {"200": answer("{\"status\": \"healthy\"}", object.clone())},
            }},
            "/metadata": {"get": {
                "summary": "Name, description and every environment served (?env=ID: one)",
                "responses": {"200": answer("Metadata", object.clone())},
            }},
            "/schema": {"get": {
                "summary": "JSON Schemas of action, observation, state and reset data (?env=ID)",
                "responses": {"200": answer("Schemas", object.clone())},
            }},
            "/mcp": {"post": {
                "summary": "MCP over JSON-RPC 2.0: tools/list, tools/call, openenv/session/create|close",
                "requestBody": {"required": true, "content": {"application/json": {"schema": object.clone()}}},
                "responses": {"200": answer("A JSON-RPC 2.0 response", object)},
            }},
        },
        "components": {"schemas": components},
    })
}
