//! `server [COMMAND]`: the portal (`serve`, the default) and the operator's commands,
//! parsed by clap (`server --help`, `server COMMAND --help`), configuration from the
//! environment (see README). Exit status: 0 done, 1 the command failed (the message
//! says why), 2 a usage or configuration error (the message names the argument or the
//! variable).

use app::domain::billing::Month;
use app::domain::{CustomerNumber, KatakanaName, PhoneNumber};
use app::seed;
use app::ssr::{config::Settings, db::Db};
use clap::{CommandFactory, Parser, Subcommand};
use server::{leptos_options, shutdown_signal, telemetry, Application, Error};
use std::process::ExitCode;

/// Rendering a page allocates many small strings and boxes: mimalloc serves them
/// faster than glibc's malloc under several threads (see `npm run bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The help's layout: lower-case `usage:` as operators' tools print it.
const HELP: &str = "{about-with-newline}\nusage: {usage}\n\n{all-args}{after-help}";

const CONFIGURATION: &str = "Configuration comes from the environment: DATABASE_URL, PUBLIC_URL, SMTP_URL, \
MYPAGE_ENV, PAYMENT_GATEWAY, MYPAGE_BRAND, MYPAGE_MAIL_DOMAIN, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT, RUST_LOG \
and the others the README lists. Exit status: 0 done, 1 the command failed, 2 a usage or configuration error.";

/// My Page (マイページ): the portal's server and its operator commands.
#[derive(Parser)]
#[command(name = "server", version, help_template = HELP, after_help = CONFIGURATION)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
#[command(help_template = HELP)]
enum Command {
    /// Serve the portal (the default): SIGTERM or Ctrl-C finishes the requests in flight,
    /// then stops.
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo data of SPEC §7 (idempotent). Refused with MYPAGE_ENV=production.
    SeedDemo {
        /// Only into a database that holds no customer.
        #[arg(long)]
        if_empty: bool,
    },
    /// Issue a month's invoices from the contracts and mail each account holder; a month
    /// already issued for a customer is left as it is (run it again safely).
    ///
    /// The customers are walked in windows of customer numbers, each window one
    /// transaction; progress (invoices issued, rate, time left) goes to stderr every few
    /// seconds. On PostgreSQL several processes can run the same month at once and share
    /// the work; a run that was stopped (even killed) is finished by running it again.
    Bill {
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
        month: Month,
        /// Customer numbers a window (one transaction).
        #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=1000))]
        batch_size: u64,
        /// A pause after each window, in milliseconds (spares a database serving customers meanwhile).
        #[arg(long, value_name = "MS", default_value_t = 0)]
        pause_ms: u64,
        /// Bill a month that has not begun (tests and benchmarks): without it such a month
        /// is refused, since its invoices could never be taken back.
        #[arg(long)]
        ahead: bool,
    },
    /// Write N synthetic customers for load tests and the billing benchmark: numbers
    /// 800000001 onward, each with 1–3 services, equipment, a payment method, 12 months of
    /// invoices from the billing engine, and an account load000001@example.com, … whose
    /// password is Load-Test-2026.
    ///
    /// Refused with MYPAGE_ENV=production, and on a database that holds any customer that
    /// is not synthetic (the demo data, real customers). Customers already there are left as they are: running it again
    /// adds only the missing ones.
    SeedLoad {
        /// How many: customers 800000001 to 800000000 + N.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=99_999_999))]
        customers: u64,
        /// What names, addresses and contracts are drawn from (the same seed, the same customers).
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    /// Record the payment results the bank (口座振替) and the card company send back, from
    /// a CSV file (`-`: standard input), one line a payment:
    /// `customer_no,YYYY-MM,paid|failed,YYYY-MM-DD,amount` (the billing month, what
    /// happened, its day, the yen). A paid month becomes お支払い済み; a failed one 未払い,
    /// its account holder mailed whom to call. Until its result is recorded a month past
    /// its payment date shows お支払い確認中.
    ///
    /// Each line is its own transaction, and a result recorded before is left as it is:
    /// a run stopped (even killed) is finished by running the same file again. Lines
    /// that cannot be recorded (no such invoice, another amount, a failure of a month
    /// paid already, a malformed line) are listed on stderr by number, and the command
    /// then exits 1; blank lines, `#` comments and a `customer_no,…` header are passed over.
    Payments {
        /// The results file (CSV, UTF-8), or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// List the open plan change requests (受付, 処理中), or move one on.
    PlanRequests {
        /// Take request ID up (受付 → 処理中: the customer can no longer cancel it), mailing the customer.
        #[arg(long, value_name = "ID", conflicts_with = "complete")]
        process: Option<String>,
        /// Complete request ID (→ 完了): the new plan is in force from its date, billed by the next runs.
        #[arg(long, value_name = "ID")]
        complete: Option<String>,
        /// The list as JSON (an array of objects), for scripts.
        #[arg(long, conflicts_with_all = ["process", "complete"])]
        json: bool,
    },
    /// List the inquiries waiting for an answer (受付済み), oldest first, or mark one answered.
    Inquiries {
        /// Mark inquiry REF answered (the customer's list then says 回答済み).
        #[arg(long, value_name = "REF")]
        answered: Option<String>,
        /// The list as JSON (an array of objects), for scripts.
        #[arg(long, conflicts_with = "answered")]
        json: bool,
    },
    /// List the events waiting for the systems the portal tells, oldest first, or mark
    /// them taken: the mail system (`mailbox.provision`), the add-on providers
    /// (`addon.provision`), the support centre (`help.inquiry_received`) and the back
    /// office (`billing.refund_due`). Each is a JSON object, written in the same
    /// transaction as the change it tells of. A consumer lists, does its work, then marks
    /// what it did: an event stays listed until it is marked (a consumer stopped
    /// half-way lists it again), and is deleted 30 days after.
    Events {
        /// Only the events of this topic.
        #[arg(long, value_name = "TOPIC", conflicts_with = "taken")]
        topic: Option<String>,
        /// At most N events.
        #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000), conflicts_with = "taken")]
        limit: u32,
        /// Mark these events taken (one marked before is left as it is; an unknown id
        /// fails the command, after the others are marked).
        #[arg(long, value_name = "ID", num_args = 1.., conflicts_with = "json")]
        taken: Vec<String>,
        /// The list as JSON (an array of objects, each with its event as `payload`), for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Open contract verification again after 100 failures in a row locked it (for a
    /// customer record, or a name and phone number): the customer called the support centre.
    RegistrationUnlock {
        /// The customer number (9 digits).
        #[arg(long, value_name = "NO", value_parser = parse_customer, required_unless_present = "name", conflicts_with = "name")]
        customer: Option<CustomerNumber>,
        /// The name in katakana (with --phone).
        #[arg(long, value_name = "KANA", value_parser = parse_kana, requires = "phone")]
        name: Option<KatakanaName>,
        /// A phone number on the contract (with --name).
        #[arg(long, value_name = "PHONE", value_parser = parse_phone, requires = "name")]
        phone: Option<PhoneNumber>,
    },
    /// Take two-step verification and the passkeys off a customer's account, once the
    /// support centre has confirmed who is calling (the phone and the recovery codes
    /// lost, or a factor someone else set up): every session ends, and the contact
    /// address is told. The password is not changed: where someone else set the factor
    /// up, the customer resets her password by mail first.
    TwoStepOff {
        /// The customer number (9 digits).
        #[arg(long, value_name = "NO", value_parser = parse_customer)]
        customer: CustomerNumber,
    },
    /// Print a completion script for a shell (e.g. `server completions bash >
    /// /etc/bash_completion.d/server`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

fn parse_month(s: &str) -> Result<Month, String> {
    Month::parse(s).ok_or_else(|| "a month is YYYY-MM, e.g. 2026-11".into())
}

fn parse_customer(s: &str) -> Result<CustomerNumber, String> {
    CustomerNumber::parse(s).map_err(|_| "a customer number is 9 digits".into())
}

fn parse_kana(s: &str) -> Result<KatakanaName, String> {
    KatakanaName::parse(s).map_err(|_| "a name in full-width katakana, e.g. \"ヤマダ タロウ\"".into())
}

fn parse_phone(s: &str) -> Result<PhoneNumber, String> {
    PhoneNumber::parse(s).map_err(|_| "a phone number with its area code, e.g. 03-1234-5678".into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version on stdout (0); a usage error on stderr (2), its usage line
            // lower-case as operators' tools write it.
            let text = e.render().to_string().replacen("Usage:", "usage:", 1);
            if e.use_stderr() {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Completions { shell } = command {
        clap_complete::generate(shell, &mut Cli::command(), "server", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("server: {e}");
            return ExitCode::from(2);
        }
    };
    let to = if matches!(command, Command::Serve) { telemetry::To::Stdout } else { telemetry::To::Stderr };
    telemetry::init(settings.env, to);
    let name = command_name(&command);
    let result = match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::SeedDemo { if_empty } => seed_demo(&settings, if_empty).await,
        Command::Bill { month, batch_size, pause_ms, ahead } => {
            bill(&settings, month, batch_size, pause_ms, ahead).await
        }
        Command::SeedLoad { customers, seed } => seed_load(&settings, customers, seed).await,
        Command::Payments { file } => payments(&settings, &file).await,
        Command::PlanRequests { process, complete, json } => match (process, complete) {
            (Some(id), _) => plan_request_step(&settings, &id, true).await,
            (_, Some(id)) => plan_request_step(&settings, &id, false).await,
            (None, None) => plan_requests(&settings, json).await,
        },
        Command::Inquiries { answered: Some(reference), .. } => inquiry_answered(&settings, &reference).await,
        Command::Inquiries { answered: None, json } => inquiries(&settings, json).await,
        Command::Events { taken, .. } if !taken.is_empty() => events_taken(&settings, &taken).await,
        Command::Events { topic, limit, json, .. } => events(&settings, topic.as_deref(), limit, json).await,
        Command::RegistrationUnlock { customer, name, phone } => {
            registration_unlock(&settings, customer, name.zip(phone)).await
        }
        Command::TwoStepOff { customer } => two_step_off(&settings, &customer).await,
        Command::Completions { .. } => unreachable!("answered above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A service's log gets the failure too; a command's log is stderr already.
            if to == telemetry::To::Stdout {
                tracing::error!(error = %e, "server: {name} failed");
            }
            eprintln!("server: {name} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Serve => "serve",
        Command::Migrate => "migrate",
        Command::SeedDemo { .. } => "seed-demo",
        Command::Bill { .. } => "bill",
        Command::SeedLoad { .. } => "seed-load",
        Command::Payments { .. } => "payments",
        Command::PlanRequests { .. } => "plan-requests",
        Command::Inquiries { .. } => "inquiries",
        Command::Events { .. } => "events",
        Command::RegistrationUnlock { .. } => "registration-unlock",
        Command::TwoStepOff { .. } => "two-step-off",
        Command::Completions { .. } => "completions",
    }
}

async fn serve(settings: Settings) -> Result<(), Error> {
    let options = leptos_options()?;
    for warning in settings.production_warnings() {
        tracing::warn!("configuration: {warning}");
    }
    let env = settings.env;
    let app = Application::build(settings, options).await?;
    tracing::info!(addr = %app.local_addr(), environment = ?env, "serving My Page on http://{}", app.local_addr());
    app.run_until(shutdown_signal()).await?;
    Ok(())
}

/// The database, migrated first: for `migrate` and the commands that set up a database
/// (`seed-demo`, `seed-load`).
async fn connect(settings: &Settings) -> Result<Db, Error> {
    let db = open_unchecked(settings).await?;
    db.migrate().await?;
    Ok(db)
}

async fn open_unchecked(settings: &Settings) -> Result<Db, Error> {
    let url = settings.database_url.expose();
    Ok(Db::connect(url).await.map_err(|e| format!("database {}: {e}", Db::describe(url)))?)
}

/// The database for an operator's everyday command (a listing, an answer, a billing
/// run), which never migrates it: a schema change is the deploy's step (`server
/// migrate`), not a side effect of a look at the inquiries with the next release's
/// binary. Refused, changing nothing, when the database holds less than this build knows.
async fn open(settings: &Settings) -> Result<Db, Error> {
    let db = open_unchecked(settings).await?;
    // An error after a connection is most likely the migrations' table missing.
    let migrated = match db.is_migrated().await {
        Ok(migrated) => migrated,
        Err(e) => {
            db.ping().await.map_err(|_| e)?;
            false
        }
    };
    if !migrated {
        db.close().await;
        return Err("the database is not migrated to this release: run `server migrate` first; \
                    nothing was changed"
            .into());
    }
    Ok(db)
}

async fn migrate(settings: &Settings) -> Result<(), Error> {
    connect(settings).await?.close().await;
    tracing::info!("migrations applied");
    Ok(())
}

async fn bill(
    settings: &Settings,
    month: Month,
    batch_size: u64,
    pause_ms: u64,
    ahead: bool,
) -> Result<(), Error> {
    use app::features::billing::store::{issue_month_with, RunOptions};
    if settings.env.is_production() && settings.issuer_is_the_demos() {
        return Err("INVOICE_ISSUER_NAME / INVOICE_REGISTRATION_NO are the demo's: a qualified invoice \
                    (適格請求書) must name the provider and its registration number; nothing was issued"
            .into());
    }
    let this_month = Month::of(app::domain::billing::Date::of_unix_jst(app::ssr::now()));
    if month > this_month && !ahead {
        return Err(format!(
            "{month} has not begun (this month is {this_month}, Japan time): nothing was issued; \
             --ahead bills it anyway"
        )
        .into());
    }
    let db = open(settings).await?;
    let options =
        RunOptions { batch_size: batch_size as usize, pause: std::time::Duration::from_millis(pause_ms) };
    let mut ticker = Ticker::new();
    let report = issue_month_with(&db, month, Some(settings), &options, |p| {
        if ticker.due() {
            let elapsed = ticker.elapsed();
            // Time left from how far the walk is through the customer numbers: every
            // process's windows move it, so it holds with several processes at once.
            let left = (p.walked > 0.0).then(|| elapsed * (1.0 - p.walked) / p.walked);
            eprintln!(
                "bill {month}: {} issued here of {} to issue ({} already issued), {}/s, {:.0} % walked{}",
                grouped(p.issued),
                grouped(p.to_issue),
                grouped(p.already_issued),
                grouped((p.issued as f64 / elapsed.max(0.001)) as u64),
                p.walked * 100.0,
                left.map(|s| format!(", about {s:.0} s left")).unwrap_or_default(),
            );
        }
    })
    .await?;
    tracing::info!(%month, issued = report.issued, already_issued = report.already_issued, "billing run");
    eprintln!(
        "bill {month}: done in {:.1} s ({}/s)",
        ticker.elapsed(),
        grouped((report.issued as f64 / ticker.elapsed().max(0.001)) as u64)
    );
    println!("{month}: {} invoices issued, {} already issued", report.issued, report.already_issued);
    db.close().await;
    Ok(())
}

/// Synthetic customers 1 to `customers` (`app::synthetic`).
async fn seed_load(settings: &Settings, customers: u64, seed: u64) -> Result<(), Error> {
    use app::synthetic::{self, LoadOptions};
    not_in_production(settings)?;
    let db = connect(settings).await?;
    let options = LoadOptions { customers, seed, batch_size: 500, mail_domain: settings.mail_domain.clone() };
    let mut ticker = Ticker::new();
    let result = synthetic::seed_load(&db, &options, |done, of| {
        if ticker.due() {
            let rate = done as f64 / ticker.elapsed().max(0.001);
            eprintln!(
                "seed-load: {} of {} customers, {}/s, about {:.0} s left",
                grouped(done),
                grouped(of),
                grouped(rate as u64),
                (of - done) as f64 / rate.max(0.001)
            );
        }
    })
    .await;
    db.close().await;
    let report = result?;
    tracing::info!(
        written = report.written,
        already_there = report.already_there,
        "synthetic customers loaded"
    );
    println!(
        "seed-load: synthetic customers {}–{} (seed {seed}): {} written, {} already there, {} invoices, in {:.1} s",
        synthetic::customer_no(1),
        synthetic::customer_no(customers),
        report.written,
        report.already_there,
        report.invoices,
        ticker.elapsed()
    );
    println!(
        "log in as {} … {} with the password {}",
        synthetic::login_id(1),
        synthetic::login_id(customers),
        synthetic::PASSWORD
    );
    Ok(())
}

/// When a long command tells its progress (stderr, every few seconds).
struct Ticker {
    started: std::time::Instant,
    last: std::time::Instant,
}

impl Ticker {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(5);

    fn new() -> Self {
        let now = std::time::Instant::now();
        Ticker { started: now, last: now }
    }

    fn due(&mut self) -> bool {
        let due = self.last.elapsed() >= Self::EVERY;
        if due {
            self.last = std::time::Instant::now();
        }
        due
    }

    /// Seconds since the start.
    fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

/// 12345 → "12,345".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A listing command's output: a line each (tab-separated), or with `--json` one JSON
/// array for scripts; an empty text listing says so in words.
fn print_listing<T>(
    rows: &[T],
    json: bool,
    empty: &str,
    as_json: impl Fn(&T) -> serde_json::Value,
    as_line: impl Fn(&T) -> String,
) {
    if json {
        println!("{}", serde_json::Value::Array(rows.iter().map(as_json).collect()));
    } else if rows.is_empty() {
        println!("{empty}");
    } else {
        for row in rows {
            println!("{}", as_line(row));
        }
    }
}

/// The back office's list of open plan change requests.
async fn plan_requests(settings: &Settings, json: bool) -> Result<(), Error> {
    use app::features::contract::plan_change;
    let db = open(settings).await?;
    let open = plan_change::open_requests(&db).await?;
    db.close().await;
    print_listing(
        &open,
        json,
        "no open plan change requests",
        |(customer_no, r)| {
            serde_json::json!({
                "id": r.id,
                "step": app::flow::Step::as_str(r.step),
                "customer_no": customer_no,
                "service_id": r.service_id,
                "from_plan": r.from_name,
                "to_plan": r.to_name,
                "monthly_fee": r.monthly_fee.0,
                "effective_on": r.effective_on,
                "termination_fee": r.termination_fee.0,
                "requested_on": r.requested_on,
            })
        },
        |(customer_no, r)| {
            format!(
                "{}\t{}\t{customer_no}\t{}\t{} -> {}\t{}\tfrom {}\trequested {}\ttermination fee {}",
                r.id,
                app::flow::Step::as_str(r.step),
                r.service_id,
                r.from_name,
                r.to_name,
                r.monthly_fee.grouped(),
                r.effective_on,
                r.requested_on,
                r.termination_fee.grouped()
            )
        },
    );
    Ok(())
}

/// Takes plan change request `id` up (`process`) or completes it.
async fn plan_request_step(settings: &Settings, id: &str, process: bool) -> Result<(), Error> {
    use app::features::contract::plan_change::{self, Operated};
    let db = open(settings).await?;
    let now = app::ssr::now();
    let done = if process {
        plan_change::process(&db, settings, id, now).await
    } else {
        plan_change::complete(&db, settings, id, now).await
    };
    db.close().await;
    match done? {
        Operated::Moved => {
            println!("{id}: {}", if process { "processing" } else { "done" });
            Ok(())
        }
        Operated::NotOpen => Err(format!("no open request {id} (or not at a step it can leave)").into()),
        Operated::ServiceEnds(on) => Err(format!(
            "request {id} not completed but cancelled: its service ends on {on}, before the change \
             would start; the customer is mailed"
        )
        .into()),
    }
}

/// What the support centre sees of the inquiries waiting for an answer.
async fn inquiries(settings: &Settings, json: bool) -> Result<(), Error> {
    use app::features::help::store;
    let db = open(settings).await?;
    let open = store::open_inquiries(&db).await?;
    db.close().await;
    print_listing(
        &open,
        json,
        "no inquiries waiting for an answer",
        |i| {
            serde_json::json!({
                "reference_no": i.reference_no,
                "created_at": i.created_at,
                "customer_no": i.customer_no,
                "category": i.category,
                "message": i.message,
                // The speed test the customer attached (null without one): kbps, µs.
                "speed_test": i.speed_test.as_ref().map(|t| serde_json::json!({
                    "finished_at": t.finished_at,
                    "download_kbps": t.measured.download_kbps,
                    "upload_kbps": t.measured.upload_kbps,
                    "ping_us": t.measured.ping_us,
                    "jitter_us": t.measured.jitter_us,
                    "loaded_us": t.measured.loaded_us,
                    "plan_name": t.plan_name,
                    "plan_mbps": t.plan_mbps,
                })),
            })
        },
        |i| {
            // The message's first line, at most 60 characters, with tabs and invisible
            // or direction-changing characters (which would shift the columns or
            // disguise the text) shown as spaces.
            let first: String = i
                .message
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(60)
                .map(|c| if c.is_control() || is_format_char(c) { ' ' } else { c })
                .collect();
            let at = app::i18n::format_datetime(app::i18n::Locale::Ja, i.created_at);
            // The attached speed test's figures (down/up Mbps), or a dash.
            let speed = i.speed_test.as_ref().map_or("-".to_string(), |t| {
                use app::domain::speedtest::format_mbps;
                format!("{}/{}", format_mbps(t.measured.download_kbps), format_mbps(t.measured.upload_kbps))
            });
            format!("{}\t{at}\t{}\t{}\t{speed}\t{first}", i.reference_no, i.customer_no, i.category)
        },
    );
    Ok(())
}

/// The events waiting for their systems, oldest first.
async fn events(settings: &Settings, topic: Option<&str>, limit: u32, json: bool) -> Result<(), Error> {
    let db = open(settings).await?;
    let mut conn = db.conn().await?;
    let waiting = app::ssr::mail::waiting_events(&mut conn, topic, i64::from(limit)).await;
    drop(conn);
    db.close().await;
    let waiting = waiting?;
    print_listing(
        &waiting,
        json,
        "no events waiting",
        |e| {
            let payload = serde_json::from_str(&e.payload)
                .unwrap_or_else(|_| serde_json::Value::String(e.payload.clone()));
            serde_json::json!({ "id": e.id, "topic": e.topic, "created_at": e.created_at, "payload": payload })
        },
        |e| {
            let at = app::i18n::format_datetime(app::i18n::Locale::Ja, e.created_at);
            format!("{}\t{at}\t{}\t{}", e.id, e.topic, e.payload)
        },
    );
    Ok(())
}

/// Marks the events `ids` taken, each on its own.
async fn events_taken(settings: &Settings, ids: &[String]) -> Result<(), Error> {
    use app::ssr::mail::{take_event, Taken};
    let db = open(settings).await?;
    let mut conn = db.conn().await?;
    let now = app::ssr::now();
    let mut unknown = Vec::new();
    for id in ids {
        match take_event(&mut conn, id, now).await? {
            Taken::Now => println!("{id}: taken"),
            Taken::Before => println!("{id}: taken before"),
            Taken::Unknown => unknown.push(id.as_str()),
        }
    }
    drop(conn);
    db.close().await;
    match unknown.as_slice() {
        [] => Ok(()),
        ids => Err(format!("no such event: {}", ids.join(", ")).into()),
    }
}

/// Marks inquiry `reference` answered (the answer itself goes by mail or phone).
async fn inquiry_answered(settings: &Settings, reference: &str) -> Result<(), Error> {
    let db = open(settings).await?;
    let marked = app::features::help::store::mark_answered(&db, reference).await;
    db.close().await;
    if marked? {
        println!("{reference}: answered");
        Ok(())
    } else {
        Err(format!("no inquiry {reference} waiting for an answer").into())
    }
}

/// Records the payment results of `file` (`-`: stdin), line by line.
async fn payments(settings: &Settings, file: &std::path::Path) -> Result<(), Error> {
    use app::domain::billing::PaymentReport;
    use app::features::billing::store::{record_payment, Recorded};
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| format!("{}: {e}", file.display()))?;
    // A file saved with a byte-order mark (as spreadsheets write CSV) reads the same.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let db = open(settings).await?;
    let (mut paid, mut failed, mut mailed, mut before, mut refused) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut refuse = |n: usize, why: String| {
        eprintln!("line {n}: {why}; not recorded");
        refused += 1;
    };
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') || line.starts_with("customer_no") {
            continue;
        }
        let report = match PaymentReport::parse(line) {
            Ok(report) => report,
            Err(why) => {
                refuse(n, why);
                continue;
            }
        };
        let mut tx = db.begin().await?;
        let recorded = record_payment(&mut tx, settings, &report).await?;
        tx.commit().await?;
        let invoice = format!("customer {} {}", report.customer_no.as_str(), report.month);
        match recorded {
            Recorded::Paid => paid += 1,
            Recorded::Failed { mailed: told } => {
                failed += 1;
                mailed += u64::from(told);
            }
            Recorded::AlreadyReported => before += 1,
            Recorded::NoInvoice => refuse(n, format!("no invoice of {invoice}")),
            Recorded::AmountDiffers(total) => {
                refuse(n, format!("{invoice} is {total} yen, not {}", report.amount.0))
            }
            Recorded::PaidAlready => refuse(n, format!("{invoice} is paid already; a failure cannot follow")),
            Recorded::PaidOnAnotherDay(on) => {
                refuse(n, format!("{invoice} was paid on {on}: a second collection? check before a refund"))
            }
        }
    }
    db.close().await;
    println!(
        "{paid} paid, {failed} failed ({mailed} mailed; the others have no portal account), \
         {before} recorded before, {refused} not recorded"
    );
    if refused > 0 {
        return Err(format!("{refused} line(s) not recorded (listed above); the others are").into());
    }
    Ok(())
}

/// Opens contract verification again for a customer record, or a name and phone, that
/// 100 failures in a row locked (the customer called the support centre).
async fn registration_unlock(
    settings: &Settings,
    customer: Option<CustomerNumber>,
    name_phone: Option<(KatakanaName, PhoneNumber)>,
) -> Result<(), Error> {
    let name_phone = name_phone.map(|(kana, phone)| (kana.match_key(), phone.digits().to_string()));
    let db = open(settings).await?;
    let mut conn = db.conn().await?;
    let unlocked = app::features::registration::unlock(
        &mut conn,
        customer.as_ref().map(|c| c.as_str()),
        name_phone.as_ref().map(|(k, p)| (k.as_str(), p.as_str())),
    )
    .await?;
    drop(conn);
    db.close().await;
    println!("{}", if unlocked { "registration opened again" } else { "nothing was locked" });
    Ok(())
}

/// Takes the second factors off customer NO's account (the support centre confirmed
/// who is calling).
async fn two_step_off(settings: &Settings, customer: &CustomerNumber) -> Result<(), Error> {
    let db = open(settings).await?;
    let removed =
        app::features::security::removed_by_support(&db, settings, customer.as_str(), app::ssr::now()).await;
    db.close().await;
    match removed? {
        Some(true) => {
            println!(
                "two-step verification and passkeys removed; every session ended; the contact address told"
            );
            println!("the password is unchanged: if someone else set the factor up, the customer resets it by mail");
            Ok(())
        }
        Some(false) => {
            println!("nothing to remove: no two-step verification and no passkey");
            Ok(())
        }
        None => Err(format!("customer {} has no account", customer.as_str()).into()),
    }
}

/// What would shift a listing's columns or disguise its text: the characters nobody
/// sees (the domain's list, the bidirectional controls among them), the zero-width
/// joiners and the line and paragraph separators.
fn is_format_char(c: char) -> bool {
    app::domain::normalize::is_invisible(c) || matches!(c, '\u{200C}'..='\u{200D}' | '\u{2028}'..='\u{2029}')
}

/// The demo and synthetic data publish their logins and issue invoices without mail:
/// never into a production database.
fn not_in_production(settings: &Settings) -> Result<(), Error> {
    if settings.env.is_production() {
        return Err("refused with MYPAGE_ENV=production: it publishes its logins' passwords and issues \
                    invoices without mail; load it into a development database (MYPAGE_ENV=development)"
            .into());
    }
    Ok(())
}

async fn seed_demo(settings: &Settings, only_if_empty: bool) -> Result<(), Error> {
    not_in_production(settings)?;
    let db = connect(settings).await?;
    if only_if_empty && !seed::is_empty(&db).await? {
        tracing::info!("database already holds customers: demo data not loaded");
    } else {
        let report = seed::seed_demo(&db, &settings.mail_domain).await?;
        tracing::info!(
            customers = report.customers_added,
            invoices = report.invoices_added,
            "demo data loaded"
        );
    }
    db.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(100_000_000), "100,000,000");
    }
}
