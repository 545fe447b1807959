//! Every error the core returns carries a stable, machine-readable code
//! through one trait: the window sends `{code, message}` to its page with
//! one conversion for all of them, and the page picks its wording and
//! actions by the code, never by the message.

/// A stable code for an error (`"file_not_found"`, `"model_load"`, ...).
/// An error that wraps another gives the inner one's code.
pub trait ErrorCode: std::error::Error {
    fn code(&self) -> &'static str;
}

/// For errors whose code is already an inherent `code()` method.
macro_rules! inherent {
    ($($(#[$m:meta])* $ty:ty),* $(,)?) => {
        $($(#[$m])* impl ErrorCode for $ty {
            fn code(&self) -> &'static str {
                <$ty>::code(self)
            }
        })*
    };
}

inherent! {
    crate::docs::DocError,
    crate::edit::EditError,
    crate::sheets::SheetError,
    crate::sheets::writeback::WriteBackError,
    #[cfg(feature = "llm")] crate::llm::LlmError,
    #[cfg(feature = "llm")] crate::llm::KeyError,
    #[cfg(feature = "llm")] crate::detect::DetectError,
    #[cfg(feature = "llm")] crate::models::download::DownloadError,
    #[cfg(feature = "store")] crate::store::StoreError,
}

impl ErrorCode for crate::prompts::PromptError {
    fn code(&self) -> &'static str {
        "prompt_template"
    }
}

#[cfg(feature = "llm")]
impl ErrorCode for crate::config::ConfigError {
    fn code(&self) -> &'static str {
        match self {
            crate::config::ConfigError::ModelMissing { .. } => "model_missing",
            _ => "settings",
        }
    }
}

#[cfg(feature = "llm")]
impl ErrorCode for crate::summarize::UnknownStyle {
    fn code(&self) -> &'static str {
        "invalid_option"
    }
}

#[cfg(feature = "llm")]
impl ErrorCode for crate::summarize::SummarizeError {
    fn code(&self) -> &'static str {
        use crate::summarize::SummarizeError as E;
        match self {
            E::Llm(e) => e.code(),
            E::Prompt(e) => ErrorCode::code(e),
            E::Empty(_) => "empty_document",
            E::ContextTooSmall { .. } => "context_too_small",
        }
    }
}

#[cfg(feature = "store")]
impl ErrorCode for crate::store::OpenDocumentError {
    fn code(&self) -> &'static str {
        use crate::store::OpenDocumentError as E;
        match self {
            E::Read(e) => e.code(),
            E::Store(e) => e.code(),
        }
    }
}

#[cfg(all(feature = "llm", feature = "store"))]
mod with_model_and_store {
    use super::ErrorCode;
    use crate::ask::AskError;
    use crate::draft::{DraftError, TemplateError};
    use crate::workflow::WorkflowError;

    impl ErrorCode for crate::draft::RewriteOpError {
        fn code(&self) -> &'static str {
            "invalid_option"
        }
    }

    impl ErrorCode for TemplateError {
        fn code(&self) -> &'static str {
            "template"
        }
    }

    impl ErrorCode for AskError {
        fn code(&self) -> &'static str {
            match self {
                AskError::Llm(e) => e.code(),
                AskError::Store(e) => e.code(),
                AskError::Prompt(e) => ErrorCode::code(e),
            }
        }
    }

    impl ErrorCode for DraftError {
        fn code(&self) -> &'static str {
            match self {
                DraftError::Llm(e) => e.code(),
                DraftError::Template(e) => ErrorCode::code(e),
                DraftError::Prompt(e) => ErrorCode::code(e),
                DraftError::Empty => "empty_text",
            }
        }
    }

    impl ErrorCode for WorkflowError {
        fn code(&self) -> &'static str {
            match self {
                WorkflowError::NeedsConfirmation { .. } => "confirm_remote",
                WorkflowError::Invalid { code, .. } => code,
                WorkflowError::Store(e) => e.code(),
                WorkflowError::Open(e) => ErrorCode::code(e),
                WorkflowError::Llm(e) => e.code(),
                WorkflowError::Summarize(e) => ErrorCode::code(e),
                WorkflowError::Ask(e) => ErrorCode::code(e),
                WorkflowError::Draft(e) => ErrorCode::code(e),
                WorkflowError::Sheet(e) => e.code(),
                WorkflowError::Edit(e) => e.code(),
                WorkflowError::Detect(e) => e.code(),
                WorkflowError::Config(e) => ErrorCode::code(e),
                WorkflowError::Key(e) => e.code(),
                WorkflowError::Interrupted(_) => "internal",
            }
        }
    }
}
