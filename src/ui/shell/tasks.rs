//! The core calls the wallet's screens start, each as a `Task` whose result comes back as a
//! message: nothing here runs on the UI thread.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use iced::Task;

use crate::core::blocking;
use crate::core::history::{Entry, Period};
use crate::core::input::names;
use crate::core::lightning::channels::SpliceDirection;
use crate::core::wallet::WalletUpdate;
use crate::core::wallet::{Changed, PaymentsChanged, SendOutcome, Wallet};
use crate::core::Error;
use crate::fl;
use crate::lab::scenario::{Runner, Scenario, ScenarioError};
use crate::lab::{Lab, LabError};
use crate::ui::errors::Failure;
use crate::ui::screen::{channels, counter, lab, receive, send};
use crate::ui::shell::Message;

/// Reads fee estimates from the Electrum server (off the UI thread).
pub fn read_fees(electrum_url: String) -> Task<Message> {
    Task::perform(
        async move {
            blocking(move || {
                crate::core::chain::fees::fetch_fee_choices(&electrum_url).map_err(Error::from)
            })
            .await
        },
        Message::FeesRead,
    )
}

/// The system's folder chooser, for the channel backup; `None` when the person cancelled.
pub async fn pick_folder() -> Option<std::path::PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(fl!("backup-choose-title"))
        .pick_folder()
        .await
        .map(|f| f.path().to_path_buf())
}

/// Starts backing up to `place`; the whole store is copied before the answer comes.
pub fn choose_backup(
    wallet: &Arc<Wallet>,
    place: crate::core::store::backup::BackupPlace,
) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move { wallet.choose_backup(place).await },
        Message::BackupSet,
    )
}

/// Asks the server, until it says, whether it took a sent transaction in.
pub fn await_broadcast(wallet: &Arc<Wallet>, sent: SendOutcome) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move {
            let outcome = wallet.await_broadcast(&sent).await;
            (sent.txid, outcome)
        },
        |(txid, outcome)| Message::BroadcastChecked(txid, outcome),
    )
}

/// What the Send screen asked for.
pub fn send_action(wallet: &Arc<Wallet>, action: send::Action) -> Task<Message> {
    let wallet = wallet.clone();
    match action {
        send::Action::Broadcast(plan) => Task::perform(
            async move { wallet.send_onchain(plan).await },
            Message::SendDone,
        ),
        send::Action::Copy(t) => iced::clipboard::write(t),
        // The answer goes back to the Send screen itself.
        send::Action::PayFromChannel(plan) => {
            let network = wallet.network();
            Task::perform(
                async move {
                    let address = crate::core::input::parse_address(&plan.address, network)?;
                    wallet
                        .splice_out(plan.channel, Some(address), plan.amount_sat)
                        .await
                },
                |result| Message::Send(send::Message::PayoutStarted(result)),
            )
        }
        // Recorded by the wallet screen itself (see `WalletScreen::update`).
        send::Action::AcknowledgeBackupRisk => Task::none(),
        send::Action::PreviewRoute {
            target,
            amount_msat,
        } => Task::perform(
            async move { wallet.likely_route(target, amount_msat).await },
            Message::RouteRead,
        ),
        send::Action::OpenQrImage => Task::perform(
            async {
                rfd::AsyncFileDialog::new()
                    .add_filter(fl!("send-qr-filter"), &["png", "jpg", "jpeg"])
                    .pick_file()
                    .await
                    .map(|f| f.path().to_path_buf())
            },
            |picked| match picked {
                Some(path) => Message::FileDropped(path),
                None => Message::Ignore,
            },
        ),
        send::Action::ResolveName(name) => {
            let network = wallet.network();
            Task::perform(
                async move {
                    let now = std::time::Duration::from_secs(crate::core::now());
                    let resolver = names::internet_resolver();
                    Ok(names::resolve(&name, network, now, &resolver).await?)
                },
                Message::NameResolved,
            )
        }
        send::Action::ChooseNameAmount {
            choice,
            amount_msat,
        } => {
            let network = wallet.network();
            Task::perform(
                async move {
                    let now = std::time::Duration::from_secs(crate::core::now());
                    let resolver = names::internet_resolver();
                    let target =
                        names::choose_amount(*choice, amount_msat, network, now, &resolver).await?;
                    Ok(names::Resolved::Target(target))
                },
                Message::NameResolved,
            )
        }
        send::Action::PayLightning(p) => Task::perform(
            async move {
                wallet
                    .pay(p.target, p.amount_msat, Some(p.max_fee_msat))
                    .await
            },
            Message::PayStarted,
        ),
    }
}

/// What the Receive screen asked for (switching to counter mode is the screen's own business).
pub fn receive_action(wallet: &Arc<Wallet>, action: receive::Action) -> Task<Message> {
    let wallet = wallet.clone();
    match action {
        receive::Action::NewAddress => new_address(&wallet),
        receive::Action::Copy(t) => iced::clipboard::write(t),
        receive::Action::CreateInvoice {
            amount_msat,
            description,
            expiry_secs,
        } => Task::perform(
            async move {
                wallet
                    .receive_invoice(amount_msat, description, expiry_secs, true)
                    .await
            },
            Message::RequestMade,
        ),
        receive::Action::CreateOffer {
            amount_msat,
            description,
        } => Task::perform(
            async move { wallet.receive_offer(amount_msat, description).await },
            Message::RequestMade,
        ),
        receive::Action::CreateViaLsp {
            amount_msat,
            description,
            expiry_secs,
        } => Task::perform(
            async move {
                wallet
                    .receive_via_lsp(amount_msat, description, expiry_secs)
                    .await
            },
            Message::RequestMade,
        ),
        receive::Action::Counter => Task::none(),
        receive::Action::CheckFallback(address) => Task::perform(
            async move {
                let paid = wallet.fallback_paid(address.clone()).await;
                (address, paid)
            },
            |(address, paid)| Message::FallbackChecked(address, paid),
        ),
    }
}

/// The counter's invoice for the typed amount.
pub fn counter_invoice(wallet: &Arc<Wallet>, amount_msat: u64) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move {
            wallet
                .receive_invoice(
                    Some(amount_msat),
                    fl!("counter-description"),
                    counter::COUNTER_EXPIRY_SECS,
                    // A shop's counter takes Lightning only: an on-chain payment would need
                    // confirmations the customer will not wait for.
                    false,
                )
                .await
        },
        Message::CounterInvoiceMade,
    )
}

/// "Payment received" beyond the window.
pub fn announce(amount_msat: u64, sound: bool) -> Task<Message> {
    Task::perform(
        crate::ui::notify::payment_received(amount_msat, sound),
        |_| Message::Ignore,
    )
}

/// "The channel backup is failing" beyond the window.
pub fn announce_backup_failing(
    failure: crate::core::store::backup::BackupFailure,
    folder: String,
) -> Task<Message> {
    Task::perform(
        async move { crate::ui::notify::backup_failing(&failure, folder).await },
        |_| Message::Ignore,
    )
}

/// Writes the CSV export of `period`.
pub fn export(entries: Vec<Entry>, period: Period) -> Task<Message> {
    Task::perform(
        blocking(move || {
            crate::core::history::export(&entries, &period)
                .map(|p| p.display().to_string())
                .map_err(Error::from)
        }),
        Message::Exported,
    )
}

/// Reads the QR code in an image file.
pub fn read_qr(path: std::path::PathBuf) -> Task<Message> {
    Task::perform(
        blocking(move || crate::core::input::qr_image::read_qr(&path).map_err(Error::from)),
        Message::QrRead,
    )
}

/// A Lab panel action on the local chain and the lab nodes.
pub fn lab_action(wallet: &Arc<Wallet>, lab: Arc<Lab>, action: lab::Action) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move {
            let done = match action {
                lab::Action::Mine(n) => lab::Done::Mined(lab.mine(n).await?),
                lab::Action::MineTo(height) => lab::Done::Mined(lab.mine_to(height).await?),
                lab::Action::Fund => {
                    let address = wallet.new_address().await?;
                    lab::Done::Mined(lab.fund(address).await?)
                }
                lab::Action::AddNode => lab::Done::NodeAdded(lab.add_node().await?),
                lab::Action::OpensToWallet {
                    from,
                    capacity_sat,
                    push_sat,
                } => {
                    lab.opens_to_wallet(&from, &wallet, capacity_sat, push_sat)
                        .await?;
                    lab::Done::Opened(from)
                }
                lab::Action::RemoveNode(name) => {
                    lab.remove_node(&name).await?;
                    lab::Done::NodeRemoved(name)
                }
                lab::Action::FundNode(name) => {
                    let address = lab.node(&name)?.online()?.new_address()?;
                    lab::Done::Mined(lab.fund(address).await?)
                }
                lab::Action::Build(preset) => {
                    lab.build(preset, &wallet).await?;
                    lab::Done::Built(preset)
                }
                lab::Action::OpenBetween {
                    from,
                    to,
                    capacity_sat,
                    push_sat,
                } => {
                    lab.open_between(&from, &to, capacity_sat, push_sat, true)
                        .await?;
                    lab::Done::OpenedBetween { from, to }
                }
                lab::Action::PayBetween {
                    from,
                    to,
                    amount_sat,
                    by,
                } => {
                    let request = match &to {
                        Some(node) => lab.node(node)?.online()?.request(by, amount_sat)?,
                        None => crate::lab::wallet_request(&wallet, by, amount_sat).await?,
                    };
                    lab.node_pays(&from, request, amount_sat).await?;
                    lab::Done::PaidBetween {
                        from,
                        to: to.unwrap_or_else(|| fl!("lab-you")),
                    }
                }
                lab::Action::NodeSplices {
                    node,
                    into,
                    amount_sat,
                } => {
                    lab.node_splices(&node, &wallet, into, amount_sat).await?;
                    lab::Done::Spliced { node, into }
                }
                lab::Action::Swap {
                    node,
                    play,
                    amount_sat,
                } => {
                    let payment_hash = lab.swap(&node, &wallet, play, amount_sat).await?;
                    lab::Done::Swapped {
                        node,
                        play,
                        payment_hash,
                    }
                }
                lab::Action::RequestFrom {
                    node,
                    amount_sat,
                    by,
                } => {
                    let text = lab.node(&node)?.online()?.request(by, amount_sat)?;
                    lab::Done::Requested(lab::Request {
                        node,
                        text,
                        held: false,
                    })
                }
                lab::Action::Fault(name, fault) => {
                    let done = lab.fault(&name, fault, &wallet).await?;
                    lab::Done::Fault(name, done)
                }
                lab::Action::RunScenario => {
                    let Some(file) = rfd::AsyncFileDialog::new()
                        .set_title(fl!("lab-scenario-choose"))
                        .add_filter("TOML", &["toml"])
                        .pick_file()
                        .await
                    else {
                        return Ok(lab::Done::Cancelled);
                    };
                    let text = std::fs::read_to_string(file.path())
                        .map_err(|e| Failure::Scenario(ScenarioError::Read(e.to_string())))?;
                    let scenario = Scenario::parse(&text).map_err(Failure::Scenario)?;
                    Runner::new(lab.clone(), wallet.clone())
                        .run(&scenario, |p| log::info!("scenario: {p:?}"))
                        .await
                        .map_err(Failure::Scenario)?;
                    lab::Done::ScenarioPassed {
                        name: scenario.name.clone(),
                        steps: scenario.steps.len(),
                    }
                }
                lab::Action::SaveScenario(text) => {
                    let Some(file) = rfd::AsyncFileDialog::new()
                        .set_file_name("scenario.toml")
                        .save_file()
                        .await
                    else {
                        return Ok(lab::Done::Cancelled);
                    };
                    let path = file.path().to_path_buf();
                    let p = path.clone();
                    let written = tokio::task::spawn_blocking(move || {
                        crate::core::store::files::write_atomically(&p, text.as_bytes())
                    })
                    .await;
                    match written {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => return Err(LabError::Files(e.to_string()).into()),
                        Err(e) => return Err(LabError::Files(e.to_string()).into()),
                    }
                    lab::Done::ScenarioSaved(path.display().to_string())
                }
                // The shell handles these itself.
                lab::Action::OpenTo { .. } | lab::Action::Pay(_) => {
                    return Err(Failure::Lab(crate::lab::LabError::Node(
                        "not a Lab task".into(),
                    )))
                }
            };
            // The lab nodes watch the same chain; let them see the new blocks too.
            lab.sync_nodes().await;
            // The blocks are mined either way; a slow sync only delays the balances, which
            // the background sync brings too.
            if let Err(e) = wallet.sync().await {
                log::warn!("sync after the Lab action failed: {e}");
            }
            Ok::<_, Failure>(done)
        },
        Message::LabDone,
    )
}

/// Reads what the lab nodes have and do now, and the wallet's swaps with them.
pub fn read_lab(lab: Arc<Lab>, wallet: &Arc<Wallet>) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move {
            let nodes = lab.read_nodes(wallet.public_key()).await;
            (nodes, wallet.swaps())
        },
        |(nodes, swaps)| Message::LabNodesRead(nodes, swaps),
    )
}

/// Reads balances, channels and payments again.
pub fn refresh(wallet: &Arc<Wallet>) -> Task<Message> {
    reread(wallet, Changed::ALL)
}

/// Reads again what an update changed.
pub fn reread(wallet: &Arc<Wallet>, changed: Changed) -> Task<Message> {
    let mut reads = Vec::new();
    if changed.snapshot {
        let w = wallet.clone();
        reads.push(Task::perform(
            async move { w.snapshot().await },
            Message::SnapshotRead,
        ));
    }
    if changed.channels {
        let w = wallet.clone();
        reads.push(Task::perform(
            async move { w.channels().await },
            Message::ChannelsRead,
        ));
    }
    match changed.payments {
        PaymentsChanged::No => {}
        PaymentsChanged::One(id) => {
            let w = wallet.clone();
            reads.push(Task::perform(
                async move {
                    let read = w.payment(id.clone()).await;
                    (id, read)
                },
                |(id, read)| Message::PaymentRead(id, read),
            ));
        }
        PaymentsChanged::All => {
            let w = wallet.clone();
            reads.push(Task::perform(
                async move { w.payments().await },
                Message::PaymentsRead,
            ));
        }
    }
    Task::batch(reads)
}

pub fn read_graph(wallet: &Arc<Wallet>) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(async move { wallet.graph().await }, Message::GraphRead)
}

/// Starts what the channels screen asked for; the result comes back as `ChannelDone`.
pub fn channel_action(wallet: &Arc<Wallet>, action: channels::Action) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move {
            match action {
                channels::Action::Open(req) => {
                    wallet.open_channel(req).await?;
                    Ok(fl!("ch-opened-notice"))
                }
                channels::Action::Close { id, force } => {
                    wallet.close_channel(id, force).await?;
                    Ok(fl!("ch-closing-notice"))
                }
                channels::Action::ForceCloseUnproven { id } => {
                    wallet.force_close_unproven(id).await?;
                    Ok(fl!("ch-closing-notice"))
                }
                channels::Action::SetFees { id, policy } => {
                    wallet.set_fee_policy(id, policy).await?;
                    Ok(fl!("ch-fees-saved"))
                }
                channels::Action::Splice { id, splice } => {
                    let amount = splice.amount_sat;
                    match splice.direction {
                        SpliceDirection::Out => wallet.splice_out(id, None, amount).await?,
                        _ => wallet.splice_in(id, amount).await?,
                    }
                    Ok(fl!("splice-started"))
                }
                // The wallet screen opens the folder chooser and shows other sections itself.
                channels::Action::ChooseBackup
                | channels::Action::ShowReceive
                | channels::Action::ShowSettings => Ok(String::new()),
            }
        },
        Message::ChannelDone,
    )
}

pub fn new_address(wallet: &Arc<Wallet>) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move { wallet.new_address().await },
        Message::AddressMade,
    )
}

/// Identifies the update stream by node id, so it restarts only when the wallet changes.
pub struct WalletKey(pub Arc<Wallet>);

impl Hash for WalletKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.node_id().hash(state);
    }
}

pub fn updates(key: &WalletKey) -> impl iced::futures::Stream<Item = WalletUpdate> {
    let wallet = key.0.clone();
    iced::futures::stream::unfold((wallet, None), |(wallet, mut last_sync)| async move {
        let update = wallet.next_update(&mut last_sync).await;
        Some((update, (wallet, last_sync)))
    })
}
