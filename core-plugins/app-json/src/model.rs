//! The app.json structure as upstream's Go code understands it, decoded with Go's
//! `encoding/json` rules (keys matched case-insensitively, unknown keys ignored, `null`
//! clears pointers, slices and maps and leaves other values alone, a type mismatch fails)
//! and encoded the way `json.Marshal` writes that struct (field order, `omitempty`, `null`
//! for absent slices and maps, sorted map keys).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use dokku_common::text::push_go_json_string;

/// Decoding state: where we are (for error messages) and the first type error.
#[derive(Default)]
pub struct Ctx {
    path: Vec<String>,
    structs: Vec<&'static str>,
    error: Option<String>,
}

impl Ctx {
    fn mismatch(&mut self, value: &Value, go_type: &str) {
        if self.error.is_some() {
            return;
        }
        let kind = match value {
            Value::Null => "null".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Number(n) => format!("number {n}"),
            Value::String(_) => "string".to_string(),
            Value::Array(_) => "array".to_string(),
            Value::Object(_) => "object".to_string(),
        };
        let kind = if matches!(value, Value::Number(_)) && !go_type.starts_with("int") {
            "number".to_string()
        } else {
            kind
        };
        self.error = Some(match self.structs.last() {
            Some(s) if !self.path.is_empty() => format!(
                "json: cannot unmarshal {kind} into Go struct field {s}.{} of type {go_type}",
                self.path.join(".")
            ),
            _ => format!("json: cannot unmarshal {kind} into Go value of type {go_type}"),
        });
    }

    fn set_error(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    fn within<T>(&mut self, key: &str, f: impl FnOnce(&mut Ctx) -> T) -> T {
        self.path.push(key.to_string());
        let out = f(self);
        self.path.pop();
        out
    }

    pub fn into_error(self) -> Option<String> {
        self.error
    }
}

/// Something decodable in place, Go style.
pub trait Decode: Default {
    const GO_TYPE: &'static str;
    fn decode(&mut self, value: &Value, cx: &mut Ctx);
}

/// Something encodable as Go's `json.Marshal` would.
pub trait Encode {
    fn encode(&self, out: &mut String);
    /// Whether `omitempty` drops it.
    fn is_empty_value(&self) -> bool {
        false
    }
}

impl Decode for String {
    const GO_TYPE: &'static str = "string";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        match value {
            Value::Null => {}
            Value::String(s) => *self = s.clone(),
            other => cx.mismatch(other, Self::GO_TYPE),
        }
    }
}

impl Encode for String {
    fn encode(&self, out: &mut String) {
        push_go_json_string(out, self);
    }
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl Decode for bool {
    const GO_TYPE: &'static str = "bool";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        match value {
            Value::Null => {}
            Value::Bool(b) => *self = *b,
            other => cx.mismatch(other, Self::GO_TYPE),
        }
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
    fn is_empty_value(&self) -> bool {
        !*self
    }
}

/// Go's `int` (64-bit).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Int(pub i64);

/// Go's `int32`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Int32(pub i32);

fn decode_integer(value: &Value, cx: &mut Ctx, go_type: &str) -> Option<i64> {
    match value {
        Value::Null => None,
        Value::Number(n) => match n.as_i64() {
            Some(v) => Some(v),
            None => {
                cx.mismatch(value, go_type);
                None
            }
        },
        other => {
            cx.mismatch(other, go_type);
            None
        }
    }
}

impl Decode for Int {
    const GO_TYPE: &'static str = "int";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        if let Some(v) = decode_integer(value, cx, Self::GO_TYPE) {
            self.0 = v;
        }
    }
}

impl Encode for Int {
    fn encode(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
    fn is_empty_value(&self) -> bool {
        self.0 == 0
    }
}

impl Decode for Int32 {
    const GO_TYPE: &'static str = "int32";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        if let Some(v) = decode_integer(value, cx, Self::GO_TYPE) {
            match i32::try_from(v) {
                Ok(v) => self.0 = v,
                Err(_) => cx.mismatch(value, Self::GO_TYPE),
            }
        }
    }
}

impl Encode for Int32 {
    fn encode(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
    fn is_empty_value(&self) -> bool {
        self.0 == 0
    }
}

/// A Go pointer: `null` clears it, anything else decodes into the pointee.
impl<T: Decode> Decode for Option<Box<T>> {
    const GO_TYPE: &'static str = T::GO_TYPE;
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        if value.is_null() {
            *self = None;
            return;
        }
        self.get_or_insert_with(Default::default).decode(value, cx);
    }
}

impl<T: Encode> Encode for Option<Box<T>> {
    fn encode(&self, out: &mut String) {
        match self {
            Some(v) => v.encode(out),
            None => out.push_str("null"),
        }
    }
    fn is_empty_value(&self) -> bool {
        self.is_none()
    }
}

/// A Go slice: `None` is nil (encoded `null`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Slice<T>(pub Option<Vec<T>>);

impl<T: Decode> Decode for Slice<T> {
    const GO_TYPE: &'static str = "slice";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        match value {
            Value::Null => self.0 = None,
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let mut element = T::default();
                    element.decode(item, cx);
                    out.push(element);
                }
                self.0 = Some(out);
            }
            other => cx.mismatch(other, &format!("[]{}", T::GO_TYPE)),
        }
    }
}

impl<T: Encode> Encode for Slice<T> {
    fn encode(&self, out: &mut String) {
        match &self.0 {
            None => out.push_str("null"),
            Some(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.encode(out);
                }
                out.push(']');
            }
        }
    }
    fn is_empty_value(&self) -> bool {
        self.0.as_ref().is_none_or(Vec::is_empty)
    }
}

/// A Go `map[string]T`: `None` is nil; decoding merges into an existing map.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct StrMap<T>(pub Option<BTreeMap<String, T>>);

impl<T: Decode> Decode for StrMap<T> {
    const GO_TYPE: &'static str = "map";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        match value {
            Value::Null => self.0 = None,
            Value::Object(map) => {
                let target = self.0.get_or_insert_with(BTreeMap::new);
                for (key, item) in map {
                    let mut element = T::default();
                    cx.within(key, |cx| element.decode(item, cx));
                    target.insert(key.clone(), element);
                }
            }
            other => cx.mismatch(other, &format!("map[string]{}", T::GO_TYPE)),
        }
    }
}

impl<T: Encode> Encode for StrMap<T> {
    fn encode(&self, out: &mut String) {
        match &self.0 {
            None => out.push_str("null"),
            Some(map) => {
                out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_go_json_string(out, key);
                    out.push(':');
                    item.encode(out);
                }
                out.push('}');
            }
        }
    }
    fn is_empty_value(&self) -> bool {
        self.0.as_ref().is_none_or(BTreeMap::is_empty)
    }
}

/// Decode an object into a struct: each key goes to the field whose JSON name matches it
/// exactly, else case-insensitively.
fn decode_struct(
    value: &Value,
    cx: &mut Ctx,
    name: &'static str,
    fields: &[&str],
    mut field: impl FnMut(usize, &Value, &mut Ctx),
) {
    let map: &Map<String, Value> = match value {
        Value::Null => return,
        Value::Object(map) => map,
        other => {
            cx.mismatch(other, name);
            return;
        }
    };
    // Go names the struct type in errors; anonymous struct types have no name.
    let short = if name.starts_with("struct {") {
        ""
    } else {
        name.rsplit('.').next().unwrap_or(name)
    };
    cx.structs.push(short);
    for (key, item) in map {
        let index = fields
            .iter()
            .position(|f| f == key)
            .or_else(|| fields.iter().position(|f| f.eq_ignore_ascii_case(key)));
        if let Some(index) = index {
            cx.within(fields[index], |cx| field(index, item, cx));
        }
    }
    cx.structs.pop();
}

/// Writes `{"a":…,"b":…}`, skipping `omitempty` fields that are empty.
struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    fn new(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    fn field(&mut self, name: &str, value: &dyn Encode, omitempty: bool) {
        if omitempty && value.is_empty_value() {
            return;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        push_go_json_string(self.out, name);
        self.out.push(':');
        value.encode(self.out);
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// Declares a Go struct: its fields, JSON names and `omitempty` flags.
macro_rules! go_struct {
    ($name:ident, $go:literal, { $($field:ident : $ty:ty => $json:literal $(, $omit:ident)?;)* }) => {
        #[derive(Debug, Default, Clone, PartialEq)]
        pub struct $name {
            $(pub $field: $ty,)*
        }

        impl Decode for $name {
            const GO_TYPE: &'static str = $go;
            fn decode(&mut self, value: &Value, cx: &mut Ctx) {
                const FIELDS: &[&str] = &[$($json),*];
                decode_struct(value, cx, $go, FIELDS, |index, item, cx| {
                    let mut i = 0;
                    $(
                        if index == i {
                            self.$field.decode(item, cx);
                        }
                        i += 1;
                    )*
                    let _ = i;
                });
            }
        }

        impl Encode for $name {
            fn encode(&self, out: &mut String) {
                let mut w = ObjectWriter::new(out);
                $( w.field($json, &self.$field, go_struct!(@omit $($omit)?)); )*
                w.end();
            }
        }
    };
    (@omit omitempty) => { true };
    (@omit) => { false };
}

go_struct!(Buildpack, "appjson.Buildpack", {
    url: String => "url";
});

go_struct!(CronTask, "appjson.CronTask", {
    command: String => "command";
    maintenance: bool => "maintenance";
    schedule: String => "schedule";
    concurrency_policy: String => "concurrency_policy";
});

go_struct!(EnvVarFields, "appjson.envVarAlias", {
    description: String => "description", omitempty;
    value: String => "value", omitempty;
    required: Option<Box<bool>> => "required", omitempty;
    generator: String => "generator", omitempty;
    sync: bool => "sync", omitempty;
});

/// An env entry: a plain string is its value, an object its full definition.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EnvVar(pub EnvVarFields);

impl Decode for EnvVar {
    const GO_TYPE: &'static str = "appjson.EnvVarValue";
    fn decode(&mut self, value: &Value, cx: &mut Ctx) {
        match value {
            Value::String(s) => self.0.value = s.clone(),
            Value::Null => self.0.value = String::new(),
            Value::Object(_) => {
                // A custom unmarshaler: errors inside carry no struct context.
                let mut inner = Ctx::default();
                self.0.decode(value, &mut inner);
                if let Some(e) = inner.into_error() {
                    cx.set_error(e);
                }
            }
            other => {
                let mut inner = Ctx::default();
                inner.mismatch(other, "appjson.envVarAlias");
                if let Some(e) = inner.into_error() {
                    cx.set_error(e);
                }
            }
        }
    }
}

impl Encode for EnvVar {
    fn encode(&self, out: &mut String) {
        self.0.encode(out);
    }
}

impl EnvVar {
    /// Required unless it says otherwise (Heroku's rule).
    pub fn is_required(&self) -> bool {
        self.0.required.as_deref().copied().unwrap_or(true)
    }
}

go_struct!(FormationService, "appjson.FormationService", {
    exposed: bool => "exposed";
});

go_struct!(AutoscalingTrigger, "appjson.FormationAutoscalingTrigger", {
    name: String => "name", omitempty;
    kind: String => "type", omitempty;
    metadata: StrMap<String> => "metadata", omitempty;
});

go_struct!(FormationAutoscaling, "appjson.FormationAutoscaling", {
    cooldown_period_seconds: Option<Box<Int>> => "cooldown_period_seconds", omitempty;
    max_quantity: Option<Box<Int>> => "max_quantity", omitempty;
    min_quantity: Option<Box<Int>> => "min_quantity", omitempty;
    polling_interval_seconds: Option<Box<Int>> => "polling_interval_seconds", omitempty;
    triggers: Slice<AutoscalingTrigger> => "triggers", omitempty;
});

go_struct!(Formation, "appjson.Formation", {
    autoscaling: Option<Box<FormationAutoscaling>> => "autoscaling";
    quantity: Option<Box<Int>> => "quantity";
    max_parallel: Option<Box<Int>> => "max_parallel";
    service: Option<Box<FormationService>> => "service";
});

go_struct!(HttpHeader, "appjson.HTTPHeader", {
    name: String => "name", omitempty;
    value: String => "value", omitempty;
});

go_struct!(OnFailure, "appjson.OnFailure", {
    command: Slice<String> => "command", omitempty;
    url: String => "url", omitempty;
});

go_struct!(Healthcheck, "appjson.Healthcheck", {
    attempts: Int32 => "attempts", omitempty;
    command: Slice<String> => "command", omitempty;
    content: String => "content", omitempty;
    http_headers: Slice<HttpHeader> => "httpHeaders", omitempty;
    initial_delay: Int32 => "initialDelay", omitempty;
    listening: bool => "listening", omitempty;
    name: String => "name", omitempty;
    path: String => "path", omitempty;
    port: Int => "port", omitempty;
    scheme: String => "scheme", omitempty;
    timeout: Int32 => "timeout", omitempty;
    kind: String => "type", omitempty;
    uptime: Int32 => "uptime", omitempty;
    wait: Int32 => "wait", omitempty;
    warn: bool => "warn", omitempty;
    on_failure: Option<Box<OnFailure>> => "onFailure", omitempty;
});

go_struct!(DokkuScripts, "struct { Predeploy string \"json:\\\"predeploy\\\"\"; Postdeploy string \"json:\\\"postdeploy\\\"\" }", {
    predeploy: String => "predeploy";
    postdeploy: String => "postdeploy";
});

go_struct!(Scripts, "struct { Dokku struct { Predeploy string \"json:\\\"predeploy\\\"\"; Postdeploy string \"json:\\\"postdeploy\\\"\" } \"json:\\\"dokku\\\"\"; Postdeploy string \"json:\\\"postdeploy\\\"\" }", {
    dokku: DokkuScripts => "dokku";
    postdeploy: String => "postdeploy";
});

go_struct!(AppJson, "appjson.AppJSON", {
    buildpacks: Slice<Buildpack> => "buildpacks";
    cron: Slice<CronTask> => "cron";
    env: StrMap<EnvVar> => "env", omitempty;
    formation: StrMap<Formation> => "formation";
    healthchecks: StrMap<Slice<Healthcheck>> => "healthchecks";
    scripts: Scripts => "scripts";
});

impl AppJson {
    /// Parse JSON text Go style; the error is Go's `UnmarshalTypeError` text.
    pub fn from_value(value: &Value) -> Result<AppJson, String> {
        let mut app = AppJson::default();
        let mut cx = Ctx::default();
        app.decode(value, &mut cx);
        match cx.into_error() {
            Some(e) => Err(e),
            None => Ok(app),
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.encode(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AppJson, String> {
        AppJson::from_value(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn empty_struct_like_go() {
        assert_eq!(
            AppJson::default().to_json(),
            "{\"buildpacks\":null,\"cron\":null,\"formation\":null,\"healthchecks\":null,\"scripts\":{\"dokku\":{\"predeploy\":\"\",\"postdeploy\":\"\"},\"postdeploy\":\"\"}}"
        );
        assert_eq!(parse("null").unwrap(), AppJson::default());
    }

    #[test]
    fn round_trip_like_go() {
        let app = parse(r#"{
            "name": "ignored",
            "Buildpacks": [{"url": "https://x/<y>"}, null],
            "cron": [],
            "env": {"A": "1", "B": {"description": "d", "required": false, "sync": true}, "C": null, "D": {}},
            "formation": {"web": {"quantity": 2, "max_parallel": null, "autoscaling": {"min_quantity": 0, "triggers": [{"name": "n", "type": "t", "metadata": {"b": "2", "a": "1"}}]}},
                          "worker": {"service": {"exposed": true}}},
            "healthchecks": {"web": [{"type": "startup", "path": "/", "attempts": 3, "command": [], "onFailure": {}}], "x": null},
            "scripts": {"dokku": {"predeploy": "touch /x"}, "postdeploy": "p"}
        }"#).unwrap();
        assert_eq!(app.to_json(), "{\"buildpacks\":[{\"url\":\"https://x/\\u003cy\\u003e\"},{\"url\":\"\"}],\"cron\":[],\"env\":{\"A\":{\"value\":\"1\"},\"B\":{\"description\":\"d\",\"required\":false,\"sync\":true},\"C\":{},\"D\":{}},\"formation\":{\"web\":{\"autoscaling\":{\"min_quantity\":0,\"triggers\":[{\"name\":\"n\",\"type\":\"t\",\"metadata\":{\"a\":\"1\",\"b\":\"2\"}}]},\"quantity\":2,\"max_parallel\":null,\"service\":null},\"worker\":{\"autoscaling\":null,\"quantity\":null,\"max_parallel\":null,\"service\":{\"exposed\":true}}},\"healthchecks\":{\"web\":[{\"attempts\":3,\"path\":\"/\",\"type\":\"startup\",\"onFailure\":{}}],\"x\":null},\"scripts\":{\"dokku\":{\"predeploy\":\"touch /x\",\"postdeploy\":\"\"},\"postdeploy\":\"p\"}}");
        assert!(app.env.0.as_ref().unwrap()["A"].is_required());
        assert!(!app.env.0.as_ref().unwrap()["B"].is_required());
    }

    #[test]
    fn type_errors() {
        assert_eq!(
            parse(r#"{"cron": "x"}"#).unwrap_err(),
            "json: cannot unmarshal string into Go struct field AppJSON.cron of type []appjson.CronTask"
        );
        assert_eq!(
            parse(r#"{"formation": {"web": {"quantity": 1.5}}}"#).unwrap_err(),
            "json: cannot unmarshal number 1.5 into Go struct field Formation.formation.web.quantity of type int"
        );
        assert_eq!(
            parse(r#"{"healthchecks": {"web": [{"attempts": 3000000000}]}}"#).unwrap_err(),
            "json: cannot unmarshal number 3000000000 into Go struct field Healthcheck.healthchecks.web.attempts of type int32"
        );
        assert_eq!(
            parse(r#"{"env": {"A": 1}}"#).unwrap_err(),
            "json: cannot unmarshal number into Go value of type appjson.envVarAlias"
        );
        assert_eq!(
            parse("[]").unwrap_err(),
            "json: cannot unmarshal array into Go value of type appjson.AppJSON"
        );
    }
}
