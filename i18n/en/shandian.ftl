app-title = Shandian
app-tagline = A Lightning wallet that shows where your money is.

## Networks
network-regtest = Regtest (local test chain)
network-signet = Signet (test coins)
network-testnet = Testnet (test coins)
network-mainnet = Mainnet (real bitcoin)
badge-regtest = REGTEST
badge-signet = SIGNET
badge-testnet = TESTNET
badge-mainnet = MAINNET

## Common
button-back = Back
button-cancel = Cancel
button-continue = Continue
button-copy = Copy
button-copied = Copied
button-retry = Try again
button-quit = Quit
unit-sat = { $amount } sat
working = Working…

## Start-up
loading-chain = Starting the local regtest chain (bitcoind and electrs)…
loading-wallet = Opening the wallet…
stopping = Stopping the node safely…
no-display = Shandian needs a graphical desktop, but no display was found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from a desktop session.
blocked-title = Shandian cannot open this wallet yet

## Onboarding
onboard-welcome = Welcome to Shandian
onboard-network = Network
onboard-electrum = Electrum server
onboard-electrum-local = The local regtest chain Shandian starts for you
onboard-create = Create a new wallet
onboard-restore = Restore from a recovery phrase
onboard-words-title = Your recovery phrase
onboard-words-help = Write these 12 words down on paper, in order, and keep them somewhere safe. Shandian shows them only now. If this computer is lost, the words recover your on-chain coins. Money in Lightning channels also needs the channel backup: choose a backup folder (a USB stick, a synced folder) once the wallet is open.
onboard-words-done = I have written them down
onboard-quiz-title = Check your phrase
onboard-quiz-help = Type the words at these positions to show the phrase was written down correctly.
onboard-quiz-word = Word { $position }
onboard-quiz-wrong = Word { $position } does not match what you wrote down. Look at your paper again.
onboard-quiz-confirm = Confirm and create wallet
onboard-restore-title = Restore a wallet
onboard-restore-help = Type your recovery phrase, words separated by spaces.
onboard-restore-confirm = Restore wallet
onboard-keyring-note = The recovery phrase is stored only in your system keyring, never in a file.
onboard-restore-backup-help = The words bring back your on-chain coins. To bring back your Lightning channels too, choose the folder that holds your channel backup — the latest one: a backup that missed later payments is older than your peer's state, and Shandian then stops rather than broadcast it (that would hand the channel to the peer).
onboard-restore-backup-none = No channel backup chosen: channels are not restored, and money that was in them cannot be recovered by Shandian.
onboard-restore-backup-chosen = Channels will be restored from { $folder }.

## Channel backup
backup-title = Channel backup
backup-none = No channel backup yet. If this computer's disk is lost, the money in your channels is lost with it. Choose a backup folder (a USB stick or a synced folder).
backup-failing = The channel backup in { $folder } has been failing since { $since }: { $reason }. Plug the drive back in or reconnect the folder, or choose another one. Until then a lost disk would lose your channel balances, and the backup misses what changes meanwhile.
backup-catching-up = Copying everything to the channel backup in { $folder }…
backup-working = Channel backup in { $folder }, last written { $ago }.
backup-working-unwritten = Channel backup in { $folder }, up to date.
backup-what-it-recovers = Your 12 words recover your on-chain coins. Your channel balances need this backup too: every change of channel state is written there, encrypted with a key from your words, before it counts.
backup-choose-folder = Choose a backup folder…
backup-choose-other = Choose another folder…
backup-choose-title = Folder for the channel backup

## Damaged files
damaged-file = The file { $file } was damaged. Shandian kept it as { $kept } and started with a fresh one: { $consequence }
damaged-settings = your settings are back to their defaults; check them in Settings.
damaged-payments = descriptions of earlier payments are no longer shown (the payments themselves are not affected).
damaged-channels = what Shandian remembered of closed channels is no longer shown (open channels are not affected).
damaged-backup-record = choose your channel backup folder again in Settings (the backup itself is untouched).

## Navigation
nav-home = Home
nav-send = Send
nav-receive = Receive
nav-activity = Activity
nav-settings = Settings
nav-regtest = Regtest

## Home
home-onchain = On-chain
home-confirmed = Confirmed
home-incoming = Incoming (unconfirmed)
home-spendable = Spendable now
home-reserve = Kept for channel closes
home-lightning = Lightning
home-lightning-none = No channels yet
home-height = Block height { $height }
home-synced = Synced { $ago }
home-never-synced = Not synced yet
home-server-down = The Electrum server { $url } has not answered since { $since }. Payments over your open channels still work; balances on chain and new blocks wait until it is back. Shandian reconnects by itself; if it stays away, check your connection or choose another server in Settings.
home-sync-now = Sync now
home-syncing = Syncing…
home-node-id = Node id
ago-seconds = { $n } s ago
ago-minutes = { $n } min ago
ago-hours = { $n } h ago

## Receive
receive-title = Receive
receive-help = Send bitcoin to this address. It appears on Home once seen, and becomes spendable after one confirmation.
receive-new = New address

## Send
send-title = Send
send-address = Pay to
send-address-placeholder = Paste an address, a Lightning invoice or offer, a bitcoin: link or a node id
send-amount = Amount (sat)
send-amount-placeholder = e.g. 25000
send-all = Send everything
send-spendable = Spendable: { $amount }
send-fee = Fee rate
send-fee-slow = Slow (about a day) · { $rate } sat/vB
send-fee-normal = Normal (about an hour) · { $rate } sat/vB
send-fee-fast = Fast (next block) · { $rate } sat/vB
send-fee-custom = Custom
send-fee-custom-placeholder = sat/vB
send-review = Review
send-confirm-title = Check before sending
send-confirm-to = To
send-confirm-amount = Amount
send-confirm-fee = Estimated fee
send-confirm-total = Total
send-confirm-note = The exact fee depends on which coins the wallet spends; it is shown after sending.
send-confirm = Send now
send-sent-title = Sent
send-sent-txid = Transaction id
send-sent-fee = Fee paid
send-again = Send another payment
send-broadcasting-title = Broadcasting…
send-broadcasting-note = Signed and handed to the server. It says "Sent" once the server has the transaction.
send-not-sent-title = Not sent
send-not-taken-fee = The server refused the transaction: it relays only transactions paying at least { $min } sat/vB, and this one pays { $rate } sat/vB. Nothing left your wallet; your coins are still spendable. Change the fee and send again.
send-not-taken = The server did not take the transaction in, and did not say why (LDK Node does not pass its reason on). Nothing left your wallet; your coins are still spendable. Try again, perhaps with a higher fee, or another server in Settings.
send-no-answer = The server did not answer, so the wallet cannot tell whether it has the transaction. If it has, the payment appears in Activity once the server answers again; if not, your coins stay spendable and you can send again.
send-change-fee = Change the fee

## Activity
activity-title = Activity
activity-empty = No transactions yet.
activity-in = Received
activity-out = Sent
activity-fee = fee { $fee }
activity-unconfirmed = Unconfirmed
activity-confirmations = { $n ->
    [one] 1 confirmation
   *[other] { $n } confirmations
}

## Settings
settings-title = Settings
settings-electrum = Electrum server
settings-electrum-save = Save server
settings-electrum-saved = Saved. Restart Shandian to connect to the new server.
settings-electrum-local = This regtest wallet uses the local chain Shandian starts.
settings-lsp = Lightning Service Provider (LSP)
settings-lsp-help = With an LSP, a wallet whose channels cannot receive a payment can still be paid: the LSP opens a channel to you as the payment arrives (LSPS2, just in time) and keeps a fee for it, shown on Receive before the code. The LSP sees your payments through it and is trusted with that new channel until it confirms.
settings-lsp-token = Token (if the LSP gave you one)
settings-lsp-save = Save LSP
settings-lsp-remove = Remove
settings-lsp-saved = Saved. Restart Shandian to use it.
settings-language = Language
settings-theme = Theme
settings-theme-light = Light
settings-theme-dark = Dark
settings-data = Data folder
settings-open-folder = Open folder
settings-network = Network

## Regtest panel
regtest-title = Regtest tools
regtest-help = A private test chain on this computer. Coins here have no value.
regtest-mine-1 = Mine 1 block
regtest-mine-6 = Mine 6 blocks
regtest-mine-101 = Mine 101 blocks
regtest-fund = Fund my wallet
regtest-fund-help = Mines a block paying this wallet, then 100 more so the coins can be spent.
regtest-mined = Mined. Height is now { $height }.
regtest-electrum = Electrum server: { $url }
regtest-not-playground = These tools work only with the local chain Shandian starts (no --electrum given).

## Errors: input
err-empty-address = Enter the address to send to.
err-malformed-address = This is not a valid bitcoin address. Check that it was copied completely.
err-wrong-network = This is a { $found } address, but this wallet is on { $expected }. Sending there would lose the coins, so it is refused.
net-found-mainnet = mainnet
net-found-testnet = testnet or signet
net-found-regtest = regtest
err-empty-amount = Enter an amount in satoshis, or choose "Send everything".
err-not-a-number = The amount must be a whole number of satoshis, like 25000.
err-zero-amount = The amount must be more than zero.
err-amount-too-large = That is more bitcoin than can exist.
err-dust = The amount is too small to send on-chain: at least { $minimum } sat.
err-above-spendable = Amount plus fee is more than you can spend. You can spend { $spendable } now.
err-nothing-to-send = The spendable balance does not even cover the fee.
err-bad-fee-rate = The fee rate must be a whole number from 1 to 10000 sat/vB.
err-fee-no-estimate = The Electrum server has no fee estimate right now (a quiet chain, such as regtest, often has none). Type a fee rate in sat/vB.
err-fee-unreachable = Cannot read fee estimates: the Electrum server { $url } does not answer. Type a fee rate in sat/vB, or check the server in Settings.
send-fee-reading = Reading fee estimates from the server…
err-seed-empty = Type your recovery phrase.
err-seed-count = That is { $count } words. A recovery phrase has 12, 15, 18, 21 or 24 words.
err-seed-unknown-word = Word { $position } ("{ $word }") is not a recovery phrase word. Check its spelling.
err-seed-checksum = The words do not fit together: one is probably wrong or out of order. Check them against your paper.
err-bad-electrum = "{ $url }" is not an Electrum server address. Use tcp://host:port or ssl://host:port.

## Errors: keyring
err-keyring-unavailable = No system keyring answered. On Linux install and start a Secret Service (GNOME Keyring or KWallet), then try again. Nothing was written. Details: { $reason }
err-keyring-locked = Your system keyring is locked. Unlock it (for example by logging in again or opening "Passwords and Keys"), then try again. Details: { $reason }
err-keyring-missing = This wallet's recovery phrase is not in the system keyring. Use the keyring of the user who created the wallet, or restore from your recovery phrase into a new data folder. Nothing was changed.
err-keyring-exists = A keyring entry for this wallet already exists; Shandian never overwrites one.
err-keyring-damaged = The keyring entry for this wallet does not hold a valid recovery phrase. Restore from your paper copy into a new data folder.
err-keyring-failed = The system keyring failed: { $reason }. Try again.

## Errors: data folder
err-no-home = There is no home folder to keep the wallet in. Pass --data-dir.
err-cannot-create = Cannot create the folder { $path }: { $reason }
err-corrupt-wallet-file = The file { $path } is damaged. Shandian will not guess; restore from your recovery phrase into a new data folder.
err-network-mismatch = The folder { $folder } holds a { $found } wallet, but Shandian was started for { $expected }. Start with --network { $found }, or choose another data folder. Nothing was changed.
err-wallet-exists = The folder { $folder } already holds a wallet. Shandian never replaces one; choose another data folder.
err-node-id-mismatch = The keyring entry and this data folder belong to different wallets (node { $found } instead of { $expected }). Nothing was changed. Check --data-dir and the keyring.
err-settings = The settings could not be read or saved: { $reason }

## Errors: backup and lock
err-wallet-in-use = This wallet is already open in another Shandian (process { $pid }, since { $since }). Close it there first: two copies of one wallet running at once can lose channel funds. Nothing was changed.
err-wallet-in-use-unknown = This wallet is already open in another Shandian. Close it there first: two copies of one wallet running at once can lose channel funds. Nothing was changed.
err-lock = Cannot lock the data folder { $folder }: { $reason }. Check that it is on a local disk you can write to.
err-node-data-missing = This wallet's channel data ({ $folder }) is missing. Shandian will not start an empty node in its place: that would hide your channels and could overwrite your backup. Put the folder back, or move this network's folder aside and restore from your words and channel backup.
err-stale-channel-state = This wallet's channel data is older than its peer's: it was restored from a channel backup that missed later payments. LDK stopped it rather than broadcast the old state, which would hand your whole channel balance to the peer as a penalty. Nothing was broadcast and your money is not lost. Shandian can get your latest balance back: it asks each peer, with your keys but without the old state, to close the channel with its latest state (the peer must be online), then sweeps your part to your on-chain wallet. Keep the folder { $folder }.
err-peers-did-not-close = { $channels } of the channels were not closed by their peers yet: a peer must be online to close. Nothing was broadcast by this wallet; try again later.
wallet-stopped-title = This wallet was stopped
button-recover-channels = Recover my channel balance
loading-recovery = Asking your channel peers to close with their latest state, and waiting for the closes to confirm (the peers must be online)…
wallet-stopped-restart = Quit Shandian and open it again: it then offers to get your balance back.
err-node-storage = Cannot use the node data in { $folder }: { $reason }.
err-backup-not-found = There is no channel backup of this wallet in { $folder }. Choose the folder you picked as backup folder (it holds a shandian-backup-… folder), and check that the words are this wallet's. Nothing was changed.
err-backup-damaged = The channel backup file { $file } is damaged or was changed, so the backup cannot be trusted. Nothing was restored. Use another copy of the backup if you have one.
err-backup-format = The channel backup in { $folder } was written by a newer Shandian (format { $format }). Update Shandian, then restore again.
err-backup-other-writer = { $folder } already holds a channel backup of this wallet, written by another copy of it, which may know channels this copy does not. Shandian will not overwrite it. Restore from it, or choose another folder.
err-backup-unwritable = Cannot write the channel backup to { $folder }: { $reason }. Check that the drive is plugged in and has room, or choose another folder.
err-backup-unreadable = Cannot read the channel backup in { $folder }: { $reason }.
err-backup-not-empty = { $folder } already holds node data. Restore only into a new, empty data folder.
err-backup-record = Cannot write the backup record { $path }: { $reason }.

## Errors: node and chain
err-electrum-down = Cannot reach the Electrum server { $url }. Check the address in Settings and your connection, then try again.
err-node = The Lightning node reported: { $reason }
err-node-build = The node could not be set up: { $reason }
err-tools-missing = The regtest tools (bitcoind, electrs) are not built yet. Run scripts/regtest-tools.sh once (it takes about 40 minutes), or start with --electrum to use another server. Looked in: { $path }
err-chain-start = The local regtest chain did not start: { $reason }
err-chain-rpc = bitcoind refused: { $reason }
err-chain-index = electrs did not catch up with block { $height } in time. Try again.
err-internal = Something unexpected failed: { $reason }

## Channel errors
err-uri-empty = Enter the node address of the peer: pubkey@host:port.
err-uri-malformed = A node address looks like pubkey@host:port (for example 02ab…@203.0.113.5:9735). Copy it completely.
err-uri-node-id = The part before @ is not a valid node id: it must be 66 hexadecimal characters starting with 02 or 03.
err-uri-address = The part after @ must be host:port, for example 203.0.113.5:9735.
err-own-node = That is this wallet's own node. Enter another node's address.
err-peer-unreachable = The peer at { $address } did not answer. Check the address and that the node is online, then try again. Nothing was spent.
err-channel-too-small = A channel must hold at least { $minimum }: below that, fees and reserves eat most of it.
err-channel-above-spendable = The channel is larger than what you can spend on-chain ({ $spendable }). Choose a smaller capacity or receive more first.
err-anchor-reserve = { $reserve } must stay in the on-chain wallet to pay for closing this channel in a hurry (fee bumping), and only { $spendable } is spendable. Open at most { $most }, or add funds.
err-push-too-large = The amount given to the peer must be less than the channel's capacity.
err-public-needs-listening = A public channel needs a node that others can reach, which this desktop wallet is not. Open a private channel instead.
err-cannot-open = The channel could not be started: { $reason }. Nothing was spent.
err-unknown-channel = That channel is no longer open. The list has been refreshed.
err-coop-close-failed = A cooperative close needs the peer online and no payment in flight. Try again when the peer is connected, or force close.
err-close-failed = The channel could not be closed: { $reason }
err-cltv-too-small = The CLTV delta must be at least { $minimum } blocks, so there is time to claim a forwarded payment on chain.
err-channel-too-large = A channel can hold at most { $maximum } with most peers. Open a smaller one, or several.

blocks-hours = { $n } blocks (about { $hours } h)
blocks-minutes = { $n } blocks (about { $minutes } min)

## Channels
nav-channels = Channels
unit-msat = { $amount } msat
ch-title = Channels
ch-can-send = Can send over Lightning
ch-can-receive = Can receive over Lightning
ch-none = No channels yet. Open one to a peer to pay and be paid over Lightning.
ch-details = Details
ch-capacity-short = capacity { $amount }
ch-row-send = can send { $amount }
ch-row-receive = can receive { $amount }
ch-row-returning = { $amount } still on its way back to your wallet
ch-status-opening = Opening ({ $n }/{ $required } confirmations)
ch-status-active = Active
ch-status-offline = Peer offline
ch-status-closing = Closing
ch-status-force-closing = Force-closing ({ $n } blocks left)
ch-status-closed = Closed
part-our-spendable = You can send
part-our-reserve = Your reserve (locked)
part-htlc-out = Payments on the way out (HTLCs)
part-htlc-in = Payments on the way in (HTLCs)
part-peer-reserve = Peer's reserve (locked)
part-peer-spendable = You can receive
part-commitment-fee = Commitment fee and anchors
ch-explain-opening = The funding transaction has { $n } of { $required } confirmations. The channel carries payments once it has them all; until then nothing can be lost, only waited for.
ch-explain-offline = The peer is not connected, so nothing can be paid over this channel now. Your money is safe: wait for the peer, or force close to take it back alone.
ch-explain-revocation = You and the peer each hold a signed commitment transaction for the latest balance, and every older one is revoked. If the peer broadcasts an old state, your penalty transaction takes the whole channel — at least the peer's reserve of { $reserve }.
ch-explain-csv = If you close alone, your part waits { $delay } after the close confirms, so the peer has time to prove you did not cheat.
ch-explain-htlc = Payments in flight are HTLCs: each is paid only against its secret (the preimage) and returns to the sender after its expiry block.
ch-explain-closing = A cooperative close: both sides signed one closing transaction that pays each its balance at once, with no timelock. It is confirming.
ch-explain-force-closing = The channel was closed alone. The timeline below shows when each part unlocks; your wallet sweeps it in as soon as it does.
ch-explain-closed = Nothing is left in this channel: every satoshi is settled on chain.
ch-detail-title = Channel with { $peer }
ch-capacity = Capacity
ch-our-balance = Yours if closed now
ch-our-reserve-help = Your stake: if you ever broadcast an old state, the peer's penalty transaction takes it.
ch-peer-reserve-help = If the peer broadcasts an old state, this reserve is what your penalty transaction takes.
ch-our-delay = Your wait after closing alone (CSV)
ch-our-delay-help = Set by the peer. When the peer closes, your part is not delayed.
ch-peer-delay = Peer's wait after closing alone
ch-funding = Funding output
ch-scid = Short channel id
ch-kind = Kind
ch-opened-by-us = opened by you
ch-opened-by-peer = opened by the peer
ch-htlc-send-range = One payment you can send
ch-htlc-receive-range = One payment you accept
ch-dust = Fees and dust at stake
ch-feerate = Commitment fee rate
ch-feerate-by-us = set by you, the opener
ch-feerate-by-peer = set by the peer, the opener
ch-dust-limit = Most at stake in dust
ch-dust-limit-ldk = LDK's default (grows with fees)
ch-dust-help = Payments too small to claim on chain ("dust"), and on channels without anchors the commitment fee above your wallet's own estimate, would go to miners rather than come back to you if this channel were closed on chain at that moment. Shandian allows a tenth of the channel, at least 50,000 sat and at most 500,000 sat; a payment to you that would put more at stake is refused. A peer whose fee rate is far above yours takes part of this before any payment.
ch-dust-refused = At { $time } this channel refused a payment to you: with it { $exposure } would have been at stake, over its limit of { $limit }. The peer's high fee rate counts toward it. Smaller payments can still arrive; for larger ones ask the payer to use another channel, or open one to a peer with a lower fee rate.
ch-htlcs = Pending HTLCs
ch-htlc-out = Outgoing
ch-htlc-in = Incoming
ch-htlc-expiry = expires at block { $height } ({ $left } left)
ch-timeline = Where your money is now
ch-claim-at = block { $height }, { $left } blocks from now
ch-claim-reached = block { $height }, reached
ch-claim-csv = { $amount }: locked by your CSV delay until { $when }.
ch-claim-peer-close = { $amount }: from the peer's close, yours at { $when }.
ch-claim-coop = { $amount }: closing transaction confirming, settled at { $when }.
ch-claim-htlc-output = { $amount }: HTLC output confirming until { $when }.
ch-claim-htlc-preimage = { $amount }: incoming HTLC you hold the preimage for; claimed on chain before { $when }.
ch-claim-htlc-timeout = { $amount }: outgoing HTLC that did not settle; back to you at { $when } unless the peer claims it first.
ch-claim-htlc-peer = { $amount }: incoming HTLC without its preimage; the peer takes it back at { $when }.
ch-claim-penalty = { $amount }: the peer broadcast a revoked state; your penalty transaction claims it.
ch-claim-sweep-pending = { $amount }: the sweep to your wallet is being prepared.
ch-claim-sweep-broadcast = { $amount }: swept to your wallet in { $txid }, waiting for a block.
ch-claim-sweep-confirming = { $amount }: sweep confirmed; settled at { $when }.
ch-fees = Routing fees on this channel
ch-fee-base = Base fee (msat)
ch-fee-ppm = Fee rate (ppm)
ch-fee-cltv = CLTV delta (blocks)
ch-fees-help = What you charge to forward a payment over this channel, and the blocks of safety margin you keep.
ch-fees-save = Save fees
ch-fees-saved = The new fees apply to payments forwarded from now on.
err-fee-policy = The fees must be whole numbers: base fee in msat, fee rate in ppm, and a CLTV delta in blocks.
ch-history = History
ch-history-opened = Opened
ch-history-ready = Ready
ch-history-closed = Closed
ch-reason-coop-us = You closed it cooperatively.
ch-reason-coop-peer = The peer closed it cooperatively.
ch-reason-force-us = You force-closed it.
ch-reason-force-peer = The peer force-closed it. Its message: "{ $message }"
ch-reason-on-chain = A closing transaction confirmed on chain.
ch-reason-refused = The peer refused the channel. Nothing was spent. Its message: "{ $message }"
ch-reason-funding-timeout = The funding transaction did not confirm in time.
ch-reason-after-crash = Shandian stopped abruptly (a crash or a power cut) in the middle of an update of this channel, and LDK, the Lightning engine, does not resume a channel from that point: it closed the channel. Nothing is lost: your part comes back to your on-chain wallet after the waiting period.
ch-reason-other = Closed: { $text }
ch-close = Close
ch-close-help = A cooperative close needs the peer online and pays both sides at once. Force close works alone, but your part then waits out the delay.
ch-force-close = Force close…
ch-force-warning-title = Force close this channel?
ch-force-warning = Your latest commitment transaction goes on chain without the peer. Your { $amount } will then be locked for { $delay } after it confirms, and the fees are higher than a cooperative close. Use this only when the peer is gone or does not cooperate.
ch-force-confirm = Force close now
ch-opened-notice = Channel opening: the funding transaction is out. It becomes active after its confirmations.
ch-closing-notice = Closing started. Follow it in the channel's timeline.
open-show = Open a channel
open-title = Open a channel
open-uri = Peer's node address
open-uri-placeholder = pubkey@host:port
open-capacity = Capacity (sat)
open-push = Give to the peer (sat, optional)
open-public = Announce it to the network (public channel, for routing)
open-help = All of the capacity comes from your on-chain wallet and starts on your side: you can send, but receive only what you have sent or given.
open-review = Review
open-confirm-title = Open this channel?
open-confirm-peer = Peer
open-confirm-kind = Kind
open-confirm-fee = On-chain fee
open-fee-estimate = about { $fee } at { $rate } sat/vB (estimate)
open-fee-unknown = unknown: the server has no fee estimate; LDK uses its own
open-kind-public = public
open-kind-private = private
open-confirm-note = LDK keeps { $reserve } in your on-chain wallet per channel to bump fees if it ever has to close in a hurry.
open-backup-first = No working channel backup. Once this channel holds money, losing this computer's disk would lose it: choose a backup folder first.
open-skip-backup = Open without a backup (regtest only: test coins)
open-needs-backup = Choose a channel backup folder before opening a channel.
open-confirm = Open channel
regtest-peer-title = A peer to try channels on
regtest-peer-help = The playground runs a second Lightning node on this computer, with its own keys and coins.
regtest-peer-uri = Its address: { $uri }
regtest-peer-open = Open a channel to it
regtest-peer-inbound = Let it open a channel to me
regtest-peer-inbound-done = The peer opened a channel to you. Mine 6 blocks to make it active.
regtest-peer-missing = The playground peer did not start; see the log.
ch-claim-close-tx = { $amount }: the closing transaction is broadcast and waits for a block.
ch-returning-total = Still on its way back to you
ch-our-reserve-required = Your reserve (required by the peer)
ch-peer-reserve-required = Peer's reserve (required by you)

## Payment requests and payments
err-paste-empty = Paste an invoice, an offer, a bitcoin: link, an address or a node id.
err-paste-too-long = That text is far too long to be a payment request. Check what was copied.
err-paste-unrecognised = This is not an invoice, offer, bitcoin: link, address or node id that Shandian knows. Check that it was copied completely.
err-invoice-damaged = The invoice is damaged: its checksum does not match, so a character is wrong or missing. Copy it again.
err-invoice-malformed = The invoice is incomplete or malformed. Copy it again, completely.
err-invoice-invalid = The invoice is not valid (its signature or a required part is wrong). Ask the payee for a new one.
err-invoice-wrong-network = This invoice is for { $found }, but this wallet is on { $expected }. It cannot be paid from here.
err-invoice-expired = This invoice expired at { $at }. Ask the payee for a new one.
err-request-zero = The request asks for zero. Ask the payee for a request with an amount.
err-offer-malformed = The offer is damaged or malformed. Copy it again, completely.
err-offer-wrong-network = This offer is not for { $expected }. It cannot be paid from this wallet.
err-offer-expired = This offer expired at { $at }. Ask the payee for a new one.
err-offer-fiat = This offer is priced in a fiat currency, which Shandian cannot convert. Ask for a price in bitcoin.
err-uri-bip21-malformed = The bitcoin: link is malformed: it has neither a usable address nor a Lightning request.
err-uri-bip21-amount = The amount in the bitcoin: link is not a valid amount of bitcoin.
err-uri-bip21-req = The bitcoin: link requires a feature Shandian does not support, so it is not paid.
err-pay-onchain = This request is paid on-chain: use Send on-chain.
err-pay-amount-required = The request has no amount. Enter how much to pay.
err-pay-above-outbound = That is more than your channels can send now. You can send up to { $can } over Lightning.
err-pay-already-paid = This invoice was already paid (or is being paid). Paying it twice is refused.
err-pay-no-route = No route reaches the payee within the maximum fee. Raise the maximum fee and try again, or open a channel to a node closer to the payee.
err-description-too-long = The description is too long for an invoice (at most 639 characters).
err-no-lsp = No LSP is set. Choose one in Settings to receive without a channel.
err-lsp-unavailable = Your LSP ({ $lsp }) did not offer a channel: { $reason }. Nothing was created; try again later, or receive on-chain.
err-lsp-needs-amount = Enter an amount: the LSP sizes the channel to it.
err-lsp-setting = The LSP in the settings ({ $node }) is not a node address: { $reason }. Correct it in Settings, or remove it from settings.toml.

## Lightning send
pay-title = Pay over Lightning
pay-kind = Request
pay-kind-bolt11 = Lightning invoice (BOLT11)
pay-kind-bolt12 = Lightning offer (BOLT12)
pay-kind-keysend = Spontaneous payment to a node (keysend)
pay-kind-onchain = On-chain
pay-network = Network
pay-description = Description
pay-payee = Payee
pay-expires = Expires
pay-expires-in = in { $minutes } min { $seconds } s
pay-expired-now = expired
pay-expired-before-paying = This request expired while it was open here; nothing was sent. Ask the payee for a new one.
pay-amount = Amount
pay-amount-choose = Amount to pay (sat)
pay-max-fee = Most you allow in routing fees (sat)
pay-button = Pay
pay-in-flight = Paying… the payment is on its way through the network.
pay-succeeded = Paid. Routing fee: { $fee }.
pay-failed-no-route = The payment failed: no route with enough capacity reaches the payee within your fee limit. Try a higher fee limit, a smaller amount, or open a channel closer to the payee.
pay-failed-rejected = The payment failed: the payee turned it down (the invoice may be paid already, or wrong). Ask the payee for a new one.
pay-failed-retries = The payment failed: every route tried broke along the way. Nothing was spent; try again later.
pay-failed-expired = The payment failed: the request expired while paying. Ask the payee for a new one.
pay-failed-other = The payment failed. Nothing was spent; try again.
err-max-fee = The fee limit must be a whole number of satoshis.

## Lightning receive
receive-mode-onchain = On-chain address
receive-mode-invoice = Lightning invoice
receive-mode-offer = Reusable offer (BOLT12)
receive-invoice-help = An invoice asks for one payment, within the time you choose.
receive-expiry = Valid for
receive-expiry-10min = 10 minutes
receive-expiry-1h = 1 hour
receive-expiry-1d = 1 day
receive-expiry-1w = 1 week
receive-offer-help = An offer can be paid many times, by anyone who has it: print it for a shop counter.
receive-amount = Amount (sat, leave empty to let the payer choose)
receive-amount-placeholder = for example 25000
receive-description = Description (shown to the payer)
receive-create-invoice = Create invoice
receive-create-offer = Create offer
receive-another = New request
receive-paid = Paid: { $amount }
receive-paid-onchain = Paid on chain: { $amount }
receive-onchain-unconfirmed = Seen in the mempool, not confirmed yet: wait for a confirmation before handing over anything of value.
receive-onchain-confirmations = { $n } of { $safe } confirmations.
receive-onchain-partial = { $amount } of { $requested } arrived on chain so far.
receive-unified-note = One QR for every wallet: it pays over Lightning where it can, on chain (to a new address of yours, used for this request only) where it cannot. Pay it one way only: a payment over Lightning after one on chain would be a second payment.
receive-no-channels = You cannot receive over Lightning yet: you have no active channel. Open a channel and get inbound capacity (ask a peer to open one to you, or spend over yours first), or receive on-chain instead.
receive-above-inbound = Your channels can receive at most { $can } right now, so a payer could not pay this. Ask for less, ask a peer to open a channel to you, or receive on-chain instead.
receive-via-lsp = Receive through your LSP
receive-via-lsp-help = Your LSP ({ $lsp }) opens a channel to you as the payment arrives and keeps a fee for it, shown before the code.
receive-lsp-fee = Your LSP opens a channel to you as this payment arrives and keeps { $fee } for opening it: of { $amount } paid, you receive { $receive }. The channel is yours afterwards, for more payments.
receive-show-code = Show the code
receive-qr-too-long = This request is too long for a QR code; copy it instead.
activity-lightning = Lightning
activity-onchain = On-chain
activity-pending = In flight
activity-succeeded = Succeeded
activity-failed = Failed
activity-expired = expired, not paid
activity-show-expired = Expired requests ({ $n })

## Network
nav-network = Network
net-title = Network
net-refresh = Refresh
net-reading = Reading the channel graph…
net-gossip = Graph source
net-gossip-p2p = Gossip from our peers, continuously
net-gossip-rgs = Rapid Gossip Sync, last snapshot { $ago }
net-gossip-rgs-waiting = Rapid Gossip Sync, waiting for the first snapshot
net-nodes = Nodes known
net-channels = Public channels known
net-explain = Shandian's embedded router finds payment routes over this graph. Private channels are not in it; a node appears once one of its channels is announced.
net-no-peers = No peers yet. Open a channel (or connect to a node) and its part of the network shows up here.
net-us = This wallet
net-connected = Connected
net-offline = Offline
net-peer-channels = Channels with us: { $ours } · its public channels known: { $public }
net-link = → { $to }: fee { $base } + { $ppm } ppm, CLTV delta { $cltv }
net-link-disabled = → { $to }: disabled by the peer for now
net-link-unknown = → { $to }: its terms have not arrived yet

## Counter mode
receive-counter-mode = Counter mode
counter-title = Counter
counter-notify = Notification
counter-sound = Sound
counter-exit = Leave counter mode
counter-charge = Charge
counter-waiting = Scan to pay with Lightning
counter-expires-in = The code expires in { $left }
counter-expired = Expired — make a new code
counter-new-code = New code
counter-cancel = Cancel
counter-paid = PAID
counter-next = Next customer
counter-invoice-unreadable = The new invoice could not be read back. Try again.
counter-description = Payment at the counter
counter-notification-title = Payment received
counter-notification-body = { $amount } arrived over Lightning.

## History filter and export
err-bad-date = “{ $text }” is not a date. Write dates like 2026-11-25.
err-period-reversed = The period ends before it starts. Swap the two dates.
err-export-write = Could not write the export into { $folder } ({ $reason }). Check that the folder exists and can be written to.
activity-all = All
activity-both-rails = Lightning and on-chain
activity-search = Search description, amount, hash or transaction id
activity-none-match = Nothing matches this filter.
activity-preimage = preimage { $preimage }
activity-export-title = Export for bookkeeping
activity-export-help = A CSV file (one line per payment, amounts in sat) of every payment in the period, whatever the filter above shows. It is saved in your Downloads folder.
activity-from = From
activity-to = to
activity-export = Export CSV
activity-exported = Saved as { $path }

## QR image files
err-qr-open = Could not open the file ({ $reason }).
err-qr-too-large = The file is too large to be a QR image (over 20 MB).
err-qr-not-image = The file is not a PNG or JPEG image. Take a screenshot of the QR code and try that.
err-qr-none = No QR code found in the image. Crop it to the code, or paste the text instead.
err-qr-unreadable = The QR code in the image cannot be read (blurred or damaged). Try a sharper picture, or paste the text.
send-open-qr = Open QR image…
send-qr-filter = Images
send-drop-qr-hint = Or drop an image of a QR code on the window.
send-read-from-qr = Read from the QR image. Check it, then review.
pay-route = Likely route
pay-route-reading = Looking at the channel graph…
pay-route-unknown = Not visible from here: the router searches when you pay.
pay-route-you = You
pay-route-found = { $path } · fee { $fee } · at most { $cltv } blocks locked
