//! The server's errors, each with the HTTP status it answers with.

use thiserror::Error;

/// What went wrong with a request or with starting the server.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is malformed (bad JSON, an unknown field, a bad field path): 400.
    #[error("{0}")]
    BadRequest(String),
    /// The request's Host or Origin is not this server's (DNS rebinding, another site): 403.
    #[error("{0}")]
    Forbidden(String),
    /// A file name outside the opened directory or not a `.toml` file: 403.
    #[error("{0}")]
    OutsideRoot(String),
    /// No such page, API or file: 404.
    #[error("{0}")]
    NotFound(String),
    /// The body is larger than the limit: 413.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// Well-formed but not doable (save a scenario that does not validate): 422.
    #[error("{0}")]
    Unprocessable(String),
    /// The engine refused the input (an unknown model, a scenario without what is asked): 422.
    #[error(transparent)]
    Engine(#[from] brink_engine::Error),
    /// Reading or writing a file, or the socket, failed: 500.
    #[error("{0}")]
    Io(String),
    /// The server could not start (the address is taken, the directory does not exist).
    #[error("{0}")]
    Start(String),
}

impl Error {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            Error::BadRequest(_) => 400,
            Error::Forbidden(_) | Error::OutsideRoot(_) => 403,
            Error::NotFound(_) => 404,
            Error::TooLarge(_) => 413,
            Error::Unprocessable(_) => 422,
            Error::Engine(e) => match e.kind() {
                brink_engine::ErrorKind::BadInput => 422,
                _ => 500,
            },
            Error::Io(_) | Error::Start(_) => 500,
        }
    }
}
