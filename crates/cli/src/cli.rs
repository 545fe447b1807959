//! The command line's shape: every subcommand, flag and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  deskpilot ask \"Write a two-line thank-you note to a colleague\"
  deskpilot ask --temperature 0 --max-tokens 64 --json \"Name three primary colours\"
  echo \"Summarise: ...\" | deskpilot ask -
  deskpilot chat --system \"You are a concise assistant\"
  deskpilot ask --session 12 \"And in one sentence?\"
  deskpilot sessions list
  deskpilot sessions search 合同
  deskpilot sessions export 12 --format docx --out review.docx
  deskpilot ask --file contract.docx \"What is the notice period?\"
  deskpilot draft email --field recipient=Ana --field purpose=\"thank her for the report\"
  deskpilot draft press-release -f organization=Acme -f announcement=\"a new kettle\" --out pr.docx
  echo \"teh report are late\" | deskpilot rewrite fix
  deskpilot rewrite translate --to French notes.docx
  deskpilot edit report.docx proofread          # writes report (proofread).docx
  deskpilot edit report.docx proofread --comments   # suggestions as Word comments
  deskpilot edit report.docx formal --where \"§2\" --out report-formal.docx
  deskpilot summarize report.pdf --style executive
  deskpilot summarize q1.xlsx q2.xlsx --json
  deskpilot extract report.docx --format markdown
  deskpilot extract budget.xlsx --format json
  deskpilot models list
  deskpilot models catalog --fits
  deskpilot models pull qwen2.5-1.5b --use
  deskpilot models info ~/Downloads/gemma-3-270m-q4_k_m.gguf --json
  deskpilot analyze sales.xlsx --ask \"total revenue by region\" --chart revenue.svg
  deskpilot detect essay.docx --json
  deskpilot serve --port 8088
  deskpilot ask --remote http://gpu-box:8000/v1 \"Draft a reply to this email: ...\"
  deskpilot remote set http://gpu-box:8000/v1 --model qwen2.5-32b
  deskpilot remote key http://gpu-box:8000/v1
  deskpilot sessions backend 12 --local

Model choice: --model PATH, else $DESKPILOT_MODEL, else \"model\" in
settings.json in the data folder, else the default model fetched by setup
($XDG_DATA_HOME/deskpilot/models; DESKPILOT_DATA_DIR and DESKPILOT_MODELS_DIR
override). Nothing is sent over the network unless you choose an
OpenAI-compatible server: --remote URL (or $DESKPILOT_REMOTE_URL) for one
command, `deskpilot remote set URL` for every session, `deskpilot sessions
backend ID --remote URL` for one session (--local keeps a command here);
each run then says where text goes (`models pull` only downloads a model
from Hugging Face or $HF_ENDPOINT; nothing of yours is sent). API keys live in the OS keyring
(`deskpilot remote key URL`) or $DESKPILOT_REMOTE_KEY. Detection always
stays on this computer.

Sessions: every ask, chat, summary, draft, rewrite, edit, detection and spreadsheet
question is kept in deskpilot.sqlite3 in the data folder (--db PATH or
$DESKPILOT_DB to use another file).";

/// Deskpilot: a private office copilot that runs a GGUF language model on
/// this machine.
#[derive(Debug, Parser)]
#[command(name = "deskpilot", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Show more detail on stderr (-v: engine and llama.cpp logs, -vv: debug)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Session database (default: $DESKPILOT_DB, else deskpilot.sqlite3 in the data folder)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one prompt, streaming the reply to stdout (Ctrl-C stops it and keeps what was written)
    Ask(AskArgs),
    /// Talk with the model, turn by turn (/help inside lists the commands)
    Chat(ChatArgs),
    /// Read a document (.docx .xlsx .xls .xlsb .ods .csv .pdf .pptx .md .html .txt) and print its content
    Extract(ExtractArgs),
    /// Summarize files of any length; every point cites where it came from
    Summarize(SummarizeArgs),
    /// Profile a spreadsheet's tables or answer a question about them; every figure computed from the cells
    Analyze(AnalyzeArgs),
    /// Serve the local model as an OpenAI-compatible API on 127.0.0.1
    Serve(ServeArgs),
    /// How likely a text is machine-written (a statistical hint, not proof)
    Detect(DetectArgs),
    /// Write a first draft from a template (`deskpilot templates` lists them)
    Draft(DraftArgs),
    /// Rewrite a text: shorten, expand, formal, friendly, fix, bullets, translate
    Rewrite(RewriteArgs),
    /// Edit a Word document: a copy with the model's changes as tracked changes to accept or reject
    Edit(EditArgs),
    /// List the draft templates and their fields
    Templates {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Stored sessions: list, show, search, rename, delete, export
    Sessions {
        #[command(subcommand)]
        command: SessionsCommand,
    },
    /// The opt-in remote server (OpenAI-compatible) and its API key in the OS keyring
    Remote {
        #[command(subcommand)]
        command: RemoteCommand,
    },
    /// Model files here, and the catalog of recommended models
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
}

#[derive(Debug, Args)]
pub struct AskArgs {
    /// The prompt; `-` reads it from stdin
    pub prompt: String,

    /// System prompt placed before the conversation
    #[arg(long, short = 's')]
    pub system: Option<String>,

    /// Print one JSON object at the end instead of streaming text
    #[arg(long)]
    pub json: bool,

    /// Continue stored session ID (its history is the context), or `new`
    #[arg(long, value_name = "ID|new", default_value = "new")]
    pub session: SessionChoice,

    /// Answer from this file's passages, citing them (repeatable); says so when the files do not answer
    #[arg(long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// With --file: rank passages by their words only (BM25), not also by
    /// meaning (the local model's embeddings, fused with BM25)
    #[arg(long, requires = "files")]
    pub keywords_only: bool,

    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub sampling: SamplingArgs,
}

/// `new` or a session id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChoice {
    New,
    Id(i64),
}

impl std::str::FromStr for SessionChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("new") {
            return Ok(SessionChoice::New);
        }
        s.parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(SessionChoice::Id)
            .ok_or_else(|| format!("{s:?} is neither a session id nor `new`"))
    }
}

#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// The files (.docx .pdf .pptx .xlsx .xls .xlsb .ods .csv .md .html .txt); several are summarized together
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// key-points, brief (about 3 sentences), executive, or actions
    #[arg(long, default_value = "key-points", value_name = "STYLE")]
    pub style: deskpilot_core::summarize::Style,

    /// Number of points (default by style: 5, brief 3, executive 6)
    #[arg(long, value_name = "N")]
    pub length: Option<usize>,

    /// Language to write in (default: the documents')
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The spreadsheet (.xlsx .xlsm .xlsb .xls .ods .csv .tsv)
    pub file: PathBuf,

    /// Only this sheet
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// A question about the data, e.g. "total revenue by region"; the
    /// answer is computed from the cells and shows its working (also
    /// --question)
    #[arg(long, visible_alias = "question", value_name = "QUESTION")]
    pub ask: Option<String>,

    /// Plan the question without the model (common phrasings only)
    #[arg(long, requires = "ask")]
    pub no_model: bool,

    /// Write a chart as SVG: of the answer with --ask, else of --column
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,

    /// Write the answer to a copy of the workbook: its sheets untouched,
    /// plus a sheet with the question, the answer and the result as live
    /// formulas over the original cells, and a chart of grouped results.
    /// An .xlsm stays .xlsm; .xls, .xlsb, .ods and .csv become an .xlsx of
    /// the data with the analysis. Never over an existing file
    #[arg(long, value_name = "OUT.xlsx", requires = "ask")]
    pub write_back: Option<PathBuf>,

    /// The column to chart without --ask (histogram, counts, or rows per month)
    #[arg(long, value_name = "NAME", requires = "chart")]
    pub column: Option<String>,

    #[command(flatten)]
    pub model: ModelArgs,

    /// Print one JSON object: file, sheets, tables (columns with their
    /// statistics, issues, notes), warnings
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one); never another interface
    #[arg(long, default_value_t = 8088)]
    pub port: u16,

    /// Require `Authorization: Bearer TOKEN` on every request
    #[arg(
        long,
        env = "DESKPILOT_API_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// The text: any file the readers open, or `-` (the default) for stdin
    #[arg(default_value = "-")]
    pub file: PathBuf,

    /// Print one JSON object: ai_probability, level (very_unlikely, unlikely,
    /// unclear, possibly, likely, too_short), perplexity, burstiness,
    /// log_rank, discrepancy, tokens, sentences, note
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// Template id, e.g. email, press-release, meeting-minutes
    pub template: String,

    /// A template field, KEY=VALUE (repeatable)
    #[arg(long = "field", short = 'f', value_name = "KEY=VALUE")]
    pub fields: Vec<String>,

    /// Draw on this file, citing it (repeatable)
    #[arg(long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the draft to FILE (.docx, or .md for Markdown) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Most tokens to write
    #[arg(long, default_value_t = 600, value_name = "N")]
    pub max_tokens: u32,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct RewriteArgs {
    /// shorten, expand, formal, friendly, fix, bullets or translate
    pub op: String,

    /// The file to rewrite (any format Deskpilot reads), or - for stdin
    #[arg(default_value = "-")]
    pub file: PathBuf,

    /// The language to translate into
    #[arg(long, value_name = "LANG")]
    pub to: Option<String>,

    /// Write the result to FILE (.docx, or .md) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The Word document (.docx, .docm); it is never changed
    pub file: PathBuf,

    /// proofread, or a rewrite: shorten, expand, formal, friendly, fix, translate
    pub op: String,

    /// Only these locations, as summaries cite them: §2, §2.1 ¶3, ¶4 (comma-separated)
    #[arg(long, value_name = "LOCATION", conflicts_with = "match")]
    pub r#where: Option<String>,

    /// Only the paragraphs containing TEXT
    #[arg(long, value_name = "TEXT")]
    pub r#match: Option<String>,

    /// The language to translate into
    #[arg(long, value_name = "LANG")]
    pub to: Option<String>,

    /// The edited copy to write, with the changes as tracked changes by "Deskpilot"
    /// (default: beside the original, named `NAME (OP).docx`)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Leave the text as it is and put each change in a Word comment on the
    /// words it concerns instead
    #[arg(long)]
    pub comments: bool,

    /// Print a JSON report (each paragraph changed, before and after; each left, and why)
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file to read
    pub file: PathBuf,

    /// Output: plain text, Markdown with structure, or JSON with every block's location
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// System prompt placed before the conversation
    #[arg(long, short = 's')]
    pub system: Option<String>,

    /// Continue stored session ID (default: a new session)
    #[arg(long, value_name = "ID")]
    pub session: Option<i64>,

    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub sampling: SamplingArgs,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// GGUF model file (default: $DESKPILOT_MODEL, settings, then the default model)
    #[arg(long, short = 'm', value_name = "PATH")]
    pub model: Option<PathBuf>,

    /// Context size in tokens (capped at the model's trained context)
    #[arg(long, value_name = "N")]
    pub ctx: Option<u32>,

    /// CPU threads (default: physical cores)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Layers to offload to the GPU (GPU builds only)
    #[arg(long, value_name = "N")]
    pub gpu_layers: Option<u32>,

    /// Send requests to this OpenAI-compatible server instead of the local
    /// model, e.g. http://gpu-box:8000/v1 (opt-in; API key from
    /// $DESKPILOT_REMOTE_KEY or the OS keyring: `deskpilot remote key`).
    /// Detection always stays local
    #[arg(long, env = "DESKPILOT_REMOTE_URL", value_name = "URL")]
    pub remote: Option<String>,

    /// Use this computer's model even where the settings or the session
    /// name a remote server
    #[arg(long, conflicts_with = "remote")]
    pub local: bool,

    /// The remote server's model (default: the first it lists)
    #[arg(
        long,
        env = "DESKPILOT_REMOTE_MODEL",
        value_name = "NAME",
        requires = "remote"
    )]
    pub remote_model: Option<String>,

    /// Allow sending the files of this command to the --remote server.
    /// Asked once per server (or given with this flag), then remembered
    #[arg(long, requires = "remote")]
    pub send_files: bool,
}

#[derive(Debug, Args)]
pub struct SamplingArgs {
    /// Most tokens to generate
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,

    /// Randomness; 0 = greedy and repeatable
    #[arg(long, short = 't', value_name = "T")]
    pub temperature: Option<f32>,

    /// Nucleus sampling threshold
    #[arg(long, value_name = "P")]
    pub top_p: Option<f32>,

    /// Sample from the K most likely tokens (0 = off)
    #[arg(long, value_name = "K")]
    pub top_k: Option<i32>,

    /// Drop tokens below this fraction of the top token's probability
    #[arg(long, value_name = "P")]
    pub min_p: Option<f32>,

    /// Penalty for repeating recent tokens (1 = off)
    #[arg(long, value_name = "X")]
    pub repeat_penalty: Option<f32>,

    /// Random seed, for repeatable sampling
    #[arg(long, value_name = "S")]
    pub seed: Option<u32>,

    /// Stop when this text appears (repeatable)
    #[arg(long, value_name = "TEXT")]
    pub stop: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// List GGUF files in the models folder and those other apps have
    /// (Ollama, LM Studio, Jan, GPT4All, the Hugging Face cache), and the
    /// model in use
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show a model's metadata without loading its weights
    Info {
        /// The GGUF file
        path: PathBuf,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Use this model from now on (saved in the settings): a GGUF file, a
    /// file in the models folder, or a name `models list` shows for a model
    /// another app has (Ollama's `name:tag`, ...)
    Use {
        /// The file or name; with --detector, `chat` scores with the chat
        /// model again
        model: String,
        /// For the detector only: it scores with this model, the chat keeps
        /// its own (a larger model judges better)
        #[arg(long)]
        detector: bool,
    },
    /// The recommended models (Hugging Face repository, size, context,
    /// licence, languages, what each is good at)
    Catalog {
        /// Mark each as fits / tight / too large for the memory free now
        /// (the GPU's when this build offloads to one), with the context
        /// it can afford, and name the best fit
        #[arg(long)]
        fits: bool,
        /// With --fits: judge for this much free memory instead (GiB)
        #[arg(long, value_name = "GIB", requires = "fits")]
        ram: Option<f64>,
        /// With --fits: judge for a GPU with this much free memory (GiB)
        /// instead of the one found (which counts only when this build
        /// offloads to a GPU)
        #[arg(long, value_name = "GIB", requires = "fits")]
        vram: Option<f64>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Download a model into the models folder: a catalog id, a Hugging
    /// Face file address, or OWNER/REPO/FILE.gguf. Resumes a paused or
    /// interrupted download (Ctrl-C pauses), checks the sha256 the hub
    /// gives; HF_ENDPOINT names a mirror, HF_TOKEN opens gated models,
    /// HTTPS_PROXY is used
    Pull {
        /// Catalog id (`models catalog`), address or OWNER/REPO/FILE.gguf
        model: String,
        /// Use it from now on once downloaded
        #[arg(long = "use")]
        r#use: bool,
        /// Print JSON (no progress bar)
        #[arg(long)]
        json: bool,
    },
    /// Delete a model from the models folder (or a paused download of it);
    /// the default comes back if it was in use
    Rm {
        /// Catalog id, file name in the models folder, or its path
        model: String,
    },
    /// Offer the GGUF files of a folder (and its subfolders) where they
    /// are, without copying; remembered in the settings
    Import {
        /// The folder
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// The saved remote server (if any) and where its key is kept
    Show {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Send every session's text to this server from now on (sessions with their own choice excepted)
    Set {
        /// Base URL including /v1, e.g. http://gpu-box:8000/v1
        url: String,
        /// The model to ask for (default: the first the server lists)
        #[arg(long, value_name = "NAME")]
        model: Option<String>,
        /// Context size to plan prompts for when the server does not say
        #[arg(long, value_name = "N")]
        ctx: Option<u32>,
    },
    /// Go back to this computer's model for every session
    Clear,
    /// Store a server's API key in the OS keyring (read from stdin; asked without echo on a terminal)
    Key {
        /// The server's base URL, as given to `remote set` or --remote
        url: String,
    },
    /// Remove a server's API key from the keyring
    ForgetKey { url: String },
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Where a session's requests go: show it, or give the session its own choice
    Backend {
        id: i64,
        /// This computer's model, whatever the settings say
        #[arg(long, conflicts_with_all = ["remote", "follow_settings"])]
        local: bool,
        /// This remote server (its key: `deskpilot remote key URL`)
        #[arg(long, value_name = "URL", conflicts_with = "follow_settings")]
        remote: Option<String>,
        /// The remote server's model
        #[arg(long, value_name = "NAME", requires = "remote")]
        remote_model: Option<String>,
        /// Drop the session's own choice: follow the settings again
        #[arg(long)]
        follow_settings: bool,
    },
    /// Sessions, most recently active first
    List {
        /// Most sessions to list
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// A session's messages, documents, drafts and analyses
    Show {
        id: i64,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Search messages, opened documents and drafts (English, Chinese, ...)
    Search {
        query: String,
        /// Most results
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Give a session a new name
    Rename { id: i64, name: String },
    /// Delete a session with its messages, drafts and analyses
    Delete { id: i64 },
    /// Write a session to a Markdown or Word file
    Export {
        id: i64,
        /// md or docx
        #[arg(long, value_enum)]
        format: ExportKind,
        /// The file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    Md,
    Docx,
}
