//! AWS-shaped API errors: the `__type` code, the message and the HTTP status AWS answers with.

use std::fmt;

/// An error answered to the client as AWS answers it: status, `__type` and `message`.
///
/// ```
/// use evpattern::server::ApiError;
///
/// let e = ApiError::not_found("Event bus nope does not exist.");
/// assert_eq!(e.status(), 400);
/// assert_eq!(e.code(), "ResourceNotFoundException");
/// assert_eq!(e.body(), r#"{"__type":"ResourceNotFoundException","message":"Event bus nope does not exist."}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    status: u16,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// `ValidationException` (400): a parameter AWS refuses.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "ValidationException", message)
    }

    /// `ResourceNotFoundException` (400): an unknown bus or rule.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "ResourceNotFoundException", message)
    }

    /// `ResourceAlreadyExistsException` (400).
    pub fn already_exists(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "ResourceAlreadyExistsException", message)
    }

    /// `InvalidEventPatternException` (400), with the pattern error's AWS wording.
    pub fn invalid_pattern(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "InvalidEventPatternException", message)
    }

    /// `LimitExceededException` (400).
    pub fn limit_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "LimitExceededException", message)
    }

    /// `UnknownOperationException` (400): an `X-Amz-Target` this service does not have.
    pub fn unknown_operation() -> ApiError {
        ApiError::new(400, "UnknownOperationException", "")
    }

    /// `SerializationException` (400): a body that is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "SerializationException", message)
    }

    /// `RequestEntityTooLargeException` (413): a body over the request size limit.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            413,
            "RequestEntityTooLargeException",
            format!("Request must be smaller than {limit} bytes"),
        )
    }

    /// `RequestTimeoutException` (408): a client that did not send its body in time.
    pub fn timeout() -> ApiError {
        ApiError::new(
            408,
            "RequestTimeoutException",
            "The request body was not received in time.",
        )
    }

    /// `InternalException` (500): the server could not do what it accepted to do (a disk
    /// error while journaling or saving state).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(500, "InternalException", message)
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The AWS error code (`__type`).
    pub fn code(&self) -> &str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON body AWS's JSON 1.1 protocol answers with.
    pub fn body(&self) -> String {
        serde_json::json!({"__type": self.code, "message": self.message}).to_string()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
