//! `stride-server`: serve the clinic's sync API, and administer clinics, users and
//! devices. Ids are printed alone on stdout, for scripts.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use stride_server::{AppState, admin, db, serve};
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "stride-server", version, about = "Stride's clinic server")]
struct Cli {
    /// PostgreSQL URL, e.g. `postgres://stride@127.0.0.1/stride`
    #[arg(
        long,
        env = "STRIDE_DATABASE_URL",
        global = true,
        default_value = "postgres://postgres@127.0.0.1:5432/stride"
    )]
    database_url: String,
    /// The certificate authority (PEM) that signed PostgreSQL's certificate, for a URL
    /// with `sslmode=require` (default: the public roots).
    #[arg(long, env = "STRIDE_DATABASE_CA", global = true)]
    database_ca: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync API.
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
        /// Serve plain HTTP (behind a TLS-terminating proxy, or on loopback).
        #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
        plain_http: bool,
        /// TLS certificate chain (PEM).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// After restoring the database from a backup: gives every clinic's feed a new epoch,
    /// so devices take a fresh snapshot and push again what the backup lacks.
    Restored,
    /// Clinics.
    Clinic {
        #[command(subcommand)]
        command: ClinicCommand,
    },
    /// Users (the password comes from STRIDE_PASSWORD).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Devices.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
}

#[derive(Subcommand)]
enum ClinicCommand {
    /// Create a clinic and its owner (admin, and PT unless --no-clinician).
    Create {
        #[arg(long)]
        name: String,
        /// The owner's user name (password from STRIDE_PASSWORD).
        #[arg(long)]
        admin: String,
        /// The owner does not see patients: admin role only.
        #[arg(long)]
        no_clinician: bool,
        /// Use this clinic id.
        #[arg(long)]
        id: Option<Uuid>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user to a clinic.
    Add {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
        /// pt, pta, frontdesk, biller or admin; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Set a clinician's individual NPI, for the claims they render.
    Npi {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
        #[arg(long)]
        npi: String,
    },
    /// Let a physical therapist bill their own patients in their own name (Type 1 NPI),
    /// under their tax id; --off stops it.
    OwnBilling {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
        /// Their employer identification number, as 12-3456789.
        #[arg(long, required_unless_present = "off")]
        tax_id: Option<String>,
        /// The clinic bills their claims again.
        #[arg(long, conflicts_with = "tax_id")]
        off: bool,
    },
    /// Deactivate a user: their tokens are revoked and every device refuses them.
    Deactivate {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
    },
    /// Set a user's new password (from STRIDE_PASSWORD); they sign in again everywhere.
    ResetPassword {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
    },
    /// Give a user exactly these roles.
    Roles {
        #[arg(long)]
        clinic: Uuid,
        #[arg(long)]
        name: String,
        /// pt, pta, frontdesk, biller or admin; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Revoke a device: its tokens stop working and it cannot sign in again.
    Revoke {
        /// The device's id.
        device: Uuid,
    },
}

fn password() -> anyhow::Result<String> {
    std::env::var("STRIDE_PASSWORD").context("set STRIDE_PASSWORD to the new user's password")
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let pool = db::pool_with_ca(&cli.database_url, cli.database_ca.as_deref())?;
    db::migrate(&pool).await?;
    match cli.command {
        Command::Migrate => {}
        Command::Restored => {
            println!("{} clinic feeds start a new epoch", db::new_epochs(&pool).await?);
        }
        Command::Serve {
            listen,
            plain_http,
            tls_cert,
            tls_key,
        } => {
            let tcp = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("could not listen on {listen}"))?;
            let tls = match (plain_http, tls_cert, tls_key) {
                (true, _, _) => None,
                (false, Some(cert), Some(key)) => Some(serve::tls_acceptor(&cert, &key)?),
                _ => bail!("give --tls-cert and --tls-key, or --plain-http behind a TLS proxy or on loopback"),
            };
            db::notice_restore(&pool).await?;
            tracing::info!(%listen, tls = tls.is_some(), "serving");
            serve::serve(tcp, tls, AppState { pool }, shutdown()).await?;
        }
        Command::Clinic {
            command:
                ClinicCommand::Create {
                    name,
                    admin: owner,
                    no_clinician,
                    id,
                },
        } => {
            let id = admin::create_clinic(&pool, &name, id, &owner, &password()?, !no_clinician).await?;
            println!("{id}");
        }
        Command::User {
            command: UserCommand::Add { clinic, name, roles },
        } => {
            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
            println!("{}", admin::add_user(&pool, clinic, &name, &password()?, &roles).await?);
        }
        Command::User {
            command: UserCommand::Npi { clinic, name, npi },
        } => {
            println!("{}", admin::set_user_npi(&pool, clinic, &name, &npi).await?);
        }
        Command::User {
            command: UserCommand::OwnBilling {
                clinic, name, tax_id, ..
            },
        } => {
            let id = admin::set_user_own_billing(&pool, clinic, &name, tax_id.as_deref()).await?;
            println!("{id}");
        }
        Command::User {
            command: UserCommand::Deactivate { clinic, name },
        } => {
            println!("{}", admin::deactivate_user(&pool, clinic, &name).await?);
        }
        Command::User {
            command: UserCommand::ResetPassword { clinic, name },
        } => {
            println!("{}", admin::reset_password(&pool, clinic, &name, &password()?).await?);
        }
        Command::User {
            command: UserCommand::Roles { clinic, name, roles },
        } => {
            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
            println!("{}", admin::set_roles_of(&pool, clinic, &name, &roles).await?);
        }
        Command::Device {
            command: DeviceCommand::Revoke { device },
        } => {
            println!("{}", admin::revoke_device(&pool, device).await?);
        }
    }
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stride-server: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stride-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}
