<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Advisory</name>
    <message>
        <source>coldest rooms forecast below {limit} °C in ~{hours} h (≈ {clock})</source>
        <translation>最冷房间预计约 {hours} 小时后（≈ {clock}）低于 {limit} °C</translation>
    </message>
    <message>
        <source>cold-room advisory cleared: room below the limit (alarm)</source>
        <translation>低温预警解除：房间已低于限值（转为报警）</translation>
    </message>
    <message>
        <source>cold-room advisory cleared: no longer forecast</source>
        <translation>低温预警解除：预测不再偏冷</translation>
    </message>
    <message>
        <source>room forecast advisories paused: outdoor forecast {state}</source>
        <translation>室温预测预警暂停：室外气温预报{state}</translation>
    </message>
    <message>
        <source>room forecast advisories resumed: outdoor forecast usable again</source>
        <translation>室温预测预警恢复：室外气温预报重新可用</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>advisory raised</source>
        <translation>发出预警</translation>
    </message>
    <message>
        <source>advisory cleared</source>
        <translation>预警解除</translation>
    </message>
    <message>
        <source>advisories paused</source>
        <translation>预警暂停</translation>
    </message>
    <message>
        <source>advisories resumed</source>
        <translation>预警恢复</translation>
    </message>
</context>
<context>
    <name>AlarmVerb</name>
    <message>
        <source>active</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>re-alarm</source>
        <translation>再次报警</translation>
    </message>
    <message>
        <source>shelving expired</source>
        <translation>搁置到期</translation>
    </message>
    <message>
        <source>suppression ended</source>
        <translation>抑制结束</translation>
    </message>
</context>
<context>
    <name>JournalActions</name>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <source>taken out of service</source>
        <translation>退出运行</translation>
    </message>
    <message>
        <source>returned to service</source>
        <translation>恢复运行</translation>
    </message>
    <message>
        <source>silenced the alarm sound</source>
        <translation>报警消音</translation>
    </message>
    <message>
        <source>shift note</source>
        <translation>交班备注</translation>
    </message>
    <message>
        <source>setpoint write</source>
        <translation>设定值写入</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>控制台启动</translation>
    </message>
    <message>
        <source>console stopped</source>
        <translation>控制台停止</translation>
    </message>
    <message>
        <source>alarm states restored from the journal</source>
        <translation>从日志恢复报警状态</translation>
    </message>
    <message>
        <source>journal bundle imported</source>
        <translation>导入日志包</translation>
    </message>
    <message>
        <source>alarm flood began</source>
        <translation>报警泛滥开始</translation>
    </message>
    <message>
        <source>alarm flood ended</source>
        <translation>报警泛滥结束</translation>
    </message>
    <message>
        <source>journal cannot write: buffering</source>
        <translation>日志无法写入：暂存内存</translation>
    </message>
    <message>
        <source>journal writing again</source>
        <translation>日志恢复写入</translation>
    </message>
    <message>
        <source>disk full: journal reserve released</source>
        <translation>磁盘已满：释放日志预留空间</translation>
    </message>
    <message>
        <source>journal reserve restored</source>
        <translation>日志预留空间已恢复</translation>
    </message>
    <message>
        <source>journal reserve short of space</source>
        <translation>日志预留空间不足</translation>
    </message>
    <message>
        <source>history paused: disk short</source>
        <translation>历史记录暂停：磁盘空间不足</translation>
    </message>
    <message>
        <source>history recording again</source>
        <translation>历史记录恢复</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>缺少必需的参数：%s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选项：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个参数值</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>最多需要一个参数值</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>至少需要一个参数值</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>需要 %s 个参数值</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>需要 %s 个参数值</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项有歧义：%(option)s 可匹配 %(matches)s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>不能与参数 %s 同时使用</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>必须给出参数 %s 之一</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>忽略了显式参数 %r</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>未知的子命令 %(parser_name)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>无法打开“%(filename)s”：%(error)s</translation>
    </message>
</context>
<context>
    <name>check-config</name>
    <message>
        <source>validate a network configuration file</source>
        <translation>校验管网配置文件</translation>
    </message>
    <message>
        <source>network YAML file (e.g. station_config/demo.yaml)</source>
        <translation>管网 YAML 文件（例如 station_config/demo.yaml）</translation>
    </message>
    <message>
        <source>internal error while checking ({error}); please report it with this file</source>
        <translation>校验时发生内部错误（{error}）；请附上此文件报告该问题</translation>
    </message>
    <message>
        <source>OK — {stations} stations, {templates} template(s), about {points} points</source>
        <translation>正常 — {stations} 个热力站，{templates} 个模板，约 {points} 个测点</translation>
    </message>
    <message>
        <source>{n} problem(s) in {file}</source>
        <translation>{file} 中有 {n} 个问题</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>Operator console for a district-heating network.</source>
        <translation>城市集中供热管网调度操作台。</translation>
    </message>
    <message>
        <source>language of messages and reports (default: $HEATCONSOLE_LANG, else the locale)</source>
        <translation>提示信息和报告的语言（默认：$HEATCONSOLE_LANG，否则按系统区域设置）</translation>
    </message>
    <message>
        <source>commands</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>unknown language {tag!r}; choose one of: {choices}</source>
        <translation>未知语言 {tag!r}；可选：{choices}</translation>
    </message>
    <message>
        <source>cannot write {file}: {error}</source>
        <translation>无法写入 {file}：{error}</translation>
    </message>
</context>
<context>
    <name>control-room</name>
    <message>
        <source>try a control room on this machine (demo)</source>
        <translation>在本机试用调度中心（演示）</translation>
    </message>
    <message>
        <source>broker, database, simulator, one server and two consoles on this machine</source>
        <translation>在本机启动消息代理、数据库、模拟器、一台采集服务器和两台操作台</translation>
    </message>
    <message>
        <source>keep everything in DIR (default: a temp dir)</source>
        <translation>所有文件保存在 DIR（默认：临时目录）</translation>
    </message>
    <message>
        <source>no PostgreSQL (shared journal off)</source>
        <translation>不使用 PostgreSQL（关闭共享日志）</translation>
    </message>
    <message>
        <source>also open the wall display (a viewer)</source>
        <translation>同时打开大屏显示（只读用户）</translation>
    </message>
    <message>
        <source>console windows (default 2)</source>
        <translation>操作台窗口数（默认 2）</translation>
    </message>
    <message>
        <source>(or --no-db to try it without the shared journal)</source>
        <translation>（或用 --no-db 在没有共享日志的情况下试用）</translation>
    </message>
</context>
<context>
    <name>db</name>
    <message>
        <source>set up the control room&apos;s shared journal on PostgreSQL</source>
        <translation>在 PostgreSQL 上建立调度中心的共享日志</translation>
    </message>
    <message>
        <source>Manage the shared journal database.</source>
        <translation>管理共享日志数据库。</translation>
    </message>
    <message>
        <source>create the journal&apos;s table, trigger and roles (idempotent)</source>
        <translation>创建日志的表、触发器和角色（可重复执行）</translation>
    </message>
    <message>
        <source>Create the shared journal in an existing database, with a role for the acquisition server and a read-only role for the consoles.</source>
        <translation>在已有数据库中创建共享日志，并为采集服务器创建一个角色、为操作台创建一个只读角色。</translation>
    </message>
    <message>
        <source>postgresql://admin@host/dbname as the database owner with CREATEROLE, or a superuser (a host other than this machine needs ?sslmode=verify-full)</source>
        <translation>postgresql://admin@host/dbname，以具有 CREATEROLE 权限的数据库属主或超级用户身份（非本机主机须加 ?sslmode=verify-full）</translation>
    </message>
    <message>
        <source>the server&apos;s role</source>
        <translation>服务器的角色</translation>
    </message>
    <message>
        <source>the consoles&apos; role</source>
        <translation>操作台的角色</translation>
    </message>
    <message>
        <source>its password, first line</source>
        <translation>其密码（文件第一行）</translation>
    </message>
    <message>
        <source>the first line is empty</source>
        <translation>第一行为空</translation>
    </message>
    <message>
        <source>give a postgresql://user@host/dbname address</source>
        <translation>请给出 postgresql://user@host/dbname 地址</translation>
    </message>
    <message>
        <source>shared journal ready in {where}:</source>
        <translation>共享日志已在 {where} 就绪：</translation>
    </message>
    <message>
        <source>the server connects as {address}</source>
        <translation>服务器连接地址：{address}</translation>
    </message>
    <message>
        <source>consoles read as      {address}</source>
        <translation>操作台读取地址：{address}</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>network YAML</source>
        <translation>管网 YAML 文件</translation>
    </message>
    <message>
        <source>simulator seed (default 0)</source>
        <translation>模拟器随机种子（默认 0）</translation>
    </message>
    <message>
        <source>simulated s per wall s (default {speed})</source>
        <translation>每秒实际时间对应的模拟秒数（默认 {speed}）</translation>
    </message>
    <message>
        <source>scenario name (station_config/scenarios), a YAML file or none (default {scenario})</source>
        <translation>场景名称（station_config/scenarios）、YAML 文件或 none（默认 {scenario}）</translation>
    </message>
    <message>
        <source>no scenario {name} ({file}); built in: {names}</source>
        <translation>没有场景 {name}（{file}）；内置场景：{names}</translation>
    </message>
    <message>
        <source>simulated demo city + the console window, no setup</source>
        <translation>模拟演示城市 + 操作台窗口，无需配置</translation>
    </message>
    <message>
        <source>journal file (default: demo-journal.sqlite)</source>
        <translation>日志文件（默认：demo-journal.sqlite）</translation>
    </message>
    <message>
        <source>operator name (default: login)</source>
        <translation>操作员姓名（默认：登录名）</translation>
    </message>
    <message>
        <source>starting the simulator ({stations} stations, scenario {scenario}, speed {speed}) …</source>
        <translation>正在启动模拟器（{stations} 个热力站，场景 {scenario}，速度 {speed}）…</translation>
    </message>
    <message>
        <source>the simulator did not start: {error}</source>
        <translation>模拟器未能启动：{error}</translation>
    </message>
    <message>
        <source> — simulated time ×{speed}</source>
        <translation> — 模拟时间 ×{speed}</translation>
    </message>
</context>
<context>
    <name>energy</name>
    <message>
        <source>heat metering: GJ per station and district, per m² and degree-day (CSV)</source>
        <translation>热计量：按热力站和区域统计 GJ、每平方米及每度日热耗（CSV）</translation>
    </message>
    <message>
        <source>Heat energy today / this month / this season from the stations&apos; energy counters (rollover and meter replacement handled), per m² of heated area and per heating degree-day (base 18 °C), worst first.</source>
        <translation>根据热力站的累计热量计数（已处理计数回零和换表）统计今日/本月/本采暖季热量，按供热面积每平方米及每采暖度日（基准 18 °C）计算，最差的排在前面。</translation>
    </message>
    <message>
        <source>network YAML file</source>
        <translation>管网 YAML 文件</translation>
    </message>
    <message>
        <source>history file (default: beside the journal)</source>
        <translation>历史数据文件（默认：与日志同目录）</translation>
    </message>
    <message>
        <source>one more period from this time (08:00, 2026-01-05, 2h)</source>
        <translation>从该时间起另加一个统计时段（08:00、2026-01-05、2h）</translation>
    </message>
    <message>
        <source>end of that period (default: now)</source>
        <translation>该时段的结束时间（默认：现在）</translation>
    </message>
    <message>
        <source>first day of the heating season (default: the configured heating season, else {date})</source>
        <translation>采暖季首日（默认：配置中的采暖季，否则 {date}）</translation>
    </message>
    <message>
        <source>write to this file instead of standard output</source>
        <translation>写入此文件而不是标准输出</translation>
    </message>
    <message>
        <source>give MM-DD, e.g. 11-15</source>
        <translation>请给出 MM-DD，例如 11-15</translation>
    </message>
    <message>
        <source>no history file at {file} (give --history or --journal)</source>
        <translation>{file} 处没有历史数据文件（请给出 --history 或 --journal）</translation>
    </message>
    <message>
        <source>--until needs --since (the period it ends)</source>
        <translation>--until 需要同时给出 --since（该时段的起点）</translation>
    </message>
    <message>
        <source>cannot read history {file}: {error}</source>
        <translation>无法读取历史数据 {file}：{error}</translation>
    </message>
    <message>
        <source>wrote {file}: {stations} stations, {districts} districts</source>
        <translation>已写入 {file}：{stations} 个热力站，{districts} 个区域</translation>
    </message>
    <message>
        <source>rollover</source>
        <translation>计数回零</translation>
    </message>
    <message>
        <source>replacement</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>step back</source>
        <translation>读数回退</translation>
    </message>
    <message>
        <source>jump</source>
        <translation>读数跳变</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>today GJ</source>
        <translation>今日 GJ</translation>
    </message>
    <message>
        <source>month GJ</source>
        <translation>本月 GJ</translation>
    </message>
    <message>
        <source>season GJ</source>
        <translation>本季 GJ</translation>
    </message>
    <message>
        <source>period GJ</source>
        <translation>时段 GJ</translation>
    </message>
    <message>
        <source>period: {start} – {end}</source>
        <translation>统计时段：{start} – {end}</translation>
    </message>
    <message>
        <source>district</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>meter {kind} at {time}: {before} -&gt; {after} GJ ({counted} GJ counted)</source>
        <translation>热表{kind}，{time}：{before} -&gt; {after} GJ（计入 {counted} GJ）</translation>
    </message>
</context>
<context>
    <name>generate-network</name>
    <message>
        <source>write a full-size network of the demo city (e.g. 757 stations, ~200,000 points)</source>
        <translation>生成演示城市的全规模管网（例如 757 个热力站，约 200,000 个测点）</translation>
    </message>
    <message>
        <source>number of substations (757)</source>
        <translation>热力站数量（757）</translation>
    </message>
    <message>
        <source>mean rooms per station, at most {n}</source>
        <translation>每站平均房间数，最多 {n}</translation>
    </message>
    <message>
        <source>random seed; same seed, same file</source>
        <translation>随机种子；种子相同，文件相同</translation>
    </message>
    <message>
        <source>YAML file to write</source>
        <translation>要写入的 YAML 文件</translation>
    </message>
    <message>
        <source>--stations must be between 1 and {n}</source>
        <translation>--stations 须在 1 到 {n} 之间</translation>
    </message>
    <message>
        <source>--rooms must be between 0 and {n} (the template&apos;s maximum)</source>
        <translation>--rooms 须在 0 到 {n} 之间（模板上限）</translation>
    </message>
    <message>
        <source>{file} is a directory; give a file name</source>
        <translation>{file} 是目录；请给出文件名</translation>
    </message>
    <message>
        <source>the demo city does not load:</source>
        <translation>演示城市无法加载：</translation>
    </message>
    <message>
        <source>wrote {file}: {stations} stations, {rooms} rooms, about {points} points, {area} million m² (loads in {seconds} s)</source>
        <translation>已写入 {file}：{stations} 个热力站，{rooms} 个房间，约 {points} 个测点，{area} 百万 m²（加载用时 {seconds} s）</translation>
    </message>
</context>
<context>
    <name>handover</name>
    <message>
        <source>write the shift handover report (HTML)</source>
        <translation>生成交接班报告（HTML）</translation>
    </message>
    <message>
        <source>Shift report: alarms, acknowledgements, cold rooms, comm outages, notes, EEMUA 191 alarm rates, and with --config the heat metering. Default: the current shift.</source>
        <translation>交接班报告：报警、确认、低温房间、通讯中断、备注、EEMUA 191 报警率，给出 --config 时还有热计量。默认：本班。</translation>
    </message>
    <message>
        <source>HTML file (default: handover-YYYYmmdd-HHMM.html)</source>
        <translation>HTML 文件（默认：handover-YYYYmmdd-HHMM.html）</translation>
    </message>
    <message>
        <source>report title (default: Shift handover)</source>
        <translation>报告标题（默认：交接班报告）</translation>
    </message>
    <message>
        <source>network YAML file: adds the heat metering (today&apos;s and the season&apos;s GJ)</source>
        <translation>管网 YAML 文件：加入热计量（今日和本采暖季的 GJ）</translation>
    </message>
    <message>
        <source>history file for the metering (default: beside the journal)</source>
        <translation>热计量用的历史数据文件（默认：与日志同目录）</translation>
    </message>
    <message>
        <source>--history needs --config (the network)</source>
        <translation>--history 需要同时给出 --config（管网文件）</translation>
    </message>
    <message>
        <source>the network file has problems (above)</source>
        <translation>管网文件有问题（见上）</translation>
    </message>
    <message>
        <source>no readable history at {file}: the report has no metering</source>
        <translation>{file} 处没有可读的历史数据：报告不含热计量</translation>
    </message>
    <message>
        <source>give --since (or --shift)</source>
        <translation>请给出 --since（或 --shift）</translation>
    </message>
    <message>
        <source>cannot read journal: {error}</source>
        <translation>无法读取日志：{error}</translation>
    </message>
    <message>
        <source>wrote {file}: {raised} alarms raised, {acked} acknowledged, {open} open, {shelved} shelved, {cold} rooms below 18 °C at the end, {rate} alarms/10 min ({verdict})</source>
        <translation>已写入 {file}：产生报警 {raised} 条，已确认 {acked} 条，未关闭 {open} 条，已搁置 {shelved} 条，班末室温低于 18 °C 的房间 {cold} 间，每 10 分钟 {rate} 条报警（{verdict}）</translation>
    </message>
    <message>
        <source>heat metering: {stations} stations, {gj} GJ today</source>
        <translation>热计量：{stations} 个热力站，今日 {gj} GJ</translation>
    </message>
    <message>
        <source>very likely to be acceptable</source>
        <translation>很可能可以接受</translation>
    </message>
    <message>
        <source>manageable</source>
        <translation>可以应付</translation>
    </message>
    <message>
        <source>likely to be over-demanding</source>
        <translation>可能负担过重</translation>
    </message>
    <message>
        <source>very likely to be unacceptable</source>
        <translation>很可能无法接受</translation>
    </message>
    <message>
        <source>should be manageable</source>
        <translation>应可应付</translation>
    </message>
    <message>
        <source>hard to cope with (alarm flood)</source>
        <translation>难以应付（报警泛滥）</translation>
    </message>
    <message>
        <source>definitely excessive</source>
        <translation>明显过多</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>returned to normal, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>communication</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>advisory</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>rollover</source>
        <translation>计数回零</translation>
    </message>
    <message>
        <source>replacement</source>
        <translation>换表</translation>
    </message>
    <message>
        <source>step back</source>
        <translation>读数回退</translation>
    </message>
    <message>
        <source>jump</source>
        <translation>读数跳变</translation>
    </message>
    <message>
        <source>… and {n} more rows; the journal has them all (heatconsole log).</source>
        <translation>… 另有 {n} 行；日志中保存全部记录（heatconsole log）。</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>交接班报告</translation>
    </message>
    <message>
        <source>Shift {since} – {until}</source>
        <translation>班次 {since} – {until}</translation>
    </message>
    <message>
        <source>(in progress; figures up to {time})</source>
        <translation>（进行中；数据截至 {time}）</translation>
    </message>
    <message>
        <source>generated {time}</source>
        <translation>生成于 {time}</translation>
    </message>
    <message>
        <source>console(s): {names}</source>
        <translation>操作台：{names}</translation>
    </message>
    <message>
        <source>{n} journal records</source>
        <translation>日志记录 {n} 条</translation>
    </message>
    <message>
        <source>Alarms raised</source>
        <translation>产生的报警</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Still open at end</source>
        <translation>班末未关闭</translation>
    </message>
    <message>
        <source>{n} unacknowledged</source>
        <translation>其中未确认 {n} 条</translation>
    </message>
    <message>
        <source>Shelved / out of service at end</source>
        <translation>班末已搁置 / 已停用</translation>
    </message>
    <message>
        <source>Rooms still in alarm at end</source>
        <translation>班末仍在报警的房间</translation>
    </message>
    <message>
        <source>{n} during the shift</source>
        <translation>本班共 {n} 间</translation>
    </message>
    <message>
        <source>Comm outages</source>
        <translation>通讯中断</translation>
    </message>
    <message>
        <source>Alarms / 10 min</source>
        <translation>报警数 / 10 分钟</translation>
    </message>
    <message>
        <source>Alarm rate against EEMUA 191</source>
        <translation>对照 EEMUA 191 的报警率</translation>
    </message>
    <message>
        <source>({n} in {hours} h; a station&apos;s room alarms count once per episode)</source>
        <translation>（{hours} 小时内 {n} 条；同一热力站的室温报警每次过程只计一次）</translation>
    </message>
    <message>
        <source>(from {time})</source>
        <translation>（自 {time} 起）</translation>
    </message>
    <message>
        <source>{n} of {periods} ({share} of the shift)</source>
        <translation>{periods} 个时段中有 {n} 个（占本班 {share}）</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>EEMUA 191 benchmark</source>
        <translation>EEMUA 191 基准</translation>
    </message>
    <message>
        <source>Average alarms per 10 minutes</source>
        <translation>每 10 分钟平均报警数</translation>
    </message>
    <message>
        <source>≤ 1 very likely acceptable; ≤ 2 manageable</source>
        <translation>≤ 1 很可能可以接受；≤ 2 可以应付</translation>
    </message>
    <message>
        <source>Peak alarms in any 10 minutes</source>
        <translation>任意 10 分钟内的报警峰值</translation>
    </message>
    <message>
        <source>&lt; 10 should be manageable</source>
        <translation>&lt; 10 应可应付</translation>
    </message>
    <message>
        <source>10-minute periods in flood (≥ 10 new alarms)</source>
        <translation>报警泛滥的 10 分钟时段（新报警 ≥ 10 条）</translation>
    </message>
    <message>
        <source>flood periods should be rare (ISA-18.2: under about 1 %)</source>
        <translation>报警泛滥时段应很少（ISA-18.2：约 1 % 以下）</translation>
    </message>
    <message>
        <source>Ten most frequent alarms&apos; share</source>
        <translation>最频繁的十个报警所占比例</translation>
    </message>
    <message>
        <source>a high share points at a few bad actors worth fixing</source>
        <translation>比例高说明少数问题报警值得整改</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Raised by priority: {shares} (EEMUA 191 suggests roughly 80 % low, 15 % high/medium, 5 % critical).</source>
        <translation>按优先级统计：{shares}（EEMUA 191 建议约 80 % 低、15 % 高/中、5 % 紧急）。</translation>
    </message>
    <message>
        <source>Flood periods</source>
        <translation>报警泛滥时段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>New alarms</source>
        <translation>新报警</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Longest unacknowledged</source>
        <translation>未确认时间最长的报警</translation>
    </message>
    <message>
        <source>still unacknowledged</source>
        <translation>仍未确认</translation>
    </message>
    <message>
        <source>Unacknowledged from</source>
        <translation>未确认起始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>For</source>
        <translation>历时</translation>
    </message>
    <message>
        <source>No alarm was unacknowledged during the shift.</source>
        <translation>本班没有未确认的报警。</translation>
    </message>
    <message>
        <source>Ten most frequent alarms</source>
        <translation>最频繁的十个报警</translation>
    </message>
    <message>
        <source>Times raised</source>
        <translation>报警次数</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>最近一条信息</translation>
    </message>
    <message>
        <source>No alarms were raised.</source>
        <translation>本班没有产生报警。</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <source>Alarms still open at the end of the shift</source>
        <translation>班末仍未关闭的报警</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>None: every alarm is back to normal and acknowledged.</source>
        <translation>无：所有报警均已恢复并确认。</translation>
    </message>
    <message>
        <source>Alarms shelved or out of service at the end of the shift</source>
        <translation>班末已搁置或已停用的报警</translation>
    </message>
    <message>
        <source>active</source>
        <translation>仍存在</translation>
    </message>
    <message>
        <source>{what}: {value} (limit {limit}) — {verb}</source>
        <translation>{what}：{value}（限值 {limit}）— {verb}</translation>
    </message>
    <message>
        <source>{what}: {value} — {verb}</source>
        <translation>{what}：{value} — {verb}</translation>
    </message>
    <message>
        <source>{what} — {verb}</source>
        <translation>{what} — {verb}</translation>
    </message>
    <message>
        <source>{what} {approx} {rate} m³/h since {since} — {verb}</source>
        <translation>{what} {approx} {rate} m³/h，始于 {since} — {verb}</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Cond.</source>
        <translation>报警条件</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>已消失</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Acknowledgements</source>
        <translation>确认记录</translation>
    </message>
    <message>
        <source>Time to acknowledge: median {median}, longest {longest}.</source>
        <translation>确认用时：中位数 {median}，最长 {longest}。</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>报警时间</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No acknowledgements.</source>
        <translation>没有确认记录。</translation>
    </message>
    <message>
        <source>Rooms below 18 °C</source>
        <translation>室温低于 18 °C</translation>
    </message>
    <message>
        <source>{rooms} room(s) in {stations} station(s); {cold} still in alarm at the end. Most affected stations: {worst}.</source>
        <translation>{stations} 个热力站的 {rooms} 个房间；班末仍有 {cold} 个在报警。受影响最重的热力站：{worst}。</translation>
    </message>
    <message>
        <source>(cold at start)</source>
        <translation>（班初已低温）</translation>
    </message>
    <message>
        <source>still cold</source>
        <translation>仍低温</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房间</translation>
    </message>
    <message>
        <source>Below 18 °C</source>
        <translation>低于 18 °C</translation>
    </message>
    <message>
        <source>Below 16 °C</source>
        <translation>低于 16 °C</translation>
    </message>
    <message>
        <source>Episodes</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Lowest °C</source>
        <translation>最低 °C</translation>
    </message>
    <message>
        <source>At end</source>
        <translation>班末</translation>
    </message>
    <message>
        <source>recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>No room was below 18 °C.</source>
        <translation>没有房间室温低于 18 °C。</translation>
    </message>
    <message>
        <source>Communication outages</source>
        <translation>通讯中断</translation>
    </message>
    <message>
        <source>(before shift)</source>
        <translation>（班前开始）</translation>
    </message>
    <message>
        <source>still out</source>
        <translation>仍中断</translation>
    </message>
    <message>
        <source>No communication outages.</source>
        <translation>没有通讯中断。</translation>
    </message>
    <message>
        <source>Operator notes</source>
        <translation>操作员备注</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>没有备注。</translation>
    </message>
    <message>
        <source>Other operator actions</source>
        <translation>其他操作</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Alarm / point</source>
        <translation>报警 / 测点</translation>
    </message>
    <message>
        <source>Console and journal events</source>
        <translation>操作台和日志事件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Today GJ</source>
        <translation>今日 GJ</translation>
    </message>
    <message>
        <source>Today K·d</source>
        <translation>今日 K·d</translation>
    </message>
    <message>
        <source>Season GJ</source>
        <translation>本季 GJ</translation>
    </message>
    <message>
        <source>Season GJ/m²</source>
        <translation>本季 GJ/m²</translation>
    </message>
    <message>
        <source>Season K·d</source>
        <translation>本季 K·d</translation>
    </message>
    <message>
        <source>Heat metering (today and the season since {date})</source>
        <translation>热计量（今日及自 {date} 起的本采暖季）</translation>
    </message>
    <message>
        <source>From the stations&apos; energy counters; degree-days base {base} °C; MJ/m²·K·d = heat per m² of heated area and degree-day, the worst first.</source>
        <translation>来自热力站的累计热量计数；度日基准 {base} °C；MJ/m²·K·d = 每平方米供热面积每度日的热耗，最差的排在前面。</translation>
    </message>
    <message>
        <source>No metered stations.</source>
        <translation>没有计量的热力站。</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>热力站数</translation>
    </message>
    <message>
        <source>The {n} worst stations</source>
        <translation>最差的 {n} 个热力站</translation>
    </message>
    <message>
        <source>Meter events this season</source>
        <translation>本采暖季热表事件</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Before GJ</source>
        <translation>之前 GJ</translation>
    </message>
    <message>
        <source>After GJ</source>
        <translation>之后 GJ</translation>
    </message>
    <message>
        <source>Counted GJ</source>
        <translation>计入 GJ</translation>
    </message>
</context>
<context>
    <name>log</name>
    <message>
        <source>journal file (default: $HEATCONSOLE_JOURNAL or ~/.local/share/heatconsole/journal.sqlite)</source>
        <translation>日志文件（默认：$HEATCONSOLE_JOURNAL 或 ~/.local/share/heatconsole/journal.sqlite）</translation>
    </message>
    <message>
        <source>the control room&apos;s shared journal, postgresql://user@host/dbname (a host other than this machine needs ?sslmode=verify-full), or a journal file</source>
        <translation>调度中心的共享日志 postgresql://user@host/dbname（非本机主机须加 ?sslmode=verify-full），或一个日志文件</translation>
    </message>
    <message>
        <source>start: 08:00, 2026-01-05, 2026-01-05T08:00, 2h</source>
        <translation>开始时间：08:00、2026-01-05、2026-01-05T08:00、2h</translation>
    </message>
    <message>
        <source>end (exclusive), same forms as --since</source>
        <translation>结束时间（不含），格式同 --since</translation>
    </message>
    <message>
        <source>a whole shift</source>
        <translation>整个班次</translation>
    </message>
    <message>
        <source>where shifts change (default: $HEATCONSOLE_SHIFTS or 08:00,20:00)</source>
        <translation>交接班时刻（默认：$HEATCONSOLE_SHIFTS 或 08:00,20:00）</translation>
    </message>
    <message>
        <source>station id</source>
        <translation>热力站编号</translation>
    </message>
    <message>
        <source>district id</source>
        <translation>区域编号</translation>
    </message>
    <message>
        <source>critical|high|medium|low|info; &apos;high+&apos; = high or more urgent</source>
        <translation>critical|high|medium|low|info（紧急/高/中/低/提示）；&apos;high+&apos; = 高及更紧急</translation>
    </message>
    <message>
        <source>alarm state, e.g. UNACK</source>
        <translation>报警状态，例如 UNACK</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>alarm key, e.g. jx-001/room_temp[3]/room_low</source>
        <translation>报警标识，例如 jx-001/room_temp[3]/room_low</translation>
    </message>
    <message>
        <source>(repeat or comma-separate)</source>
        <translation>（可重复或用逗号分隔）</translation>
    </message>
    <message>
        <source>text in message/comment</source>
        <translation>信息或说明中的文字</translation>
    </message>
    <message>
        <source>give either --journal or --db, not both</source>
        <translation>--journal 和 --db 只能给出一个</translation>
    </message>
    <message>
        <source>--db {address}: use postgresql://user@host/dbname or a journal file</source>
        <translation>--db {address}：请使用 postgresql://user@host/dbname 或一个日志文件</translation>
    </message>
    <message>
        <source>{what} works on a journal file; the shared journal takes events from its server</source>
        <translation>{what} 只用于日志文件；共享日志的记录来自其服务器</translation>
    </message>
    <message>
        <source>cannot open journal {file}: {error}</source>
        <translation>无法打开日志 {file}：{error}</translation>
    </message>
    <message>
        <source>give either --shift or --since/--until, not both</source>
        <translation>--shift 和 --since/--until 只能给出一种</translation>
    </message>
    <message>
        <source>--since {since} is not before --until {until}</source>
        <translation>--since {since} 不早于 --until {until}</translation>
    </message>
    <message>
        <source>list, annotate, export and import the local journal</source>
        <translation>列出、备注、导出和导入本地日志</translation>
    </message>
    <message>
        <source>List journal records (oldest first), or use a subcommand.</source>
        <translation>列出日志记录（最早的在前），或使用子命令。</translation>
    </message>
    <message>
        <source>at most N records, the newest (table default {n}; 0 = all)</source>
        <translation>最多 N 条最新记录（表格默认 {n}；0 = 全部）</translation>
    </message>
    <message>
        <source>add an operator note to the journal</source>
        <translation>向日志添加操作员备注</translation>
    </message>
    <message>
        <source>the note</source>
        <translation>备注内容</translation>
    </message>
    <message>
        <source>who writes it (default: login name)</source>
        <translation>填写人（默认：登录名）</translation>
    </message>
    <message>
        <source>the station it concerns</source>
        <translation>所涉及的热力站</translation>
    </message>
    <message>
        <source>write matching records to a bundle file</source>
        <translation>将符合条件的记录写入数据包文件</translation>
    </message>
    <message>
        <source>bundle file, e.g. field.hcj</source>
        <translation>数据包文件，例如 field.hcj</translation>
    </message>
    <message>
        <source>merge a bundle into the journal (idempotent)</source>
        <translation>将数据包合并到日志（可重复执行）</translation>
    </message>
    <message>
        <source>bundle file from `heatconsole log export`</source>
        <translation>由 `heatconsole log export` 生成的数据包文件</translation>
    </message>
    <message>
        <source>import an unsigned bundle (or plain journal) anyway; the import is journalled</source>
        <translation>仍然导入未签名的数据包（或普通日志）；此次导入会记入日志</translation>
    </message>
    <message>
        <source>accept this signer&apos;s key id for this import only; the import is journalled</source>
        <translation>仅本次导入接受该签名者的密钥编号；此次导入会记入日志</translation>
    </message>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>user</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>--limit must be 0 (all) or more</source>
        <translation>--limit 须为 0（全部）或更大</translation>
    </message>
    <message>
        <source>{n} record(s); {older} older not shown (--limit 0 for all)</source>
        <translation>{n} 条记录；另有 {older} 条较早记录未显示（--limit 0 显示全部）</translation>
    </message>
    <message>
        <source>{n} record(s)</source>
        <translation>{n} 条记录</translation>
    </message>
    <message>
        <source>cannot read journal {file}: {error}</source>
        <translation>无法读取日志 {file}：{error}</translation>
    </message>
    <message>
        <source>the note is empty</source>
        <translation>备注为空</translation>
    </message>
    <message>
        <source>cannot write to journal {file}: {error}</source>
        <translation>无法写入日志 {file}：{error}</translation>
    </message>
    <message>
        <source>note added to {file}</source>
        <translation>备注已添加到 {file}</translation>
    </message>
    <message>
        <source>export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <source>exported {n} record(s) to {file} (console {console})</source>
        <translation>已导出 {n} 条记录到 {file}（操作台 {console}）</translation>
    </message>
    <message>
        <source>import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
    <message>
        <source>from console {console}</source>
        <translation>来自操作台 {console}</translation>
    </message>
    <message>
        <source>, {n} conflicting (local kept)</source>
        <translation>，{n} 条冲突（保留本地记录）</translation>
    </message>
    <message>
        <source>imported {file} {source}: {added} added, {duplicates} already present</source>
        <translation>已导入 {file} {source}：新增 {added} 条，已有 {duplicates} 条</translation>
    </message>
    <message>
        <source>the import without a trusted signature is recorded in the journal</source>
        <translation>这次没有可信签名的导入已记入日志</translation>
    </message>
    <message>
        <source>this console&apos;s bundle-signing key</source>
        <translation>本操作台的数据包签名密钥</translation>
    </message>
    <message>
        <source>key id and public key (creates the key if none)</source>
        <translation>密钥编号和公钥（没有时创建）</translation>
    </message>
    <message>
        <source>write the public key for the control room</source>
        <translation>输出公钥，交给调度中心</translation>
    </message>
    <message>
        <source>file (default: standard output)</source>
        <translation>文件（默认：标准输出）</translation>
    </message>
    <message>
        <source>the keys whose bundles `log import` accepts</source>
        <translation>`log import` 接受其数据包的密钥</translation>
    </message>
    <message>
        <source>trust a public key file (`log key export`)</source>
        <translation>信任一个公钥文件（`log key export`）</translation>
    </message>
    <message>
        <source>public key file</source>
        <translation>公钥文件</translation>
    </message>
    <message>
        <source>stop trusting a key</source>
        <translation>不再信任某个密钥</translation>
    </message>
    <message>
        <source>key id (6+ hex digits) or its name</source>
        <translation>密钥编号（至少 6 位十六进制）或其名称</translation>
    </message>
    <message>
        <source>the trusted keys</source>
        <translation>受信任的密钥</translation>
    </message>
    <message>
        <source>key id {id} ({label}), {file}</source>
        <translation>密钥编号 {id}（{label}），{file}</translation>
    </message>
    <message>
        <source>public key {id} written to {file}</source>
        <translation>公钥 {id} 已写入 {file}</translation>
    </message>
    <message>
        <source>cannot store the key: {error}</source>
        <translation>无法保存密钥：{error}</translation>
    </message>
    <message>
        <source>trusted key {id} ({label})</source>
        <translation>已信任密钥 {id}（{label}）</translation>
    </message>
    <message>
        <source>no trusted key {key!r} (see `heatconsole log trust list`)</source>
        <translation>没有受信任的密钥 {key!r}（见 `heatconsole log trust list`）</translation>
    </message>
    <message>
        <source>no longer trusted: key {id} ({label})</source>
        <translation>已不再信任：密钥 {id}（{label}）</translation>
    </message>
    <message>
        <source>(this console&apos;s own key)</source>
        <translation>（本操作台自己的密钥）</translation>
    </message>
    <message>
        <source>{name}: ignored, {reason}</source>
        <translation>{name}：已忽略，{reason}</translation>
    </message>
    <message>
        <source>no trusted keys: `heatconsole log trust add FILE` adds one</source>
        <translation>没有受信任的密钥：用 `heatconsole log trust add FILE` 添加</translation>
    </message>
</context>
<context>
    <name>poll</name>
    <message>
        <source>poll the stations of a network and show a live table</source>
        <translation>轮询管网中的热力站并显示实时表格</translation>
    </message>
    <message>
        <source>network YAML file</source>
        <translation>管网 YAML 文件</translation>
    </message>
    <message>
        <source>scan every station once, print, exit</source>
        <translation>每个热力站扫描一次，输出后退出</translation>
    </message>
    <message>
        <source>seconds between table refreshes (scan periods come from the config&apos;s scan groups)</source>
        <translation>表格刷新间隔秒数（扫描周期取自配置中的扫描组）</translation>
    </message>
    <message>
        <source>poll only this station (repeatable)</source>
        <translation>只轮询此热力站（可重复）</translation>
    </message>
    <message>
        <source>journal file for alarms and events (default: $HEATCONSOLE_JOURNAL or ~/.local/share/heatconsole/journal.sqlite)</source>
        <translation>报警和事件的日志文件（默认：$HEATCONSOLE_JOURNAL 或 ~/.local/share/heatconsole/journal.sqlite）</translation>
    </message>
    <message>
        <source>run the alarm engine but write no journal</source>
        <translation>运行报警引擎，但不写日志</translation>
    </message>
    <message>
        <source>operator name recorded in the journal</source>
        <translation>记入日志的操作员姓名</translation>
    </message>
    <message>
        <source>requests in flight over all stations (default {n})</source>
        <translation>所有热力站同时进行的请求数（默认 {n}）</translation>
    </message>
    <message>
        <source>station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>comm/quality</source>
        <translation>通讯/数据质量</translation>
    </message>
    <message>
        <source>outdoor</source>
        <translation>室外</translation>
    </message>
    <message>
        <source>T3/set</source>
        <translation>T3/设定</translation>
    </message>
    <message>
        <source>room min/mean</source>
        <translation>室温 最低/平均</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>低温</translation>
    </message>
    <message>
        <source>alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>alarms: {active} active, {unacked} unacked</source>
        <translation>报警：{active} 条存在，{unacked} 条未确认</translation>
    </message>
    <message>
        <source>ALARM FLOOD</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>journal: closed ({n} not written)</source>
        <translation>日志：已关闭（{n} 条未写入）</translation>
    </message>
    <message>
        <source>journal: writing ({n} committed)</source>
        <translation>日志：正常写入（已提交 {n} 条）</translation>
    </message>
    <message>
        <source>not held</source>
        <translation>未保留</translation>
    </message>
    <message>
        <source>DISK RESERVE {note}</source>
        <translation>磁盘预留空间 {note}</translation>
    </message>
    <message>
        <source>buffering</source>
        <translation>缓存中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>journal: {state} {n} events in memory — {reason}</source>
        <translation>日志：{state}，内存中 {n} 条事件 — {reason}</translation>
    </message>
    <message>
        <source>{n} dropped</source>
        <translation>丢弃 {n} 条</translation>
    </message>
    <message>
        <source>unknown station(s): {ids}</source>
        <translation>未知热力站：{ids}</translation>
    </message>
    <message>
        <source>--interval must be positive</source>
        <translation>--interval 须为正数</translation>
    </message>
    <message>
        <source>--max-in-flight must be at least 1</source>
        <translation>--max-in-flight 至少为 1</translation>
    </message>
    <message>
        <source>no stations to poll</source>
        <translation>没有可轮询的热力站</translation>
    </message>
    <message>
        <source>stations: {good} GOOD / {stale} STALE / {failed} FAILED</source>
        <translation>热力站：{good} 个正常 GOOD / {stale} 个过期 STALE / {failed} 个失败 FAILED</translation>
    </message>
    <message>
        <source>{n} waiting</source>
        <translation>{n} 个等待中</translation>
    </message>
    <message>
        <source>scan time {ms} ms</source>
        <translation>扫描用时 {ms} ms</translation>
    </message>
</context>
<context>
    <name>run</name>
    <message>
        <source>network YAML file (single seat)</source>
        <translation>管网 YAML 文件（单机）</translation>
    </message>
    <message>
        <source>control room: the broker, mqtt://HOST:PORT (thin console)</source>
        <translation>调度中心：消息代理 mqtt://HOST:PORT（瘦客户端操作台）</translation>
    </message>
    <message>
        <source>control room user (asked if not given)</source>
        <translation>调度中心用户（未给出时询问）</translation>
    </message>
    <message>
        <source>CA certificate of the broker&apos;s TLS listener</source>
        <translation>消息代理 TLS 端口的 CA 证书</translation>
    </message>
    <message>
        <source>operator name for the journal (default: login)</source>
        <translation>记入日志的操作员姓名（默认：登录名）</translation>
    </message>
    <message>
        <source>open the operator console window on a network</source>
        <translation>打开管网的调度操作台窗口</translation>
    </message>
    <message>
        <source>journal file (default: $HEATCONSOLE_JOURNAL or ~/.local/share/heatconsole/journal.sqlite; with --wall wall-journal.sqlite beside it)</source>
        <translation>日志文件（默认：$HEATCONSOLE_JOURNAL 或 ~/.local/share/heatconsole/journal.sqlite；使用 --wall 时为同目录下的 wall-journal.sqlite）</translation>
    </message>
    <message>
        <source>cannot open the window: {error}</source>
        <translation>无法打开窗口：{error}</translation>
    </message>
    <message>
        <source>{options} ignored with --server: the servers journal every action under the login ({login})</source>
        <translation>使用 --server 时忽略 {options}：服务器按登录用户（{login}）记录每项操作</translation>
    </message>
    <message>
        <source>give --config FILE or --server URL</source>
        <translation>请给出 --config FILE 或 --server URL</translation>
    </message>
</context>
<context>
    <name>screenshot</name>
    <message>
        <source>expected WxH, at least 640x480</source>
        <translation>应为 WxH，至少 640x480</translation>
    </message>
    <message>
        <source>choose from {langs} (comma-separated)</source>
        <translation>请从 {langs} 中选择（用逗号分隔）</translation>
    </message>
    <message>
        <source>write PNG screenshots of the console (offscreen demo)</source>
        <translation>生成操作台的 PNG 截图（离屏演示）</translation>
    </message>
    <message>
        <source>output directory</source>
        <translation>输出目录</translation>
    </message>
    <message>
        <source>max wall s to wait for alarms</source>
        <translation>等待报警的最长实际秒数</translation>
    </message>
    <message>
        <source>alarm rows to wait for (default 3)</source>
        <translation>等待的报警行数（默认 3）</translation>
    </message>
    <message>
        <source>window size WxH, or several comma-separated (default {size})</source>
        <translation>窗口尺寸 WxH，或用逗号分隔多个（默认 {size}）</translation>
    </message>
    <message>
        <source>interface language en or zh_CN, or both comma-separated (default: $HEATCONSOLE_LANG, else the locale)</source>
        <translation>界面语言 en 或 zh_CN，或用逗号分隔两者（默认：$HEATCONSOLE_LANG，否则按系统区域设置）</translation>
    </message>
    <message>
        <source>max wall s to wait for the room forecast (default 240)</source>
        <translation>等待室温预测的最长实际秒数（默认 240）</translation>
    </message>
    <message>
        <source>let the simulation run this long first (simulated time: 90s, 10m, 4h)</source>
        <translation>先让模拟运行这么久（模拟时间：90s、10m、4h）</translation>
    </message>
    <message>
        <source>added to the file names, e.g. city</source>
        <translation>加在文件名中，例如 city</translation>
    </message>
    <message>
        <source>no complete scan with alarms in time; writing what there is</source>
        <translation>未能及时得到带报警的完整扫描；按现有画面截图</translation>
    </message>
    <message>
        <source>letting the simulation run {seconds} s (until {at} simulated)</source>
        <translation>让模拟运行 {seconds} 秒（直到模拟时间 {at}）</translation>
    </message>
    <message>
        <source>no room forecast in time: no forecast picture</source>
        <translation>室温预测未及时就绪：不生成预测截图</translation>
    </message>
</context>
<context>
    <name>server</name>
    <message>
        <source>run an acquisition server for the control room (MQTT)</source>
        <translation>运行调度中心的采集服务器（MQTT）</translation>
    </message>
    <message>
        <source>network YAML file</source>
        <translation>管网 YAML 文件</translation>
    </message>
    <message>
        <source>clear a partition that no longer runs (its retained description and status) from the broker, then exit</source>
        <translation>从消息代理清除已停用分区（其保留的网络描述和状态），然后退出</translation>
    </message>
    <message>
        <source>mqtt://HOST:PORT or mqtts://…</source>
        <translation>mqtt://HOST:PORT 或 mqtts://…</translation>
    </message>
    <message>
        <source>the stations this server owns: all (default), [NAME=]district:ID[,ID…] or [NAME=]stations:ID[,ID…]</source>
        <translation>本服务器负责的热力站：all（默认）、[NAME=]district:ID[,ID…] 或 [NAME=]stations:ID[,ID…]</translation>
    </message>
    <message>
        <source>broker user (role server)</source>
        <translation>消息代理用户（角色 server）</translation>
    </message>
    <message>
        <source>file holding the broker password</source>
        <translation>存放消息代理密码的文件</translation>
    </message>
    <message>
        <source>CA certificate that signed the broker&apos;s (TLS)</source>
        <translation>签发消息代理证书的 CA 证书（TLS）</translation>
    </message>
    <message>
        <source>user store (default: {file})</source>
        <translation>用户库（默认：{file}）</translation>
    </message>
    <message>
        <source>the server&apos;s local journal (SQLite)</source>
        <translation>服务器的本地日志（SQLite）</translation>
    </message>
    <message>
        <source>shared journal: postgresql://… (store-and-forward)</source>
        <translation>共享日志：postgresql://…（存储转发）</translation>
    </message>
    <message>
        <source>cannot read {file}: {error}</source>
        <translation>无法读取 {file}：{error}</translation>
    </message>
    <message>
        <source>broker password for {login}: </source>
        <translation>{login} 的消息代理密码：</translation>
    </message>
    <message>
        <source>no broker password (set HEATCONSOLE_BROKER_PASSWORD or --password-file)</source>
        <translation>没有消息代理密码（请设置 HEATCONSOLE_BROKER_PASSWORD 或 --password-file）</translation>
    </message>
    <message>
        <source>cannot keep the journal at {file}: {error}</source>
        <translation>无法在 {file} 保存日志：{error}</translation>
    </message>
    <message>
        <source>that is a folder; give a file name</source>
        <translation>这是一个文件夹，请给出文件名</translation>
    </message>
    <message>
        <source>no user {login!r} in the user store {file}: give the store the broker&apos;s files are written from (--users FILE) and a user of role server in it (--login NAME)</source>
        <translation>用户库 {file} 中没有用户 {login!r}：请指定生成消息代理密码和 ACL 文件的那个用户库（--users FILE），并用其中角色为 server 的用户登录（--login NAME）</translation>
    </message>
    <message>
        <source>{login!r} is {role} in {file}: a server logs in as a user of role server (heatconsole users add NAME --role server)</source>
        <translation>{login!r} 在 {file} 中的角色是 {role}：采集服务器须以角色为 server 的用户登录（heatconsole users add NAME --role server）</translation>
    </message>
    <message>
        <source>partition {name} retired: consoles drop it</source>
        <translation>分区 {name} 已停用：各控制台将移除该分区</translation>
    </message>
    <message>
        <source>--config FILE is required (or --retire NAME)</source>
        <translation>需要 --config FILE（或 --retire NAME）</translation>
    </message>
    <message>
        <source>partition {name} ({n} stations) on {address}</source>
        <translation>分区 {name}（{n} 个热力站），连接 {address}</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>signals</name>
    <message>
        <source>{signal} received, stopping</source>
        <translation>收到 {signal}，正在停止</translation>
    </message>
</context>
<context>
    <name>simulate</name>
    <message>
        <source>network YAML file</source>
        <translation>管网 YAML 文件</translation>
    </message>
    <message>
        <source>random seed of physics and faults</source>
        <translation>物理模型和故障的随机种子</translation>
    </message>
    <message>
        <source>simulated seconds per wall second</source>
        <translation>每秒实际时间对应的模拟秒数</translation>
    </message>
    <message>
        <source>scenario name (station_config/scenarios, e.g. cold_wave) or a YAML file</source>
        <translation>场景名称（station_config/scenarios，例如 cold_wave）或 YAML 文件</translation>
    </message>
    <message>
        <source>bind every station on this port instead (0 = ephemeral)</source>
        <translation>所有热力站改为绑定此端口（0 = 临时端口）</translation>
    </message>
    <message>
        <source>bind every station on this host instead (e.g. 127.0.0.1)</source>
        <translation>所有热力站改为绑定此主机（例如 127.0.0.1）</translation>
    </message>
    <message>
        <source>seconds between status lines</source>
        <translation>状态行间隔秒数</translation>
    </message>
    <message>
        <source>network = the heat-network model; static = constant values (tests)</source>
        <translation>network = 热网模型；static = 固定值（测试用）</translation>
    </message>
    <message>
        <source>machine-readable ready/status lines</source>
        <translation>机器可读的就绪/状态行</translation>
    </message>
    <message>
        <source>folder for the simulator&apos;s hourly outdoor forecast, JSON and CSV every 6 simulated hours (docs/forecast-format.md); default: a temporary folder, removed on exit, whose path the ready line gives</source>
        <translation>模拟器逐时室外温度预报的目录，每 6 个模拟小时写一次 JSON 和 CSV（docs/forecast-format.md）；默认：临时目录，退出时删除，其路径在就绪行中给出</translation>
    </message>
    <message>
        <source>run the network simulator (Modbus TCP servers)</source>
        <translation>运行管网模拟器（Modbus TCP 服务器）</translation>
    </message>
    <message>
        <source>--speed must be positive</source>
        <translation>--speed 须为正数</translation>
    </message>
    <message>
        <source>--port must be 0..65535</source>
        <translation>--port 须在 0..65535 之间</translation>
    </message>
    <message>
        <source>scenario {name}: {error}</source>
        <translation>场景 {name}：{error}</translation>
    </message>
    <message>
        <source>cannot listen: {error}</source>
        <translation>无法监听：{error}</translation>
    </message>
    <message>
        <source>simulator stopped</source>
        <translation>模拟器已停止</translation>
    </message>
    <message>
        <source>simulating {n} stations of &apos;{name}&apos; at speed {speed}</source>
        <translation>正在模拟“{name}”的 {n} 个热力站，速度 {speed}</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… 另有 {n} 个</translation>
    </message>
    <message>
        <source>outdoor forecast every 6 simulated hours in {dir}</source>
        <translation>每 6 个模拟小时的室外温度预报在 {dir}</translation>
    </message>
    <message>
        <source>Ctrl-C stops.</source>
        <translation>按 Ctrl-C 停止。</translation>
    </message>
    <message>
        <source>sim {time} UTC | {rate} req/s, {requests} total, {exceptions} exceptions, {writes} writes | {clients} clients | {faults} stations with faults | tick {tick} ms CPU</source>
        <translation>模拟 {time} UTC | {rate} 请求/秒，共 {requests} 次，{exceptions} 次异常，{writes} 次写入 | {clients} 个客户端 | {faults} 个热力站有故障 | 每步 {tick} ms CPU</translation>
    </message>
</context>
<context>
    <name>users</name>
    <message>
        <source>manage users and roles; writes the broker&apos;s password and ACL files</source>
        <translation>管理用户和角色；写出消息代理的密码和访问控制文件</translation>
    </message>
    <message>
        <source>Users, roles (viewer, operator, engineer, admin, server) and argon2 password hashes in one store file; every change rewrites Mosquitto&apos;s password and ACL files from it.</source>
        <translation>用户、角色（viewer 只读、operator 操作员、engineer 工程师、admin 管理员、server 服务器）和 argon2 密码散列保存在一个用户库文件中；每次修改都据此重写 Mosquitto 的密码和访问控制文件。</translation>
    </message>
    <message>
        <source>user store (default: $HEATCONSOLE_USERS or ~/.local/share/heatconsole/users.json)</source>
        <translation>用户库（默认：$HEATCONSOLE_USERS 或 ~/.local/share/heatconsole/users.json）</translation>
    </message>
    <message>
        <source>where to write mosquitto.passwd and mosquitto.acl (default: the store&apos;s folder)</source>
        <translation>mosquitto.passwd 和 mosquitto.acl 的写入位置（默认：用户库所在目录）</translation>
    </message>
    <message>
        <source>give the broker files to this system user (the broker&apos;s; needs root)</source>
        <translation>将消息代理文件交给此系统用户（消息代理的用户；需要 root）</translation>
    </message>
    <message>
        <source>pid file of a running Mosquitto to reload</source>
        <translation>需重新加载的运行中 Mosquitto 的 pid 文件</translation>
    </message>
    <message>
        <source>read the password from the first line of standard input (for scripts)</source>
        <translation>从标准输入第一行读取密码（供脚本使用）</translation>
    </message>
    <message>
        <source>add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>{roles} (default: viewer)</source>
        <translation>{roles}（默认：viewer）</translation>
    </message>
    <message>
        <source>set a user&apos;s password</source>
        <translation>设置用户密码</translation>
    </message>
    <message>
        <source>change a user&apos;s role</source>
        <translation>更改用户角色</translation>
    </message>
    <message>
        <source>remove a user</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <source>list users and roles</source>
        <translation>列出用户和角色</translation>
    </message>
    <message>
        <source>no system user {name!r}</source>
        <translation>没有系统用户 {name!r}</translation>
    </message>
    <message>
        <source>added {name} ({role})</source>
        <translation>已添加 {name}（{role}）</translation>
    </message>
    <message>
        <source>changed the password of {name}</source>
        <translation>已更改 {name} 的密码</translation>
    </message>
    <message>
        <source>{name} is now {role}</source>
        <translation>{name} 的角色现为 {role}</translation>
    </message>
    <message>
        <source>removed {name} ({role})</source>
        <translation>已删除 {name}（{role}）</translation>
    </message>
    <message>
        <source>{done} in {file}</source>
        <translation>{done}，用户库 {file}</translation>
    </message>
    <message>
        <source>no terminal to ask for the password: use --password-stdin</source>
        <translation>没有终端可询问密码：请使用 --password-stdin</translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password again: </source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>the two passwords differ; nothing changed</source>
        <translation>两次输入的密码不一致；未做任何更改</translation>
    </message>
    <message>
        <source>the store is changed, but the broker files in {dir} are not: {error}</source>
        <translation>用户库已更改，但 {dir} 中的消息代理文件未更改：{error}</translation>
    </message>
    <message>
        <source>wrote {file} and {other}</source>
        <translation>已写入 {file} 和 {other}</translation>
    </message>
    <message>
        <source>the files are written, reload the broker yourself</source>
        <translation>文件已写入，请自行重新加载消息代理</translation>
    </message>
    <message>
        <source>asked the broker (pid {pid}) to reload them</source>
        <translation>已请消息代理（pid {pid}）重新加载</translation>
    </message>
    <message>
        <source>no users in {file}</source>
        <translation>{file} 中没有用户</translation>
    </message>
    <message>
        <source>changed {when}</source>
        <translation>修改于 {when}</translation>
    </message>
</context>
<context>
    <name>wall</name>
    <message>
        <source>not a number of seconds: {text!r}</source>
        <translation>不是秒数：{text!r}</translation>
    </message>
    <message>
        <source>{text} s: give 0 (no cycle) to 3600 seconds</source>
        <translation>{text} 秒：请给出 0（不轮换）到 3600 秒</translation>
    </message>
    <message>
        <source>the wall display instead of the console</source>
        <translation>显示大屏而不是操作台</translation>
    </message>
    <message>
        <source>seconds per view: the city, then each district (default {cycle}; 0 = no cycle)</source>
        <translation>每个画面的秒数：先全市，再逐个区域（默认 {cycle}；0 = 不轮换）</translation>
    </message>
    <message>
        <source>a 1920x1080 window instead of full screen</source>
        <translation>1920x1080 窗口而不是全屏</translation>
    </message>
    <message>
        <source>full-screen wall display for the dispatch hall</source>
        <translation>调度大厅的全屏大屏显示</translation>
    </message>
    <message>
        <source>journal file with --config (default: wall-journal.sqlite beside the console&apos;s)</source>
        <translation>使用 --config 时的日志文件（默认：操作台日志同目录下的 wall-journal.sqlite）</translation>
    </message>
</context>
</TS>
