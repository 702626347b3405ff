//! `server [serve|migrate|seed-demo [--if-empty]|help]`: configuration from the
//! environment (see README), then the chosen command.

use app::seed;
use app::ssr::{config::Settings, db::Db};
use server::{leptos_options, shutdown_signal, telemetry, Application, Error};
use std::process::ExitCode;

/// Rendering a page allocates many small strings and boxes: mimalloc serves them
/// faster than glibc's malloc under several threads (see `npm run bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: server [COMMAND]

commands:
  serve                  serve the portal (default)
  migrate                apply database migrations and exit
  seed-demo [--if-empty] load the demo data of SPEC §7 (idempotent); with --if-empty
                         only when the database holds no customer
  bill --month YYYY-MM   issue that month's invoices from the contracts (idempotent:
                         a month already issued for a customer is left as it is)
  plan-requests          list the open plan change requests (受付, 処理中)
  plan-requests --process ID
                         take request ID up (受付 → 処理中; the customer can no longer
                         cancel it), mailing the customer
  plan-requests --complete ID
                         complete request ID (→ 完了): the new plan is in force from its
                         date, billed by the next runs; mails the customer
  inquiries              list the inquiries waiting for an answer (受付済み)
  inquiries --answered REF
                         mark inquiry REF answered (the customer's list says 回答済み)
  registration-unlock --customer NO
                         open registration again for customer NO after 100 failed
                         contract verifications in a row locked it
  registration-unlock --name KANA --phone PHONE
                         the same for a name (katakana) and phone number
  help                   show this text

configuration (environment): DATABASE_URL, PUBLIC_URL, SMTP_URL, MYPAGE_ENV,
MYPAGE_BRAND, MYPAGE_MAIL_DOMAIN, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT, RUST_LOG";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("serve");
    if matches!(command, "help" | "--help" | "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("server: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.env);
    let result = match (command, args.get(1).map(String::as_str)) {
        ("serve", None) => serve(settings).await,
        ("migrate", None) => migrate(&settings).await,
        ("seed-demo", None) => seed_demo(&settings, false).await,
        ("seed-demo", Some("--if-empty")) => seed_demo(&settings, true).await,
        ("bill", Some("--month")) => match args.get(2).and_then(|m| app::domain::billing::Month::parse(m)) {
            Some(month) if args.len() == 3 => bill(&settings, month).await,
            _ => {
                eprintln!("server: bill needs --month YYYY-MM\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        ("plan-requests", None) => plan_requests(&settings, None).await,
        ("plan-requests", Some(op @ ("--process" | "--complete"))) => match args.get(2) {
            Some(id) if args.len() == 3 => plan_requests(&settings, Some((op, id))).await,
            _ => {
                eprintln!("server: plan-requests {op} needs a request ID\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        ("registration-unlock", Some("--customer")) if args.len() == 3 => {
            registration_unlock(&settings, Some(&args[2]), None).await
        }
        ("registration-unlock", Some("--name")) if args.len() == 5 && args[3] == "--phone" => {
            registration_unlock(&settings, None, Some((&args[2], &args[4]))).await
        }
        ("registration-unlock", _) => {
            eprintln!(
                "server: registration-unlock needs --customer NO, or --name KANA --phone PHONE\n\n{USAGE}"
            );
            return ExitCode::from(2);
        }
        ("inquiries", None) => inquiries(&settings, None).await,
        ("inquiries", Some("--answered")) => match args.get(2) {
            Some(reference) if args.len() == 3 => inquiries(&settings, Some(reference)).await,
            _ => {
                eprintln!("server: inquiries --answered needs a reference number\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("server: unknown command {:?}\n\n{USAGE}", args.join(" "));
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server: {command} failed");
            eprintln!("server: {command} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<(), Error> {
    let options = leptos_options()?;
    let env = settings.env;
    let app = Application::build(settings, options).await?;
    tracing::info!(addr = %app.local_addr(), environment = ?env, "serving My Page on http://{}", app.local_addr());
    app.run_until(shutdown_signal()).await?;
    Ok(())
}

async fn connect(settings: &Settings) -> Result<Db, Error> {
    let db = Db::connect(settings.database_url.expose()).await?;
    db.migrate().await?;
    Ok(db)
}

async fn migrate(settings: &Settings) -> Result<(), Error> {
    connect(settings).await?.close().await;
    tracing::info!("migrations applied");
    Ok(())
}

async fn bill(settings: &Settings, month: app::domain::billing::Month) -> Result<(), Error> {
    let db = connect(settings).await?;
    let report = app::features::billing::store::issue_month(&db, month, Some(settings)).await?;
    tracing::info!(%month, issued = report.issued, already_issued = report.already_issued, "billing run");
    println!("{month}: {} invoices issued, {} already issued", report.issued, report.already_issued);
    db.close().await;
    Ok(())
}

/// What the back office does with plan change requests: list the open ones, take one
/// up, complete one.
async fn plan_requests(settings: &Settings, op: Option<(&str, &String)>) -> Result<(), Error> {
    use app::features::contract::plan_change::{self, Operated};
    let db = connect(settings).await?;
    let now = app::ssr::now();
    match op {
        None => {
            let open = plan_change::open_requests(&db).await?;
            if open.is_empty() {
                println!("no open plan change requests");
            }
            for (customer_no, r) in open {
                println!(
                    "{}\t{}\t{}\t{}\t{} -> {}\t{}\tfrom {}\trequested {}",
                    r.id,
                    app::flow::Step::as_str(r.step),
                    customer_no,
                    r.service_id,
                    r.from_name,
                    r.to_name,
                    r.monthly_fee.grouped(),
                    r.effective_on,
                    r.requested_on
                );
            }
        }
        Some((op, id)) => {
            let done = if op == "--process" {
                plan_change::process(&db, settings, id, now).await?
            } else {
                plan_change::complete(&db, settings, id, now).await?
            };
            match done {
                Operated::Moved => {
                    println!("{id}: {}", if op == "--process" { "processing" } else { "done" })
                }
                Operated::NotOpen => {
                    db.close().await;
                    return Err(format!("no open request {id} (or not at a step it can leave)").into());
                }
            }
        }
    }
    db.close().await;
    Ok(())
}

/// What the support centre does with inquiries from the form: list those waiting,
/// mark one answered (the answer itself goes by mail or phone).
async fn inquiries(settings: &Settings, answered: Option<&String>) -> Result<(), Error> {
    use app::features::help::store;
    let db = connect(settings).await?;
    let result = match answered {
        None => {
            let open = store::open_inquiries(&db).await?;
            if open.is_empty() {
                println!("no inquiries waiting for an answer");
            }
            for i in open {
                // One line each: the message's first line, at most 60 characters, with
                // tabs and invisible or direction-changing characters (which would shift
                // the columns or disguise the text) shown as spaces.
                let first: String = i
                    .message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(60)
                    .map(|c| if c.is_control() || is_format_char(c) { ' ' } else { c })
                    .collect();
                println!(
                    "{}\t{}\t{}\t{}\t{first}",
                    i.reference_no,
                    app::i18n::format_datetime(app::i18n::Locale::Ja, i.created_at),
                    i.customer_no,
                    i.category
                );
            }
            Ok(())
        }
        Some(reference) if store::mark_answered(&db, reference).await? => {
            println!("{reference}: answered");
            Ok(())
        }
        Some(reference) => Err(format!("no inquiry {reference} waiting for an answer").into()),
    };
    db.close().await;
    result
}

/// Opens contract verification again for a customer record, or a name and phone, that
/// 100 failures in a row locked (the customer called the support centre).
async fn registration_unlock(
    settings: &Settings,
    customer: Option<&str>,
    name_phone: Option<(&str, &str)>,
) -> Result<(), Error> {
    use app::domain::{CustomerNumber, KatakanaName, PhoneNumber};
    let customer = match customer {
        Some(c) => {
            Some(CustomerNumber::parse(c).map_err(|_| format!("{c:?} is not a customer number (9 digits)"))?)
        }
        None => None,
    };
    let name_phone = match name_phone {
        Some((kana, phone)) => {
            let kana =
                KatakanaName::parse(kana).map_err(|_| format!("{kana:?} is not a name in katakana"))?;
            let phone = PhoneNumber::parse(phone).map_err(|_| format!("{phone:?} is not a phone number"))?;
            Some((kana.match_key(), phone.digits().to_string()))
        }
        None => None,
    };
    let db = connect(settings).await?;
    let mut conn = db.pool().acquire().await?;
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

/// Unicode format characters: zero-width and bidirectional controls.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

async fn seed_demo(settings: &Settings, only_if_empty: bool) -> Result<(), Error> {
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
