//! `GET /openapi.json`: the HTTP routes as OpenAPI 3.1, describing every environment served.
//! Each environment's generated schemas go into `components` under its id (`sre_Action`,
//! `triage_WireObservation`, ...); what a route takes or answers is the union over the
//! environments (`anyOf`). A reset or step body that names no `env` is the default
//! environment's, so only that variant lets `env` out. `openenv validate` reads `info.version`
//! and the paths.

use crate::catalog::{Catalog, EnvEntry};
use serde_json::{json, Map, Value};

/// The version of the HTTP API: OpenEnv's validator maps 1.x to its `openenv-http/1.x` profile.
pub const API_VERSION: &str = "1.0.0";

/// Moves a schema's `$defs` into `components` under `prefix` and points its `$ref`s there.
fn hoist(prefix: &str, mut schema: Value, components: &mut Map<String, Value>) -> Value {
    if let Some(Value::Object(defs)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in defs {
            let v = hoist(prefix, v, components);
            components.entry(format!("{prefix}_{k}")).or_insert(v);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    rewrite_refs(prefix, &mut schema);
    schema
}

fn rewrite_refs(prefix: &str, v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/components/schemas/{prefix}_{name}");
                }
            }
            o.values_mut().for_each(|v| rewrite_refs(prefix, v));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rewrite_refs(prefix, v)),
        _ => {}
    }
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": reference(schema)}}})
}

fn answer(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn refused(description: &str) -> Value {
    answer(
        description,
        json!({
            "type": "object",
            "properties": {"detail": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["code", "message"],
            }},
            "required": ["detail"],
        }),
    )
}

/// One environment's reset data as a body: `env` must name it, except for the default
/// environment, where it may be left out.
fn reset_body(e: &EnvEntry, is_default: bool, components: &mut Map<String, Value>) -> Value {
    let mut reset = hoist(e.info.id, e.schemas.reset.clone(), components);
    if is_default {
        reset["properties"]["env"] = json!({"enum": [e.info.id, null]});
    } else {
        reset["properties"]["env"] = json!({"const": e.info.id});
        reset["required"] = json!(["env"]);
    }
    reset
}

/// The schemas each environment has one of (`sre_Action`, ...), and their unions.
const UNION_KINDS: [&str; 5] = [
    "Action",
    "WireObservation",
    "WireState",
    "ResetRequest",
    "StepRequest",
];

/// The document.
pub fn document(catalog: &Catalog) -> Value {
    let mut components = Map::new();
    for (i, e) in catalog.envs.iter().enumerate() {
        let id = e.info.id;
        let action = hoist(id, e.schemas.action.clone(), &mut components);
        let observation = hoist(id, e.schemas.observation.clone(), &mut components);
        let state = hoist(id, e.schemas.state.clone(), &mut components);
        let reset = reset_body(e, i == catalog.default, &mut components);
        let mut step = reset.clone();
        let props = step["properties"]
            .as_object_mut()
            .expect("an object schema");
        props.insert("action".into(), reference(&format!("{id}_Action")));
        props.insert("timeout_s".into(), json!({"type": ["number", "null"]}));
        props.insert("request_id".into(), json!({"type": ["string", "null"]}));
        let mut required = step["required"].as_array().cloned().unwrap_or_default();
        required.push(json!("action"));
        step["required"] = Value::Array(required);
        step["description"] = json!(format!(
            "A {id} action, and the reset fields of the fresh episode it is the first step of."
        ));
        let schemas = [action, observation, state, reset, step];
        for (kind, schema) in UNION_KINDS.into_iter().zip(schemas) {
            components.insert(format!("{id}_{kind}"), schema);
        }
    }
    // What a route takes or answers: any environment's.
    for kind in UNION_KINDS {
        let any: Vec<Value> = catalog
            .envs
            .iter()
            .map(|e| reference(&format!("{}_{kind}", e.info.id)))
            .collect();
        components.insert(kind.into(), json!({ "anyOf": any }));
    }
    components.insert(
        "StepResponse".into(),
        json!({
            "type": "object",
            "properties": {
                "observation": reference("WireObservation"),
                "reward": {"type": ["number", "null"]},
                "done": {"type": "boolean"},
            },
            "required": ["observation", "reward", "done"],
        }),
    );
    components.insert(
        "JsonRpcRequest".into(),
        json!({
            "type": "object",
            "properties": {
                "jsonrpc": {"const": "2.0"},
                "method": {"type": "string"},
                "params": {"type": "object"},
                "id": {"anyOf": [
                    {"type": "string", "maxLength": crate::mcp::MAX_ID_BYTES},
                    {"type": "integer", "minimum": -(1i64 << 53), "maximum": 1i64 << 53},
                    {"type": "null"},
                ]},
            },
            "required": ["jsonrpc", "method"],
            "additionalProperties": false,
        }),
    );
    let step_response = reference("StepResponse");
    let object = json!({"type": "object"});
    let env_param = json!({
        "name": "env", "in": "query", "required": false,
        "schema": {"enum": catalog.envs.iter().map(|e| e.info.id).collect::<Vec<_>>()},
    });
    let scenarios: Vec<&str> = catalog
        .envs
        .iter()
        .flat_map(|e| e.scenarios.iter().map(String::as_str))
        .collect();
    let scenario_param = json!({
        "name": "scenario", "in": "query", "required": false,
        "description": "A scenario of the environment named (of the default one when env is absent).",
        "schema": {"enum": scenarios},
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Zero Trust Gym (OpenEnv HTTP API)",
            "version": API_VERSION,
            "description": format!(
                "OpenEnv's protocol for every ztgym environment ({}). Episodes live on the \
                 WebSocket at /ws ({{\"type\": reset|step|state|close|mcp, \"data\"}}); the HTTP \
                 reset, step and state routes make a fresh environment per request. A body \
                 without env is for the default environment ({}). A scenario is a built-in \
                 name, or one the operator loaded with --scenarios; never a path.",
                catalog.envs.iter().map(|e| e.info.id).collect::<Vec<_>>().join(", "),
                catalog.envs[catalog.default].info.id
            ),
        },
        "paths": {
            "/reset": {"post": {
                "summary": "Reset a fresh environment",
                "requestBody": {"required": false, "content": {"application/json": {"schema": reference("ResetRequest")}}},
                "responses": {
                    "200": answer("The first observation", step_response.clone()),
                    "408": refused("The request did not arrive in time"),
                    "422": refused("Malformed: VALIDATION_ERROR or INVALID_JSON"),
                },
            }},
            "/step": {"post": {
                "summary": "Reset a fresh environment and take one step",
                "requestBody": body("StepRequest"),
                "responses": {
                    "200": answer("The observation after the step", step_response),
                    "408": refused("The request did not arrive in time"),
                    "409": refused("EXECUTION_ERROR: the environment refused the action (an unknown node, say)"),
                    "422": refused("Malformed: VALIDATION_ERROR or INVALID_JSON"),
                },
            }},
            "/state": {"get": {
                "summary": "The state of a fresh environment",
                "parameters": [env_param.clone(), scenario_param],
                "responses": {
                    "200": answer("The state", reference("WireState")),
                    "404": refused("No such scenario for the environment named"),
                    "422": refused("An unknown environment"),
                },
            }},
            "/health": {"get": {
                "summary": "Health check",
                "responses": {"200": answer("{\"status\": \"healthy\"}", object.clone())},
            }},
            "/metadata": {"get": {
                "summary": "Name, description and every environment served (?env=ID: one)",
                "parameters": [env_param.clone()],
                "responses": {
                    "200": answer("Metadata", object.clone()),
                    "422": refused("An unknown environment"),
                },
            }},
            "/schema": {"get": {
                "summary": "JSON Schemas of action, observation, state and reset data (?env=ID)",
                "parameters": [env_param],
                "responses": {
                    "200": answer("Schemas", object.clone()),
                    "422": refused("An unknown environment"),
                },
            }},
            "/mcp": {"post": {
                "summary": "MCP over JSON-RPC 2.0: tools/list, tools/call, openenv/session/create|close",
                // Any body: what is not a JSON-RPC request is answered 200 with the JSON-RPC
                // error, as OpenEnv's server does, so nothing sent is refused at the HTTP level.
                "requestBody": {"required": false, "content": {"application/json": {"schema": {
                    "description": "A JSON-RPC 2.0 request (JsonRpcRequest); anything else is answered with the JSON-RPC error",
                }}}},
                "responses": {
                    "200": answer("A JSON-RPC 2.0 response, errors included (a body that is not a request: the error with id null)", object),
                    "408": refused("The request did not arrive in time"),
                },
            }},
        },
        "components": {"schemas": components},
    })
}
