//! The HTTP routes. As in OpenEnv's reference server, `/reset`, `/step` and `/state` make a
//! fresh environment for each request and keep nothing: episodes live on `/ws` (or in MCP
//! sessions opened with `openenv/session/create`).

use crate::mcp;
use crate::openapi;
use crate::protocol::{quote, Code, WireError};
use crate::shared::Shared;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type Params = Query<HashMap<String, String>>;

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value)
}

/// FastAPI's shape for a refused request: `{"detail": {"code", "message"}}`.
fn refused(e: &WireError) -> Response {
    let status = match e.code {
        Code::ExecutionError => StatusCode::CONFLICT,
        Code::CapacityReached => StatusCode::SERVICE_UNAVAILABLE,
        Code::FactoryError | Code::SessionError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    refused_with(status, e)
}

fn refused_with(status: StatusCode, e: &WireError) -> Response {
    json_response(
        status,
        &json!({"detail": {"code": e.code.as_str(), "message": e.message}}),
    )
}

/// A JSON object body; an empty body is `{}`.
fn object_body(body: &[u8]) -> Result<Map<String, Value>, WireError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(WireError::new(
            Code::ValidationError,
            "the body must be a JSON object",
        )),
        Err(e) => Err(WireError::new(
            Code::InvalidJson,
            format!("Invalid JSON: {e}"),
        )),
    }
}

/// A request that took longer than the server waits.
pub fn timed_out() -> Response {
    refused_with(
        StatusCode::REQUEST_TIMEOUT,
        &WireError::new(
            Code::ValidationError,
            "the request did not arrive whole within the server's time limit",
        ),
    )
}

/// `run`, with a panic turned into `SESSION_ERROR`: one request's fault is answered, and no
/// other request or session is touched.
fn guarded<T>(run: impl FnOnce() -> Result<T, WireError>) -> Result<T, WireError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        Err(WireError::new(
            Code::SessionError,
            "Internal error: the request failed",
        ))
    })
}

pub async fn health() -> Response {
    ok(&json!({"status": "healthy"}))
}

/// Every environment served; `?env=ID`: that one, in OpenEnv's `EnvironmentMetadata` shape.
pub async fn metadata(State(s): State<Arc<Shared>>, Query(q): Params) -> Response {
    let all = s.catalog.metadata();
    match q.get("env") {
        None => ok(&all),
        Some(id) => match s.catalog.get(Some(id)) {
            Ok(e) => ok(&json!({
                "name": e.info.id,
                "description": format!("{}: {}", e.info.name, e.info.summary),
                "version": ztgym::VERSION,
                "author": "ztgym",
                "readme_content": null,
                "documentation_url": null,
                "scenarios": e.scenarios,
                "default_scenario": e.default_scenario,
            })),
            Err(m) => refused(&WireError::new(Code::ValidationError, m)),
        },
    }
}

/// `{action, observation, state}` (and `reset`, the reset data) of the default environment,
/// or of `?env=ID`.
pub async fn schema(State(s): State<Arc<Shared>>, Query(q): Params) -> Response {
    match s.catalog.get(q.get("env").map(String::as_str)) {
        Ok(e) => ok(&json!({
            "env": e.info.id,
            "action": e.schemas.action,
            "observation": e.schemas.observation,
            "state": e.schemas.state,
            "reset": e.schemas.reset,
        })),
        Err(m) => refused(&WireError::new(Code::ValidationError, m)),
    }
}

pub async fn openapi(State(s): State<Arc<Shared>>) -> Response {
    ok(&openapi::document(&s.catalog))
}

/// `POST /reset`: a fresh environment reset with the body's `seed`, `env`, `scenario` and
/// options; `{"observation", "reward", "done"}`.
pub async fn reset(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let run = || {
        let data = object_body(&body)?;
        s.new_session()?.reset(data)
    };
    match guarded(run) {
        Ok(v) => ok(&v),
        Err(e) => refused(&e),
    }
}

/// `POST /step` with `{"action": {...}}`: a fresh environment reset with the body's other
/// fields (`seed`, `env`, `scenario`, options; `timeout_s` and `request_id` are ignored), then
/// one step: the first step of that episode.
pub async fn step(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let run = || {
        let mut data = object_body(&body)?;
        let action = match data.remove("action") {
            Some(Value::Object(a)) => a,
            Some(_) => {
                return Err(WireError::new(
                    Code::ValidationError,
                    "action must be an object",
                ))
            }
            None => return Err(WireError::new(Code::ValidationError, "action: missing")),
        };
        // Read and ignored, as OpenEnv's server reads them: only their types are checked.
        for (key, fits) in [
            ("timeout_s", Value::is_number as fn(&Value) -> bool),
            ("request_id", Value::is_string),
        ] {
            if let Some(v) = data.remove(key).filter(|v| !v.is_null() && !fits(v)) {
                return Err(WireError::new(
                    Code::ValidationError,
                    format!(
                        "{key}: {} is not a {}",
                        quote(&v.to_string()),
                        if key == "timeout_s" {
                            "number"
                        } else {
                            "string"
                        }
                    ),
                ));
            }
        }
        let mut session = s.new_session()?;
        session.reset(data)?;
        session.step(action)
    };
    match guarded(run) {
        Ok(v) => ok(&v),
        Err(e) => refused(&e),
    }
}

/// `GET /state`: the state of a fresh environment (`?env=ID&scenario=NAME`), before any reset.
pub async fn state(State(s): State<Arc<Shared>>, Query(q): Params) -> Response {
    let run = || {
        let mut session = s.new_session()?;
        session.select(
            q.get("env").map(String::as_str),
            q.get("scenario").map(String::as_str),
        )?;
        Ok::<_, WireError>(session.state())
    };
    match guarded(run) {
        Ok(v) => ok(&v),
        // Both query values fit the document's enums, yet this environment has no such
        // scenario: not found, as a resource path naming nothing would be.
        Err(e) if e.message.starts_with(ztgym::registry::UNKNOWN_SCENARIO) => {
            refused_with(StatusCode::NOT_FOUND, &e)
        }
        Err(e) => refused(&e),
    }
}

/// `POST /mcp`: JSON-RPC 2.0. `tools/list` (of `params.env`, or of a session) and
/// `tools/call` (on a session given by `params.session_id`; without one, on a fresh
/// environment reset with `params.seed`, `env`, `scenario`: its first step);
/// `openenv/session/create` (reset data in params: takes a session slot) and
/// `openenv/session/close`; `initialize`, `ping`.
/// Every answer is 200 with a JSON-RPC payload, a parse error or an invalid request included,
/// as OpenEnv's server answers (`openenv validate` posts `{}` and requires a 200).
pub async fn mcp(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return ok(&mcp::error(
                &Value::Null,
                mcp::PARSE_ERROR,
                format!("Parse error: {e}"),
            ))
        }
    };
    match mcp::parse(&value) {
        Ok(req) => {
            let id = req.id.clone();
            match guarded(|| Ok(rpc(&s, req))) {
                Ok(reply) => ok(&reply),
                Err(e) => ok(&mcp::error(&id, mcp::INTERNAL_ERROR, e.message)),
            }
        }
        Err(reply) => ok(&reply),
    }
}

fn rpc(s: &Shared, req: mcp::Request) -> Value {
    let id = &req.id;
    let session_id = req.params.get("session_id").cloned();
    match req.method.as_str() {
        "openenv/session/create" => {
            let mut data = req.params.clone();
            data.remove("session_id");
            let (slot, mut session) = match s.open_mcp() {
                Ok(x) => x,
                Err(e) => {
                    return json!({"jsonrpc": "2.0", "id": id, "error": {
                        "code": mcp::SERVER_ERROR, "message": e.message,
                        "data": {"code": e.code.as_str(), "active_sessions": s.mcp_capacity.active(), "max_sessions": s.mcp_capacity.max()},
                    }})
                }
            };
            match session.reset(data) {
                Ok(mut reply) => {
                    let sid = s.add_mcp_session(session, slot);
                    reply["session_id"] = json!(sid);
                    mcp::success(id, reply)
                }
                Err(e) => mcp::error(id, mcp::INVALID_PARAMS, e.message),
            }
        }
        "openenv/session/close" => {
            let Some(sid) = session_id.as_ref().and_then(Value::as_str) else {
                return mcp::error(
                    id,
                    mcp::INVALID_PARAMS,
                    "Invalid params - 'session_id' is required",
                );
            };
            let removed = s
                .mcp_sessions
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(sid);
            match removed {
                Some(_) => mcp::success(id, json!({"session_id": sid, "closed": true})),
                None => mcp::error(
                    id,
                    mcp::INVALID_PARAMS,
                    format!("Unknown session_id: {}", quote(sid)),
                ),
            }
        }
        _ if session_id.is_some() => {
            let sid = session_id
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default();
            let mut map = s.mcp_sessions.lock().unwrap_or_else(|p| p.into_inner());
            match map.get_mut(sid) {
                Some(m) => {
                    m.last = Instant::now();
                    m.session.mcp_request(&req)
                }
                None => mcp::error(
                    id,
                    mcp::INVALID_PARAMS,
                    format!("Unknown session_id: {}", quote(sid)),
                ),
            }
        }
        "tools/list" => match s.catalog.get(req.params.get("env").and_then(Value::as_str)) {
            Ok(e) => mcp::success(id, json!({"tools": e.tools.list})),
            Err(m) => mcp::error(id, mcp::INVALID_PARAMS, m),
        },
        "tools/call" => {
            let mut data = req.params.clone();
            for k in ["name", "arguments"] {
                data.remove(k);
            }
            let mut session = match s.new_session() {
                Ok(x) => x,
                Err(e) => return mcp::error(id, mcp::INTERNAL_ERROR, e.message),
            };
            match session.reset(data) {
                Ok(_) => session.mcp_request(&req),
                Err(e) => mcp::error(id, mcp::INVALID_PARAMS, e.message),
            }
        }
        _ => match s.new_session() {
            Ok(mut session) => session.mcp_request(&req),
            Err(e) => mcp::error(id, mcp::INTERNAL_ERROR, e.message),
        },
    }
}
