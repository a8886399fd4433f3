//! An event handed over from Python, as the JSON bytes the matcher reads.
//!
//! `str` and `bytes` are matched in place, without a copy. A `dict` is serialised once,
//! straight from the Python objects into JSON bytes in Rust: no call to Python's `json`
//! module and no intermediate `str`. The walk accepts what `json.dumps` accepts and writes
//! what it would write (non-string keys become strings the same way), except that it refuses
//! `NaN` and the infinities, which are not JSON (`json.dumps(allow_nan=False)` refuses them
//! too), and strings holding lone surrogates, which UTF-8 cannot carry.
//!
//! The walk never runs Python code of the event's own classes: a `dict` is read from a copy
//! made in C, `int` and `float` subclasses are read by their C values (`int.__repr__`, never
//! an overridden `__str__`), and any other type is refused. So nothing can change the event
//! while it is read, and nothing here can panic.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyList, PyLong, PyString, PyTuple,
};

use crate::invalid_event;

/// The JSON text of one event: borrowed from a `str` or `bytes`, or written from a `dict`.
pub(crate) struct EventText<'a>(Cow<'a, [u8]>);

impl<'a> EventText<'a> {
    /// Reads `event`: `str`, `bytes`, `bytearray` (copied, as it may change) or `dict`.
    pub(crate) fn read(
        py: Python<'_>,
        event: &'a Bound<'_, PyAny>,
        max_depth: usize,
    ) -> PyResult<EventText<'a>> {
        if let Ok(bytes) = event.downcast::<PyBytes>() {
            return Ok(EventText(Cow::Borrowed(bytes.as_bytes())));
        }
        if let Ok(text) = event.downcast::<PyString>() {
            let text = text.to_str().map_err(|_| lone_surrogate())?;
            return Ok(EventText(Cow::Borrowed(text.as_bytes())));
        }
        if let Ok(dict) = event.downcast::<PyDict>() {
            let mut writer = Writer {
                py,
                out: Vec::with_capacity(512),
                max_depth,
            };
            writer.dict(dict, 1)?;
            return Ok(EventText(Cow::Owned(writer.out)));
        }
        if let Ok(array) = event.downcast::<PyByteArray>() {
            return Ok(EventText(Cow::Owned(array.to_vec())));
        }
        Err(PyTypeError::new_err(format!(
            "an event must be str, bytes or dict, not {}",
            type_name(event)
        )))
    }

    /// The JSON bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

fn lone_surrogate() -> PyErr {
    invalid_event(
        "a string in the event holds a lone surrogate, which UTF-8 (and so JSON text) cannot \
         carry"
            .to_owned(),
    )
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .qualname()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "an unknown type".to_owned())
}

/// JSON text written from Python objects.
struct Writer<'py> {
    py: Python<'py>,
    out: Vec<u8>,
    max_depth: usize,
}

impl<'py> Writer<'py> {
    fn value(&mut self, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<()> {
        if value.is_none() {
            self.out.extend_from_slice(b"null");
        } else if let Ok(flag) = value.downcast::<PyBool>() {
            let text: &[u8] = if flag.is_true() { b"true" } else { b"false" };
            self.out.extend_from_slice(text);
        } else if let Ok(text) = value.downcast::<PyString>() {
            self.string(text)?;
        } else if let Ok(int) = value.downcast::<PyLong>() {
            self.int(int)?;
        } else if let Ok(float) = value.downcast::<PyFloat>() {
            let number = float.value();
            if !number.is_finite() {
                return Err(invalid_event(format!(
                    "Out of range float values are not JSON compliant: {number}"
                )));
            }
            self.out
                .extend_from_slice(ryu::Buffer::new().format_finite(number).as_bytes());
        } else if let Ok(dict) = value.downcast::<PyDict>() {
            self.dict(dict, depth + 1)?;
        } else if let Ok(list) = value.downcast::<PyList>() {
            self.open(b'[', depth + 1)?;
            for (index, item) in list.iter().enumerate() {
                if index > 0 {
                    self.out.push(b',');
                }
                self.value(&item, depth + 1)?;
            }
            self.out.push(b']');
        } else if let Ok(tuple) = value.downcast::<PyTuple>() {
            self.open(b'[', depth + 1)?;
            for (index, item) in tuple.iter().enumerate() {
                if index > 0 {
                    self.out.push(b',');
                }
                self.value(&item, depth + 1)?;
            }
            self.out.push(b']');
        } else {
            return Err(PyTypeError::new_err(format!(
                "Object of type {} is not JSON serializable",
                type_name(value)
            )));
        }
        Ok(())
    }

    /// Writes the opening bracket of a container at `depth` (the event itself is depth 1).
    fn open(&mut self, bracket: u8, depth: usize) -> PyResult<()> {
        if depth > self.max_depth {
            return Err(invalid_event(format!(
                "nesting deeper than {} levels",
                self.max_depth
            )));
        }
        self.out.push(bracket);
        Ok(())
    }

    fn dict(&mut self, dict: &Bound<'py, PyDict>, depth: usize) -> PyResult<()> {
        self.open(b'{', depth)?;
        // A copy nobody else holds: the walk cannot see the dict change under it.
        let members = dict.copy()?;
        for (index, (key, value)) in members.iter().enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            self.key(&key)?;
            self.out.push(b':');
            self.value(&value, depth)?;
        }
        self.out.push(b'}');
        Ok(())
    }

    /// A key as `json.dumps` writes it: strings as they are, other scalars as their JSON text
    /// (floats as `repr` gives them), quoted.
    fn key(&mut self, key: &Bound<'py, PyAny>) -> PyResult<()> {
        if let Ok(text) = key.downcast::<PyString>() {
            return self.string(text);
        }
        let text: Cow<'_, str> = if key.is_none() {
            "null".into()
        } else if let Ok(flag) = key.downcast::<PyBool>() {
            if flag.is_true() { "true" } else { "false" }.into()
        } else if let Ok(int) = key.downcast::<PyLong>() {
            int_text(self.py, int)?.into()
        } else if let Ok(float) = key.downcast::<PyFloat>() {
            let number = float.value();
            if number.is_nan() {
                "NaN".into()
            } else if number == f64::INFINITY {
                "Infinity".into()
            } else if number == f64::NEG_INFINITY {
                "-Infinity".into()
            } else {
                // float.__repr__ itself, so a subclass's own __repr__ is not run.
                let repr = self
                    .py
                    .get_type_bound::<PyFloat>()
                    .getattr("__repr__")?
                    .call1((float,))?;
                repr.downcast::<PyString>()?.to_str()?.to_owned().into()
            }
        } else {
            return Err(PyTypeError::new_err(format!(
                "keys must be str, int, float, bool or None, not {}",
                type_name(key)
            )));
        };
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    fn string(&mut self, text: &Bound<'py, PyString>) -> PyResult<()> {
        let text = text.to_str().map_err(|_| lone_surrogate())?;
        // Writing JSON into a Vec cannot fail: serde_json only fails on I/O errors and on
        // maps with non-string keys, and this is one string.
        serde_json::to_writer(&mut self.out, text).map_err(|e| invalid_event(e.to_string()))
    }

    fn int(&mut self, int: &Bound<'py, PyLong>) -> PyResult<()> {
        match int.extract::<i64>() {
            Ok(small) => {
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(small).as_bytes());
            }
            Err(_) => {
                let text = int_text(self.py, int)?;
                self.out.extend_from_slice(text.as_bytes());
            }
        }
        Ok(())
    }
}

/// The decimal text of any `int`, by `int.__repr__` itself (as `json.dumps` does), so an
/// `int` subclass's own `__repr__` or `__str__` is not run. Python refuses ints of more than
/// `sys.get_int_max_str_digits()` digits with a `ValueError`, as `json.dumps` does.
fn int_text(py: Python<'_>, int: &Bound<'_, PyLong>) -> PyResult<String> {
    if let Ok(small) = int.extract::<i64>() {
        return Ok(itoa::Buffer::new().format(small).to_owned());
    }
    let repr = py
        .get_type_bound::<PyLong>()
        .getattr("__repr__")?
        .call1((int,))?;
    Ok(repr.downcast::<PyString>()?.to_str()?.to_owned())
}
