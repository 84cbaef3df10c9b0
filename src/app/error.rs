//! Every way a command or query can fail, each with a stable code for scripts and a sentence for
//! people.

use crate::domain::Rejection;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The domain refused the command.
    #[error("{0}")]
    Rejected(#[from] Rejection),
    /// The input could not be understood (bad JSON, unknown type, missing field…).
    #[error("{code}: {message}")]
    Invalid { code: &'static str, message: String },
    #[error("{code}: {0}", code = .0.code())]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Rejected(r) => r.code,
            AppError::Invalid { code, .. } => code,
            AppError::Store(e) => e.code(),
        }
    }

    /// The sentence without the code.
    pub fn message(&self) -> String {
        match self {
            AppError::Rejected(r) => r.message.clone(),
            AppError::Invalid { message, .. } => message.clone(),
            AppError::Store(e) => e.to_string(),
        }
    }

    /// `{"code": …, "message": …}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "code": self.code(), "message": self.message() })
    }
}
