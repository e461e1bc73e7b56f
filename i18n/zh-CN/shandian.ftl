app-title = 闪电
app-tagline = 一个让你看清资金去向的闪电网络钱包。

## Networks
network-regtest = Regtest（本地测试链）
network-signet = Signet（测试币）
network-testnet = Testnet（测试币）
network-mainnet = 主网（真实比特币）
badge-regtest = 本地测试链
badge-signet = SIGNET 测试网
badge-testnet = 测试网
badge-mainnet = 主网

## Common
button-back = 返回
button-cancel = 取消
button-continue = 继续
button-copy = 复制
button-copied = 已复制
button-retry = 重试
button-quit = 退出
unit-sat = { $amount } 聪
working = 处理中…

## Start-up
loading-chain = 正在启动本地 regtest 链（bitcoind 和 electrs）…
loading-wallet = 正在打开钱包…
stopping = 正在安全地停止节点…
no-display = 闪电需要图形桌面，但没有找到显示器（DISPLAY 和 WAYLAND_DISPLAY 都未设置）。请在桌面会话中启动。
blocked-title = 闪电暂时无法打开这个钱包

## Onboarding
onboard-welcome = 欢迎使用闪电
onboard-network = 网络
onboard-electrum = Electrum 服务器
onboard-electrum-local = 闪电为你启动的本地 regtest 链
onboard-create = 创建新钱包
onboard-restore = 用助记词恢复钱包
onboard-words-title = 你的助记词
onboard-words-help = 请按顺序把这 12 个单词抄写在纸上，并妥善保管。闪电只会在此时显示它们。如果这台电脑丢失，助记词可以找回你的链上资金；闪电通道里的资金还需要通道备份：钱包打开后，请选择一个备份文件夹（U 盘或同步文件夹）。
onboard-words-done = 我已经抄写好了
onboard-quiz-title = 核对助记词
onboard-quiz-help = 请输入以下位置的单词，以确认助记词抄写无误。
onboard-quiz-word = 第 { $position } 个单词
onboard-quiz-wrong = 第 { $position } 个单词与你抄写的不一致。请再看一下纸上的记录。
onboard-quiz-confirm = 确认并创建钱包
onboard-restore-title = 恢复钱包
onboard-restore-help = 输入你的助记词，单词之间用空格分隔。
onboard-restore-confirm = 恢复钱包
onboard-keyring-note = 助记词只保存在系统密钥环中，绝不写入文件。
onboard-restore-backup-help = 助记词可以找回链上资金。若要同时恢复闪电通道，请选择存放通道备份的文件夹——要用最新的那份：漏掉了后来付款的备份比对方的状态旧，这时闪电会停止而不广播它（广播会把整个通道交给对方）。
onboard-restore-backup-none = 未选择通道备份：通道不会被恢复，闪电无法找回其中的资金。
onboard-restore-backup-chosen = 将从 { $folder } 恢复通道。

## Channel backup
backup-title = 通道备份
backup-none = 还没有通道备份。如果这台电脑的硬盘丢失，通道中的资金也会随之丢失。请选择一个备份文件夹（U 盘或同步文件夹）。
backup-failing = { $folder } 中的通道备份自 { $since } 起一直失败：{ $reason }。请重新插入驱动器或重新连接该文件夹，或选择另一个文件夹。在此之前，硬盘一旦丢失，通道余额也会丢失，而且这期间的变化不会进入备份。
backup-catching-up = 正在把全部数据复制到 { $folder } 中的通道备份…
backup-working = 通道备份位于 { $folder }，最近写入于 { $ago }。
backup-working-unwritten = 通道备份位于 { $folder }，已是最新。
backup-what-it-recovers = 12 个助记词可以找回链上资金。通道余额还需要这份备份：每次通道状态变化都会先用由助记词派生的密钥加密写入备份，然后才生效。
backup-choose-folder = 选择备份文件夹…
backup-choose-other = 选择其他文件夹…
backup-choose-title = 通道备份文件夹

## Damaged files
damaged-file = 文件 { $file } 已损坏。闪电已把它保存为 { $kept }，并以新文件启动：{ $consequence }
damaged-settings = 你的设置已恢复为默认值，请在“设置”中检查。
damaged-payments = 之前付款的描述不再显示（付款本身不受影响）。
damaged-channels = 闪电记录的已关闭通道信息不再显示（未关闭的通道不受影响）。
damaged-backup-record = 请在“设置”中重新选择通道备份文件夹（备份本身未受影响）。

## Navigation
nav-home = 首页
nav-send = 发送
nav-receive = 接收
nav-activity = 交易记录
nav-settings = 设置
nav-regtest = 测试链

## Home
home-onchain = 链上
home-confirmed = 已确认
home-incoming = 收款中（未确认）
home-spendable = 现在可用
home-reserve = 为关闭通道预留
home-lightning = 闪电网络
home-lightning-none = 还没有通道
home-height = 区块高度 { $height }
home-synced = 已同步（{ $ago }）
home-never-synced = 尚未同步
home-server-down = Electrum 服务器 { $url } 自 { $since } 起没有响应。通过已开通通道的付款仍然可用；链上余额和新区块要等服务器恢复后才会更新。闪电会自动重新连接；如果一直无法连接，请检查网络或在“设置”中选择其他服务器。
home-sync-now = 立即同步
home-syncing = 同步中…
home-node-id = 节点 ID
ago-seconds = { $n } 秒前
ago-minutes = { $n } 分钟前
ago-hours = { $n } 小时前

## Receive
receive-title = 收款
receive-help = 向这个地址发送比特币。一旦被看到就会显示在首页，一次确认后即可使用。
receive-new = 新地址

## Send
send-title = 发送
send-address = 付款给
send-address-placeholder = 粘贴地址、闪电发票或要约、bitcoin: 链接或节点 ID
send-amount = 金额（聪）
send-amount-placeholder = 例如 25000
send-all = 全部发送
send-spendable = 可用：{ $amount }
send-fee = 手续费率
send-fee-slow = 慢（约一天）· { $rate } 聪/vB
send-fee-normal = 普通（约一小时）· { $rate } 聪/vB
send-fee-fast = 快（下一个区块）· { $rate } 聪/vB
send-fee-custom = 自定义
send-fee-custom-placeholder = 聪/vB
send-review = 检查
send-confirm-title = 发送前请核对
send-confirm-to = 收款地址
send-confirm-amount = 金额
send-confirm-fee = 预估手续费
send-confirm-total = 合计
send-confirm-note = 实际手续费取决于钱包花费哪些币，发送后会显示。
send-confirm = 立即发送
send-sent-title = 已发送
send-sent-txid = 交易 ID
send-sent-fee = 已付手续费
send-again = 再发一笔
send-broadcasting-title = 正在广播…
send-broadcasting-note = 交易已签名并交给服务器。服务器收到交易后这里才会显示"已发送"。
send-not-sent-title = 未发送
send-not-taken-fee = 服务器拒绝了这笔交易：它只转发费率至少为 { $min } sat/vB 的交易，而这笔交易的费率是 { $rate } sat/vB。没有资金离开你的钱包，你的币仍可花费。请修改手续费后重新发送。
send-not-taken = 服务器没有接收这笔交易，也没有说明原因（LDK Node 不转达服务器的理由）。没有资金离开你的钱包，你的币仍可花费。请重试，可以提高手续费，或在设置中换一个服务器。
send-no-answer = 服务器没有回应，钱包无法判断服务器是否收到了这笔交易。如果收到了，服务器恢复回应后这笔付款会出现在"交易记录"中；如果没有，你的币仍可花费，可以重新发送。
send-change-fee = 修改手续费

## Activity
activity-title = 交易记录
activity-empty = 还没有交易。
activity-in = 收到
activity-out = 发出
activity-fee = 手续费 { $fee }
activity-unconfirmed = 未确认
activity-confirmations = { $n } 次确认

## Settings
settings-title = 设置
settings-electrum = Electrum 服务器
settings-electrum-save = 保存服务器
settings-electrum-saved = 已保存。重启闪电后将连接到新服务器。
settings-electrum-local = 这个 regtest 钱包使用闪电启动的本地链。
settings-language = 语言
settings-theme = 主题
settings-theme-light = 浅色
settings-theme-dark = 深色
settings-data = 数据文件夹
settings-open-folder = 打开文件夹
settings-network = 网络

## Regtest panel
regtest-title = 测试链工具
regtest-help = 这台电脑上的私有测试链，其中的币没有价值。
regtest-mine-1 = 挖 1 个区块
regtest-mine-6 = 挖 6 个区块
regtest-mine-101 = 挖 101 个区块
regtest-fund = 给我的钱包充值
regtest-fund-help = 挖一个奖励归本钱包的区块，再挖 100 个区块让这些币可以花费。
regtest-mined = 已挖矿，当前高度 { $height }。
regtest-electrum = Electrum 服务器：{ $url }
regtest-not-playground = 这些工具只适用于闪电自己启动的本地链（未指定 --electrum 时）。

## Errors: input
err-empty-address = 请输入收款地址。
err-malformed-address = 这不是有效的比特币地址。请检查是否复制完整。
err-wrong-network = 这是{ $found }地址，而这个钱包在{ $expected }上。发往该地址会丢失资金，因此已拒绝。
net-found-mainnet = 主网
net-found-testnet = 测试网或 signet
net-found-regtest = regtest
err-empty-amount = 请输入以聪为单位的金额，或选择“全部发送”。
err-not-a-number = 金额必须是整数聪，例如 25000。
err-zero-amount = 金额必须大于零。
err-amount-too-large = 这超过了比特币的总量。
err-dust = 金额太小，无法在链上发送：至少 { $minimum } 聪。
err-above-spendable = 金额加手续费超过了可用余额。你现在可以花费 { $spendable }。
err-nothing-to-send = 可用余额连手续费都不够。
err-bad-fee-rate = 手续费率必须是 1 到 10000 之间的整数（聪/vB）。
err-fee-no-estimate = Electrum 服务器目前没有手续费估算（regtest 等交易稀少的链通常没有）。请输入手续费率（聪/vB）。
err-fee-unreachable = 无法读取手续费估算：Electrum 服务器 { $url } 没有响应。请输入手续费率（聪/vB），或在“设置”中检查服务器。
send-fee-reading = 正在从服务器读取手续费估算…
err-seed-empty = 请输入你的助记词。
err-seed-count = 你输入了 { $count } 个单词。助记词应有 12、15、18、21 或 24 个单词。
err-seed-unknown-word = 第 { $position } 个单词（“{ $word }”）不是助记词单词，请检查拼写。
err-seed-checksum = 这些单词对不上：可能有一个写错或顺序不对。请对照纸上的记录检查。
err-bad-electrum = “{ $url }”不是 Electrum 服务器地址。请使用 tcp://主机:端口 或 ssl://主机:端口。

## Errors: keyring
err-keyring-unavailable = 没有系统密钥环响应。在 Linux 上请安装并启动 Secret Service（GNOME 密钥环或 KWallet），然后重试。没有写入任何内容。详情：{ $reason }
err-keyring-locked = 系统密钥环已锁定。请先解锁（例如重新登录或打开“密码和密钥”），然后重试。详情：{ $reason }
err-keyring-missing = 系统密钥环中没有这个钱包的助记词。请使用创建该钱包的用户的密钥环，或在新的数据文件夹中用助记词恢复。没有做任何更改。
err-keyring-exists = 这个钱包的密钥环条目已存在；闪电从不覆盖已有条目。
err-keyring-damaged = 这个钱包的密钥环条目不是有效的助记词。请用纸上的备份在新的数据文件夹中恢复。
err-keyring-failed = 系统密钥环出错：{ $reason }。请重试。

## Errors: data folder
err-no-home = 没有可以存放钱包的主目录。请使用 --data-dir 指定。
err-cannot-create = 无法创建文件夹 { $path }：{ $reason }
err-corrupt-wallet-file = 文件 { $path } 已损坏。闪电不会猜测；请在新的数据文件夹中用助记词恢复。
err-network-mismatch = 文件夹 { $folder } 中是 { $found } 钱包，但闪电是以 { $expected } 启动的。请用 --network { $found } 启动，或选择其他数据文件夹。没有做任何更改。
err-wallet-exists = 文件夹 { $folder } 中已经有钱包。闪电从不替换已有钱包；请选择其他数据文件夹。
err-node-id-mismatch = 密钥环条目和这个数据文件夹属于不同的钱包（节点 { $found }，而不是 { $expected }）。没有做任何更改。请检查 --data-dir 和密钥环。
err-settings = 无法读取或保存设置：{ $reason }

## Errors: backup and lock
err-wallet-in-use = 这个钱包已在另一个闪电中打开（进程 { $pid }，自 { $since } 起）。请先在那里关闭它：同一钱包的两个副本同时运行可能损失通道资金。没有做任何更改。
err-wallet-in-use-unknown = 这个钱包已在另一个闪电中打开。请先在那里关闭它：同一钱包的两个副本同时运行可能损失通道资金。没有做任何更改。
err-lock = 无法锁定数据文件夹 { $folder }：{ $reason }。请确认它位于你可写入的本地磁盘上。
err-node-data-missing = 这个钱包的通道数据（{ $folder }）不见了。闪电不会用一个空节点代替它：那样会隐藏你的通道，还可能覆盖你的备份。请把文件夹放回原处，或把这个网络的文件夹移走，然后用助记词和通道备份恢复。
err-stale-channel-state = 这个钱包的通道数据比对方的旧：它是从一个漏掉了后来付款的通道备份恢复的。LDK 为此停止了它，而没有广播旧状态——广播旧状态会让对方以惩罚交易拿走你整个通道的余额。没有广播任何交易，你的钱没有丢失。闪电可以取回你最新的余额：它用你的密钥（不带旧状态）请每个对方按最新状态关闭通道（对方必须在线），然后把属于你的部分归集到链上钱包。请保留文件夹 { $folder }。
err-peers-did-not-close = 还有 { $channels } 个通道没有被对方关闭：对方必须在线才能关闭。这个钱包没有广播任何交易；请稍后再试。
wallet-stopped-title = 这个钱包已被停止
button-recover-channels = 取回我的通道余额
loading-recovery = 正在请通道对方按最新状态关闭通道，并等待关闭交易确认（对方必须在线）…
wallet-stopped-restart = 请退出闪电后重新打开：届时它会提供取回余额的选项。
err-node-storage = 无法使用 { $folder } 中的节点数据：{ $reason }。
err-backup-not-found = { $folder } 中没有这个钱包的通道备份。请选择你当初设定的备份文件夹（其中有一个 shandian-backup-… 文件夹），并确认助记词属于这个钱包。没有做任何更改。
err-backup-damaged = 通道备份文件 { $file } 已损坏或被改动，这份备份不可信。没有恢复任何内容。如有其他备份副本，请使用它。
err-backup-format = { $folder } 中的通道备份由更新版本的闪电写入（格式 { $format }）。请先更新闪电，再重新恢复。
err-backup-other-writer = { $folder } 中已有这个钱包的另一个副本写入的通道备份，它可能包含本副本不知道的通道。闪电不会覆盖它。请从它恢复，或选择其他文件夹。
err-backup-unwritable = 无法把通道备份写入 { $folder }：{ $reason }。请确认驱动器已插好且有剩余空间，或选择其他文件夹。
err-backup-unreadable = 无法读取 { $folder } 中的通道备份：{ $reason }。
err-backup-not-empty = { $folder } 中已有节点数据。只能恢复到一个新的空数据文件夹。
err-backup-record = 无法写入备份记录 { $path }：{ $reason }。

## Errors: node and chain
err-electrum-down = 无法连接 Electrum 服务器 { $url }。请在设置中检查地址和网络连接，然后重试。
err-node = 闪电节点报告：{ $reason }
err-node-build = 无法设置节点：{ $reason }
err-tools-missing = regtest 工具（bitcoind、electrs）尚未构建。请运行一次 scripts/regtest-tools.sh（约需 40 分钟），或用 --electrum 使用其他服务器。查找位置：{ $path }
err-chain-start = 本地 regtest 链未能启动：{ $reason }
err-chain-rpc = bitcoind 拒绝了请求：{ $reason }
err-chain-index = electrs 未能及时同步到区块 { $height }。请重试。
err-internal = 发生了意外错误：{ $reason }

## Channel errors
err-uri-empty = 请输入对方节点的地址：公钥@主机:端口。
err-uri-malformed = 节点地址的格式是 公钥@主机:端口（例如 02ab…@203.0.113.5:9735）。请完整复制。
err-uri-node-id = @ 前面的部分不是有效的节点 ID：它应是以 02 或 03 开头的 66 位十六进制字符。
err-uri-address = @ 后面的部分必须是 主机:端口，例如 203.0.113.5:9735。
err-own-node = 这是本钱包自己的节点。请输入其他节点的地址。
err-peer-unreachable = 位于 { $address } 的节点没有应答。请检查地址并确认该节点在线，然后重试。没有花费任何资金。
err-channel-too-small = 通道至少需要 { $minimum }：低于这个数，手续费和储备金会占去大部分。
err-channel-above-spendable = 通道容量超过了链上可花费的金额（{ $spendable }）。请选择更小的容量，或先收到更多资金。
err-anchor-reserve = 需要在链上钱包中保留 { $reserve }，以便在紧急关闭此通道时支付手续费（费用追加），而目前可花费的只有 { $spendable }。最多可开 { $most }，或者先充值。
err-push-too-large = 赠送给对方的金额必须小于通道容量。
err-public-needs-listening = 公开通道需要一个别人能连接到的节点，而本桌面钱包不是。请改开私有通道。
err-cannot-open = 无法开启通道：{ $reason }。没有花费任何资金。
err-unknown-channel = 该通道已不再开启。列表已刷新。
err-coop-close-failed = 协商关闭需要对方在线，且没有正在进行的付款。请在对方连接后重试，或强制关闭。
err-close-failed = 无法关闭通道：{ $reason }
err-cltv-too-small = CLTV 差值至少为 { $minimum } 个区块，这样才有时间在链上认领转发的付款。
err-channel-too-large = 与大多数节点的通道最多只能容纳 { $maximum }。请开一个更小的通道，或开多个。

blocks-hours = { $n } 个区块（约 { $hours } 小时）
blocks-minutes = { $n } 个区块（约 { $minutes } 分钟）

## Channels
nav-channels = 通道
unit-msat = { $amount } 毫聪
ch-title = 通道
ch-can-send = 可通过闪电网络发送
ch-can-receive = 可通过闪电网络接收
ch-none = 还没有通道。向一个节点开通道，即可通过闪电网络付款和收款。
ch-details = 详情
ch-capacity-short = 容量 { $amount }
ch-row-send = 可发送 { $amount }
ch-row-receive = 可接收 { $amount }
ch-row-returning = 还有 { $amount } 正在返回你的钱包
ch-status-opening = 开启中（{ $n }/{ $required } 个确认）
ch-status-active = 活跃
ch-status-offline = 对方离线
ch-status-closing = 关闭中
ch-status-force-closing = 强制关闭中（还剩 { $n } 个区块）
ch-status-closed = 已关闭
part-our-spendable = 你可发送
part-our-reserve = 你的储备金（锁定）
part-htlc-out = 正在付出的款项（HTLC）
part-htlc-in = 正在收到的款项（HTLC）
part-peer-reserve = 对方的储备金（锁定）
part-peer-spendable = 你可接收
part-commitment-fee = 承诺交易手续费和锚定输出
ch-explain-opening = 注资交易已有 { $n }/{ $required } 个确认。确认数足够后通道即可付款；在此之前资金不会丢失，只需等待。
ch-explain-offline = 对方没有连接，所以现在无法通过此通道付款。你的资金是安全的：可以等待对方上线，或强制关闭独自取回。
ch-explain-revocation = 你和对方各自持有一份已签名的最新余额承诺交易，所有旧的都已作废。如果对方广播旧状态，你的惩罚交易会拿走整个通道——至少是对方的储备金 { $reserve }。
ch-explain-csv = 如果你单方面关闭，你的部分要在关闭确认后再等 { $delay }，让对方有时间证明你没有作弊。
ch-explain-htlc = 正在途中的付款是 HTLC：每笔只有凭其秘密（原像）才能领取，超过到期区块后退还给付款方。
ch-explain-closing = 协商关闭：双方签署了一笔关闭交易，立即把各自的余额付给各自，没有时间锁。它正在确认中。
ch-explain-force-closing = 通道已被单方面关闭。下面的时间线显示每部分何时解锁；一旦解锁，你的钱包会立即归集。
ch-explain-closed = 此通道已没有剩余：每一聪都已在链上结清。
ch-detail-title = 与 { $peer } 的通道
ch-capacity = 容量
ch-our-balance = 现在关闭时归你
ch-our-reserve-help = 你的押金：如果你广播旧状态，对方的惩罚交易会拿走它。
ch-peer-reserve-help = 如果对方广播旧状态，你的惩罚交易拿走的就是这笔储备金。
ch-our-delay = 你单方面关闭后的等待（CSV）
ch-our-delay-help = 由对方设定。对方关闭时，你的部分不会被延迟。
ch-peer-delay = 对方单方面关闭后的等待
ch-funding = 注资输出
ch-scid = 短通道 ID
ch-kind = 类型
ch-opened-by-us = 由你开启
ch-opened-by-peer = 由对方开启
ch-htlc-send-range = 你可发送的单笔付款
ch-htlc-receive-range = 你接受的单笔付款
ch-dust = 面临风险的手续费与粉尘
ch-feerate = 承诺交易费率
ch-feerate-by-us = 由你（开通方）设定
ch-feerate-by-peer = 由对方（开通方）设定
ch-dust-limit = 粉尘风险上限
ch-dust-limit-ldk = LDK 默认值（随手续费增长）
ch-dust-help = 如果此通道在某一时刻被链上关闭，那些小到无法在链上领取的付款（"粉尘"），以及在没有锚定输出的通道上高于你钱包自身估算的承诺手续费，都会归矿工所有，而不会回到你手中。闪电允许的上限是通道容量的十分之一，至少 50,000 sat，至多 500,000 sat；会超出此上限的入账付款将被拒绝。如果对方的费率远高于你的，还没有任何付款时就已占用其中一部分。
ch-dust-refused = { $time } 此通道拒绝了一笔给你的付款：收下它会让 { $exposure } 面临风险，超出了上限 { $limit }。对方的高费率也计入其中。较小的付款仍可到账；较大的付款请让付款方使用其他通道，或向费率较低的对方开通通道。
ch-htlcs = 待处理的 HTLC
ch-htlc-out = 付出
ch-htlc-in = 收入
ch-htlc-expiry = 在区块 { $height } 到期（还剩 { $left } 个）
ch-timeline = 你的资金现在在哪里
ch-claim-at = 区块 { $height }，还有 { $left } 个区块
ch-claim-reached = 区块 { $height }，已到达
ch-claim-csv = { $amount }：被你的 CSV 延迟锁定，直到{ $when }。
ch-claim-peer-close = { $amount }：来自对方的关闭，在{ $when }归你。
ch-claim-coop = { $amount }：关闭交易确认中，在{ $when }结清。
ch-claim-htlc-output = { $amount }：HTLC 输出确认中，直到{ $when }。
ch-claim-htlc-preimage = { $amount }：你持有原像的收入 HTLC；在{ $when }之前于链上领取。
ch-claim-htlc-timeout = { $amount }：未结算的付出 HTLC；在{ $when }退还给你，除非对方先领取。
ch-claim-htlc-peer = { $amount }：没有原像的收入 HTLC；对方在{ $when }取回。
ch-claim-penalty = { $amount }：对方广播了已作废的状态；你的惩罚交易正在领取它。
ch-claim-sweep-pending = { $amount }：正在准备归集到你的钱包。
ch-claim-sweep-broadcast = { $amount }：已在 { $txid } 中归集到你的钱包，等待出块。
ch-claim-sweep-confirming = { $amount }：归集已确认；在{ $when }结清。
ch-fees = 此通道的路由费
ch-fee-base = 基础费（毫聪）
ch-fee-ppm = 费率（ppm）
ch-fee-cltv = CLTV 差值（区块）
ch-fees-help = 通过此通道转发一笔付款时你收取的费用，以及你保留的安全区块数。
ch-fees-save = 保存费用
ch-fees-saved = 新费用将用于此后转发的付款。
err-fee-policy = 费用必须是整数：基础费以毫聪计，费率以 ppm 计，CLTV 差值以区块计。
ch-history = 历史
ch-history-opened = 开启于
ch-history-ready = 就绪于
ch-history-closed = 关闭于
ch-reason-coop-us = 你协商关闭了它。
ch-reason-coop-peer = 对方协商关闭了它。
ch-reason-force-us = 你强制关闭了它。
ch-reason-force-peer = 对方强制关闭了它。对方的消息：“{ $message }”
ch-reason-on-chain = 一笔关闭交易已在链上确认。
ch-reason-refused = 对方拒绝了这个通道。没有花费任何资金。对方的消息：“{ $message }”
ch-reason-funding-timeout = 注资交易没有按时确认。
ch-reason-after-crash = 闪电在更新这个通道的过程中意外停止（崩溃或断电），而闪电网络引擎 LDK 无法从那一刻继续这个通道，因此关闭了它。资金没有损失：你的部分会在等待期结束后回到链上钱包。
ch-reason-other = 已关闭：{ $text }
ch-close = 关闭
ch-close-help = 协商关闭需要对方在线，会立即付给双方。强制关闭可以独自完成，但你的部分要等待延迟期满。
ch-force-close = 强制关闭…
ch-force-warning-title = 强制关闭此通道？
ch-force-warning = 你最新的承诺交易将在没有对方参与的情况下上链。之后你的 { $amount } 会在确认后被锁定 { $delay }，手续费也比协商关闭更高。只有在对方消失或不合作时才这样做。
ch-force-confirm = 立即强制关闭
ch-opened-notice = 通道开启中：注资交易已发出，得到足够确认后即变为活跃。
ch-closing-notice = 已开始关闭。请在通道的时间线中查看进度。
open-show = 开通道
open-title = 开通道
open-uri = 对方的节点地址
open-uri-placeholder = 公钥@主机:端口
open-capacity = 容量（聪）
open-push = 赠送给对方（聪，可选）
open-public = 向网络公布（公开通道，用于路由）
open-help = 全部容量来自你的链上钱包，一开始都在你这一侧：你可以发送，但只能接收你已发出或赠送的部分。
open-review = 检查
open-confirm-title = 开启这个通道？
open-confirm-peer = 对方
open-confirm-kind = 类型
open-confirm-fee = 链上手续费
open-fee-estimate = 约 { $fee }，按 { $rate } 聪/vB（估算）
open-fee-unknown = 未知：服务器没有手续费估算，LDK 使用自己的估算
open-kind-public = 公开
open-kind-private = 私有
open-confirm-note = LDK 会为每个通道在你的链上钱包中保留 { $reserve }，以便紧急关闭时追加手续费。
open-backup-first = 没有可用的通道备份。一旦通道中有资金，电脑硬盘丢失就会导致资金丢失：请先选择备份文件夹。
open-skip-backup = 不备份直接开通（仅限 regtest：测试币）
open-needs-backup = 开通通道前请先选择通道备份文件夹。
open-confirm = 开启通道
regtest-peer-title = 用来试验通道的节点
regtest-peer-help = 试验场在这台电脑上运行第二个闪电节点，它有自己的密钥和资金。
regtest-peer-uri = 它的地址：{ $uri }
regtest-peer-open = 向它开通道
regtest-peer-inbound = 让它向我开通道
regtest-peer-inbound-done = 对方已向你开了通道。挖 6 个区块使其变为活跃。
regtest-peer-missing = 试验场节点没有启动；请查看日志。
ch-claim-close-tx = { $amount }：关闭交易已广播，正在等待出块。
ch-returning-total = 仍在返回你的途中
ch-our-reserve-required = 你的储备金（对方要求）
ch-peer-reserve-required = 对方的储备金（你要求）

## Payment requests and payments
err-paste-empty = 请粘贴发票、要约、bitcoin: 链接、地址或节点 ID。
err-paste-too-long = 这段文字太长，不可能是付款请求。请检查复制的内容。
err-paste-unrecognised = 这不是闪电能识别的发票、要约、bitcoin: 链接、地址或节点 ID。请确认复制完整。
err-invoice-damaged = 发票已损坏：校验和不匹配，有字符错误或缺失。请重新复制。
err-invoice-malformed = 发票不完整或格式错误。请重新完整复制。
err-invoice-invalid = 发票无效（签名或必要部分有误）。请向收款方索取新的发票。
err-invoice-wrong-network = 这张发票属于 { $found }，而本钱包在 { $expected } 上。无法从这里支付。
err-invoice-expired = 这张发票已于 { $at } 过期。请向收款方索取新的发票。
err-request-zero = 该请求的金额为零。请向收款方索取带金额的请求。
err-offer-malformed = 要约已损坏或格式错误。请重新完整复制。
err-offer-wrong-network = 这个要约不属于 { $expected }。无法从本钱包支付。
err-offer-expired = 这个要约已于 { $at } 过期。请向收款方索取新的要约。
err-offer-fiat = 这个要约以法币计价，闪电无法换算。请索取以比特币计价的价格。
err-uri-bip21-malformed = bitcoin: 链接格式错误：既没有可用的地址，也没有闪电请求。
err-uri-bip21-amount = bitcoin: 链接中的金额不是有效的比特币金额。
err-uri-bip21-req = bitcoin: 链接要求一项闪电不支持的功能，因此不予支付。
err-pay-onchain = 这个请求需要链上支付：请使用链上发送。
err-pay-amount-required = 该请求没有金额。请输入要支付的金额。
err-pay-above-outbound = 这超过了你的通道现在能发送的金额。你最多可通过闪电网络发送 { $can }。
err-pay-already-paid = 这张发票已经支付过（或正在支付）。拒绝重复支付。
err-pay-no-route = 在最高手续费以内找不到通往收款方的路由。请提高最高手续费后重试，或向离收款方更近的节点开通道。
err-description-too-long = 描述太长，无法放入发票（最多 639 个字符）。

## Lightning send
pay-title = 通过闪电网络支付
pay-kind = 请求
pay-kind-bolt11 = 闪电发票（BOLT11）
pay-kind-bolt12 = 闪电要约（BOLT12）
pay-kind-keysend = 向节点直接付款（keysend）
pay-kind-onchain = 链上
pay-network = 网络
pay-description = 描述
pay-payee = 收款方
pay-expires = 到期
pay-expires-in = { $minutes } 分 { $seconds } 秒后
pay-expired-now = 已过期
pay-expired-before-paying = 这个付款请求在此处打开期间已过期；没有发送任何款项。请向收款方索取新的请求。
pay-amount = 金额
pay-amount-choose = 支付金额（聪）
pay-max-fee = 你允许的最高路由费（聪）
pay-button = 支付
pay-in-flight = 正在支付……款项正在网络中传递。
pay-succeeded = 已支付。路由费：{ $fee }。
pay-failed-no-route = 支付失败：在你的费用上限内，没有容量足够的路径能到达收款方。请提高费用上限、减少金额，或开一个离收款方更近的通道。
pay-failed-rejected = 支付失败：收款方拒绝了（发票可能已付过或有误）。请向收款方索取新的发票。
pay-failed-retries = 支付失败：尝试的每条路径都在途中中断。没有花费任何资金；请稍后重试。
pay-failed-expired = 支付失败：请求在支付过程中过期。请向收款方索取新的请求。
pay-failed-other = 支付失败。没有花费任何资金；请重试。
err-max-fee = 费用上限必须是整数聪。

## Lightning receive
receive-mode-onchain = 链上地址
receive-mode-invoice = 闪电发票
receive-mode-offer = 可重复使用的要约（BOLT12）
receive-invoice-help = 一张发票只收一笔付款，须在你选择的期限内支付。
receive-expiry = 有效期
receive-expiry-10min = 10 分钟
receive-expiry-1h = 1 小时
receive-expiry-1d = 1 天
receive-expiry-1w = 1 周
receive-offer-help = 要约可以被任何拿到它的人多次支付：适合打印出来放在店铺柜台。
receive-amount = 金额（聪，留空则由付款方决定）
receive-amount-placeholder = 例如 25000
receive-description = 描述（付款方可见）
receive-create-invoice = 创建发票
receive-create-offer = 创建要约
receive-another = 新的请求
receive-paid = 已收到：{ $amount }
receive-unified-note = 一个二维码适用于所有钱包：能走闪电网络就走闪电网络，否则走链上。
receive-no-channels = 你还不能通过闪电网络收款：没有活跃的通道。请开一个通道并获得入站容量（请对方向你开通道，或先通过你的通道花出一些），或者改用链上收款。
receive-above-inbound = 你的通道现在最多只能收 { $can }，付款方无法支付这个金额。请减少金额、请对方向你开通道，或者改用链上收款。
receive-qr-too-long = 这个请求太长，放不进二维码；请改为复制。
activity-lightning = 闪电网络
activity-onchain = 链上
activity-pending = 进行中
activity-succeeded = 成功
activity-failed = 失败

## Network
nav-network = 网络
net-title = 网络
net-refresh = 刷新
net-reading = 正在读取通道图…
net-gossip = 图的来源
net-gossip-p2p = 来自对等节点的 gossip，持续更新
net-gossip-rgs = 快速 Gossip 同步（RGS），上次快照 { $ago }
net-gossip-rgs-waiting = 快速 Gossip 同步（RGS），正在等待第一个快照
net-nodes = 已知节点
net-channels = 已知公开通道
net-explain = 闪电内置的路由器在这张图上寻找支付路径。私有通道不在图中；节点的某个通道被公告后，它才会出现。
net-no-peers = 还没有对等节点。开一个通道（或连接一个节点）后，它所在的网络部分会显示在这里。
net-us = 本钱包
net-connected = 已连接
net-offline = 离线
net-peer-channels = 与我们的通道：{ $ours } · 已知的公开通道：{ $public }
net-link = → { $to }：手续费 { $base } + { $ppm } ppm，CLTV 差值 { $cltv }
net-link-disabled = → { $to }：对方暂时停用了此方向
net-link-unknown = → { $to }：尚未收到其收费条件

## Counter mode
receive-counter-mode = 收银模式
counter-title = 收银台
counter-notify = 通知
counter-sound = 声音
counter-exit = 退出收银模式
counter-charge = 收款
counter-waiting = 用闪电网络扫码付款
counter-expires-in = 付款码将在 { $left } 后过期
counter-expired = 已过期——请生成新的付款码
counter-new-code = 新付款码
counter-cancel = 取消
counter-paid = 已付款
counter-next = 下一位顾客
counter-invoice-unreadable = 无法读取新生成的发票，请重试。
counter-description = 柜台付款
counter-notification-title = 收到付款
counter-notification-body = 通过闪电网络收到 { $amount }。

## History filter and export
err-bad-date = “{ $text }”不是日期。请按 2026-11-25 的格式填写。
err-period-reversed = 结束日期早于开始日期。请交换两个日期。
err-export-write = 无法把导出文件写入 { $folder }（{ $reason }）。请检查该文件夹存在且可写。
activity-all = 全部
activity-both-rails = 闪电和链上
activity-search = 搜索描述、金额、哈希或交易 ID
activity-none-match = 没有符合此筛选条件的记录。
activity-preimage = 原像 { $preimage }
activity-export-title = 导出记账
activity-export-help = 一个 CSV 文件（每笔支付一行，金额单位为聪），包含该期间内的全部支付，不受上方筛选影响。文件保存在“下载”文件夹中。
activity-from = 从
activity-to = 到
activity-export = 导出 CSV
activity-exported = 已保存为 { $path }

## QR image files
err-qr-open = 无法打开该文件（{ $reason }）。
err-qr-too-large = 文件太大，不像是二维码图片（超过 20 MB）。
err-qr-not-image = 该文件不是 PNG 或 JPEG 图片。请对二维码截图后再试。
err-qr-none = 图片中没有找到二维码。请裁剪到二维码区域，或直接粘贴文本。
err-qr-unreadable = 图片中的二维码无法识别（模糊或损坏）。请换一张更清晰的图片，或直接粘贴文本。
send-open-qr = 打开二维码图片…
send-qr-filter = 图片
send-drop-qr-hint = 也可以把二维码图片拖到窗口上。
send-read-from-qr = 已从二维码图片读取。请核对后再检查付款。
pay-route = 可能的路由
pay-route-reading = 正在查看通道图…
pay-route-unknown = 从这里看不到：支付时路由器会再搜索。
pay-route-you = 你
pay-route-found = { $path } · 手续费 { $fee } · 最多锁定 { $cltv } 个区块
